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

// Legal forms written with dots or spaces ("B.V.", "S.à r.l.", "Sp. z o.o.") compare without them.
const compactForms = new Map(LEGAL_FORMS.map((form) => [form.replace(/[\s/]/g, ''), form]));

function stripLegalForms(tokens: string[]): { rest: string[]; hadForm: boolean } {
  const joined = tokens.join(' ');
  let rest = ` ${joined} `;
  let hadForm = false;
  // Multi-word forms first ("sp z o o" after punctuation became spaces).
  for (const [compact, form] of [...compactForms.entries()].sort((a, b) => b[1].length - a[1].length)) {
    const spaced = form.includes(' ') || form.includes('/') ? form : compact;
    for (const variant of new Set([spaced, spaced.split('').join(' '), form.replace('/', ' / ')])) {
      const pattern = ` ${variant} `;
      while (rest.includes(pattern)) {
        rest = rest.replace(pattern, ' ');
        hadForm = true;
      }
    }
  }
  return { rest: rest.split(' ').filter(Boolean), hadForm };
}

/** Whether a counterparty name says it is an organisation: a legal form, a digit, or an organisation word. */
export function looksLikeOrganisation(name: string): boolean {
  const tokens = words(name);
  if (stripLegalForms(tokens).hadForm) return true;
  if (/\d/.test(name)) return true;
  return tokens.some((token) => ORGANISATION_WORDS.includes(token));
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
