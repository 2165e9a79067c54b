import { Injectable } from '@nestjs/common';
import {
  CLIENT_RELATIONSHIP_AGGREGATE,
  CRM_DEFINITIONS_AGGREGATE,
  CRM_DEFINITIONS_ID,
  CrmEvent,
  EventEnvelope,
  EventMetadata,
  EVENTS,
} from '@clientbook/contracts';
import { EventStore } from '@clientbook/event-store';
import {
  DEFAULT_DEFINITIONS,
  Definitions,
  evolveDefinitions,
  evolveRelationship,
  NEW_RELATIONSHIP,
  Relationship,
} from '../domain';

/** A stored CRM event as the domain reads it (upcast to its current version). */
export const crmEventOf = (envelope: EventEnvelope): CrmEvent => {
  const current = EVENTS.upcast(envelope);
  return { type: current.type, data: current.data } as CrmEvent;
};

export type Loaded<T> = Readonly<{ state: T; version: number; envelopes: readonly EventEnvelope[] }>;

/** The CRM's two kinds of stream in the service's event store: a tenant's definitions, a client's relationship. */
@Injectable()
export class CrmStreams {
  constructor(private readonly store: EventStore) {}

  async definitions(tenantId: string): Promise<Loaded<Definitions>> {
    const envelopes = await this.store.readStream(tenantId, CRM_DEFINITIONS_ID);
    return {
      state: envelopes.map(crmEventOf).reduce(evolveDefinitions, DEFAULT_DEFINITIONS),
      version: envelopes.at(-1)?.aggregateVersion ?? 0,
      envelopes,
    };
  }

  async relationship(tenantId: string, clientId: string): Promise<Loaded<Relationship>> {
    const envelopes = await this.store.readStream(tenantId, clientId);
    return {
      state: envelopes.map(crmEventOf).reduce(evolveRelationship, NEW_RELATIONSHIP),
      version: envelopes.at(-1)?.aggregateVersion ?? 0,
      envelopes,
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
      events: events.map((event) => ({
        type: event.type,
        schemaVersion: EVENTS.latestVersion(event.type),
        data: event.data,
      })),
      metadata,
    });
  }
}
