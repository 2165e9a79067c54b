import { normalizeIban } from '@clientbook/identifiers';
import { companyNameKey, personNameKey } from './counterparty-names';

/** What matching needs to know of a client: kept per tenant from the clients topic. */
export type MatchableClient = Readonly<{
  id: string;
  createdAt: string;
  kind: 'company' | 'person';
  name: string;
  code: string | null;
  ibans: readonly string[];
  email: string | null;
}>;

type Keyed = Map<string, Set<string>>;

function add(map: Keyed, key: string | null, id: string): void {
  if (!key) return;
  let ids = map.get(key);
  if (!ids) {
    ids = new Set();
    map.set(key, ids);
  }
  ids.add(id);
}

function remove(map: Keyed, key: string | null, id: string): void {
  if (!key) return;
  const ids = map.get(key);
  ids?.delete(id);
  if (ids && ids.size === 0) map.delete(key);
}

export const codeKey = (code: string): string => code.replace(/[\s.\-/]/g, '').toUpperCase();

/**
 * One tenant's active clients, by every key matching looks up: code, IBAN, company name key,
 * person name key (either order), and person name key with e-mail. Answers oldest first.
 */
export class MatchingIndex {
  private readonly clients = new Map<string, MatchableClient>();
  private readonly byCode: Keyed = new Map();
  private readonly byIban: Keyed = new Map();
  private readonly byCompanyName: Keyed = new Map();
  private readonly byPersonName: Keyed = new Map();
  private readonly byPersonNameEmail: Keyed = new Map();

  private keys(client: MatchableClient) {
    const personKey = client.kind === 'person' ? personNameKey(client.name) : null;
    return {
      code: client.code ? codeKey(client.code) : null,
      ibans: client.ibans.map(normalizeIban),
      company: client.kind === 'company' ? companyNameKey(client.name) : null,
      person: personKey,
      personEmail: personKey && client.email ? `${personKey}|${client.email.trim().toLowerCase()}` : null,
    };
  }

  /** Adds or replaces a client (an active one: merged and deleted clients are removed). */
  put(client: MatchableClient): void {
    this.remove(client.id);
    this.clients.set(client.id, client);
    const keys = this.keys(client);
    add(this.byCode, keys.code, client.id);
    for (const iban of keys.ibans) add(this.byIban, iban, client.id);
    add(this.byCompanyName, keys.company, client.id);
    add(this.byPersonName, keys.person, client.id);
    add(this.byPersonNameEmail, keys.personEmail, client.id);
  }

  remove(clientId: string): void {
    const client = this.clients.get(clientId);
    if (!client) return;
    const keys = this.keys(client);
    remove(this.byCode, keys.code, clientId);
    for (const iban of keys.ibans) remove(this.byIban, iban, clientId);
    remove(this.byCompanyName, keys.company, clientId);
    remove(this.byPersonName, keys.person, clientId);
    remove(this.byPersonNameEmail, keys.personEmail, clientId);
    this.clients.delete(clientId);
  }

  get size(): number {
    return this.clients.size;
  }

  private oldestFirst(ids: Iterable<string> | undefined): MatchableClient[] {
    return [...(ids ?? [])]
      .map((id) => this.clients.get(id))
      .filter((c): c is MatchableClient => c !== undefined)
      .sort((a, b) =>
        a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1,
      );
  }

  withCode(code: string): MatchableClient[] {
    return this.oldestFirst(this.byCode.get(codeKey(code)));
  }

  withIban(iban: string): MatchableClient[] {
    return this.oldestFirst(this.byIban.get(normalizeIban(iban)));
  }

  /** Companies by name (legal form anywhere) and persons by name in either order. */
  withName(name: string): MatchableClient[] {
    const ids = new Set([
      ...(this.byCompanyName.get(companyNameKey(name)) ?? []),
      ...(this.byPersonName.get(personNameKey(name)) ?? []),
    ]);
    return this.oldestFirst(ids);
  }

  withCompanyName(name: string): MatchableClient[] {
    return this.oldestFirst(this.byCompanyName.get(companyNameKey(name)));
  }

  withPersonName(firstName: string, lastName: string): MatchableClient[] {
    return this.oldestFirst(this.byPersonName.get(personNameKey(`${firstName} ${lastName}`)));
  }

  withPersonNameAndEmail(firstName: string, lastName: string, email: string): MatchableClient[] {
    return this.oldestFirst(
      this.byPersonNameEmail.get(
        `${personNameKey(`${firstName} ${lastName}`)}|${email.trim().toLowerCase()}`,
      ),
    );
  }
}
