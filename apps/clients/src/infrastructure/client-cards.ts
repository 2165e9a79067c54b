import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Collection, Db } from 'mongodb';
import { normalizeIban, normalizeName } from '@clientbook/identifiers';
import type { EventEnvelope } from '@clientbook/contracts';
import { MONGO_DB } from '@clientbook/platform';
import type { Client } from '../domain';

/**
 * One document per client: the state folded from its events up to `lastVersion` (always the end
 * of a commit), and the normalized fields the list and search filter on. Written only by the card
 * projection; commands and `GET` read it as a snapshot and fold what is newer from the stream.
 */
export type ClientCardDocument = {
  _id: string;
  tenantId: string;
  aggregateId: string;
  lastVersion: number;
  client: Client;
  createdAt: string;
  updatedAt: string;
  // Search fields, all normalized when written.
  status: Client['status'];
  kind: Client['kind'];
  roles: readonly string[];
  residency: Client['residency'];
  nameKey: string;
  codeKey: string | null;
  vatKey: string | null;
  emailKey: string | null;
  countries: string[];
  cityKeys: string[];
  ibans: string[];
};

export type ClientSnapshot = Readonly<{
  id: string;
  client: Client | null;
  version: number;
  createdAt: string | null;
  updatedAt: string | null;
}>;

export const cardId = (tenantId: string, clientId: string): string => `${tenantId}:${clientId}`;

export function cardDocument(
  tenantId: string,
  snapshot: ClientSnapshot & { client: Client },
): ClientCardDocument {
  const { client } = snapshot;
  return {
    _id: cardId(tenantId, snapshot.id),
    tenantId,
    aggregateId: snapshot.id,
    lastVersion: snapshot.version,
    client,
    createdAt: snapshot.createdAt ?? '',
    updatedAt: snapshot.updatedAt ?? '',
    status: client.status,
    kind: client.kind,
    roles: [...client.roles],
    residency: client.residency,
    nameKey: normalizeName(client.name),
    codeKey: client.code ? client.code.toUpperCase() : null,
    vatKey: client.vatCode ? client.vatCode.toUpperCase() : null,
    emailKey: client.email ? client.email.toLowerCase() : null,
    countries: [...new Set(client.addresses.map((a) => a.country))],
    cityKeys: [...new Set(client.addresses.map((a) => normalizeName(a.city)))],
    ibans: client.bankAccounts.map((b) => normalizeIban(b.iban)),
  };
}

/** The client as API.md shows it. */
export function toApiClient(snapshot: ClientSnapshot & { client: Client }) {
  const { client } = snapshot;
  return {
    id: snapshot.id,
    version: snapshot.version,
    kind: client.kind,
    name: client.name,
    firstName: client.firstName,
    lastName: client.lastName,
    code: client.code,
    vatCode: client.vatCode,
    roles: client.roles,
    residency: client.residency,
    email: client.email,
    phone: client.phone,
    website: client.website,
    notes: client.notes,
    addresses: client.addresses,
    bankAccounts: client.bankAccounts,
    isOwnCompany: client.isOwnCompany,
    status: client.status,
    mergedInto: client.mergedInto,
    hasOperations: client.hasOperations,
    createdAt: snapshot.createdAt,
    updatedAt: snapshot.updatedAt,
  };
}

export type ApiClient = ReturnType<typeof toApiClient>;

/** The envelope's time becomes the card's `updatedAt` (and `createdAt` on the first). */
export function stampTimes(
  snapshot: Pick<ClientSnapshot, 'createdAt' | 'updatedAt'>,
  event: Pick<EventEnvelope, 'occurredAt'>,
): { createdAt: string; updatedAt: string } {
  return { createdAt: snapshot.createdAt ?? event.occurredAt, updatedAt: event.occurredAt };
}

@Injectable()
export class ClientCards implements OnApplicationBootstrap {
  readonly collection: Collection<ClientCardDocument>;

  constructor(@Inject(MONGO_DB) db: Db) {
    this.collection = db.collection<ClientCardDocument>('client_cards');
  }

  async onApplicationBootstrap(): Promise<void> {
    // For MongoDB: every list query filters by tenant and status first, then sorts.
    await this.collection.createIndex({ tenantId: 1, status: 1, nameKey: 1, _id: 1 });
    await this.collection.createIndex({ tenantId: 1, status: 1, createdAt: 1, _id: 1 });
    await this.collection.createIndex({ tenantId: 1, codeKey: 1 });
    await this.collection.createIndex({ tenantId: 1, ibans: 1 });
  }

  find(tenantId: string, clientId: string): Promise<ClientCardDocument | null> {
    return this.collection.findOne({ _id: cardId(tenantId, clientId) });
  }

  async save(document: ClientCardDocument): Promise<void> {
    await this.collection.replaceOne({ _id: document._id }, document, { upsert: true });
  }
}
