import { v5 as nameBasedUuid } from 'uuid';
import { normalizeIban } from '@clientbook/identifiers';
import { companyNameKey, personNameKey } from './counterparty-names';
import { codeKey } from './matching-index';

/**
 * The identity a new client is created under: its code, else its IBAN, else its name key (with the
 * e-mail for a person who has one). Two lines, files or retries about one counterparty give the
 * same identity, so one card is made.
 */
export function identityOf(draft: {
  kind: 'company' | 'person';
  name?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  code?: string | null;
  email?: string | null;
  bankAccounts?: readonly { iban: string }[];
}): string {
  if (draft.code) return `code:${codeKey(draft.code)}`;
  const iban = draft.bankAccounts?.[0]?.iban;
  if (iban) return `iban:${normalizeIban(iban)}`;
  if (draft.kind === 'company') return `company:${companyNameKey(draft.name ?? '')}`;
  // A person from an e-shop is told apart by e-mail as well, as matching does (name + e-mail).
  const person = `person:${personNameKey(`${draft.firstName ?? ''} ${draft.lastName ?? ''}`)}`;
  return draft.email ? `${person}|${draft.email.trim().toLowerCase()}` : person;
}

/** The namespace of imported clients' ids (a fixed random UUID: ids of this kind are ours alone). */
const IMPORTED_CLIENT = 'dab92ff0-1bea-4d9b-b93c-21cca835d2ff';

/** A client id that follows from the tenant and the counterparty's identity (a name-based UUID). */
export function derivedClientId(tenantId: string, identity: string): string {
  return nameBasedUuid(`${tenantId}|${identity}`, IMPORTED_CLIENT);
}

/**
 * What a line about an existing identity was matched by, when its client turns out to exist only
 * at registration (made by another import meanwhile, or earlier in the same chunk).
 */
export function matchedByIdentity(identity: string): 'code' | 'iban' | 'name' | 'name_email' {
  if (identity.startsWith('code:')) return 'code';
  if (identity.startsWith('iban:')) return 'iban';
  return identity.includes('|') ? 'name_email' : 'name';
}
