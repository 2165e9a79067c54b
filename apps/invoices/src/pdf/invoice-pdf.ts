import * as fs from 'node:fs';
import PDFDocument from 'pdfkit';
import type { ApiInvoice } from '../infrastructure/invoice-cards';
import { type Language, LABELS } from './labels';

// Noto Sans from its npm package, embedded (subset) in every PDF: the standard PDF fonts have no
// č, š or ž. Read from the installed package, never fetched at run time.
const FONTS = {
  regular: fs.readFileSync(
    require.resolve('@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf'),
  ),
  bold: fs.readFileSync(require.resolve('@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf')),
};

/**
 * pdfkit parses a TrueType font anew for every document: for Noto Sans that is ~100 ms, most of a
 * one-page invoice. Parsed fonts (fontkit objects) are kept in a small pool instead: a document
 * borrows one set for as long as it is being drawn — never two documents at once, since glyph
 * objects remember the text they were first laid out in — and gives it back when it ends. A
 * document that finds the pool empty parses its own, as pdfkit does, and adds them to the pool.
 * This uses inner fields of pdfkit 0.17 (`_fontFamilies`, `_fontCount`, `_font`) and fontkit 2
 * (`_glyphs`); if pdfkit's are not there, every document parses its fonts by itself.
 */
type EmbeddedFontClass = new (doc: unknown, font: unknown, id: string) => unknown;
type InnerDoc = {
  _font?: { font: unknown; constructor: EmbeddedFontClass };
  _fontFamilies?: Record<string, unknown>;
  _fontCount?: number;
};
type FontSet = Record<string, { _glyphs?: object }>;
const FONT_POOL: { sets: FontSet[]; Embedded: EmbeddedFontClass | null } = { sets: [], Embedded: null };
const FONT_POOL_SIZE = 4;

/** Gives the document its fonts; returns what to call once it has ended. */
function embedFonts(doc: Doc): () => void {
  const inner = doc as unknown as InnerDoc;
  const names = Object.keys(FONTS);
  if (!inner._fontFamilies || typeof inner._fontCount !== 'number') return () => undefined;
  const borrowed = FONT_POOL.Embedded ? FONT_POOL.sets.pop() : undefined;
  if (borrowed && FONT_POOL.Embedded) {
    for (const name of names) {
      borrowed[name]._glyphs = {};
      inner._fontCount += 1;
      inner._fontFamilies[name] = new FONT_POOL.Embedded(doc, borrowed[name], `F${inner._fontCount}`);
    }
    return () => FONT_POOL.sets.push(borrowed);
  }
  const parsed: FontSet = {};
  for (const name of names) {
    doc.font(name);
    if (!inner._font) continue;
    parsed[name] = inner._font.font as FontSet[string];
    FONT_POOL.Embedded = inner._font.constructor;
  }
  return () => {
    if (FONT_POOL.sets.length < FONT_POOL_SIZE && names.every((name) => parsed[name]))
      FONT_POOL.sets.push(parsed);
  };
}

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 48;
const CONTENT = A4.width - 2 * MARGIN;
const INK = '#1d2733';
const MUTED = '#5c6b7a';
const RULE = '#c9d1d9';

type Doc = PDFKit.PDFDocument;
type Address = NonNullable<ApiInvoice['buyer']['address']>;

const addressText = (address: Address | null) =>
  address
    ? [
        address.line1,
        address.line2,
        [address.postalCode, address.city].filter(Boolean).join(' '),
        address.country,
      ]
        .filter(Boolean)
        .join(', ')
    : '—';

/** A money string with thin grouping: "12 345.60". */
const money = (value: string) => value.replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');

function party(
  doc: Doc,
  x: number,
  y: number,
  width: number,
  title: string,
  rows: readonly (readonly [string, string])[],
  name: string,
): number {
  doc.font('bold').fontSize(8).fillColor(MUTED).text(title.toUpperCase(), x, y, { width });
  doc
    .font('bold')
    .fontSize(11)
    .fillColor(INK)
    .text(name, x, doc.y + 2, { width });
  doc.moveDown(0.2);
  for (const [label, value] of rows) {
    doc
      .font('regular')
      .fontSize(8.5)
      .fillColor(MUTED)
      .text(`${label}: `, x, doc.y, { width, continued: true });
    doc.fillColor(INK).text(value);
  }
  return doc.y;
}

type Column = { key: string; title: string; width: number; align: 'left' | 'right' };

function columns(l: (typeof LABELS)[Language]): Column[] {
  const fixed: Column[] = [
    { key: 'no', title: l.no, width: 24, align: 'left' },
    { key: 'description', title: l.description, width: 0, align: 'left' },
    { key: 'quantity', title: l.quantity, width: 48, align: 'right' },
    { key: 'unit', title: l.unit, width: 44, align: 'left' },
    { key: 'unitPrice', title: l.unitPrice, width: 58, align: 'right' },
    { key: 'discount', title: l.discount, width: 52, align: 'right' },
    { key: 'vatRate', title: l.vatRate, width: 40, align: 'right' },
    { key: 'net', title: l.net, width: 68, align: 'right' },
  ];
  const used = fixed.reduce((sum, c) => sum + c.width, 0);
  return fixed.map((c) => (c.key === 'description' ? { ...c, width: CONTENT - used } : c));
}

