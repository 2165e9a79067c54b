import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Collection, Db } from 'mongodb';
import { isDuplicateKeyError } from '@clientbook/event-store';
import { MONGO_DB } from '@clientbook/platform';
import { ClientError } from '../domain';
import { ClientRepository } from './client-repository';

type ReservationDocument = {
  _id: string;
  tenantId: string;
  code: string;
  clientId: string;
  reservedAt: Date;
};

/** How long a reservation whose client does not (yet) show the code still counts: an append in flight. */
const IN_FLIGHT_MS = 30_000;

/**
 * A client's code is unique among the tenant's active clients. The reservation, keyed
 * `tenant:code`, is inserted before the event is stored, so of two racing claims exactly one
 * insert succeeds. A reservation left behind by a crash is recognized by its holder no longer
 * showing the code, and freed for the next claim.
 */
@Injectable()
export class CodeReservations implements OnApplicationBootstrap {
  private readonly collection: Collection<ReservationDocument>;

  constructor(
    @Inject(MONGO_DB) db: Db,
    private readonly clients: ClientRepository,
  ) {
    this.collection = db.collection<ReservationDocument>('code_reservations');
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.collection.createIndex({ tenantId: 1, clientId: 1 });
  }

  async reserve(tenantId: string, code: string, clientId: string, now = new Date()): Promise<void> {
    const _id = `${tenantId}:${code}`;
    for (let attempt = 0; attempt < 3; attempt += 1) {
      try {
        await this.collection.insertOne({ _id, tenantId, code, clientId, reservedAt: now });
        return;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
      const existing = await this.collection.findOne({ _id });
      if (!existing) continue;
      if (existing.clientId === clientId) return;
      const holder = await this.clients.load(tenantId, existing.clientId);
      const holds = holder.client?.status === 'active' && holder.client.code === code;
      const inFlight = now.getTime() - existing.reservedAt.getTime() < IN_FLIGHT_MS;
      if (holds || inFlight) {
        const name = holder.client ? ` (${holder.client.name})` : '';
        const message = `code ${code} is already used by client ${existing.clientId}${name}`;
        throw new ClientError('non_unique_entry', message, [{ field: 'code', message }]);
      }
      await this.collection.deleteOne({ _id, clientId: existing.clientId });
    }
    throw new ClientError('non_unique_entry', `code ${code} is being claimed by another request; try again`, [
      { field: 'code', message: 'being claimed by another request' },
    ]);
  }

  async release(tenantId: string, code: string, clientId: string): Promise<void> {
    await this.collection.deleteOne({ _id: `${tenantId}:${code}`, clientId });
  }
}
