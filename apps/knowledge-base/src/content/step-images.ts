import { Resvg } from '@resvg/resvg-js';
import { z } from 'zod';

/**
 * A lesson step's picture, as its file describes it: the API exchange the step makes — the
 * request, what it sends, what comes back — drawn as a window (the product is an API; its
 * "screen" is the exchange). Rendered from SVG to PNG with resvg and the Noto Sans font from its
 * npm package, so Lithuanian letters come out right on any machine.
 */
export const StepImageSchema = z.object({
  alt: z.string().min(1).max(300),
  request: z.string().min(1).max(80),
  send: z.array(z.string().max(70)).max(8).default([]),
  answer: z.string().min(1).max(80),
  receive: z.array(z.string().max(70)).max(8).default([]),
});
export type StepImage = z.output<typeof StepImageSchema>;

const FONTS = ['400Regular/NotoSans_400Regular.ttf', '700Bold/NotoSans_700Bold.ttf'].map((file) =>
  require.resolve(`@expo-google-fonts/noto-sans/${file}`),
);

const WIDTH = 880;
const LINE = 26;

const escape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The step's picture as SVG (what the PNG is rendered from). */
export function stepSvg(image: StepImage, caption: string): string {
  const sendHeight = 64 + image.send.length * LINE;
  const receiveHeight = 64 + image.receive.length * LINE;
  const height = 70 + sendHeight + 56 + receiveHeight + 30;
  const lines = (texts: readonly string[], x: number, y: number) =>
    texts
      .map((t, i) => `<text x="${x}" y="${y + i * LINE}" font-size="17" fill="#24323f">${escape(t)}</text>`)
      .join('');
  const sendTop = 70;
  const receiveTop = sendTop + sendHeight + 56;
  return `<svg xmlns="http://www.w3.org/2000/svg" xml:space="preserve" width="${WIDTH}" height="${height}" font-family="Noto Sans">
<rect width="${WIDTH}" height="${height}" rx="14" fill="#eef2f6"/>
<rect width="${WIDTH}" height="48" rx="14" fill="#1f3a5f"/><rect y="34" width="${WIDTH}" height="14" fill="#1f3a5f"/>
<circle cx="26" cy="24" r="7" fill="#f25f5c"/><circle cx="48" cy="24" r="7" fill="#ffe066"/><circle cx="70" cy="24" r="7" fill="#70c1b3"/>
<text x="96" y="31" font-size="18" font-weight="700" fill="#ffffff">${escape(caption)}</text>
<rect x="24" y="${sendTop}" width="${WIDTH - 48}" height="${sendHeight}" rx="10" fill="#ffffff" stroke="#c9d3dd"/>
<text x="44" y="${sendTop + 38}" font-size="20" font-weight="700" fill="#1f6f43">${escape(image.request)}</text>
${lines(image.send, 44, sendTop + 38 + LINE + 4)}
<path d="M ${WIDTH / 2} ${sendTop + sendHeight + 10} v 30" stroke="#1f3a5f" stroke-width="4"/>
<path d="M ${WIDTH / 2 - 10} ${sendTop + sendHeight + 32} l 10 14 l 10 -14 z" fill="#1f3a5f"/>
<rect x="24" y="${receiveTop}" width="${WIDTH - 48}" height="${receiveHeight}" rx="10" fill="#ffffff" stroke="#c9d3dd"/>
<text x="44" y="${receiveTop + 38}" font-size="20" font-weight="700" fill="#1f3a5f">${escape(image.answer)}</text>
${lines(image.receive, 44, receiveTop + 38 + LINE + 4)}
</svg>`;
}

/** The step's picture as PNG bytes (the same description always gives the same bytes). */
export function renderStepImage(image: StepImage, caption: string): Buffer {
  const svg = new Resvg(stepSvg(image, caption), {
    font: { fontFiles: FONTS, loadSystemFonts: false, defaultFontFamily: 'Noto Sans' },
  });
  return svg.render().asPng();
}
