import { Inject, Injectable } from '@nestjs/common';
import type { Collection, Db } from 'mongodb';
import { MONGO_DB } from '@clientbook/platform';
import {
  CLIENT_RELATIONSHIP_AGGREGATE,
  CRM_DEFINITIONS_AGGREGATE,
  CRM_DEFINITIONS_ID,
  CrmEvent,
  EventEnvelope,
  EventMetadata,
  atCurrentVersions,
  EVENTS,
} from '@clientbook/contracts';
import { EventStore } from '@clientbook/event-store';
import {
  DEFAULT_DEFINITIONS,
  Definitions,
  evolveDefinitions,
  NEW_RECORD,
  recordEvent,
  RelationshipRecord,
} from '../domain';

/** A stored CRM event as the domain reads it (upcast to its current version). */
export const crmEventOf = (envelope: EventEnvelope): CrmEvent => {
  const current = EVENTS.upcast(envelope);
  return { type: current.type, data: current.data } as CrmEvent;
};

/** Folds a stored event onto a relationship's record. */
export const recordEnvelope = (record: RelationshipRecord, envelope: EventEnvelope): RelationshipRecord =>
  recordEvent(record, {
    eventId: envelope.eventId,
    occurredAt: envelope.occurredAt,
    actor: envelope.actor,
    event: crmEventOf(envelope),
  });

/** A stream's state at `version`, and the events read to get there (after a snapshot, only those). */
export type Loaded<T> = Readonly<{ state: T; version: number; tail: readonly EventEnvelope[] }>;

/** Where a client's relationship record is kept between writes (its CRM card, `crm_cards`). */
export const CRM_CARDS = 'crm_cards';
export type RelationshipSnapshot = { _id: string; lastVersion: number; record?: string };

/**
 * The CRM's two kinds of stream in the service's event store: a tenant's definitions, a client's
 * relationship — the latter read from its snapshot on the CRM card and the events after it, so
 * that a client with a long history costs one document and what is newer.
 */
@Injectable()
export class CrmStreams {
  private readonly snapshots: Collection<RelationshipSnapshot>;

  constructor(
    private readonly store: EventStore,
    @Inject(MONGO_DB) db: Db,
  ) {
    this.snapshots = db.collection<RelationshipSnapshot>(CRM_CARDS);
  }

  async definitions(tenantId: string): Promise<Loaded<Definitions>> {
    const envelopes = await this.store.readStream(tenantId, CRM_DEFINITIONS_ID);
    return {
      state: envelopes.map(crmEventOf).reduce(evolveDefinitions, DEFAULT_DEFINITIONS),
      version: envelopes.at(-1)?.aggregateVersion ?? 0,
      tail: envelopes,
    };
  }

  async relationship(tenantId: string, clientId: string): Promise<Loaded<RelationshipRecord>> {
    const snapshot = await this.snapshots.findOne(
      { _id: `${tenantId}:${clientId}` },
      { projection: { record: 1, lastVersion: 1 } },
    );
    const base: RelationshipRecord = snapshot?.record ? JSON.parse(snapshot.record) : NEW_RECORD;
    const version = snapshot?.record ? snapshot.lastVersion : 0;
    return this.after(tenantId, clientId, base, version);
  }

  private async after(
    tenantId: string,
    clientId: string,
    base: RelationshipRecord,
    version: number,
  ): Promise<Loaded<RelationshipRecord>> {
    const tail = await this.store.readStream(tenantId, clientId, version + 1);
    return {
      state: tail.reduce(recordEnvelope, base),
      version: tail.at(-1)?.aggregateVersion ?? version,
      tail,
    };
  }

  appendDefinitions(
    tenantId: string,
    expectedVersion: number,
    events: readonly CrmEvent[],
    metadata: EventMetadata,
  ) {
    return this.append(
      tenantId,
      CRM_DEFINITIONS_AGGREGATE,
      CRM_DEFINITIONS_ID,
      expectedVersion,
      events,
      metadata,
    );
  }

  appendRelationship(
    tenantId: string,
    clientId: string,
    expectedVersion: number,
    events: readonly CrmEvent[],
    metadata: EventMetadata,
  ) {
    return this.append(tenantId, CLIENT_RELATIONSHIP_AGGREGATE, clientId, expectedVersion, events, metadata);
  }

  private append(
    tenantId: string,
    aggregateType: string,
    aggregateId: string,
    expectedVersion: number,
    events: readonly CrmEvent[],
    metadata: EventMetadata,
  ): Promise<EventEnvelope[]> {
    return this.store.append({
      tenantId,
      aggregateType,
      aggregateId,
      expectedVersion,
      events: atCurrentVersions(events),
      metadata,
    });
  }
}
