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

type SortKey = 'nameKey' | 'createdAt';

/** Whether the entry passes every check (a plain loop: a page may walk 100,000 entries). */
function passes<TEntry>(checks: readonly ((entry: TEntry) => boolean)[], entry: TEntry): boolean {
  for (let i = 0; i < checks.length; i += 1) if (!checks[i](entry)) return false;
  return true;
}

/** Orders positions (sort key, then id) ascending. */
const byPosition = (a: Position, b: Position): number =>
  a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;

/** How many changes a sort order may hold back before it merges them without a query asking. */
const CHANGES_HELD_AT_LEAST = 1_024;

/**
 * A tenant's entries in one sort order, kept sorted between queries: entries put since the last
 * query are merged in when the next one asks (each by binary insertion when few, by one sort
 * when many, as after a start-up load), and replaced ones are dropped then — or once the changes
 * held back outnumber the sorted entries (and `CHANGES_HELD_AT_LEAST`): a tenant whose clients
 * change all day and are never listed would otherwise keep every version of every card.
 */
class SortedEntries<TEntry extends ClientSearchFields> {
  private sorted: TEntry[] = [];
  private added: TEntry[] = [];
  private readonly replaced = new Set<TEntry>();

  constructor(private readonly key: SortKey) {}

  position(entry: TEntry): Position {
    return [entry[this.key], entry.aggregateId];
  }

  add(entry: TEntry): void {
    this.added.push(entry);
    this.settleWhenMany();
  }

  replace(previous: TEntry): void {
    this.replaced.add(previous);
    this.settleWhenMany();
  }

  /** How many entries this order holds: sorted, and put since (replaced ones not yet dropped). */
  get held(): number {
    return this.sorted.length + this.added.length;
  }

  private settleWhenMany(): void {
    if (this.added.length + this.replaced.size > Math.max(CHANGES_HELD_AT_LEAST, this.sorted.length))
      this.all();
  }

  /** Every entry in ascending order. */
  all(): readonly TEntry[] {
    if (this.replaced.size > 0) {
      this.sorted = this.sorted.filter((entry) => !this.replaced.has(entry));
      this.added = this.added.filter((entry) => !this.replaced.has(entry));
      this.replaced.clear();
    }
    if (this.added.length === 0) return this.sorted;
    const compare = (a: TEntry, b: TEntry) => byPosition(this.position(a), this.position(b));
    if (this.added.length > 64 && this.added.length * 16 > this.sorted.length) {
      this.sorted = [...this.sorted, ...this.added].sort(compare);
    } else {
      for (const entry of this.added) this.sorted.splice(this.firstAfter(this.position(entry)), 0, entry);
    }
    this.added = [];
    return this.sorted;
  }

