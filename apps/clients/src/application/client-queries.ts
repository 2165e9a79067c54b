import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Caller } from '@clientbook/platform';
import { ClientError, ClientSnapshot } from '../domain';
import { ClientCards } from '../infrastructure/client-cards';
import type { ClientListCriteria } from '../infrastructure/client-search-index';
import { ClientRepository } from '../infrastructure/client-repository';

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

  execute({ caller, criteria }: ListClientsQuery): Promise<ClientPage> {
    return this.cards.search(caller.tenantId, criteria);
  }
}
