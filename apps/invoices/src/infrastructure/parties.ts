import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Collection, Db } from 'mongodb';
import { CLIENT_AGGREGATE, EventEnvelope, toClientEvent } from '@clientbook/contracts';
import { applyEachOnce, Projection, VersionedDocument } from '@clientbook/event-store';
import {
  type Caller,
  MONGO_DB,
  readFromService,
  SERVICE_CONFIG,
  type ServiceConfig,
} from '@clientbook/platform';
import { concernsParty, evolveParty, type Party } from '../domain';

type PartyDocument = VersionedDocument<{ party: Party | null }>;

export const CLIENTS_API_URL = Symbol('CLIENTS_API_URL');

/** A card as the clients service answers it on its internal route. */
type ClientCard = Party & { id: string; version: number };

/**
 * The clients an invoice may be issued to or by, as the invoices service knows them: folded from
 * the clients topic (what an invoice prints, and whether each is active, merged or deleted). A
 * client not seen yet (made a moment ago) is asked of the clients service.
 */
@Injectable()
export class Parties implements Projection, OnApplicationBootstrap {
  readonly name = 'invoice-parties';
  private readonly collection: Collection<PartyDocument>;

  constructor(
    @Inject(MONGO_DB) db: Db,
    @Inject(CLIENTS_API_URL) private readonly clientsUrl: string,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {
    this.collection = db.collection<PartyDocument>('invoice_parties');
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.collection.createIndex({ tenantId: 1, 'party.isOwnCompany': 1 });
  }

  /** One event: a slice of one (the same round trips as a lone apply would make). */
  apply(event: EventEnvelope): Promise<void> {
    return this.applyBatch([event]);
  }

  /** A slice of the topic: each client's document written once (a burst of new clients in one insert). */
  async applyBatch(events: readonly EventEnvelope[]): Promise<void> {
    const relevant = events.flatMap((event) => {
      const clientEvent = event.aggregateType === CLIENT_AGGREGATE ? toClientEvent(event) : null;
      return clientEvent && concernsParty(clientEvent) ? [{ ...event, clientEvent }] : [];
    });
    await applyEachOnce<{ party: Party | null }, (typeof relevant)[number]>(
      this.collection,
      relevant,
      (current, event) => ({ party: evolveParty(current?.party ?? null, event.clientEvent) }),
    );
  }

  /** The client as known here, else as the clients service says now; null when there is none. */
  async find(caller: Caller, clientId: string): Promise<Party | null> {
    const known = await this.collection.findOne({ _id: `${caller.tenantId}:${clientId}` });
    if (known?.party) return known.party;
    return this.askCard(caller, `/internal/clients/${encodeURIComponent(clientId)}`);
  }

  /** The tenant's own company (the seller). */
  async ownCompany(caller: Caller): Promise<{ id: string; party: Party }> {
    const known = await this.collection.findOne({ tenantId: caller.tenantId, 'party.isOwnCompany': true });
    if (known?.party) return { id: known.aggregateId, party: known.party };
    const card = await this.askCard(caller, '/internal/own-company');
    if (!card) throw new Error('the tenant has no own company');
    return { id: card.id, party: card };
  }

  /** Where a merged client lives on now, following merges of merges (at most 20), and by which merge. */
  async survivorOf(
    tenantId: string,
    clientId: string,
  ): Promise<{ clientId: string; mergeId: string } | null> {
    // The merge of the client itself (the first hop) is the one its invoices move by.
    let mergeId: string | null = null;
    let id = clientId;
    for (let hops = 0; hops < 20; hops += 1) {
      const known = await this.collection.findOne({ _id: `${tenantId}:${id}` });
      const party = known?.party;
      if (!party || party.status !== 'merged' || !party.mergedInto) break;
      mergeId ??= party.mergeId ?? 'unknown';
      id = party.mergedInto;
    }
    return mergeId === null ? null : { clientId: id, mergeId };
  }

  private async askCard(caller: Caller, target: string): Promise<ClientCard | null> {
    const card = await readFromService<ClientCard>(
      this.config.internalSecret,
      { name: 'clients', baseUrl: this.clientsUrl },
      {
        target,
        tenantId: caller.tenantId,
        actor: { kind: 'system', id: 'invoices' },
        correlationId: caller.correlationId,
      },
    );
    if (!card) return null;
    return {
      id: card.id,
      version: card.version,
      kind: card.kind,
      name: card.name,
      code: card.code,
      vatCode: card.vatCode,
      addresses: card.addresses,
      bankAccounts: card.bankAccounts,
      isOwnCompany: card.isOwnCompany,
      status: card.status,
      mergedInto: card.mergedInto ?? null,
      mergeId: null,
    };
  }
}
