import { isDuplicateKeyError } from '@clientbook/event-store';
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

export const cardId = (tenantId: string, clientId: string): string => `${tenantId}:${clientId}`;

export function snapshotOf(card: ClientCardDocument): ClientSnapshot {
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
  private readonly index = new ClientSearchIndex();
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

  /** Reads every card's search fields once at start; the projection keeps the index current after. */
  private async loadIndex(): Promise<void> {
    const started = Date.now();
    // Start-up reads all tenants at once: the one read without a tenant filter besides the outbox.
    const cursor = this.collection.find({}, { projection: { state: 0, lastVersion: 0, updatedAt: 0 } });
    for await (const card of cursor) {
      const { _id: _card, ...fields } = card as unknown as ClientSearchFields & { _id: string };
      this.index.put(fields);
    }
    this.logger.log(`search index: ${this.index.size} clients in ${Date.now() - started} ms`);
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

  /** Puts a card this instance did not write (another instance did) in its search index. */
  remember(document: ClientCardDocument): void {
    const { _id: _card, lastVersion: _version, state: _state, updatedAt: _updated, ...fields } = document;
    this.index.put(fields);
  }

  /** A client's CRM status and attributes, for the list's CRM filters. */
  rememberCrmLabels(tenantId: string, clientId: string, labels: CrmLabels): void {
    this.index.label(tenantId, clientId, labels);
  }

  /** One page of the list: ids from the index, cards by `_id`. */
  async search(
    tenantId: string,
    criteria: ClientListCriteria,
  ): Promise<{ items: ClientSnapshot[]; nextCursor: string | null }> {
    await this.loaded;
    const page = this.index.query(tenantId, criteria);
    const cards = await Promise.all(page.ids.map((id) => this.find(tenantId, id)));
    return { items: cards.flatMap((card) => (card ? [snapshotOf(card)] : [])), nextCursor: page.nextCursor };
  }
}
