import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import pRetry from 'p-retry';
import type { Collection, Db } from 'mongodb';
import { insertEach, isDuplicateKeyError } from '@clientbook/event-store';
import { MONGO_DB } from '@clientbook/platform';
import { ClientError } from '../domain';

/** Whether a merge got as far as its audit record (then the recovery finishes it, however old its lock). */
export type MergeRecordedCheck = (mergeId: string) => Promise<boolean>;
export const MERGE_RECORDED = Symbol('MERGE_RECORDED');

/** `holder` is a merge id, or `edit:<uuid>` for a write of one client. */
type ClientLock = { _id: string; tenantId: string; clientId: string; mergeId: string; since: Date };

/** A merge lock this old whose merge has no record is from a process that died before planning. */
const ORPHAN_MERGE_AFTER_MS = 30_000;
/** A write holds its lock for milliseconds: one this old is from a process that died mid-write. */
const ORPHAN_WRITE_AFTER_MS = 5_000;
/** How often a write in progress renews its lock. */
const RENEW_WRITE_LOCK_MS = 1_000;
/** How long a merge or a write waits for another write of the same client (or its orphan) to clear. */
const WAIT_FOR_WRITE_MS = ORPHAN_WRITE_AFTER_MS + 1_000;

/** How a write's lock is waited for: short pauses growing to 50 ms, WAIT_FOR_WRITE_MS at most (p-retry). */
const WHILE_A_WRITE_HOLDS_IT = {
  retries: 200,
  minTimeout: 5,
  maxTimeout: 50,
  factor: 1.5,
  maxRetryTime: WAIT_FOR_WRITE_MS,
} as const;

const isEdit = (holder: string) => holder.startsWith('edit:');

/** Another write holds the lock: wait and try again. */
class HeldByWrite extends Error {
  constructor(readonly holder: string) {
    super('the client is locked by another write');
  }
}

/** The lock went away (released, or an orphan cleared) between two reads: try again at once. */
class LockChanged extends Error {
  constructor() {
    super('the lock changed while it was read');
  }
}

/**
 * One lock per client, inserted under a unique `_id`: a merge holds the lock of every client it
 * takes part in from before it plans until it is done; a write of one client holds it from before
 * its append until after. So no write lands between a merge's plan and its events (an edit the
 * plan did not see), and no merge plans on a client a write is about to change.
 */
@Injectable()
export class ClientLocks {
  private readonly locks: Collection<ClientLock>;

  constructor(
    @Inject(MONGO_DB) db: Db,
    @Inject(MERGE_RECORDED) private readonly isRecorded: MergeRecordedCheck,
  ) {
    this.locks = db.collection<ClientLock>('merge_locks');
  }

  private id(tenantId: string, clientId: string): string {
    return `${tenantId}:${clientId}`;
  }

  /**
   * Locks every client for the merge, or none: returns the ids another merge holds (a write in
   * progress is waited for).
   */
  async acquire(tenantId: string, clientIds: readonly string[], mergeId: string): Promise<string[]> {
    // Every lock in one insert; only those some other holder has are then taken one at a time
    // (waiting for a write, clearing an orphan), as a single lock is.
    const since = new Date();
    const failures = await insertEach(
      this.locks,
      clientIds.map((clientId) => ({ _id: this.id(tenantId, clientId), tenantId, clientId, mergeId, since })),
    );
    const taken = clientIds.filter((_, index) => !failures.has(index));
    const busy: string[] = [];
    for (const [index, failure] of failures) {
      if (!isDuplicateKeyError(failure)) {
        await this.release(tenantId, taken, mergeId);
        throw failure instanceof Error ? failure : new Error(String(failure));
      }
      const clientId = clientIds[index];
      const holder = await this.lock(tenantId, clientId, mergeId);
      if (holder === null) taken.push(clientId);
      else busy.push(clientId);
    }
    if (busy.length > 0) await this.release(tenantId, taken, mergeId);
    return busy;
  }

  /**
   * Locks one client for a write; the write must call `release` when it is stored (or not).
   * Refused with client_not_active while a merge holds the client.
   */
  async lockForWrite(tenantId: string, clientId: string): Promise<{ release(): Promise<void> }> {
    const holder = `edit:${randomUUID()}`;
    const other = await this.lock(tenantId, clientId, holder);
    if (other !== null && !isEdit(other))
      throw new ClientError('client_not_active', 'a merge of this client is in progress; try again shortly');
    if (other !== null)
      throw new ClientError('version_conflict', 'another change of this client is under way; try again');
    return this.heldForWrite(tenantId, [clientId], holder);
  }

