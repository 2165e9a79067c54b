import { electronicFormatIBAN, validateIBAN, ValidationErrorsIBAN } from 'ibantools';
import { invalid, valid, ValidationResult } from './validation-result';

/** The form IBANs are stored and compared in: no spaces, upper case. */
export function normalizeIban(raw: string): string {
  return electronicFormatIBAN(raw) ?? '';
}

/** IBAN: spaces and case ignored; the length its country prescribes and the mod-97 check. */
export function validateIban(raw: string): ValidationResult {
  const iban = normalizeIban(raw);
  const { valid: ok, errorCodes } = validateIBAN(iban);
  if (ok) return valid(iban);
  if (errorCodes.includes(ValidationErrorsIBAN.NoIBANProvided)) return invalid('the IBAN is empty');
  if (errorCodes.includes(ValidationErrorsIBAN.NoIBANCountry))
    return invalid('the IBAN does not start with a known country code');
  if (errorCodes.includes(ValidationErrorsIBAN.WrongBBANLength))
    return invalid('the IBAN has the wrong length for its country');
  if (
    errorCodes.includes(ValidationErrorsIBAN.WrongIBANChecksum) ||
    errorCodes.includes(ValidationErrorsIBAN.ChecksumNotNumber)
  ) {
    return invalid('the IBAN’s check digits are wrong');
  }
  return invalid('not a valid IBAN');
}
