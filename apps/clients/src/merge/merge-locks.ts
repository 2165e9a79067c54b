import { Inject, Injectable } from '@nestjs/common';
import type { Collection, Db } from 'mongodb';
import { isDuplicateKeyError } from '@clientbook/event-store';
import { MONGO_DB } from '@clientbook/platform';

type MergeLock = { _id: string; tenantId: string; clientId: string; mergeId: string; since: Date };

/** A lock whose merge never got its record is from a process that died before changing anything. */
const ORPHAN_AFTER_MS = 30_000;

/**
 * One lock per client taking part in a merge, inserted under a unique `_id` before the merge is
 * planned: of two merges that share a client, only one holds it. Edits check it too.
 */
@Injectable()
export class MergeLocks {
  private readonly locks: Collection<MergeLock>;

  constructor(@Inject(MONGO_DB) db: Db) {
    this.locks = db.collection<MergeLock>('merge_locks');
  }

  private id(tenantId: string, clientId: string): string {
    return `${tenantId}:${clientId}`;
  }

  /**
   * Locks every client for the merge, or none: returns the ids another merge holds.
   * `mergeExists` tells whether a lock's merge got as far as its record.
   */
  async acquire(
    tenantId: string,
    clientIds: readonly string[],
    mergeId: string,
    mergeExists: (id: string) => Promise<boolean>,
  ): Promise<string[]> {
    const taken: string[] = [];
    const busy: string[] = [];
    for (const clientId of clientIds) {
      if (await this.tryLock(tenantId, clientId, mergeId, mergeExists)) taken.push(clientId);
      else busy.push(clientId);
    }
    if (busy.length > 0) await this.release(tenantId, taken, mergeId);
    return busy;
  }

  private async tryLock(
    tenantId: string,
    clientId: string,
    mergeId: string,
    mergeExists: (id: string) => Promise<boolean>,
  ): Promise<boolean> {
    const _id = this.id(tenantId, clientId);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        await this.locks.insertOne({ _id, tenantId, clientId, mergeId, since: new Date() });
        return true;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
      const held = await this.locks.findOne({ _id });
      if (!held) continue;
      if (held.mergeId === mergeId) return true;
      const orphan =
        Date.now() - held.since.getTime() > ORPHAN_AFTER_MS && !(await mergeExists(held.mergeId));
      if (!orphan) return false;
      await this.locks.deleteOne({ _id, mergeId: held.mergeId });
    }
    return false;
  }

  async release(tenantId: string, clientIds: readonly string[], mergeId: string): Promise<void> {
    await Promise.all(
      clientIds.map((clientId) => this.locks.deleteOne({ _id: this.id(tenantId, clientId), mergeId })),
    );
  }

  /** The merge holding the client, if one does. */
  async holder(tenantId: string, clientId: string): Promise<string | null> {
    const held = await this.locks.findOne({ _id: this.id(tenantId, clientId) });
    return held?.mergeId ?? null;
  }
}
