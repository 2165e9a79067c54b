import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Collection, Db } from 'mongodb';
import { EventEnvelope, toClientEvent } from '@clientbook/contracts';
import { applyEachOnce, Projection, VersionedDocument } from '@clientbook/event-store';
import { MONGO_DB } from '@clientbook/platform';
import { MatchingIndex } from './matching-index';
import { concernsMatching, evolveMatchingClient, MatchingClientState } from './matching-client';

type MatchingClientFields = { state: MatchingClientState | null; createdAt: string };
type MatchingClientDocument = VersionedDocument<MatchingClientFields>;

/**
 * The matching read model: one document per client, folded from the clients topic, and an
 * in-memory `MatchingIndex` per tenant of the active ones (loaded at start, kept by this projection).
 * Merged and deleted clients leave the index; `resolve` follows a merged client to its survivor.
 */
@Injectable()
export class MatchingClients implements Projection, OnApplicationBootstrap {
  readonly name = 'matching-clients';
  private readonly collection: Collection<MatchingClientDocument>;
  private readonly indexes = new Map<string, MatchingIndex>();
  private readonly survivors = new Map<string, string>();
  private readonly logger = new Logger('MatchingClients');

  constructor(@Inject(MONGO_DB) db: Db) {
    this.collection = db.collection<MatchingClientDocument>('matching_clients');
  }

  async onApplicationBootstrap(): Promise<void> {
    const started = Date.now();
    // Start-up reads every tenant's documents once; afterwards the projection keeps the index.
    for await (const doc of this.collection.find({})) this.remember(doc);
    this.logger.log(
      `matching index: ${[...this.indexes.values()].reduce((n, i) => n + i.size, 0)} clients in ${Date.now() - started} ms`,
    );
  }

  forTenant(tenantId: string): MatchingIndex {
    let index = this.indexes.get(tenantId);
    if (!index) {
      index = new MatchingIndex();
      this.indexes.set(tenantId, index);
    }
    return index;
  }

  /** The client an id stands for now: itself, or the survivor it was merged into (transitively). */
  resolve(tenantId: string, clientId: string): string {
    let id = clientId;
    for (let hops = 0; hops < 100; hops += 1) {
      const next = this.survivors.get(`${tenantId}:${id}`);
      if (!next) return id;
      id = next;
    }
    return id;
  }

  /** One event: a slice of one (the same round trips as a lone apply would make). */
  apply(event: EventEnvelope): Promise<void> {
    return this.applyBatch([event]);
  }

  /**
   * A slice of the topic: the documents it touches written once each (a burst of new clients in
   * one insert). An import records an operation per line: those events are most of the topic, and
   * none of them changes a client's matching fields. A document the slice had nothing newer for
   * (a redelivery, another instance first) comes back as stored, which is what the index must show.
   */
  async applyBatch(events: readonly EventEnvelope[]): Promise<void> {
    const relevant = events.flatMap((event) => {
      const clientEvent = toClientEvent(event);
      return clientEvent && concernsMatching(clientEvent) ? [{ ...event, clientEvent }] : [];
    });
    const results = await applyEachOnce<MatchingClientFields, (typeof relevant)[number]>(
      this.collection,
      relevant,
      (doc, event) => ({
        state: evolveMatchingClient(doc?.state ?? null, event.clientEvent),
        createdAt: doc?.createdAt ?? event.occurredAt,
      }),
    );
    for (const { document } of results) this.remember(document);
  }

  private remember(doc: MatchingClientDocument): void {
    const index = this.forTenant(doc.tenantId);
    const state = doc.state;
    if (state?.status === 'merged' && state.mergedInto)
      this.survivors.set(`${doc.tenantId}:${doc.aggregateId}`, state.mergedInto);
    if (!state || state.status !== 'active') {
      index.remove(doc.aggregateId);
      return;
    }
    index.put({
      id: doc.aggregateId,
      createdAt: doc.createdAt,
      kind: state.kind,
      name: state.name,
      code: state.code,
      ibans: state.bankAccounts.map((b) => b.iban),
      email: state.email,
    });
  }
}
