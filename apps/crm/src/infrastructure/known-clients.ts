import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Collection, Db } from 'mongodb';
import { CLIENT_AGGREGATE, type ClientEvent, EventEnvelope, toClientEvent } from '@clientbook/contracts';
import { applyEachOnce, Projection, VersionedDocument } from '@clientbook/event-store';
import {
  type Caller,
  MONGO_DB,
  readFromService,
  SERVICE_CONFIG,
  type ServiceConfig,
} from '@clientbook/platform';

export type ClientStanding = Readonly<{ status: 'active' | 'merged' | 'deleted'; mergedInto: string | null }>;
type KnownClientDocument = VersionedDocument<ClientStanding>;

function standingAfter(current: ClientStanding | null, event: ClientEvent): ClientStanding {
  switch (event.type) {
    case 'ClientDeleted':
      return { status: 'deleted', mergedInto: null };
    case 'ClientMergedInto':
      return { status: 'merged', mergedInto: event.data.survivorId };
    default:
      return { status: current?.status ?? 'active', mergedInto: current?.mergedInto ?? null };
  }
}

export const CLIENTS_API_URL = Symbol('CLIENTS_API_URL');

/**
 * The clients the CRM may be about, and whether each is active, merged (into whom) or deleted:
 * folded from the clients topic. A client this service has not seen yet (made a moment ago) is
 * asked of the clients service, so it can be used at once.
 */
@Injectable()
export class KnownClients implements Projection, OnApplicationBootstrap {
  readonly name = 'known-clients';
  /** Only these change where a client stands; the rest (an import's operations, most of the topic) are passed over. */
  readonly handles = ['ClientRegistered', 'ClientDeleted', 'ClientMergedInto'];
  private readonly collection: Collection<KnownClientDocument>;

  constructor(
    @Inject(MONGO_DB) db: Db,
    @Inject(CLIENTS_API_URL) private readonly clientsUrl: string,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {
    this.collection = db.collection<KnownClientDocument>('known_clients');
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.collection.createIndex({ tenantId: 1, aggregateId: 1 });
  }

  /** One event: a slice of one (the same round trips as a lone apply would make). */
  apply(event: EventEnvelope): Promise<void> {
    return this.applyBatch([event]);
  }

  /** A slice of the topic: each client's document written once (a burst of new clients in one insert). */
  async applyBatch(events: readonly EventEnvelope[]): Promise<void> {
    const relevant = events.flatMap((event) => {
      const clientEvent = event.aggregateType === CLIENT_AGGREGATE ? toClientEvent(event) : null;
      return clientEvent ? [{ ...event, clientEvent }] : [];
    });
    await applyEachOnce<ClientStanding, (typeof relevant)[number]>(
      this.collection,
      relevant,
      (current, event) => standingAfter(current, event.clientEvent),
    );
  }

  /** Which of the clients are deleted or merged (a client not seen yet counts as active). */
  async gone(tenantId: string, clientIds: readonly string[]): Promise<Set<string>> {
    if (clientIds.length === 0) return new Set();
    const found = await this.collection
      .find({ _id: { $in: clientIds.map((id) => `${tenantId}:${id}`) }, tenantId, status: { $ne: 'active' } })
      .project<{ aggregateId: string }>({ aggregateId: 1 })
      .toArray();
    return new Set(found.map((client) => client.aggregateId));
  }

  /** Where the client stands, or null when the tenant has no such client. */
  async standing(caller: Caller, clientId: string): Promise<ClientStanding | null> {
    const known = await this.collection.findOne({ _id: `${caller.tenantId}:${clientId}` });
    if (known) return { status: known.status, mergedInto: known.mergedInto };
    const body = await readFromService<{ status?: string; mergedInto?: string | null }>(
      this.config.internalSecret,
      { name: 'clients', baseUrl: this.clientsUrl },
      {
        target: `/internal/clients/${encodeURIComponent(clientId)}`,
        tenantId: caller.tenantId,
        actor: { kind: 'system', id: 'crm' },
        correlationId: caller.correlationId,
      },
    );
    if (!body) return null;
    if (body.status !== 'active' && body.status !== 'merged' && body.status !== 'deleted')
      throw new Error('the clients service answered a client without a status');
    return { status: body.status, mergedInto: body.mergedInto ?? null };
  }
}
