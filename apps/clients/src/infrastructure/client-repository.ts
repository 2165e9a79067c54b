import { Injectable } from '@nestjs/common';
import {
  atCurrentVersions,
  CLIENT_AGGREGATE,
  ClientEvent,
  EventEnvelope,
  EventMetadata,
} from '@clientbook/contracts';
import { LRUCache } from 'lru-cache';
import { EventStore, VersionConflictError } from '@clientbook/event-store';
import { ClientSnapshot, emptySnapshot, foldEnvelopes } from '../domain';
import { ClientCards, snapshotOf } from './client-cards';

/** How many clients this instance remembers as it last wrote them (an LRU of snapshots, ~2 KB each). */
const RECENT_WRITES = 5_000;

/**
 * Loads a client as of its latest stored event: the card (a snapshot the projection keeps, from
 * memory when this instance has it) plus whatever the stream holds after it. So a read right after a write sees the write, even before
 * the projection has caught up.
 */
@Injectable()
export class ClientRepository {
  /** Clients as this instance last wrote them: ahead of their cards until the projection follows. */
  private readonly written = new LRUCache<string, ClientSnapshot>({ max: RECENT_WRITES });

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

  /**
   * The client as this instance last saw it, without a read: the newer of what it last wrote and
   * the card in its memory; null when it has neither. It may be behind the store (another
   * instance wrote since): a write on it is appended at its version, which the store refuses
   * when it is not the latest, and the writer then loads the client.
   */
  recent(tenantId: string, clientId: string): ClientSnapshot | null {
    const written = this.written.get(`${tenantId}:${clientId}`) ?? null;
    const card = this.cards.inMemory(tenantId, clientId);
    if (card && (!written || card.lastVersion > written.version)) return snapshotOf(card);
    return written;
  }

  /**
   * Appends the events to the client at the snapshot's version: the client after them, which this
   * instance remembers as it wrote it (the newest `RECENT_WRITES`). A refused append (another
   * write got there first) forgets what it remembered of the client.
   */
  async write(
    tenantId: string,
    snapshot: ClientSnapshot,
    events: readonly ClientEvent[],
    metadata: EventMetadata,
  ): Promise<ClientSnapshot> {
    const key = `${tenantId}:${snapshot.id}`;
    try {
      const stored = await this.append(tenantId, snapshot.id, snapshot.version, events, metadata);
      const written = foldEnvelopes(snapshot, stored);
      this.written.set(key, written);
      return written;
    } catch (error) {
      if (error instanceof VersionConflictError) this.written.delete(key);
      throw error;
    }
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
