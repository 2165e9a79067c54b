import { Injectable } from '@nestjs/common';
import { CLIENT_AGGREGATE, EventEnvelope } from '@clientbook/contracts';
import type { Projection } from '@clientbook/event-store';
import { EventStore } from '@clientbook/event-store';
import { cardDocument, cardId, type ClientCardDocument, ClientCards, snapshotOf } from './client-cards';
import { emptySnapshot, foldEnvelopes } from '../domain';

/**
 * Keeps each client's card: the event right after the card's version, stored as a commit of its
 * own, is folded as it came; otherwise every stored event after the card's version is folded
 * (from the event store). A redelivered or older event changes nothing (a redelivered first event
 * rewrites the same card).
 */
/** How many clients of a slice are read from the store at once. */
const READ_CONCURRENCY = 10;

@Injectable()
export class ClientCardProjection implements Projection {
  readonly name = 'client-cards';

  constructor(
    private readonly store: EventStore,
    private readonly cards: ClientCards,
  ) {}

  async apply(event: EventEnvelope): Promise<void> {
    if (event.aggregateType !== CLIENT_AGGREGATE) return;
    // A client's first commit (one lookup, which also shows the store has it) makes the first
    // card with one insert; a card already there (a redelivery, another instance) is looked at as
    // any other. Half the round trips when many clients arrive at once.
    if (event.aggregateVersion === 1) {
      const first = await this.store.commitAt(event.tenantId, event.aggregateId, 1);
      if (first && (await this.saveFirst(event.tenantId, event.aggregateId, first))) return;
    }
    const card = await this.cards.find(event.tenantId, event.aggregateId);
    // Another instance (or this one, before a redelivery) wrote it already: this instance's search
    // index still needs it.
    if (card && card.lastVersion >= event.aggregateVersion) {
      this.cards.remember(card);
      return;
    }
    const base = card ? snapshotOf(card) : emptySnapshot(event.aggregateId);
    // The commit right after the card (Kafka keeps each client's order) is one lookup; after a gap
    // (events this instance missed), the store gives everything after the card.
    const next =
      event.aggregateVersion === base.version + 1
        ? await this.store.commitAt(event.tenantId, event.aggregateId, event.aggregateVersion)
        : null;
    const tail = next ?? (await this.store.readStream(event.tenantId, event.aggregateId, base.version + 1));
    // The relay read this event from the store: a store that does not show it has answered from
    // a state that is not the latest (a database coming back). Fail, to be delivered again.
    const reached = tail.length ? tail[tail.length - 1].aggregateVersion : base.version;
    if (reached < event.aggregateVersion)
      throw new Error(
        `the event store shows client ${event.aggregateId} at version ${reached}, not yet ${event.aggregateVersion}`,
      );
    const folded = foldEnvelopes(base, tail);
    if (folded.client && folded.version > base.version)
      await this.cards.save(cardDocument(event.tenantId, { ...folded, client: folded.client }));
  }

  /**
   * A slice of the topic: each client's card read at most once (not at all for a client whose
   * first event is in the slice), the commits after it looked up by `_id`, every new card written
   * by one insert and every changed one replaced (a few at a time). A client whose first card turns out
   * to exist (a redelivery, another instance) is applied event by event as `apply` does.
   */
  async applyBatch(events: readonly EventEnvelope[]): Promise<void> {
    const byClient = new Map<string, EventEnvelope[]>();
    for (const event of events) {
      if (event.aggregateType !== CLIENT_AGGREGATE) continue;
      const key = cardId(event.tenantId, event.aggregateId);
      const list = byClient.get(key);
      if (list) list.push(event);
      else byClient.set(key, [event]);
    }
    const fresh: ClientCardDocument[] = [];
    const changed: ClientCardDocument[] = [];
    const clients = [...byClient.values()];
    for (let start = 0; start < clients.length; start += READ_CONCURRENCY) {
      const folded = await Promise.all(
        clients.slice(start, start + READ_CONCURRENCY).map((list) => this.foldClient(list)),
      );
      for (const result of folded) {
        if (result?.fresh) fresh.push(result.card);
        else if (result) changed.push(result.card);
      }
    }
    const existing = await this.cards.saveAllFirst(fresh);
    await this.cards.saveAll(changed);
    for (const key of existing) for (const event of byClient.get(key) ?? []) await this.apply(event);
  }

  /** One client's new card from the store, up to its last event in the slice (null: nothing newer). */
  private async foldClient(
    list: readonly EventEnvelope[],
  ): Promise<{ card: ClientCardDocument; fresh: boolean } | null> {
    const { tenantId, aggregateId } = list[0];
    const target = list[list.length - 1].aggregateVersion;
    const fresh = list[0].aggregateVersion === 1;
    // The card in memory is never newer than the stored one (it holds what was written or
    // read): at the target already means stored at the target already.
    const card = fresh ? null : await this.cards.snapshotBase(tenantId, aggregateId);
    if (card && card.lastVersion >= target) return null;
    const base = card ? snapshotOf(card) : emptySnapshot(aggregateId);
    const next = await this.store.commitAt(tenantId, aggregateId, base.version + 1);
    const reachedNext = next?.length ? next[next.length - 1].aggregateVersion : base.version;
    const tail =
      next && reachedNext >= target
        ? next
        : [...(next ?? []), ...(await this.store.readStream(tenantId, aggregateId, reachedNext + 1))];
    const reached = tail.length ? tail[tail.length - 1].aggregateVersion : base.version;
    if (reached < target)
      throw new Error(`the event store shows client ${aggregateId} at version ${reached}, not yet ${target}`);
    const folded = foldEnvelopes(base, tail);
    if (!folded.client || folded.version <= base.version) return null;
    return { card: cardDocument(tenantId, { ...folded, client: folded.client }), fresh: card === null };
  }

  /** The first card, from the first commit: false when the client has a card already. */
  private async saveFirst(tenantId: string, clientId: string, commit: EventEnvelope[]): Promise<boolean> {
    const first = foldEnvelopes(emptySnapshot(clientId), commit);
    if (!first.client) return false;
    return this.cards.saveFirst(cardDocument(tenantId, { ...first, client: first.client }));
  }
}
