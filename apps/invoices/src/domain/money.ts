import Decimal from 'decimal.js';

/**
 * Decimal arithmetic for invoices: 40 significant digits, rounding half up (away from zero on a
 * tie), as Lithuanian invoices round. Never JavaScript floats: 3 × 0.10 is 0.30 here.
 */
export const Money = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Money = Decimal;

/** A decimal from a JSON number or a decimal string (a number's shortest form: 0.1 is 0.1). */
export const decimalOf = (value: number | string): Decimal => new Money(String(value));

/** Rounded to cents, half up. */
export const toCents = (value: Decimal): Decimal => value.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);

/** The API's money string: two decimals, `"121.00"`. */
export const moneyString = (value: Decimal): string => toCents(value).toFixed(2);

/** A quantity or price as a plain decimal string without trailing zeros (`"1.5"`, `"3"`). */
export const decimalString = (value: Decimal): string => value.toFixed();

/** How many digits a decimal has after the point. */
export const decimalPlaces = (value: Decimal): number => value.decimalPlaces();
