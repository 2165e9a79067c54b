import pRetry from 'p-retry';
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Collection, Db } from 'mongodb';
import { isDuplicateKeyError } from '@clientbook/event-store';
import { MONGO_DB } from '@clientbook/platform';
import { ClientError } from '../domain';
import { ClientLocks } from '../infrastructure/client-locks';
import { ClientRepository } from '../infrastructure/client-repository';

/** A reservation that changed while it was read (freed, or a leftover cleared): try again soon (p-retry). */
const WHILE_A_CLAIM_CHANGES = { retries: 2, minTimeout: 5, maxTimeout: 20, randomize: true } as const;

class ClaimChanged extends Error {
  constructor() {
    super('the code reservation changed while it was read');
  }
}

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
 * insert succeeds. A merge never hands a code over by releasing it: the merged client's
 * reservation stays and counts for the survivor. A reservation left behind by a crash is
 * recognized by nobody holding the code any more, and freed for the next claim.
 */
@Injectable()
export class CodeReservations implements OnApplicationBootstrap {
  private readonly collection: Collection<ReservationDocument>;

  constructor(
    @Inject(MONGO_DB) db: Db,
    private readonly clients: ClientRepository,
    private readonly locks: ClientLocks,
  ) {
    this.collection = db.collection<ReservationDocument>('code_reservations');
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.collection.createIndex({ tenantId: 1, clientId: 1 });
  }

  /**
   * Reserves the code for the client: true when this call made the reservation, false when the
   * client held it already (then it is not this caller's to give back if its write fails).
   */
  async reserve(tenantId: string, code: string, clientId: string, now = new Date()): Promise<boolean> {
    try {
      return await pRetry(() => this.tryReserve(tenantId, code, clientId, now), {
        ...WHILE_A_CLAIM_CHANGES,
        shouldRetry: ({ error }) => error instanceof ClaimChanged,
      });
    } catch (error) {
      if (!(error instanceof ClaimChanged)) throw error;
      throw new ClientError(
        'non_unique_entry',
        `code ${code} is being claimed by another request; try again`,
        [{ field: 'code', message: 'being claimed by another request' }],
      );
    }
  }

  /** One attempt; throws ClaimChanged when the reservation changed under it (try again). */
  private async tryReserve(tenantId: string, code: string, clientId: string, now: Date): Promise<boolean> {
    const _id = `${tenantId}:${code}`;
    try {
      await this.collection.insertOne({ _id, tenantId, code, clientId, reservedAt: now });
      return true;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const existing = await this.collection.findOne({ _id });
    if (!existing) throw new ClaimChanged();
    if (existing.clientId === clientId) return false;
    const holder = await this.holderOf(tenantId, existing.clientId, code);
    const inFlight = now.getTime() - existing.reservedAt.getTime() < IN_FLIGHT_MS;
    if (holder || inFlight) {
      const name = holder ? ` (${holder.name})` : '';
      const message = `code ${code} is already used by client ${holder?.id ?? existing.clientId}${name}`;
      throw new ClientError('non_unique_entry', message, [{ field: 'code', message }]);
    }
    // A leftover nobody holds any more: cleared, and claimed on the next attempt.
    await this.collection.deleteOne({ _id, clientId: existing.clientId });
    throw new ClaimChanged();
  }

  /**
   * Who holds the code a reservation names: its client while active with that code; or, for a
   * merged client, the survivor it lives on in (which took the code over); or, while a merge of
   * the client is under way, that merge. Null when nobody does any more (a leftover).
   */
  private async holderOf(
    tenantId: string,
    clientId: string,
    code: string,
  ): Promise<{ id: string; name: string } | null> {
    let id = clientId;
    for (let hops = 0; hops < 10; hops += 1) {
      if (await this.locks.mergeHolding(tenantId, id)) return { id, name: 'in a merge under way' };
      const client = (await this.clients.load(tenantId, id)).client;
      if (client?.status === 'active') return client.code === code ? { id, name: client.name } : null;
      if (client?.status !== 'merged' || !client.mergedInto) return null;
      id = client.mergedInto;
    }
    return null;
  }

  async release(tenantId: string, code: string, clientId: string): Promise<void> {
    await this.collection.deleteOne({ _id: `${tenantId}:${code}`, clientId });
  }
}
