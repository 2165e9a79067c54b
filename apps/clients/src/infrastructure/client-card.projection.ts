import { Injectable } from '@nestjs/common';
import { CLIENT_AGGREGATE, EventEnvelope } from '@clientbook/contracts';
import type { Projection } from '@clientbook/event-store';
import { EventStore } from '@clientbook/event-store';
import { cardDocument, ClientCards, snapshotOf } from './client-cards';
import { emptySnapshot, foldEnvelopes } from '../domain';

/**
 * Keeps each client's card: the event right after the card's version, stored as a commit of its
 * own, is folded as it came; otherwise every stored event after the card's version is folded
 * (from the event store). A redelivered or older event changes nothing (a redelivered first event
 * rewrites the same card).
 */
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

  /** The first card, from the first commit: false when the client has a card already. */
  private async saveFirst(tenantId: string, clientId: string, commit: EventEnvelope[]): Promise<boolean> {
    const first = foldEnvelopes(emptySnapshot(clientId), commit);
    if (!first.client) return false;
    return this.cards.saveFirst(cardDocument(tenantId, { ...first, client: first.client }));
  }
}
