import { normalizeName } from '@clientbook/identifiers';

// Legal forms (API.md "Matching"): Lithuanian and common foreign ones, in normalized form.
const LEGAL_FORMS = [
  'uab',
  'ab',
  'mb',
  'vsi',
  'ii',
  'kub',
  'tub',
  'zub',
  'as',
  'ou',
  'sia',
  'gmbh',
  'ag',
  'bv',
  'nv',
  'ltd',
  'llc',
  'inc',
  'sa',
  'sarl',
  'srl',
  'sp z oo',
  'oy',
  'aps',
  'a/s',
];
// Words only organisations use in their names.
const ORGANISATION_WORDS = [
  'bank',
  'banque',
  'bankas',
  'banka',
  'insurance',
  'draudimas',
  'company',
  'inspekcija',
  'ministerija',
  'tarnyba',
  'savivaldybe',
  'agentura',
  'fondas',
  'centras',
  'asociacija',
  'bendrija',
  'universitetas',
  'mokykla',
  'ligonine',
  'media',
  'services',
  'solutions',
  'group',
  'holding',
  'trading',
  'gmbh',
];

/** A name reduced to words: normalized, punctuation (but `/` of A/S) turned into spaces. */
function words(name: string): string[] {
  return normalizeName(name)
    .replace(/[.,;:()"'„“”]/g, ' ')
    .split(' ')
    .filter(Boolean);
}

// A legal form compares without its dots, spaces and slash: "B.V.", "S.à r.l.", "Sp. z o.o.", "A/S".
const compact = (text: string): string => text.replace(/[\s/]/g, '');
const COMPACT_FORMS: ReadonlySet<string> = new Set(LEGAL_FORMS.map(compact));
const LONGEST_FORM = Math.max(...[...COMPACT_FORMS].map((form) => form.length));

/**
 * The words without the legal forms among them, in one pass: at each word, the longest run of
 * following words that spells a form ("sp" "z" "o" "o" → "spzoo") is dropped. A run never spells
 * more than LONGEST_FORM letters, so each word is looked at a bounded number of times: linear.
 */
function stripLegalForms(tokens: readonly string[]): { rest: string[]; hadForm: boolean } {
  const rest: string[] = [];
  let hadForm = false;
  for (let i = 0; i < tokens.length;) {
    let spelled = '';
    let end = -1;
    for (let j = i; j < tokens.length; j += 1) {
      spelled += compact(tokens[j]);
      if (spelled.length > LONGEST_FORM) break;
      if (COMPACT_FORMS.has(spelled)) end = j;
    }
    if (end === -1) {
      rest.push(tokens[i]);
      i += 1;
    } else {
      hadForm = true;
      i = end + 1;
    }
  }
  return { rest, hadForm };
}

const ORGANISATION_WORD_SET: ReadonlySet<string> = new Set(ORGANISATION_WORDS);

/** Whether a counterparty name says it is an organisation: a legal form, a digit, or an organisation word. */
export function looksLikeOrganisation(name: string): boolean {
  const tokens = words(name);
  if (stripLegalForms(tokens).hadForm) return true;
  if (/\d/.test(name)) return true;
  return tokens.some((token) => ORGANISATION_WORD_SET.has(token));
}

/**
 * The key two company names are equal by: the legal form dropped wherever it stands, so
 * "UAB Medžio Darbai" and "MEDZIO DARBAI, UAB" give the same key.
 */
export function companyNameKey(name: string): string {
  return stripLegalForms(words(name)).rest.join(' ');
}

/** The key two person names are equal by in either order: "Petrauskas Sarunas" = "Šarūnas Petrauskas". */
export function personNameKey(name: string): string {
  return [...words(name)].sort().join(' ');
}

const titleCase = (word: string) =>
  word.charAt(0).toLocaleUpperCase('lt') + word.slice(1).toLocaleLowerCase('lt');

/** A person's name as a card shows it: first names and a last name, capitals tamed when all were capitals. */
export function splitPersonName(name: string): { firstName: string; lastName: string } {
  const parts = name.trim().split(/\s+/);
  const tame = name === name.toLocaleUpperCase('lt') ? parts.map(titleCase) : parts;
  if (tame.length === 1) return { firstName: tame[0], lastName: tame[0] };
  return { firstName: tame.slice(0, -1).join(' '), lastName: tame[tame.length - 1] };
}
