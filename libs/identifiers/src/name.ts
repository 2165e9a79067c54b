// Letters that carry no combining mark in Unicode, so NFD alone leaves them as they are.
const foldedLetters: Readonly<Record<string, string>> = {
  ł: 'l',
  ø: 'o',
  đ: 'd',
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ı: 'i',
};

/**
 * The form names are compared in: trimmed, inner whitespace collapsed, case-folded and without
 * diacritics, so "  ŠARŪNAS  Jonaitis" and "sarunas jonaitis" are equal.
 */
export function normalizeName(raw: string): string {
  return raw
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[łøđßæœı]/g, (letter) => foldedLetters[letter] ?? letter)
    .replace(/\s+/g, ' ')
    .trim();
}
