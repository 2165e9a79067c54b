/** The outcome of checking an identifier: its normal form, or why it is not valid. */
export type ValidationResult =
  { readonly ok: true; readonly value: string } | { readonly ok: false; readonly message: string };

export const valid = (value: string): ValidationResult => ({ ok: true, value });
export const invalid = (message: string): ValidationResult => ({ ok: false, message });

/** Removes the spaces, dots and dashes people type into codes. */
export function compactCode(raw: string): string {
  return raw.replace(/[\s.\-/]/g, '').toUpperCase();
}
