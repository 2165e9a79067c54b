import type { Filter, Sort } from 'mongodb';
import { normalizeIban, normalizeName } from '@clientbook/identifiers';
import { ClientError } from '../domain';
import type { ClientCardDocument } from './client-cards';

export type ClientListSort = 'name' | '-name' | 'createdAt' | '-createdAt';

/** The list's filters, as validated plain strings (never objects). */
export type ClientListCriteria = Readonly<{
  q?: string;
  code?: string;
  vatCode?: string;
  kind?: string;
  role?: string;
  residency?: string;
  country?: string;
  city?: string;
  email?: string;
  iban?: string;
  status?: string;
  sort?: ClientListSort;
  limit?: number;
  cursor?: string;
}>;

const escapeRegex = (value: string): string => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

type SortKey = 'nameKey' | 'createdAt';
type Position = readonly [string, string];

export function encodeCursor(position: Position): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

function decodeCursor(cursor: string): Position {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string'))
      return [value[0], value[1]];
  } catch {
    // answered below
  }
  throw ClientError.validation([{ field: 'cursor', message: 'not a cursor this API gave out' }]);
}

export function sortOf(sort: ClientListSort = 'name'): { key: SortKey; direction: 1 | -1; mongo: Sort } {
  const key: SortKey = sort.replace('-', '') === 'name' ? 'nameKey' : 'createdAt';
  const direction = sort.startsWith('-') ? -1 : 1;
  return { key, direction, mongo: { [key]: direction, _id: direction } };
}

/**
 * Builds the MongoDB filter of a list request. Every value is a string put in a position where it
 * can only be compared (or, escaped, matched as literal text): user input never becomes an operator.
 */
export function listFilter(tenantId: string, criteria: ClientListCriteria): Filter<ClientCardDocument> {
  const and: Filter<ClientCardDocument>[] = [
    { tenantId },
    { status: (criteria.status ?? 'active') as ClientCardDocument['status'] },
  ];
  const equals = (
    field: keyof ClientCardDocument,
    value: string | undefined,
    normalize: (v: string) => string = (v) => v,
  ) => {
    if (value !== undefined && value !== '')
      and.push({ [field]: normalize(value) } as Filter<ClientCardDocument>);
  };
  equals('kind', criteria.kind);
  equals('roles', criteria.role);
  equals('residency', criteria.residency);
  equals('countries', criteria.country, (v) => v.trim().toUpperCase());
  equals('cityKeys', criteria.city, normalizeName);
  equals('emailKey', criteria.email, (v) => v.trim().toLowerCase());
  equals('ibans', criteria.iban, normalizeIban);
  equals('codeKey', criteria.code, (v) => v.replace(/\s/g, '').toUpperCase());
  equals('vatKey', criteria.vatCode, (v) => v.replace(/\s/g, '').toUpperCase());

  const q = criteria.q?.trim();
  if (q) {
    const prefix = `^${escapeRegex(q.replace(/\s/g, '').toUpperCase())}`;
    and.push({
      $or: [
        { nameKey: { $regex: escapeRegex(normalizeName(q)) } },
        { codeKey: { $regex: prefix } },
        { vatKey: { $regex: prefix } },
      ],
    });
  }

  if (criteria.cursor) {
    const [value, id] = decodeCursor(criteria.cursor);
    const { key, direction } = sortOf(criteria.sort);
    const after = direction === 1 ? '$gt' : '$lt';
    and.push({
      $or: [{ [key]: { [after]: value } }, { [key]: value, _id: { [after]: id } }],
    } as Filter<ClientCardDocument>);
  }
  return { $and: and };
}

/** The cursor that continues after the last item of a page. */
export function nextCursor(last: ClientCardDocument, sort: ClientListSort | undefined): string {
  const { key } = sortOf(sort);
  return encodeCursor([last[key], last._id]);
}
