import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Caller } from '@clientbook/platform';
import { ClientError } from '../domain';
import { ClientCards, ClientSnapshot } from '../infrastructure/client-cards';
import { ClientListCriteria, listFilter, nextCursor, sortOf } from '../infrastructure/client-list-filter';
import { ClientRepository } from './client-repository';

export class GetClientQuery {
  constructor(
    readonly caller: Caller,
    readonly clientId: string,
  ) {}
}

/** A client as of its latest event, read-your-writes; answers for merged and deleted ones too. */
@QueryHandler(GetClientQuery)
export class GetClientHandler implements IQueryHandler<GetClientQuery, ClientSnapshot> {
  constructor(private readonly clients: ClientRepository) {}

  async execute({ caller, clientId }: GetClientQuery): Promise<ClientSnapshot> {
    const snapshot = await this.clients.load(caller.tenantId, clientId);
    if (!snapshot.client) throw new ClientError('not_found', 'no such client');
    return snapshot;
  }
}

export class GetClientHistoryQuery {
  constructor(
    readonly caller: Caller,
    readonly clientId: string,
  ) {}
}

export type HistoryItem = {
  version: number;
  type: string;
  occurredAt: string;
  actor: unknown;
  correlationId: string;
  data: unknown;
};

@QueryHandler(GetClientHistoryQuery)
export class GetClientHistoryHandler implements IQueryHandler<GetClientHistoryQuery, HistoryItem[]> {
  constructor(private readonly clients: ClientRepository) {}

  async execute({ caller, clientId }: GetClientHistoryQuery): Promise<HistoryItem[]> {
    const events = await this.clients.history(caller.tenantId, clientId);
    if (events.length === 0) throw new ClientError('not_found', 'no such client');
    return events.map((e) => ({
      version: e.aggregateVersion,
      type: e.type,
      occurredAt: e.occurredAt,
      actor: e.actor,
      correlationId: e.correlationId,
      data: e.data,
    }));
  }
}

export class ListClientsQuery {
  constructor(
    readonly caller: Caller,
    readonly criteria: ClientListCriteria,
  ) {}
}

export type ClientPage = { items: ClientSnapshot[]; nextCursor: string | null };

/** The list and search, from the card read model (reflects writes within the projection's lag). */
@QueryHandler(ListClientsQuery)
export class ListClientsHandler implements IQueryHandler<ListClientsQuery, ClientPage> {
  constructor(private readonly cards: ClientCards) {}

  async execute({ caller, criteria }: ListClientsQuery): Promise<ClientPage> {
    const limit = criteria.limit ?? 50;
    const documents = await this.cards.collection
      .find(listFilter(caller.tenantId, criteria))
      .sort(sortOf(criteria.sort).mongo)
      .limit(limit + 1)
      .toArray();
    const page = documents.slice(0, limit);
    return {
      items: page.map((d) => ({
        id: d.aggregateId,
        client: d.client,
        version: d.lastVersion,
        createdAt: d.createdAt,
        updatedAt: d.updatedAt,
      })),
      nextCursor: documents.length > limit ? nextCursor(page[page.length - 1], criteria.sort) : null,
    };
  }
}
