import { createHash } from 'node:crypto';
import type { PlannedLine } from '../matching/import-line';
import type { ClientFile, ClientFileRow } from './client-file.parser';
import type { MatchingIndex } from '../matching/matching-index';
import { matched, MatchedDecision } from '../matching/decisions';

/** A client card as `POST /v1/clients` takes it, built from a row of a client file. */
export type ClientCardBody = {
  kind: 'company' | 'person';
  name?: string;
  firstName?: string;
  lastName?: string;
  code?: string;
  vatCode?: string;
  email?: string;
  phone?: string;
  roles?: string[];
  residency?: string;
  addresses?: { line1?: string; city?: string; postalCode?: string; country?: string }[];
  bankAccounts?: { iban: string; main: boolean }[];
};

export type RowDecision =
  MatchedDecision | Readonly<{ outcome: 'create'; draft: ClientCardBody; warnings: readonly string[] }>;

export function cardOfRow(row: ClientFileRow): ClientCardBody {
  const v = row.values;
  const kind =
    v.kind === 'person' || v.kind === 'company' ? v.kind : v.firstName || v.lastName ? 'person' : 'company';
  const card: ClientCardBody = { kind };
  for (const field of [
    'name',
    'firstName',
    'lastName',
    'code',
    'vatCode',
    'email',
    'phone',
    'residency',
  ] as const) {
    if (v[field]) card[field] = v[field];
  }
  if (v.roles)
    card.roles = v.roles
      .split('|')
      .map((r) => r.trim())
      .filter(Boolean);
  // A card's address has a street line; a row with only a town or country gives no address.
  if (v.address) {
    card.addresses = [{ line1: v.address, city: v.city, postalCode: v.postalCode, country: v.country }];
  }
  if (v.iban) card.bankAccounts = [{ iban: v.iban, main: true }];
  return card;
}

/** A row whose code an active client holds is that client, not changed; any other row is created. */
export function decideRow(index: MatchingIndex, card: ClientCardBody): RowDecision {
  const byCode = card.code ? matched(index.withCode(card.code), 'code') : null;
  return byCode ?? { outcome: 'create', draft: card, warnings: [] };
}

// The clients service names fields as the API does; a row names them as its columns do.
const ROW_FIELDS: Readonly<Record<string, string>> = {
  'bankAccounts[0].iban': 'iban',
  'addresses[0].line1': 'address',
  'addresses[0].city': 'city',
  'addresses[0].postalCode': 'postalCode',
  'addresses[0].country': 'country',
};

export function rowField(apiField: string): string {
  return ROW_FIELDS[apiField] ?? apiField;
}

/** A client file's rows: a row is the same row again when all its values are. */
export function planRows(file: ClientFile): PlannedLine[] {
  return file.rows.map((row) => {
    const card = cardOfRow(row);
    const name = card.name ?? ([card.firstName, card.lastName].filter(Boolean).join(' ') || null);
    const ref = `line ${row.line}: ${createHash('sha256').update(JSON.stringify(row.values)).digest('hex').slice(0, 16)}`;
    return {
      ref,
      claim: ref,
      name,
      operation: null,
      details: null,
      decide: (index: MatchingIndex) => decideRow(index, card),
      event: null,
    };
  });
}
