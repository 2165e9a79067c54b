import { Injectable } from '@nestjs/common';
import { CLIENT_AGGREGATE, EventEnvelope } from '@clientbook/contracts';
import type { Projection } from '@clientbook/event-store';
import { EventStore, READS_IN_FLIGHT } from '@clientbook/event-store';
import pMap from 'p-map';
import { cardDocument, cardId, type ClientCardDocument, ClientCards, snapshotOf } from './client-cards';
import { emptySnapshot, foldEnvelopes } from '../domain';

/** A client's card as a slice leaves it; `fresh` when it is the client's first (written by insert). */
type FoldedCard = { card: ClientCardDocument; fresh: boolean };

/**
 * Keeps each client's card: every stored event after the card's version, up to the newest the
 * slice names, is folded from the event store (so a card is never ahead of the store). A
 * redelivered or older event changes nothing; a redelivered first event meets the stored card.
 */
@Injectable()
export class ClientCardProjection implements Projection {
  readonly name = 'client-cards';

  constructor(
    private readonly store: EventStore,
    private readonly cards: ClientCards,
  ) {}

  /** One event: a slice of one (the same round trips as a lone event needs). */
  apply(event: EventEnvelope): Promise<void> {
    return this.applyBatch([event]);
  }

  /**
   * A slice of the topic: each client's card read at most once (not at all for a client whose
   * first event is in the slice, nor one this instance has in memory), the commits after it looked
   * up by `_id`, every new card written by one insert and every changed one replaced (a few at a
   * time). A client whose first card turns out to exist (a redelivery, another instance) is folded
   * again from the stored card.
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
    const folded = await pMap(
      [...byClient.values()],
      (list) => this.foldClient(list, list[0].aggregateVersion === 1 ? 'none' : 'memory'),
      { concurrency: READS_IN_FLIGHT },
    );
    const existing = await this.cards.saveAllFirst(this.cardsOf(folded, true));
    const again = await pMap([...existing], (key) => this.foldClient(byClient.get(key) ?? [], 'stored'), {
      concurrency: READS_IN_FLIGHT,
    });
    await this.cards.saveAll([...this.cardsOf(folded, false), ...this.cardsOf(again, false)]);
  }

  private cardsOf(folded: readonly (FoldedCard | null)[], fresh: boolean): ClientCardDocument[] {
    return folded.flatMap((result) => (result && result.fresh === fresh ? [result.card] : []));
  }

  /**
   * One client's new card from the store, up to its last event in the slice (null: nothing
   * newer), starting from no card (its first event is in the slice), the card in memory, or the
   * stored card (which this instance's memory then takes when it is newest already).
   */
  private async foldClient(
    list: readonly EventEnvelope[],
    start: 'none' | 'memory' | 'stored',
  ): Promise<FoldedCard | null> {
    const { tenantId, aggregateId } = list[0];
    const target = list[list.length - 1].aggregateVersion;
    // The card in memory is never newer than the stored one (it holds what was written or
    // read): at the target already means stored at the target already.
    const card =
      start === 'none'
        ? null
        : start === 'memory'
          ? await this.cards.snapshotBase(tenantId, aggregateId)
          : await this.cards.find(tenantId, aggregateId);
    if (card && card.lastVersion >= target) {
      if (start === 'stored') this.cards.remember(card as ClientCardDocument);
      return null;
    }
    const base = card ? snapshotOf(card) : emptySnapshot(aggregateId);
    // The commits after the card through the slice's last event (none looked up past it, none
    // for a commit this process stored lately).
    const tail = await this.store.readStream(tenantId, aggregateId, base.version + 1, target);
    // The relay read these events from the store: a store that does not show them has answered
    // from a state that is not the latest (a database coming back). Fail, to be delivered again.
    const reached = tail.length ? tail[tail.length - 1].aggregateVersion : base.version;
    if (reached < target)
      throw new Error(`the event store shows client ${aggregateId} at version ${reached}, not yet ${target}`);
    const folded = foldEnvelopes(base, tail);
    if (!folded.client || folded.version <= base.version) return null;
    return {
      card: cardDocument(tenantId, { ...folded, client: folded.client }),
      fresh: card === null && start === 'none',
    };
  }
}
