import { toCardinal } from 'n2words/lt-LT';
import Decimal from 'decimal.js';

/**
 * The euro form that goes with a whole number (Lithuanian grammar): 1, 21, 101 → euras;
 * 2–9, 22–29 → eurai; 0, 10–20, 30, 111–119 → eurų.
 */
export function euroForm(euros: bigint): 'euras' | 'eurai' | 'eurų' {
  const lastTwo = Number(euros % 100n);
  const last = lastTwo % 10;
  if (lastTwo >= 11 && lastTwo <= 19) return 'eurų';
  if (last === 0) return 'eurų';
  if (last === 1) return 'euras';
  return 'eurai';
}

/**
 * An amount in Lithuanian words as invoices print it (API.md): the euros in words with their
 * form, the cents as two digits — "121.00" → "Šimtas dvidešimt vienas euras 00 ct". The words
 * come from n2words; a hundred and a thousand standing first are said without "vienas", as
 * Lithuanian documents write them ("šimtas", "tūkstantis").
 */
export function amountInWords(amount: string): string {
  const value = new Decimal(amount);
  if (!value.isFinite() || value.isNegative())
    throw new RangeError(`not an amount to say in words: ${amount}`);
  const cents = value.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  const euros = BigInt(cents.trunc().toFixed(0));
  const centDigits = cents.minus(cents.trunc()).times(100).toFixed(0).padStart(2, '0');
  const words = toCardinal(euros)
    .replace(/\bvienas šimtas\b/g, 'šimtas')
    .replace(/^vienas tūkstantis\b/, 'tūkstantis');
  const text = `${words} ${euroForm(euros)} ${centDigits} ct`;
  return text.charAt(0).toLocaleUpperCase('lt') + text.slice(1);
}
