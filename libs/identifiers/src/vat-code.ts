import { stdnum } from 'stdnum';
import { isCountryCode } from './country';
import { compactCode, invalid, valid, ValidationResult } from './validation-result';

// VAT prefixes that are not the ISO code of their country.
const vatOnlyPrefixes = new Set(['EL', 'XI']);

/**
 * VAT code: for Lithuania `LT` + 9 or 12 digits with a valid check digit; for other countries the
 * country prefix and 2–13 letters or digits.
 */
export function validateVatCode(raw: string): ValidationResult {
  const code = compactCode(raw);
  const prefix = code.slice(0, 2);
  if (!/^[A-Z]{2}/.test(code) || !(isCountryCode(prefix) || vatOnlyPrefixes.has(prefix))) {
    return invalid('a VAT code starts with its country prefix, e.g. LT');
  }
  if (prefix === 'LT') {
    if (!/^LT(\d{9}|\d{12})$/.test(code)) return invalid('a Lithuanian VAT code is LT and 9 or 12 digits');
    return stdnum.LT.pvm.validate(code).isValid
      ? valid(code)
      : invalid('the VAT code’s check digit is wrong');
  }
  return /^[A-Z]{2}[0-9A-Z]{2,13}$/.test(code)
    ? valid(code)
    : invalid('a VAT code is its country prefix and 2–13 letters or digits');
}
