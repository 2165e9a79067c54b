import {
  isCountryCode,
  validateCompanyCode,
  validateIban,
  validatePersonalCode,
  validateVatCode,
} from '@clientbook/identifiers';
import {
  Address,
  BankAccount,
  CLIENT_ROLES,
  ClientDetails,
  ClientKind,
  ClientRole,
  Residency,
} from '@clientbook/contracts';
import { displayName } from './client-state';
import type { FieldError } from './client-error';

/** What a caller gives for the general fields; the rules turn it into `ClientDetails`. */
export type ClientDetailsDraft = {
  kind: ClientKind;
  name?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  code?: string | null;
  vatCode?: string | null;
  roles?: readonly ClientRole[] | null;
  residency?: Residency | null;
  email?: string | null;
  phone?: string | null;
  website?: string | null;
  notes?: string | null;
};

export type AddressDraft = { [K in keyof Omit<Address, 'id'>]?: Address[K] | null } & { id: string };
export type BankAccountDraft = { [K in keyof Omit<BankAccount, 'id'>]?: BankAccount[K] | null } & {
  id: string;
};

type Checked<T> = { value: T; errors: FieldError[] };

const text = (value: string | null | undefined): string | null => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
};

function limit(errors: FieldError[], field: string, value: string | null, max: number): void {
  if (value && value.length > max) errors.push({ field, message: `at most ${max} characters` });
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9 ()./-]{3,32}$/;

/** Applies the card's rules to the general fields: names by kind, codes by residency, formats. */
export function checkDetails(draft: ClientDetailsDraft, prefix = ''): Checked<ClientDetails> {
  const errors: FieldError[] = [];
  const at = (field: string) => `${prefix}${field}`;
  const kind = draft.kind;
  const residency = draft.residency ?? 'resident';
  const firstName = text(draft.firstName);
  const lastName = text(draft.lastName);
  let name = text(draft.name) ?? '';
  if (kind === 'company') {
    if (!name) errors.push({ field: at('name'), message: 'a company needs a name' });
  } else {
    if (!firstName) errors.push({ field: at('firstName'), message: 'a person needs a first name' });
    if (!lastName) errors.push({ field: at('lastName'), message: 'a person needs a last name' });
    name = displayName({ kind, name, firstName, lastName });
  }
  limit(errors, at('name'), name, 200);
  limit(errors, at('firstName'), firstName, 100);
  limit(errors, at('lastName'), lastName, 100);

  let code = text(draft.code);
  if (code) {
    const check =
      residency !== 'resident'
        ? null
        : kind === 'company'
          ? validateCompanyCode(code)
          : validatePersonalCode(code);
    if (check && !check.ok) errors.push({ field: at('code'), message: check.message });
    else if (check?.ok) code = check.value;
    else limit(errors, at('code'), code, 32);
  }

  let vatCode = text(draft.vatCode);
  if (vatCode) {
    const check = validateVatCode(vatCode);
    if (check.ok) vatCode = check.value;
    else errors.push({ field: at('vatCode'), message: check.message });
  }

  const email = text(draft.email);
  if (email && (!EMAIL.test(email) || email.length > 254))
    errors.push({ field: at('email'), message: 'not an email address' });
  const phone = text(draft.phone);
  if (phone && !PHONE.test(phone))
    errors.push({ field: at('phone'), message: 'a phone number has 3–32 digits, spaces, +()-./' });
  const website = text(draft.website);
  limit(errors, at('website'), website, 200);
  const notes = text(draft.notes);
  limit(errors, at('notes'), notes, 4000);

  const given = new Set(draft.roles ?? []);
  const roles = CLIENT_ROLES.filter((role) => given.has(role));

  return {
    value: { kind, name, firstName, lastName, code, vatCode, roles, residency, email, phone, website, notes },
    errors,
  };
}

export function checkAddress(draft: AddressDraft, prefix: string): Checked<Address> {
  const errors: FieldError[] = [];
  const line1 = text(draft.line1);
  const city = text(draft.city);
  const country = text(draft.country)?.toUpperCase() ?? null;
  if (!line1) errors.push({ field: `${prefix}line1`, message: 'an address needs its first line' });
  if (!city) errors.push({ field: `${prefix}city`, message: 'an address needs a city' });
  if (!country || !isCountryCode(country)) {
    errors.push({ field: `${prefix}country`, message: 'an ISO 3166-1 alpha-2 country code, e.g. LT' });
  }
  const address: Address = {
    id: draft.id,
    line1: line1 ?? '',
    line2: text(draft.line2),
    city: city ?? '',
    postalCode: text(draft.postalCode),
    country: country ?? '',
    branchName: text(draft.branchName),
    registration: draft.registration ?? false,
    correspondence: draft.correspondence ?? false,
  };
  limit(errors, `${prefix}line1`, address.line1, 200);
  limit(errors, `${prefix}line2`, address.line2, 200);
  limit(errors, `${prefix}city`, address.city, 100);
  limit(errors, `${prefix}postalCode`, address.postalCode, 20);
  limit(errors, `${prefix}branchName`, address.branchName, 200);
  return { value: address, errors };
}

export function checkBankAccount(draft: BankAccountDraft, prefix: string): Checked<BankAccount> {
  const errors: FieldError[] = [];
  const iban = validateIban(draft.iban ?? '');
  if (!iban.ok) errors.push({ field: `${prefix}iban`, message: iban.message });
  const currency = (text(draft.currency) ?? 'EUR').toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency))
    errors.push({ field: `${prefix}currency`, message: 'an ISO 4217 currency code, e.g. EUR' });
  const bic = text(draft.bic)?.toUpperCase() ?? null;
  if (bic && !/^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(bic))
    errors.push({ field: `${prefix}bic`, message: 'a BIC has 8 or 11 letters and digits' });
  const account: BankAccount = {
    id: draft.id,
    iban: iban.ok ? iban.value : (draft.iban ?? ''),
    bankName: text(draft.bankName),
    bic,
    currency,
    main: draft.main ?? false,
    showOnInvoice: draft.showOnInvoice ?? true,
  };
  limit(errors, `${prefix}bankName`, account.bankName, 200);
  return { value: account, errors };
}

/** At most one item carries each radio flag. */
export function checkSingleFlags<T>(
  items: readonly T[],
  flags: readonly (keyof T & string)[],
  field: string,
): FieldError[] {
  return flags
    .filter((flag) => items.filter((item) => item[flag] === true).length > 1)
    .map((flag) => ({ field, message: `at most one can be ${flag}` }));
}

export function checkDistinctIbans(accounts: readonly BankAccount[], prefix: string): FieldError[] {
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  accounts.forEach((account, i) => {
    if (seen.has(account.iban))
      errors.push({ field: `${prefix}[${i}].iban`, message: 'this IBAN is already on the client' });
    seen.add(account.iban);
  });
  return errors;
}