  /**
   * A write's locks, kept fresh until released: however long its appends take (a slow store),
   * they are never taken for the orphans of a process that died.
   */
  private heldForWrite(
    tenantId: string,
    clientIds: readonly string[],
    holder: string,
  ): { release(): Promise<void> } {
    const ids = clientIds.map((clientId) => this.id(tenantId, clientId));
    // By `_id` for one lock (the lookup every backend answers from an index).
    const held = ids.length === 1 ? { _id: ids[0], mergeId: holder } : { _id: { $in: ids }, mergeId: holder };
    const renewal = setInterval(() => {
      void this.locks.updateMany(held, { $set: { since: new Date() } }).catch(() => undefined);
    }, RENEW_WRITE_LOCK_MS);
    renewal.unref();
    return {
      release: () => {
        clearInterval(renewal);
        return this.release(tenantId, clientIds, holder);
      },
    };
  }

  /**
   * Locks many clients for one write each, in one insert, without waiting: the clients locked
   * (to be released together), and those some other holder has (a write or merge under way; their
   * writers go the way of `lockForWrite`, which waits for a write and refuses during a merge).
   */
  async lockManyForWrite(
    tenantId: string,
    clientIds: readonly string[],
  ): Promise<{ locked: ReadonlySet<string>; release(): Promise<void> }> {
    const holder = `edit:${randomUUID()}`;
    const since = new Date();
    const failures = await insertEach(
      this.locks,
      clientIds.map((clientId) => ({
        _id: this.id(tenantId, clientId),
        tenantId,
        clientId,
        mergeId: holder,
        since,
      })),
    );
    const locked = clientIds.filter((_, index) => !failures.has(index));
    const unexpected = [...failures.values()].find((failure) => !isDuplicateKeyError(failure));
    if (unexpected !== undefined) {
      await this.release(tenantId, locked, holder);
      throw unexpected instanceof Error ? unexpected : new Error(String(unexpected));
    }
    return { locked: new Set(locked), ...this.heldForWrite(tenantId, locked, holder) };
  }

  /**
   * Takes the client's lock for `holder`: null when taken, else who holds it. A write's lock is
   * waited for (it is over in milliseconds) up to WAIT_FOR_WRITE_MS; a merge's is not.
   */
  private async lock(tenantId: string, clientId: string, holder: string): Promise<string | null> {
    try {
      return await pRetry(() => this.tryLock(tenantId, clientId, holder), {
        ...WHILE_A_WRITE_HOLDS_IT,
        shouldRetry: ({ error }) => error instanceof HeldByWrite || error instanceof LockChanged,
      });
    } catch (error) {
      if (error instanceof HeldByWrite) return error.holder;
      // Taken and freed again and again while waiting: treat it as held by another write.
      if (error instanceof LockChanged) return 'edit:contended';
      throw error;
    }
  }

  /** One attempt: null when taken, a merge's id when a merge holds it; throws to be tried again. */
  private async tryLock(tenantId: string, clientId: string, holder: string): Promise<string | null> {
    const _id = this.id(tenantId, clientId);
    try {
      await this.locks.insertOne({ _id, tenantId, clientId, mergeId: holder, since: new Date() });
      return null;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const held = await this.locks.findOne({ _id });
    if (!held) throw new LockChanged();
    if (held.mergeId === holder) return null;
    const age = Date.now() - held.since.getTime();
    // A merge that got as far as its record is finished by the recovery, however old its lock.
    const orphan = isEdit(held.mergeId)
      ? age > ORPHAN_WRITE_AFTER_MS
      : age > ORPHAN_MERGE_AFTER_MS && !(await this.isRecorded(held.mergeId));
    if (orphan) {
      await this.locks.deleteOne({ _id, mergeId: held.mergeId });
      throw new LockChanged();
    }
    if (isEdit(held.mergeId)) throw new HeldByWrite(held.mergeId);
    return held.mergeId;
  }

  async release(tenantId: string, clientIds: readonly string[], holder: string): Promise<void> {
    if (clientIds.length === 0) return;
    if (clientIds.length === 1) {
      await this.locks.deleteOne({ _id: this.id(tenantId, clientIds[0]), mergeId: holder });
      return;
    }
    // One call for a merge's many locks: the collection holds only the locks held right now, so
    // even a backend that reads it whole for this filter reads little.
    await this.locks.deleteMany({
      _id: { $in: clientIds.map((clientId) => this.id(tenantId, clientId)) },
      tenantId,
      mergeId: holder,
    });
  }

  /** The merge holding the client, if one does (a write's lock is not a merge). */
  async mergeHolding(tenantId: string, clientId: string): Promise<string | null> {
    const held = await this.locks.findOne({ _id: this.id(tenantId, clientId) });
    return held && !isEdit(held.mergeId) ? held.mergeId : null;
  }
}
