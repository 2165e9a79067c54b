import { imageTypeOf } from '../media/image-type';
import { renderStepImage, stepSvg } from './step-images';

const image = {
  alt: 'Sujungimo užklausa',
  request: 'POST /v1/clients/merge',
  send: ['{ "keepId": "…", "mergeIds": ["…"] }'],
  answer: '200 OK',
  receive: ['{ "mergeId": "…" }'],
};

describe('a lesson step’s picture', () => {
  it('is a PNG, the same bytes for the same description', async () => {
    const png = renderStepImage(image, '2. Sujunkite – neatšaukiamai');
    expect(await imageTypeOf(png)).toBe('image/png');
    expect(renderStepImage(image, '2. Sujunkite – neatšaukiamai').equals(png)).toBe(true);
    expect(renderStepImage({ ...image, answer: '409 Conflict' }, '2. Sujunkite').equals(png)).toBe(false);
  });

  it('writes what it shows as text in the SVG, with markup characters escaped', () => {
    const svg = stepSvg({ ...image, send: ['<Document> & "kabutės"'] }, 'Įkelkite išrašą');
    expect(svg).toContain('Įkelkite išrašą');
    expect(svg).toContain('&lt;Document&gt; &amp; &quot;kabutės&quot;');
  });
});
