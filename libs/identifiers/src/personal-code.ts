import { stdnum } from 'stdnum';
import { compactCode, invalid, valid, ValidationResult } from './validation-result';

/** Lithuanian personal code (asmens kodas): 11 digits, the last a check digit. */
export function validatePersonalCode(raw: string): ValidationResult {
  const code = compactCode(raw);
  if (!/^\d{11}$/.test(code)) return invalid('a Lithuanian personal code has 11 digits');
  return stdnum.LT.asmens.validate(code).isValid
    ? valid(code)
    : invalid('the personal code’s check digit is wrong');
}
