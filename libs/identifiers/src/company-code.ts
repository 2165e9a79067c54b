import { compactCode, invalid, valid, ValidationResult } from './validation-result';

/** Lithuanian company code (įmonės kodas): exactly 9 digits. */
export function validateCompanyCode(raw: string): ValidationResult {
  const code = compactCode(raw);
  return /^\d{9}$/.test(code) ? valid(code) : invalid('a Lithuanian company code has 9 digits');
}
