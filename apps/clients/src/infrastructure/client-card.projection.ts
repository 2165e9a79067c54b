import { Injectable } from '@nestjs/common';
import { CLIENT_AGGREGATE, EventEnvelope } from '@clientbook/contracts';
import type { Projection } from '@clientbook/event-store';
import { EventStore } from '@clientbook/event-store';
import { cardDocument, ClientCards, snapshotOf } from './client-cards';
import { emptySnapshot, foldEnvelopes } from '../domain';

/**
 * Keeps each client's card: on an event newer than the card, it folds every stored event after
 * the card's version (whole commits, from the event store) and writes the card once. A
 * redelivered or older event changes nothing (a redelivered first event rewrites the same card).
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
    // A client's first event needs no card lookup: there is none yet, and if this is a
    // redelivery, folding the whole stream writes the same card again (a quarter fewer round
    // trips when many clients arrive at once, as an import or a migration brings them).
    const card =
      event.aggregateVersion === 1 ? null : await this.cards.find(event.tenantId, event.aggregateId);
    // Another instance (or this one, before a redelivery) wrote it already: this instance's search
    // index still needs it.
    if (card && card.lastVersion >= event.aggregateVersion) {
      this.cards.remember(card);
      return;
    }
    const base = card ? snapshotOf(card) : emptySnapshot(event.aggregateId);
    const tail = await this.store.readStream(event.tenantId, event.aggregateId, base.version + 1);
    // The relay read this event from the store: a store that does not show it has answered from
    // a state that is not the latest (a database coming back). Fail, to be delivered again.
    const reached = tail.length ? tail[tail.length - 1].aggregateVersion : base.version;
    if (reached < event.aggregateVersion)
      throw new Error(
        `the event store shows client ${event.aggregateId} at version ${reached}, not yet ${event.aggregateVersion}`,
      );
    const next = foldEnvelopes(base, tail);
    if (next.client && next.version > base.version)
      await this.cards.save(cardDocument(event.tenantId, { ...next, client: next.client }));
  }
}
