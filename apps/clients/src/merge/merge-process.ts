import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { ClientEvent, ClientsMerged } from '@clientbook/contracts';
import { AFTER_CONCURRENT_WRITES, MAX_GROUP_COMMIT, VersionConflictError } from '@clientbook/event-store';
import pMap from 'p-map';
import pRetry from 'p-retry';
import type { Caller } from '@clientbook/platform';
import { CodeReservations } from '../application/code-reservations';
import { ClientError, MergeCandidate, MergeObstacle, planMerge, ClientSnapshot } from '../domain';
import { MergeFaults } from './merge-faults';
import { ClientLocks } from '../infrastructure/client-locks';
import { MergeRecord, MergeRecords } from './merge-records';
import { ClientRepository } from '../infrastructure/client-repository';
import { ApiClient, toApiClient } from '../http/api-client';

export type MergeRequest = { keepId: string; mergeIds: string[]; reason: string | null };

export type MergePreview = {
  client: ApiClient | null;
  obstacles: readonly MergeObstacle[];
  moves: { operations: number };
};

/** A merge refused for obstacles: 409 merge_blocked with one error per client. */
export class MergeBlockedError extends Error {
  readonly code = 'merge_blocked';
  constructor(readonly errors: readonly MergeObstacle[]) {
    super(`the merge is blocked: ${errors.map((e) => `${e.field}: ${e.code}`).join('; ')}`);
  }
}

const present = (snapshot: ClientSnapshot): ApiClient | null =>
  snapshot.client ? toApiClient({ ...snapshot, client: snapshot.client }) : null;

/**
 * Merges clients across their streams, crash-safely. Locks every involved client, plans the
 * merge (all obstacles at once), stores the audit record (the point of no return), then appends
 * `ClientMergedInto` to each merged client and `ClientsMerged` to the survivor. Each append is
 * idempotent, so the recovery can replay a merge whose process died at any step; before the
 * record exists, nothing has changed and the locks expire.
 */