function tableRow(doc: Doc, y: number, cols: Column[], cells: Record<string, string>, bold = false): number {
  doc.font(bold ? 'bold' : 'regular').fontSize(bold ? 7.5 : 8.5);
  let height = 0;
  for (const c of cols)
    height = Math.max(height, doc.heightOfString(cells[c.key] ?? '', { width: c.width - 6 }));
  let x = MARGIN;
  for (const c of cols) {
    doc
      .fillColor(bold ? MUTED : INK)
      .text(cells[c.key] ?? '', x + 3, y + 4, { width: c.width - 6, align: c.align });
    x += c.width;
  }
  const bottom = y + height + 5;
  doc
    .moveTo(MARGIN, bottom)
    .lineTo(MARGIN + CONTENT, bottom)
    .lineWidth(0.5)
    .strokeColor(RULE)
    .stroke();
  return bottom;
}

function cancelledMark(doc: Doc, text: string): void {
  doc.save();
  doc.rotate(-35, { origin: [A4.width / 2, A4.height / 2] });
  doc
    .font('bold')
    .fontSize(96)
    .fillColor('#c62828')
    .fillOpacity(0.18)
    .text(text, 0, A4.height / 2 - 60, { width: A4.width, align: 'center' });
  doc.restore();
  doc.fillOpacity(1);
}

/** One invoice, from a new page on. */
function drawInvoice(doc: Doc, invoice: ApiInvoice, language: Language): void {
  const l = LABELS[language];
  const top = MARGIN;
  const title = invoice.seller.vatCode ? l.vatInvoice : l.invoice;
  doc.font('bold').fontSize(20).fillColor(INK).text(title, MARGIN, top, { width: CONTENT, align: 'center' });
  doc
    .font('regular')
    .fontSize(11)
    .text(l.seriesNumber(invoice.series, invoice.number), { width: CONTENT, align: 'center' });
  const dates: [string, string][] = [[l.issueDate, invoice.issueDate]];
  if (invoice.supplyDate && invoice.supplyDate !== invoice.issueDate)
    dates.push([l.supplyDate, invoice.supplyDate]);
  if (invoice.dueDate) dates.push([l.dueDate, invoice.dueDate]);
  doc
    .fontSize(9)
    .fillColor(MUTED)
    .text(dates.map(([k, v]) => `${k}: ${v}`).join('    '), { width: CONTENT, align: 'center' });

  const half = (CONTENT - 24) / 2;
  const partiesTop = doc.y + 18;
  const { seller, buyer } = invoice;
  const sellerRows: [string, string][] = [];
  if (seller.code) sellerRows.push([seller.kind === 'person' ? l.personalCode : l.code, seller.code]);
  if (seller.vatCode) sellerRows.push([l.vatCode, seller.vatCode]);
  sellerRows.push([l.address, addressText(seller.address)]);
  for (const account of seller.bankAccounts)
    sellerRows.push([
      l.bankAccount,
      [account.iban, account.bankName, account.bic].filter(Boolean).join(', '),
    ]);
  const buyerRows: [string, string][] = [];
  if (buyer.code) buyerRows.push([buyer.kind === 'person' ? l.personalCode : l.code, buyer.code]);
  if (buyer.vatCode) buyerRows.push([l.vatCode, buyer.vatCode]);
  buyerRows.push([l.address, addressText(buyer.address)]);
  if (buyer.correspondenceAddress)
    buyerRows.push([l.correspondenceAddress, addressText(buyer.correspondenceAddress)]);
  const sellerBottom = party(doc, MARGIN, partiesTop, half, l.seller, sellerRows, seller.name);
  const buyerBottom = party(doc, MARGIN + half + 24, partiesTop, half, l.buyer, buyerRows, buyer.name);

  const cols = columns(l);
  const header = Object.fromEntries(cols.map((c) => [c.key, c.title]));
  let y = Math.max(sellerBottom, buyerBottom) + 20;
  doc
    .moveTo(MARGIN, y)
    .lineTo(MARGIN + CONTENT, y)
    .lineWidth(0.8)
    .strokeColor(INK)
    .stroke();
  y = tableRow(doc, y, cols, header, true);
  invoice.lines.forEach((line, i) => {
    const cells = {
      no: String(i + 1),
      description: line.description,
      quantity: line.quantity,
      unit: line.unit,
      unitPrice: line.unitPrice,
      discount: line.discountPercent === '0' ? '' : line.discountPercent,
      vatRate: String(line.vatRate),
      net: money(line.net),
    };
    doc.font('regular').fontSize(8.5);
    const needed = doc.heightOfString(line.description, { width: cols[1].width - 6 }) + 5;
    if (y + needed > A4.height - MARGIN - 40) {
      doc.addPage();
      y = tableRow(doc, MARGIN, cols, header, true);
    }
    y = tableRow(doc, y, cols, cells);
  });

  const summaryRows: [string, string, boolean][] = [];
  for (const row of invoice.vatBreakdown) {
    summaryRows.push([l.taxable(row.rate), money(row.net), false]);
    summaryRows.push([l.vatAt(row.rate), money(row.vat), false]);
  }
  summaryRows.push([l.netTotal, money(invoice.totals.net), false]);
  summaryRows.push([l.vatTotal, money(invoice.totals.vat), false]);
  summaryRows.push([`${l.grossTotal}, ${invoice.currency}`, money(invoice.totals.gross), true]);
  // The totals, the amount in words and the notes stay together, on this page or the next.
  const notesHeight = 40 + (invoice.vatExemptionNote ? 14 : 0) + (invoice.notes ? 28 : 0);
  if (y + 10 + summaryRows.length * 14 + 4 + notesHeight > A4.height - MARGIN) {
    doc.addPage();
    y = MARGIN;
  }
  y += 10;
  const labelX = MARGIN + CONTENT - 300;
  for (const [label, value, strong] of summaryRows) {
    doc
      .font(strong ? 'bold' : 'regular')
      .fontSize(strong ? 10.5 : 9)
      .fillColor(INK);
    doc.text(label, labelX, y, { width: 220, align: 'right' });
    doc.text(value, labelX + 220, y, { width: 80, align: 'right' });
    y += strong ? 18 : 14;
  }
  doc.x = MARGIN;
  doc.y = y + 8;
  doc.font('bold').fontSize(9).fillColor(MUTED).text(`${l.inWords}: `, { continued: true, width: CONTENT });
  doc.font('regular').fillColor(INK).text(invoice.amountInWords);
  if (invoice.vatExemptionNote) {
    doc.moveDown(0.4);
    doc.font('bold').fillColor(MUTED).text(`${l.exemption}: `, { continued: true, width: CONTENT });
    doc.font('regular').fillColor(INK).text(invoice.vatExemptionNote);
  }
  if (invoice.notes) {
    doc.moveDown(0.4);
    doc.font('bold').fillColor(MUTED).text(`${l.notes}: `, { continued: true, width: CONTENT });
    doc.font('regular').fillColor(INK).text(invoice.notes);
  }
  if (invoice.status === 'cancelled') {
    if (invoice.cancelReason) {
      doc.moveDown(0.4);
      doc
        .font('bold')
        .fillColor('#c62828')
        .text(`${l.cancelled} — ${l.cancelReason}: `, { continued: true, width: CONTENT });
      doc.font('regular').fillColor(INK).text(invoice.cancelReason);
    }
  }
}

