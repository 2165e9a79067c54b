import { createHash } from 'node:crypto';
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

/** A uuid-shaped client id that follows from the tenant and the counterparty's identity. */
export function derivedClientId(tenantId: string, identity: string): string {
  const hex = createHash('sha256').update(`${tenantId}|${identity}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
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