@Injectable()
export class MergeProcess implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('MergeProcess');
  private recovery: NodeJS.Timeout | null = null;

  constructor(
    private readonly clients: ClientRepository,
    private readonly records: MergeRecords,
    private readonly locks: ClientLocks,
    private readonly reservations: CodeReservations,
    private readonly faults: MergeFaults,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.resumeUnfinished();
    this.recovery = setInterval(() => void this.resumeUnfinished().catch(() => undefined), 30_000);
    this.recovery.unref();
  }

  onApplicationShutdown(): void {
    if (this.recovery) clearInterval(this.recovery);
  }

  private async candidates(
    tenantId: string,
    request: MergeRequest,
  ): Promise<{ keep: MergeCandidate; merged: MergeCandidate[]; snapshots: ClientSnapshot[] }> {
    const ids = [request.keepId, ...request.mergeIds];
    const snapshots = await pMap(ids, (id) => this.clients.load(tenantId, id), { concurrency: 16 });
    const candidates = snapshots.map((s) => ({ id: s.id, client: s.client }));
    return { keep: candidates[0], merged: candidates.slice(1), snapshots };
  }

  async preview(caller: Caller, request: MergeRequest): Promise<MergePreview> {
    const { keep, merged, snapshots } = await this.candidates(caller.tenantId, request);
    const plan = planMerge('preview', keep, merged);
    const survivor = snapshots[0];
    return {
      client: plan.after
        ? toApiClient({ ...survivor, version: survivor.version + 1, client: plan.after })
        : null,
      obstacles: plan.obstacles,
      moves: { operations: plan.operations },
    };
  }

  async merge(caller: Caller, request: MergeRequest): Promise<MergeRecord> {
    const { tenantId } = caller;
    const mergeId = randomUUID();
    const involved = [request.keepId, ...request.mergeIds];
    const busy = await this.locks.acquire(tenantId, [...new Set(involved)], mergeId);
    if (busy.length > 0) {
      throw new MergeBlockedError(
        busy.map((id) => ({
          field: id,
          code: 'client_not_active',
          message: 'another merge of this client is in progress',
        })),
      );
    }
    let record: MergeRecord;
    try {
      await this.faults.check('locked');
      const { keep, merged, snapshots } = await this.candidates(tenantId, request);
      const plan = planMerge(mergeId, keep, merged);
      if (plan.obstacles.length > 0 || !plan.after) throw new MergeBlockedError(plan.obstacles);
      const survivor = snapshots[0];
      record = {
        _id: mergeId,
        tenantId,
        status: 'pending',
        occurredAt: new Date().toISOString(),
        completedAt: null,
        actor: caller.actor,
        correlationId: caller.correlationId,
        reason: request.reason,
        keepId: request.keepId,
        mergedIds: request.mergeIds,
        before: Object.fromEntries(
          snapshots.flatMap((s) => {
            const c = present(s);
            return c ? [[s.id, c]] : [];
          }),
        ),
        after: toApiClient({ ...survivor, version: survivor.version + 1, client: plan.after }),
        versions: Object.fromEntries(snapshots.map((s) => [s.id, s.version])),
        moved: { operations: plan.operations },
        survivorEvent: plan.survivorEvent as ClientsMerged,
      };
      await this.records.begin(record);
    } catch (error) {
      await this.locks.release(tenantId, involved, mergeId).catch(() => undefined);
      throw error;
    }
    await this.faults.check('recorded');
    return this.complete(record, caller);
  }

  /** Carries out a recorded merge; every step is idempotent, so it may run again after a crash. */
  private async complete(record: MergeRecord, caller: Caller): Promise<MergeRecord> {
    const { tenantId } = record;
    const metadata = { actor: caller.actor, correlationId: caller.correlationId, causationId: record._id };
    const mergedInto: ClientEvent = {
      type: 'ClientMergedInto',
      data: { mergeId: record._id, survivorId: record.keepId },
    };
    await pMap(
      record.mergedIds,
      async (id, index) => {
        // The merge has held every client's lock since it planned, so each is still at the
        // version the record noted: appended there without reading it again. A conflict means a
        // run before this one (then cut short) appended it already: read, and decide again.
        const planned = record.versions[id];
        const appended =
          planned !== undefined &&
          (await this.clients.append(tenantId, id, planned, [mergedInto], metadata).then(
            () => true,
            (error: unknown) => {
              if (error instanceof VersionConflictError) return false;
              throw error;
            },
          ));
        if (!appended)
          await this.appendOnce(tenantId, id, metadata, (snapshot) =>
            snapshot.client?.status === 'merged' ? [] : [mergedInto],
          );
        if (index === 0) await this.faults.check('merged-one');
      },
      // All at once, so the event store stores them in one or two group commits. In rounds of 64
      // a 1,000-client merge spent 4.8 s here (the relay's and the projections' work on the first
      // rounds slowed the later ones); at once, 0.45 s (ADR 0015).
      { concurrency: MAX_GROUP_COMMIT },
    );
    await this.faults.check('merged-all');

    const stored = await this.appendOnce(tenantId, record.keepId, metadata, (snapshot) =>
      snapshot.client?.merges?.includes(record._id) ? [] : [record.survivorEvent],
    );
    await this.faults.check('survivor');

    // Codes: one the survivor took over stays reserved under the merged client it came from and
    // counts for the survivor (CodeReservations.holderOf), so it is never free in between. Any
    // other code of a merged client (the survivor kept its own) is released.
    const kept = new Set([record.survivorEvent.data.changes.code, record.after.code].filter(Boolean));
    await Promise.all(
      record.mergedIds.map((id) => {
        const code = record.before[id]?.code;
        return code && !kept.has(code) ? this.reservations.release(tenantId, code, id) : undefined;
      }),
    );
    await this.faults.check('codes');

    const after = present(stored) ?? record.after;
    const completedAt = new Date().toISOString();
    await this.records.complete(record._id, after, completedAt);
    await this.locks.release(tenantId, [record.keepId, ...record.mergedIds], record._id);
    return { ...record, status: 'completed', after, completedAt };
  }

  /**
   * Appends what `decide` returns for the client's current state, read again after a concurrent
   * write (a few times, with short pauses; then the merge is left to the recovery).
   */
  private appendOnce(
    tenantId: string,
    clientId: string,
    metadata: { actor: Caller['actor']; correlationId: string; causationId: string },
    decide: (snapshot: ClientSnapshot) => ClientEvent[],
  ): Promise<ClientSnapshot> {
    return pRetry(
      async () => {
        const snapshot = await this.clients.load(tenantId, clientId);
        const events = decide(snapshot);
        if (events.length === 0) return snapshot;
        return this.clients.write(tenantId, snapshot, events, metadata);
      },
      { ...AFTER_CONCURRENT_WRITES, shouldRetry: ({ error }) => error instanceof VersionConflictError },
    );
  }

  /** Completes merges whose process died after recording them. */
  async resumeUnfinished(): Promise<number> {
    const unfinished = await this.records.unfinished();
    for (const record of unfinished) {
      this.logger.warn(`completing merge ${record._id} left unfinished`);
      await this.complete(record, {
        tenantId: record.tenantId,
        actor: record.actor,
        correlationId: record.correlationId,
      });
    }
    return unfinished.length;
  }

  async get(caller: Caller, mergeId: string): Promise<MergeRecord> {
    const record = await this.records.find(caller.tenantId, mergeId);
    if (!record) throw new ClientError('not_found', 'no such merge');
    return record;
  }

  list(caller: Caller): Promise<MergeRecord[]> {
    return this.records.list(caller.tenantId);
  }
}