  /** The index of the first entry after `position` in ascending order (binary search). */
  firstAfter(position: Position): number {
    let low = 0;
    let high = this.sorted.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (byPosition(this.position(this.sorted[middle]), position) <= 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

/** The three-character pieces of a text (none of a shorter one). */
function trigrams(text: string): Set<string> {
  const pieces = new Set<string>();
  for (let i = 0; i + 3 <= text.length; i += 1) pieces.add(text.slice(i, i + 3));
  return pieces;
}

/** The pieces of what `q` searches in: the name (a fragment of it), the code and the VAT code (a prefix). */
function searchedTrigrams(entry: ClientSearchFields): Set<string> {
  return new Set([
    ...trigrams(entry.nameKey),
    ...trigrams(entry.codeKey ?? ''),
    ...trigrams(entry.vatKey ?? ''),
  ]);
}

const sameSearchedText = (a: ClientSearchFields, b: ClientSearchFields) =>
  a.nameKey === b.nameKey && a.codeKey === b.codeKey && a.vatKey === b.vatKey;

/**
 * One tenant's entries: by id, in each sort order the list offers, and by the three-character
 * pieces of their names and codes (which clients a `q` can match at all).
 */
class TenantEntries<TEntry extends ClientSearchFields> {
  readonly byId = new Map<string, TEntry>();
  readonly byName = new SortedEntries<TEntry>('nameKey');
  readonly byCreation = new SortedEntries<TEntry>('createdAt');
  private readonly byTrigram = new Map<string, Set<string>>();

  put(entry: TEntry): void {
    const previous = this.byId.get(entry.aggregateId);
    if (previous) {
      this.byName.replace(previous);
      this.byCreation.replace(previous);
    }
    if (!previous || !sameSearchedText(previous, entry)) {
      if (previous)
        for (const piece of searchedTrigrams(previous)) {
          const ids = this.byTrigram.get(piece);
          ids?.delete(entry.aggregateId);
          if (ids?.size === 0) this.byTrigram.delete(piece);
        }
      for (const piece of searchedTrigrams(entry)) {
        const ids = this.byTrigram.get(piece);
        if (ids) ids.add(entry.aggregateId);
        else this.byTrigram.set(piece, new Set([entry.aggregateId]));
      }
    }
    this.byId.set(entry.aggregateId, entry);
    this.byName.add(entry);
    this.byCreation.add(entry);
  }

  /**
   * The ids of every client whose name or code holds each three-character piece of `text` (so
   * every one that contains `text`, and maybe some more); null for a text too short to have a
   * piece, or when more than `limit` clients hold them (it stops counting there).
   */
  holding(text: string, limit: number): Set<string> | null {
    const pieces = [...trigrams(text)].map((piece) => this.byTrigram.get(piece) ?? new Set<string>());
    if (pieces.length === 0) return null;
    pieces.sort((a, b) => a.size - b.size);
    const [smallest, ...others] = pieces;
    const ids = new Set<string>();
    for (const id of smallest) {
      if (!others.every((other) => other.has(id))) continue;
      if (ids.size === limit) return null;
      ids.add(id);
    }
    return ids;
  }
}

/**
 * The clients a `q` can match (its name fragment or its code prefix holds every piece of
 * theirs), when there are at most `limit` of them; null when there are more or `q` is too short
 * (then the page walks the sort order).
 */
function candidatesOf<TEntry extends ClientSearchFields>(
  clients: TenantEntries<TEntry>,
  q: string | undefined,
  limit: number,
): TEntry[] | null {
  if (q === undefined || q.trim() === '') return null;
  const byName = clients.holding(normalizeName(q), limit);
  const byCode = byName && clients.holding(compact(q), limit - byName.size);
  if (!byName || !byCode) return null;
  const entries: TEntry[] = [];
  for (const id of new Set([...byName, ...byCode])) {
    const entry = clients.byId.get(id);
    if (entry) entries.push(entry);
  }
  return entries;
}

/**
 * The list and search, in memory: every client's search fields by tenant, kept in each sort
 * order; a page walks that order from the cursor, filtering, and stops once it has one entry
 * more than the page (so a broad query over 100,000 clients looks at a few dozen). FerretDB
 * answers only `_id` lookups from an index, so a filtered, sorted page over a tenant's clients
 * would read the whole collection on every request (ADR 0005).
 */
export class ClientSearchIndex<TEntry extends ClientSearchFields = ClientSearchFields> {
  private readonly tenants = new Map<string, TenantEntries<TEntry>>();

  /**
   * @param candidateLimit how many clients a `q` may narrow to and still be answered from them
   *   (sorted on the spot) rather than by the walk: a `q` that few clients can match is answered
   *   without looking at the others (a query matching none of 100,000 walked them all, 10–50 ms).
   */
  constructor(private readonly candidateLimit = 1_000) {}

  /** CRM labels by tenant and client: learnt from another topic, so kept beside the cards. */
  private readonly labels = new Map<string, Map<string, CrmLabels>>();

  put(entry: TEntry): void {
    let clients = this.tenants.get(entry.tenantId);
    if (!clients) {
      clients = new TenantEntries();
      this.tenants.set(entry.tenantId, clients);
    }
    clients.put(entry);
  }

  label(tenantId: string, clientId: string, labels: CrmLabels): void {
    let clients = this.labels.get(tenantId);
    if (!clients) {
      clients = new Map();
      this.labels.set(tenantId, clients);
    }
    clients.set(clientId, labels);
  }

  /** The entry of one client, if this index has it. */
  get(tenantId: string, clientId: string): TEntry | undefined {
    return this.tenants.get(tenantId)?.byId.get(clientId);
  }

  get size(): number {
    let total = 0;
    for (const clients of this.tenants.values()) total += clients.byId.size;
    return total;
  }

  /** How many entries the tenant's sort orders hold in all (old versions not yet dropped count). */
  held(tenantId: string): number {
    const clients = this.tenants.get(tenantId);
    return clients ? clients.byName.held + clients.byCreation.held : 0;
  }

  /** One page's entries (and their ids), in order, and the cursor of the next page (or null). */
  query(
    tenantId: string,
    criteria: ClientListCriteria,
  ): { ids: string[]; entries: TEntry[]; nextCursor: string | null } {
    const labels = this.labels.get(tenantId);
    const checks = predicates(criteria, (entry) => labels?.get(entry.aggregateId) ?? NO_LABELS);
    const sort = criteria.sort ?? 'name';
    const after = criteria.cursor ? decodeCursor(criteria.cursor) : null;
    const limit = criteria.limit ?? 50;
    const clients = this.tenants.get(tenantId);
    if (!clients) return { ids: [], entries: [], nextCursor: null };
    const order = sort.endsWith('name') ? clients.byName : clients.byCreation;
    const all = order.all();
    const descending = sort.startsWith('-');
    const candidates = candidatesOf(clients, criteria.q, this.candidateLimit);
    if (candidates) return this.pageOf(candidates, checks, order, descending, after, limit);
    const entries: TEntry[] = [];
    let more = false;
    // Ascending: from the first entry after the cursor, up. Descending: from the last entry
    // before it (or the very last), down.
    const step = descending ? -1 : 1;
    let i = descending
      ? after
        ? order.firstAfter([after[0], after[1]]) - 1
        : all.length - 1
      : after
        ? order.firstAfter(after)
        : 0;
    if (descending && after && i >= 0 && byPosition(order.position(all[i]), after) === 0) i -= 1;
    for (; i >= 0 && i < all.length; i += step) {
      const entry = all[i];
      if (!passes(checks, entry)) continue;
      if (entries.length === limit) {
        more = true;
        break;
      }
      entries.push(entry);
    }
    return pageResult(entries, more, order);
  }

  /** A page out of the few clients a `q` can match: filtered, sorted, from the cursor on. */
  private pageOf(
    candidates: readonly TEntry[],
    checks: readonly ((entry: TEntry) => boolean)[],
    order: SortedEntries<TEntry>,
    descending: boolean,
    after: Position | null,
    limit: number,
  ) {
    const direction = descending ? -1 : 1;
    const matching = candidates.filter(
      (entry) =>
        passes(checks, entry) && (!after || direction * byPosition(order.position(entry), after) > 0),
    );
    matching.sort((a, b) => direction * byPosition(order.position(a), order.position(b)));
    return pageResult(matching.slice(0, limit), matching.length > limit, order);
  }
}

function pageResult<TEntry extends ClientSearchFields>(
  entries: TEntry[],
  more: boolean,
  order: SortedEntries<TEntry>,
): { ids: string[]; entries: TEntry[]; nextCursor: string | null } {
  return {
    ids: entries.map((entry) => entry.aggregateId),
    entries,
    nextCursor: more ? encodeCursor(order.position(entries[entries.length - 1])) : null,
  };
}
