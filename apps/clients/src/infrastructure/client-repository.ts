import { Injectable } from '@nestjs/common';
import {
  atCurrentVersions,
  CLIENT_AGGREGATE,
  ClientEvent,
  EventEnvelope,
  EventMetadata,
} from '@clientbook/contracts';
import { EventStore } from '@clientbook/event-store';
import { ClientSnapshot, emptySnapshot, foldEnvelopes } from '../domain';
import { ClientCards, snapshotOf } from './client-cards';

/**
 * Loads a client as of its latest stored event: the card (a snapshot the projection keeps, from
 * memory when this instance has it) plus whatever the stream holds after it. So a read right after a write sees the write, even before
 * the projection has caught up.
 */
@Injectable()
export class ClientRepository {
  constructor(
    private readonly store: EventStore,
    private readonly cards: ClientCards,
  ) {}

  async load(tenantId: string, clientId: string): Promise<ClientSnapshot> {
    // The card from memory when this instance has it: then one lookup (the commit after it)
    // answers, instead of two one after another.
    const card = await this.cards.snapshotBase(tenantId, clientId);
    const base = card ? snapshotOf(card) : emptySnapshot(clientId);
    const tail = await this.store.readStream(tenantId, clientId, base.version + 1);
    return foldEnvelopes(base, tail);
  }

  history(tenantId: string, clientId: string): Promise<EventEnvelope[]> {
    return this.store.readStream(tenantId, clientId);
  }

  append(
    tenantId: string,
    clientId: string,
    expectedVersion: number,
    events: readonly ClientEvent[],
    metadata: EventMetadata,
  ): Promise<EventEnvelope[]> {
    return this.store.append({
      tenantId,
      aggregateType: CLIENT_AGGREGATE,
      aggregateId: clientId,
      expectedVersion,
      events: atCurrentVersions(events),
      metadata,
    });
  }
}
