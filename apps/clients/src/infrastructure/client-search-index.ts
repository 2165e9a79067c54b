import { normalizeIban, normalizeName } from '@clientbook/identifiers';
import { Client, ClientError } from '../domain';

/** The normalized fields the list filters and sorts on, kept beside each card. */
export type ClientSearchFields = {
  tenantId: string;
  aggregateId: string;
  createdAt: string;
  status: Client['status'];
  kind: Client['kind'];
  roles: readonly string[];
  residency: Client['residency'];
  nameKey: string;
  codeKey: string | null;
  vatKey: string | null;
  emailKey: string | null;
  countries: string[];
  cityKeys: string[];
  ibans: string[];
};

export function searchFieldsOf(
  tenantId: string,
  clientId: string,
  createdAt: string,
  client: Client,
): ClientSearchFields {
  return {
    tenantId,
    aggregateId: clientId,
    createdAt,
    status: client.status,
    kind: client.kind,
    roles: [...client.roles],
    residency: client.residency,
    nameKey: normalizeName(client.name),
    codeKey: client.code ? client.code.toUpperCase() : null,
    vatKey: client.vatCode ? client.vatCode.toUpperCase() : null,
    emailKey: client.email ? client.email.toLowerCase() : null,
    countries: [...new Set(client.addresses.map((a) => a.country))],
    cityKeys: [...new Set(client.addresses.map((a) => normalizeName(a.city)))],
    ibans: client.bankAccounts.map((b) => normalizeIban(b.iban)),
  };
}

export type ClientListSort = 'name' | '-name' | 'createdAt' | '-createdAt';

/** The list's filters, as validated plain strings. */
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
  /** The CRM status the client holds (API.md "Filtering the client list"). */
  crmStatus?: string;
  /** CRM attributes the client holds, every one of them. */
  attribute?: readonly string[];
  sort?: ClientListSort;
  limit?: number;
  cursor?: string;
}>;

/** Where a page ends: the last item's sort key and id. */
export type Position = readonly [string, string];

export function encodeCursor(position: Position): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** The position a cursor of `encodeCursor` names; anything else is a 400 on `cursor`. */
export function decodeCursor(cursor: string): Position {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string'))
      return [value[0], value[1]];
  } catch {
    // answered below
  }
  throw ClientError.validation([{ field: 'cursor', message: 'not a cursor this API gave out' }]);
}

const compact = (value: string) => value.replace(/\s/g, '').toUpperCase();

/** A client's CRM status and attributes, as the crm topic told them. */
export type CrmLabels = Readonly<{ statusId: string | null; attributes: readonly string[] }>;
const NO_LABELS: CrmLabels = { statusId: null, attributes: [] };

/** One predicate per given filter, each comparing normalized values the way the card stores them. */
function predicates(
  criteria: ClientListCriteria,
  labelsOf: (entry: ClientSearchFields) => CrmLabels,
): ((entry: ClientSearchFields) => boolean)[] {
  const checks: ((entry: ClientSearchFields) => boolean)[] = [];
  const status = criteria.status ?? 'active';
  checks.push((e) => e.status === status);
  const given = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';
  if (given(criteria.kind)) checks.push((e) => e.kind === criteria.kind);
  if (given(criteria.role)) checks.push((e) => e.roles.includes(criteria.role as string));
  if (given(criteria.residency)) checks.push((e) => e.residency === criteria.residency);
  if (given(criteria.country)) {
    const country = criteria.country.trim().toUpperCase();
    checks.push((e) => e.countries.includes(country));
  }
  if (given(criteria.city)) {
    const city = normalizeName(criteria.city);
    checks.push((e) => e.cityKeys.includes(city));
  }
  if (given(criteria.email)) {
    const email = criteria.email.trim().toLowerCase();
    checks.push((e) => e.emailKey === email);
  }
  if (given(criteria.iban)) {
    const iban = normalizeIban(criteria.iban);
    checks.push((e) => e.ibans.includes(iban));
  }
  if (given(criteria.code)) {
    const code = compact(criteria.code);
    checks.push((e) => e.codeKey === code);
  }
  if (given(criteria.vatCode)) {
    const vat = compact(criteria.vatCode);
    checks.push((e) => e.vatKey === vat);
  }
  if (given(criteria.crmStatus)) checks.push((e) => labelsOf(e).statusId === criteria.crmStatus);
  const attributes = criteria.attribute?.filter(given) ?? [];
  if (attributes.length)
    checks.push((e) => {
      const held = labelsOf(e).attributes;
      return attributes.every((a) => held.includes(a));
    });
  if (given(criteria.q)) {
    const fragment = normalizeName(criteria.q);
    const prefix = compact(criteria.q);
    checks.push(
      (e) =>
        e.nameKey.includes(fragment) || !!e.codeKey?.startsWith(prefix) || !!e.vatKey?.startsWith(prefix),
    );
  }
  return checks;
}

/**
 * The list and search, in memory: every client's search fields by tenant, filtered and sorted
 * per request. FerretDB answers only `_id` lookups from an index, so a filtered, sorted page
 * over a tenant's clients would read the whole collection on every request (ADR 0005).
 */
export class ClientSearchIndex<TEntry extends ClientSearchFields = ClientSearchFields> {
  private readonly tenants = new Map<string, Map<string, TEntry>>();
  /** CRM labels by tenant and client: learnt from another topic, so kept beside the cards. */
  private readonly labels = new Map<string, Map<string, CrmLabels>>();

  put(entry: TEntry): void {
    let clients = this.tenants.get(entry.tenantId);
    if (!clients) {
      clients = new Map();
      this.tenants.set(entry.tenantId, clients);
    }
    clients.set(entry.aggregateId, entry);
  }

  label(tenantId: string, clientId: string, labels: CrmLabels): void {
    let clients = this.labels.get(tenantId);
    if (!clients) {
      clients = new Map();
      this.labels.set(tenantId, clients);
    }
    clients.set(clientId, labels);
  }

  get size(): number {
    let total = 0;
    for (const clients of this.tenants.values()) total += clients.size;
    return total;
  }

  /** One page's entries (and their ids), in order, and the cursor of the next page (or null). */
  query(
    tenantId: string,
    criteria: ClientListCriteria,
  ): { ids: string[]; entries: TEntry[]; nextCursor: string | null } {
    const labels = this.labels.get(tenantId);
    const checks = predicates(criteria, (entry) => labels?.get(entry.aggregateId) ?? NO_LABELS);
    const sort = criteria.sort ?? 'name';
    const key: 'nameKey' | 'createdAt' = sort.endsWith('name') ? 'nameKey' : 'createdAt';
    const direction = sort.startsWith('-') ? -1 : 1;
    const after = criteria.cursor ? decodeCursor(criteria.cursor) : null;
    const compare = (a: Position, b: Position) =>
      direction * (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);

    const clients = this.tenants.get(tenantId);
    const matches: Position[] = [];
    for (const entry of clients?.values() ?? []) {
      const position: Position = [entry[key], entry.aggregateId];
      if (after && compare(position, after) <= 0) continue;
      if (checks.every((check) => check(entry))) matches.push(position);
    }
    matches.sort(compare);
    const limit = criteria.limit ?? 50;
    const page = matches.slice(0, limit);
    const ids = page.map(([, id]) => id);
    return {
      ids,
      entries: ids.flatMap((id) => {
        const entry = clients?.get(id);
        return entry ? [entry] : [];
      }),
      nextCursor: matches.length > limit ? encodeCursor(page[page.length - 1]) : null,
    };
  }
}
