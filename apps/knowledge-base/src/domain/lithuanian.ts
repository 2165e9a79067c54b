/**
 * Folding Lithuanian words for search (ADR 0013): case and diacritics away, then one common
 * inflectional ending off, so "Klientą", "klientų" and "klientas" meet at "klient". Written by
 * hand because no maintained Lithuanian stemmer is published for JavaScript; it folds endings
 * only — no suffixes, no prefixes, no verb forms beyond the infinitive's -ti.
 */

/** Lower case, without diacritics: "Įmonės" → "imones". */
export function foldDiacritics(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();
}

/**
 * Endings of nouns and adjectives in their cases (singular and plural), after diacritics are
 * folded, longest first; and the infinitive's -ti. One is taken off when what stays is at least
 * three letters long, so short words ("kas", "ar") stay whole.
 */
export const FOLDED_ENDINGS: readonly string[] = [
  'iuose',
  'uose',
  'iams',
  'ioje',
  'ose',
  'ese',
  'yse',
  'ams',
  'oms',
  'ems',
  'ims',
  'oje',
  'eje',
  'yje',
  'uje',
  'iui',
  'ius',
  'iai',
  'ti',
  'as',
  'is',
  'ys',
  'us',
  'os',
  'es',
  'ai',
  'ei',
  'ui',
  'iu',
  'io',
  'a',
  'e',
  'i',
  'u',
  'o',
  'y',
];

const MIN_STEM = 3;

/** A word's folded stem: "Klientų" → "klient", "sujungti" → "sujung", "kas" → "kas". */
export function foldWord(word: string): string {
  const folded = foldDiacritics(word);
  for (const ending of FOLDED_ENDINGS)
    if (folded.endsWith(ending) && folded.length - ending.length >= MIN_STEM)
      return folded.slice(0, -ending.length);
  return folded;
}

/** The words of a text, as search sees them (letters and digits; everything else splits). */
export function wordsOf(text: string): string[] {
  return text.split(/[^\p{L}\p{N}]+/u).filter((word) => word.length > 0);
}
