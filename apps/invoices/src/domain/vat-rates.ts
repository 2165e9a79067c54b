/**
 * Lithuania's VAT rates as dated data (API.md "Invoices"): which rates may be charged on an
 * invoice depends on its issue date. A new rate is a new row here, not a change of code.
 */
export type VatRatePeriod = Readonly<{
  /** First day the rates apply (inclusive), or null for "since before this product". */
  from: string | null;
  /** Last day (inclusive), or null for "until further notice". */
  to: string | null;
  rates: readonly number[];
}>;

export const LITHUANIAN_VAT_RATES: readonly VatRatePeriod[] = [
  { from: null, to: '2025-12-31', rates: [21, 9, 5, 0] },
  { from: '2026-01-01', to: null, rates: [21, 12, 5, 0] },
];

/** The rates in force on a day (`YYYY-MM-DD`): those of the period that holds it. */
export function ratesInForce(
  day: string,
  periods: readonly VatRatePeriod[] = LITHUANIAN_VAT_RATES,
): number[] {
  const period = periods.find((p) => (p.from === null || p.from <= day) && (p.to === null || day <= p.to));
  return period ? [...period.rates] : [];
}
