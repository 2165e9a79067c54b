import { decimalOf, decimalPlaces, decimalString, Money, moneyString, toCents } from './money';
import { ratesInForce, type VatRatePeriod, LITHUANIAN_VAT_RATES } from './vat-rates';
import type { InvoiceFieldError } from './invoice-error';

/** A line as the sales module sends it: quantities and prices as JSON numbers or decimal strings. */
export type LineInput = Readonly<{
  description: string;
  quantity: number | string;
  unit: string;
  unitPrice: number | string;
  discountPercent?: number | string | null;
  vatRate: number;
}>;

/** A line as the invoice keeps it: decimals as strings, its net computed. */
export type InvoiceLine = Readonly<{
  description: string;
  quantity: string;
  unit: string;
  unitPrice: string;
  discountPercent: string;
  vatRate: number;
  net: string;
}>;

export type VatBreakdownRow = Readonly<{ rate: number; net: string; vat: string }>;
export type InvoiceTotals = Readonly<{ net: string; vat: string; gross: string }>;

export type Priced = Readonly<{
  lines: readonly InvoiceLine[];
  vatBreakdown: readonly VatBreakdownRow[];
  totals: InvoiceTotals;
}>;

const MAX_DECIMALS = { quantity: 4, unitPrice: 4, discountPercent: 2 } as const;
const MAX_AMOUNT = new Money('999999999.99');

/** A decimal read from a field, or the reason it is not one. */
function readDecimal(value: unknown, field: string, errors: InvoiceFieldError[]) {
  if (typeof value !== 'number' && typeof value !== 'string') {
    errors.push({ field, message: 'must be a number or a decimal string' });
    return null;
  }
  if (typeof value === 'string' && !/^-?\d{1,12}(\.\d{1,12})?$/.test(value)) {
    errors.push({ field, message: 'must be a decimal such as "12.50"' });
    return null;
  }
  if (typeof value === 'number' && (!Number.isFinite(value) || Math.abs(value) >= 1e12)) {
    errors.push({ field, message: 'must be a number below 1,000,000,000,000' });
    return null;
  }
  return decimalOf(value);
}

/**
 * Prices an invoice exactly as API.md says: each line's net is quantity × unit price × (1 −
 * discount/100) rounded to cents; per VAT rate, the VAT of the sum of its nets, rounded; totals the
 * sums. Checks each line's rate against those in force on the issue date, and a 0 % rate's
 * exemption note. Every problem is named by its field, all at once.
 */
export function priceInvoice(
  input: Readonly<{ issueDate: string; lines: readonly LineInput[]; vatExemptionNote?: string | null }>,
  periods: readonly VatRatePeriod[] = LITHUANIAN_VAT_RATES,
): { priced: Priced } | { errors: InvoiceFieldError[] } {
  const errors: InvoiceFieldError[] = [];
  const allowed = ratesInForce(input.issueDate, periods);
  const lines: InvoiceLine[] = [];
  input.lines.forEach((line, i) => {
    const at = (field: string) => `lines[${i}].${field}`;
    const quantity = readDecimal(line.quantity, at('quantity'), errors);
    const unitPrice = readDecimal(line.unitPrice, at('unitPrice'), errors);
    const discount = readDecimal(line.discountPercent ?? 0, at('discountPercent'), errors);
    if (quantity && (quantity.lte(0) || decimalPlaces(quantity) > MAX_DECIMALS.quantity))
      errors.push({
        field: at('quantity'),
        message: `must be above 0, with at most ${MAX_DECIMALS.quantity} decimals`,
      });
    if (unitPrice && (unitPrice.isNegative() || decimalPlaces(unitPrice) > MAX_DECIMALS.unitPrice))
      errors.push({
        field: at('unitPrice'),
        message: `must be 0 or more, with at most ${MAX_DECIMALS.unitPrice} decimals`,
      });
    if (
      discount &&
      (discount.isNegative() || discount.gt(100) || decimalPlaces(discount) > MAX_DECIMALS.discountPercent)
    )
      errors.push({
        field: at('discountPercent'),
        message: 'must be from 0 to 100, with at most 2 decimals',
      });
    if (!Number.isInteger(line.vatRate) || !allowed.includes(line.vatRate))
      errors.push({
        field: at('vatRate'),
        message: `must be a Lithuanian VAT rate in force on ${input.issueDate}: ${allowed.join(', ') || 'none known'}`,
      });
    if (!quantity || !unitPrice || !discount) return;
    const net = toCents(quantity.times(unitPrice).times(new Money(1).minus(discount.div(100))));
    if (net.gt(MAX_AMOUNT))
      errors.push({ field: at('unitPrice'), message: 'the line comes to more than 999,999,999.99' });
    lines.push({
      description: line.description,
      quantity: decimalString(quantity),
      unit: line.unit,
      unitPrice: decimalString(unitPrice),
      discountPercent: decimalString(discount),
      vatRate: line.vatRate,
      net: moneyString(net),
    });
  });
  if (input.lines.some((line) => line.vatRate === 0) && !input.vatExemptionNote?.trim())
    errors.push({
      field: 'vatExemptionNote',
      message: 'a line at 0 % VAT needs the exemption note (the legal basis)',
    });
  if (errors.length > 0) return { errors };

  const nets = new Map<number, InstanceType<typeof Money>>();
  for (const line of lines) nets.set(line.vatRate, (nets.get(line.vatRate) ?? new Money(0)).plus(line.net));
  const vatBreakdown = [...nets]
    .sort(([a], [b]) => b - a)
    .map(([rate, net]) => ({ rate, net: moneyString(net), vat: moneyString(net.times(rate).div(100)) }));
  const net = lines.reduce((sum, line) => sum.plus(line.net), new Money(0));
  const vat = vatBreakdown.reduce((sum, row) => sum.plus(row.vat), new Money(0));
  const gross = net.plus(vat);
  if (gross.gt(MAX_AMOUNT))
    return { errors: [{ field: 'lines', message: 'the invoice comes to more than 999,999,999.99' }] };
  return {
    priced: {
      lines,
      vatBreakdown,
      totals: { net: moneyString(net), vat: moneyString(vat), gross: moneyString(gross) },
    },
  };
}