/**
 * Invoices as one A4 PDF (each from a new page), in Lithuanian or English, with Noto Sans
 * embedded; resolves to the document's bytes.
 */
export async function renderInvoices(invoices: readonly ApiInvoice[], language: Language): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    info: {
      Title:
        invoices.length === 1 ? `${invoices[0].series} ${invoices[0].number}` : `${invoices.length} invoices`,
      Producer: 'Clientbook',
      Creator: 'Clientbook invoices',
    },
  });
  doc.registerFont('regular', FONTS.regular);
  doc.registerFont('bold', FONTS.bold);
  const giveFontsBack = embedFonts(doc);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const cancelledPages: number[] = [];
  for (const [i, invoice] of invoices.entries()) {
    if (i > 0) {
      doc.addPage();
      // A long batch gives other requests their turn between invoices (a few ms each).
      await new Promise((resolve) => setImmediate(resolve));
    }
    const first = doc.bufferedPageRange().count - 1;
    drawInvoice(doc, invoice, language);
    const last = doc.bufferedPageRange().count - 1;
    if (invoice.status === 'cancelled')
      for (let page = first; page <= last; page += 1) cancelledPages.push(page);
  }
  if (invoices.length === 0) {
    doc
      .font('regular')
      .fontSize(11)
      .fillColor(MUTED)
      .text(language === 'lt' ? 'Sąskaitų nėra.' : 'No invoices.');
  }
  const range = doc.bufferedPageRange();
  const l = LABELS[language];
  // A cancelled invoice says so across every one of its pages.
  for (const page of cancelledPages) {
    doc.switchToPage(page);
    cancelledMark(doc, l.cancelled);
  }
  for (let page = range.start; page < range.start + range.count; page += 1) {
    doc.switchToPage(page);
    // The footer stands in the bottom margin: without it for a moment, so no page is added.
    doc.page.margins.bottom = 0;
    doc
      .font('regular')
      .fontSize(7.5)
      .fillColor(MUTED)
      .text(l.page(page + 1, range.count), MARGIN, A4.height - MARGIN + 14, {
        width: CONTENT,
        align: 'right',
        lineBreak: false,
      });
  }
  doc.end();
  const bytes = await done;
  giveFontsBack();
  return bytes;
}
