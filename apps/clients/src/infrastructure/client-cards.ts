import { insertEach, isDuplicateKeyError, replaceEach } from '@clientbook/event-store';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Collection, Db } from 'mongodb';
import { MONGO_DB } from '@clientbook/platform';
import type { Client, ClientSnapshot } from '../domain';
import {
  ClientListCriteria,
  CrmLabels,
  ClientSearchFields,
  ClientSearchIndex,
  searchFieldsOf,
} from './client-search-index';

/**
 * One document per client: the state folded from its events up to `lastVersion` (always the end
 * of a commit) and its search fields. Written only by the card projection; commands and `GET`
 * read it as a snapshot and fold what is newer from the stream. The state is kept as one JSON
 * string: FerretDB converts every field of a document on each read, and one string is cheap.
 */
export type ClientCardDocument = ClientSearchFields & {
  _id: string;
  lastVersion: number;
  state: string;
  updatedAt: string;
};

/**
 * What the search index keeps of a card: its search fields and the card itself (state, version,
 * time of the last change), so a page of the list is answered from memory, without a read per item.
 */
type IndexedCard = Omit<ClientCardDocument, '_id'>;

export const cardId = (tenantId: string, clientId: string): string => `${tenantId}:${clientId}`;

export function snapshotOf(card: IndexedCard): ClientSnapshot {
  return {
    id: card.aggregateId,
    client: JSON.parse(card.state) as Client,
    version: card.lastVersion,
    createdAt: card.createdAt,
    updatedAt: card.updatedAt,
  };
}

export function cardDocument(
  tenantId: string,
  snapshot: ClientSnapshot & { client: Client },
): ClientCardDocument {
  const { client } = snapshot;
  return {
    _id: cardId(tenantId, snapshot.id),
    lastVersion: snapshot.version,
    state: JSON.stringify(client),
    updatedAt: snapshot.updatedAt ?? '',
    ...searchFieldsOf(tenantId, snapshot.id, snapshot.createdAt ?? '', client),
  };
}

@Injectable()
export class ClientCards implements OnApplicationBootstrap {
  readonly collection: Collection<ClientCardDocument>;
  private readonly index = new ClientSearchIndex<IndexedCard>();
  private loaded: Promise<void> = Promise.resolve();
  private readonly logger = new Logger('ClientCards');

  constructor(@Inject(MONGO_DB) db: Db) {
    this.collection = db.collection<ClientCardDocument>('client_cards');
  }

  async onApplicationBootstrap(): Promise<void> {
    // For MongoDB; FerretDB enforces them but answers only `_id` lookups from an index.
    await this.collection.createIndex({ tenantId: 1, status: 1, nameKey: 1, _id: 1 });
    await this.collection.createIndex({ tenantId: 1, codeKey: 1 });
    this.loaded = this.loadIndex();
    await this.loaded;
  }

  /** Reads every card once at start; the projection keeps the index current after. */
  private async loadIndex(): Promise<void> {
    const started = Date.now();
    // Start-up reads all tenants at once: the one read without a tenant filter besides the outbox.
    for await (const card of this.collection.find({})) this.remember(card);
    this.logger.log(`search index: ${this.index.size} clients in ${Date.now() - started} ms`);
  }

  /**
   * The card this instance has in memory (as its projection last wrote or saw it), else the
   * stored one. Either is a snapshot at the end of a commit: what the stream holds after it
   * brings it up to date, so a reader folds the rest from the store and misses nothing.
   */
  async snapshotBase(tenantId: string, clientId: string): Promise<IndexedCard | null> {
    const known = this.inMemory(tenantId, clientId);
    if (known) return known;
    const stored = await this.find(tenantId, clientId);
    if (stored) this.remember(stored);
    return stored;
  }

  /** The card in this instance's memory, without a read (null when it has none). */
  inMemory(tenantId: string, clientId: string): IndexedCard | null {
    return this.index.get(tenantId, clientId) ?? null;
  }

  find(tenantId: string, clientId: string): Promise<ClientCardDocument | null> {
    return this.collection.findOne({ _id: cardId(tenantId, clientId) });
  }

  async save(document: ClientCardDocument): Promise<void> {
    await this.collection.replaceOne({ _id: document._id }, document, { upsert: true });
    this.remember(document);
  }

  /** Writes a client's first card; false when it has one already (a redelivery, another instance). */
  async saveFirst(document: ClientCardDocument): Promise<boolean> {
    try {
      await this.collection.insertOne(document);
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
    this.remember(document);
    return true;
  }

  /**
   * Writes many clients' first cards in one insert: the ids of those that had a card already (a
   * redelivery, another instance); any other failure throws.
   */
  async saveAllFirst(documents: readonly ClientCardDocument[]): Promise<Set<string>> {
    const failures = await insertEach(this.collection, documents);
    const existing = new Set<string>();
    documents.forEach((document, index) => {
      const failure = failures.get(index);
      if (failure === undefined) this.remember(document);
      else if (isDuplicateKeyError(failure)) existing.add(document._id);
      else throw failure;
    });
    return existing;
  }

  /** Replaces many cards, a few at a time (ADR 0002). */
  async saveAll(documents: readonly ClientCardDocument[]): Promise<void> {
    await replaceEach(this.collection, documents);
    for (const document of documents) this.remember(document);
  }

  /** Puts a card this instance did not write (another instance did) in its search index. */
  remember(document: ClientCardDocument): void {
    const { _id: _card, ...card } = document;
    this.index.put(card);
  }

  /** A client's CRM status and attributes, for the list's CRM filters. */
  rememberCrmLabels(tenantId: string, clientId: string, labels: CrmLabels): void {
    this.index.label(tenantId, clientId, labels);
  }

  /**
   * One page of the list, from memory: the cards as this instance's projection last wrote or saw
   * them (the list reflects writes within the projection's lag, as before: it read the cards
   * the same projection wrote).
   */
  async search(
    tenantId: string,
    criteria: ClientListCriteria,
  ): Promise<{ items: ClientSnapshot[]; nextCursor: string | null }> {
    await this.loaded;
    const page = this.index.query(tenantId, criteria);
    return { items: page.entries.map(snapshotOf), nextCursor: page.nextCursor };
  }
}
