import { Injectable } from '@nestjs/common';
import pRetry from 'p-retry';
import type { EventEnvelope } from '@clientbook/contracts';
import { AFTER_CONCURRENT_WRITES, VersionConflictError } from '@clientbook/event-store';
import { ApiError, type Caller } from '@clientbook/platform';
import {
  CrmError,
  decideRelationship,
  Definitions,
  evolveRelationship,
  Relationship,
  RelationshipCommand,
} from '../domain';
import { CrmCards } from '../infrastructure/crm-cards';
import { CrmStreams, crmEventOf } from '../infrastructure/crm-streams';
import { KnownClients } from '../infrastructure/known-clients';
import { ClientMovedError } from './client-moved';

/** A client's CRM card as `GET /v1/clients/{id}/crm` shows it. */
export type CrmSummary = {
  status: Definitions['statuses'][number] | null;
  attributes: Definitions['attributes'][number][];
  rating: { average: number | null; count: number };
  openTasks: number;
  lastContactAt: string | null;
};

export type TimelineEntry = {
  id: string;
  kind: 'status' | 'attribute';
  occurredAt: string;
  author: EventEnvelope['actor'];
  data: Record<string, unknown>;
};

const metadataOf = (caller: Caller) => ({
  actor: caller.actor,
  correlationId: caller.correlationId,
  causationId: null,
});

/** What the company knows about each client: its status and attributes, their history. */
@Injectable()
export class ClientRelationships {
  constructor(
    private readonly streams: CrmStreams,
    private readonly clients: KnownClients,
    private readonly cards: CrmCards,
  ) {}

  /** The client a path names, if it may be used: else 404, 410, or the survivor's path (308). */
  async ensureUsable(caller: Caller, clientId: string): Promise<void> {
    const standing = await this.clients.standing(caller, clientId);
    if (!standing) throw new CrmError('not_found', 'no such client');
    if (standing.status === 'deleted') throw new ApiError('client_deleted', 'the client was deleted');
    if (standing.status === 'merged' && standing.mergedInto) throw new ClientMovedError(standing.mergedInto);
  }

  /** Applies a change to a client's relationship (again, on its state then, after a concurrent write). */
  async apply(caller: Caller, clientId: string, command: RelationshipCommand): Promise<void> {
    await pRetry(
      async () => {
        const [definitions, loaded] = await Promise.all([
          this.streams.definitions(caller.tenantId),
          this.streams.relationship(caller.tenantId, clientId),
        ]);
        const events = decideRelationship(command, loaded.state, definitions.state);
        if (events.length === 0) return;
        const stored = await this.streams.appendRelationship(
          caller.tenantId,
          clientId,
          loaded.version,
          events,
          metadataOf(caller),
        );
        await this.cards.record(
          caller.tenantId,
          clientId,
          stored[stored.length - 1].aggregateVersion,
          events.reduce(evolveRelationship, loaded.state),
        );
      },
      { ...AFTER_CONCURRENT_WRITES, shouldRetry: ({ error }) => error instanceof VersionConflictError },
    );
  }

  async change(caller: Caller, clientId: string, command: RelationshipCommand): Promise<CrmSummary> {
    await this.ensureUsable(caller, clientId);
    await this.apply(caller, clientId, command);
    return this.summary(caller, clientId, false);
  }

  async summary(caller: Caller, clientId: string, check = true): Promise<CrmSummary> {
    if (check) await this.ensureUsable(caller, clientId);
    const [definitions, loaded] = await Promise.all([
      this.streams.definitions(caller.tenantId),
      this.streams.relationship(caller.tenantId, clientId),
    ]);
    return summaryOf(loaded.state, definitions.state);
  }

  /** The client's timeline, newest first, `limit` entries after the cursor's. */
  async timeline(
    caller: Caller,
    clientId: string,
    query: { kind?: string; from?: string; to?: string; before?: number; limit: number },
  ): Promise<{ items: TimelineEntry[]; nextBefore: number | null }> {
    await this.ensureUsable(caller, clientId);
    const loaded = await this.streams.relationship(caller.tenantId, clientId);
    const entries = loaded.envelopes
      .filter((e) => query.before === undefined || e.aggregateVersion < query.before)
      .map((envelope) => ({ envelope, entry: entryOf(envelope) }))
      .filter(({ entry }) => !query.kind || entry.kind === query.kind)
      .filter(({ entry }) => !query.from || entry.occurredAt >= query.from)
      .filter(({ entry }) => !query.to || entry.occurredAt < query.to)
      .reverse();
    const page = entries.slice(0, query.limit);
    return {
      items: page.map(({ entry }) => entry),
      nextBefore: entries.length > query.limit ? (page.at(-1)?.envelope.aggregateVersion ?? null) : null,
    };
  }
}

export function summaryOf(state: Relationship, definitions: Definitions): CrmSummary {
  return {
    status: definitions.statuses.find((s) => s.id === state.statusId) ?? null,
    // An attribute whose definition was removed is gone, even where its removal has not landed yet.
    attributes: definitions.attributes.filter((a) => state.attributes.includes(a.id)),
    rating: { average: null, count: 0 },
    openTasks: 0,
    lastContactAt: null,
  };
}

function entryOf(envelope: EventEnvelope): TimelineEntry {
  const event = crmEventOf(envelope);
  const base = { id: envelope.eventId, occurredAt: envelope.occurredAt, author: envelope.actor };
  switch (event.type) {
    case 'ClientStatusSet':
      return { ...base, kind: 'status', data: { ...event.data } };
    case 'ClientAttributeAdded':
      return { ...base, kind: 'attribute', data: { attributeId: event.data.attributeId, change: 'added' } };
    case 'ClientAttributeRemoved':
      return { ...base, kind: 'attribute', data: { ...event.data, change: 'removed' } };
    default:
      return { ...base, kind: 'status', data: {} };
  }
}
