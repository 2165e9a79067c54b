import { priceInvoice, type LineInput } from './invoice-totals';

const line = (overrides: Partial<LineInput> = {}): LineInput => ({
  description: 'Konsultacija',
  quantity: 1,
  unit: 'val.',
  unitPrice: '100.00',
  vatRate: 21,
  ...overrides,
});

const priced = (lines: LineInput[], issueDate = '2026-03-02', vatExemptionNote?: string) => {
  const result = priceInvoice({ issueDate, lines, vatExemptionNote });
  if ('errors' in result) throw new Error(JSON.stringify(result.errors));
  return result.priced;
};

describe('pricing an invoice', () => {
  it('adds 3 × 0.10 to exactly 0.30, where floats give 0.30000000000000004', () => {
    expect(0.1 * 3).not.toBe(0.3);
    const { lines, totals } = priced([line({ quantity: 3, unitPrice: 0.1 })]);
    expect(lines[0].net).toBe('0.30');
    expect(totals).toEqual({ net: '0.30', vat: '0.06', gross: '0.36' });
  });

  it('rounds VAT half up: 1.50 at 21 % is 0.315 → 0.32', () => {
    expect(priced([line({ unitPrice: '1.50' })]).totals).toEqual({ net: '1.50', vat: '0.32', gross: '1.82' });
  });

  it('takes the VAT of the sum of nets per rate, not the sum of each line’s rounded VAT', () => {
    // Four lines of 0.12 at 21 %: per line 0.0252 → 0.03, four of them 0.12; of the sum 0.48 → 0.1008 → 0.10.
    const { vatBreakdown } = priced(Array.from({ length: 4 }, () => line({ unitPrice: '0.12' })));
    expect(vatBreakdown).toEqual([{ rate: 21, net: '0.48', vat: '0.10' }]);
  });

  it('rounds each line’s net half up to cents: 0.035 → 0.04, 0.025 → 0.03', () => {
    const { lines } = priced([line({ unitPrice: '0.035' }), line({ unitPrice: '0.025' })]);
    expect(lines.map((l) => l.net)).toEqual(['0.04', '0.03']);
  });

  it('applies the discount before rounding: 3 × 19.99 less 12.5 % is 52.47375 → 52.47', () => {
    const { lines } = priced([line({ quantity: 3, unitPrice: '19.99', discountPercent: '12.5' })]);
    expect(lines[0]).toMatchObject({
      net: '52.47',
      discountPercent: '12.5',
      quantity: '3',
      unitPrice: '19.99',
    });
  });

  it('breaks VAT down per rate, highest first, and totals them', () => {
    const { vatBreakdown, totals } = priced([
      line({ unitPrice: '100.00', vatRate: 21 }),
      line({ unitPrice: '50.00', vatRate: 12 }),
      line({ unitPrice: '10.00', vatRate: 21 }),
      line({ unitPrice: '8.33', vatRate: 5 }),
    ]);
    expect(vatBreakdown).toEqual([
      { rate: 21, net: '110.00', vat: '23.10' },
      { rate: 12, net: '50.00', vat: '6.00' },
      { rate: 5, net: '8.33', vat: '0.42' },
    ]);
    expect(totals).toEqual({ net: '168.33', vat: '29.52', gross: '197.85' });
  });

  it('takes the rates in force on the issue date: 9 % until 2025-12-31, 12 % from 2026-01-01', () => {
    expect(priced([line({ vatRate: 9 })], '2025-12-31').vatBreakdown[0].rate).toBe(9);
    expect(priced([line({ vatRate: 12 })], '2026-01-01').vatBreakdown[0].rate).toBe(12);
    const old = priceInvoice({ issueDate: '2026-01-01', lines: [line({ vatRate: 9 })] });
    expect(old).toEqual({
      errors: [{ field: 'lines[0].vatRate', message: expect.stringContaining('21, 12, 5, 0') }],
    });
    const early = priceInvoice({ issueDate: '2025-12-31', lines: [line({ vatRate: 12 })] });
    expect(early).toEqual({
      errors: [{ field: 'lines[0].vatRate', message: expect.stringContaining('21, 9, 5, 0') }],
    });
  });

  it('needs an exemption note for a 0 % line', () => {
    expect(priceInvoice({ issueDate: '2026-03-02', lines: [line({ vatRate: 0 })] })).toEqual({
      errors: [{ field: 'vatExemptionNote', message: expect.any(String) }],
    });
    expect(priced([line({ vatRate: 0 })], '2026-03-02', 'PVMĮ 41 str.').totals.vat).toBe('0.00');
  });

  it('names every bad field at once', () => {
    const result = priceInvoice({
      issueDate: '2026-03-02',
      lines: [
        line({ quantity: 0, unitPrice: '-1', discountPercent: 101, vatRate: 7 }),
        line({ quantity: 'abc' }),
      ],
    });
    expect('errors' in result && result.errors.map((e) => e.field)).toEqual([
      'lines[0].quantity',
      'lines[0].unitPrice',
      'lines[0].discountPercent',
      'lines[0].vatRate',
      'lines[1].quantity',
    ]);
  });

  it('keeps large sums exact: 99,999 × 999.99', () => {
    expect(priced([line({ quantity: 99_999, unitPrice: '999.99', vatRate: 21 })]).totals).toEqual({
      net: '99998000.01',
      vat: '20999580.00',
      gross: '120997580.01',
    });
  });

  it('refuses numbers of 13 digits or more, as JSON numbers too (1e21 is not a quantity)', () => {
    const result = priceInvoice({
      issueDate: '2026-03-02',
      lines: [line({ quantity: 10_000_000_000_000, unitPrice: 0 }), line({ unitPrice: 1e21 })],
    });
    expect('errors' in result && result.errors.map((e) => e.field)).toEqual([
      'lines[0].quantity',
      'lines[1].unitPrice',
    ]);
  });

  it('refuses an invoice over 999,999,999.99', () => {
    const result = priceInvoice({
      issueDate: '2026-03-02',
      lines: [line({ quantity: 999_999, unitPrice: '999.99' })],
    });
    expect(result).toEqual({
      errors: [{ field: 'lines', message: expect.stringContaining('999,999,999.99') }],
    });
  });
});
