import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Collection, Db } from 'mongodb';
import type { EventEnvelope, EventMetadata } from '@clientbook/contracts';
import { insertEach } from './bulk-writes';
import { isDuplicateKeyError, VersionConflictError } from './errors';

/** An event as a decider produces it; the store adds identity, position and metadata. */
export type NewEvent = Readonly<{ type: string; schemaVersion: number; data: unknown }>;

export type AppendRequest = Readonly<{
  tenantId: string;
  aggregateType: string;
  aggregateId: string;
  /** The version the caller read with `readStream` (0 for a new stream). */
  expectedVersion: number;
  events: readonly NewEvent[];
  metadata: EventMetadata;
}>;

/**
 * One document per append: all events of one command, stored by a single insert, so they are
 * stored together or not at all. `_id` is `tenant:aggregate:firstVersion`: two commands that read
 * the same version race for the same `_id` and the unique index lets exactly one in. Events are
 * kept as a JSON string so tenant data can hold any key (MongoDB forbids `.` and `$` in keys).
 */
export type CommitDocument = {
  _id: string;
  tenantId: string;
  aggregateId: string;
  firstVersion: number;
  lastVersion: number;
  attemptId: string;
  storedAt: Date;
  events: string;
};

/**
 * Written before the commit: "this stream may have something to publish". The relay reads the
 * commits themselves; an entry is cleared once a commit holds its version (never by age).
 */
export type OutboxDocument = {
  _id: string;
  tenantId: string;
  aggregateId: string;
  firstVersion: number;
  createdAt: Date;
};

export type EventStoreOptions = {
  /** Collection names start with this (default `es_`). */
  prefix?: string;
  now?: () => Date;
  newId?: () => string;
};

/** How many commits a stream read walks one `_id` lookup at a time before it asks for the rest at once. */
const WALK_COMMITS = 8;

/**
 * How many of the commits it stored a store keeps in memory (a commit never changes once stored):
 * the relay publishes them, and a projection of the same process folds them, without a lookup.
 */
const RECENT_COMMITS = 10_000;

/**
 * The most appends stored by one group commit: a caller with many appends to make (a merge) makes
 * this many at once, so they are stored together rather than in many small rounds.
 */
export const MAX_GROUP_COMMIT = 500;

type PendingAppend = {
  outbox: OutboxDocument;
  commit: CommitDocument;
  conflict: () => VersionConflictError;
  resolve: () => void;
  reject: (error: unknown) => void;
};

export function streamKey(tenantId: string, aggregateId: string): string {
  return `${tenantId}:${aggregateId}`;
}

function assertIdPart(name: string, value: string): void {
  if (!value || value.includes(':'))
    throw new Error(`${name} must be non-empty and free of ':' (got ${JSON.stringify(value)})`);
}

export class EventStore {
  readonly commits: Collection<CommitDocument>;
  readonly outbox: Collection<OutboxDocument>;
  private readonly now: () => Date;
  private readonly newId: () => string;
  private readonly appendListeners = new Set<() => void>();
  private readonly pending: PendingAppend[] = [];
  private storing = false;
  private readonly recentCommits = new LRUCache<string, CommitDocument>({ max: RECENT_COMMITS });
  // Outbox entries whose commit this store is inserting: a relay that reads them now would find no
  // commit yet, or find it only by a lookup. They are left for the round after the append.
  private readonly entriesBeingStored = new Set<string>();

  constructor(
    readonly db: Db,
    options: EventStoreOptions = {},
  ) {
    const prefix = options.prefix ?? 'es_';
    this.commits = db.collection<CommitDocument>(`${prefix}commits`);
    this.outbox = db.collection<OutboxDocument>(`${prefix}outbox`);
    this.now = options.now ?? (() => new Date());
    this.newId = options.newId ?? randomUUID;
  }

  /** Indexes for MongoDB (tenant first); on FerretDB they enforce uniqueness, reads go by `_id`. */
  async ensureIndexes(): Promise<void> {
    await this.commits.createIndex({ tenantId: 1, aggregateId: 1, firstVersion: 1 }, { unique: true });
    await this.outbox.createIndex({ tenantId: 1, aggregateId: 1, firstVersion: 1 });
  }

  /** Whether this store is inserting the commit of this outbox entry right now (outcome not known yet). */
  isStoring(entryId: string): boolean {
    return this.entriesBeingStored.has(entryId);
  }

  /** Called after every successful append, so a relay in the same process publishes at once. */
  onAppended(listener: () => void): () => void {
    this.appendListeners.add(listener);
    return () => this.appendListeners.delete(listener);
  }

  /**
   * Stores all events of one command atomically, or throws VersionConflictError when another
   * command got there first. Nothing is half-stored: the commit is one insert.
   */
  async append(request: AppendRequest): Promise<EventEnvelope[]> {
    const { tenantId, aggregateId, expectedVersion, events, metadata } = request;
    assertIdPart('tenantId', tenantId);
    assertIdPart('aggregateId', aggregateId);
    if (!Number.isInteger(expectedVersion) || expectedVersion < 0)
      throw new Error('expectedVersion must be an integer ≥ 0');
    if (events.length === 0) throw new Error('append needs at least one event');

    const occurredAt = this.now();
    const firstVersion = expectedVersion + 1;
    const envelopes: EventEnvelope[] = events.map((event, index) => ({
      eventId: this.newId(),
      type: event.type,
      schemaVersion: event.schemaVersion,
      tenantId,
      aggregateType: request.aggregateType,
      aggregateId,
      aggregateVersion: firstVersion + index,
      occurredAt: occurredAt.toISOString(),
      actor: metadata.actor,
      correlationId: metadata.correlationId,
      causationId: metadata.causationId,
      data: event.data,
    }));
    const attemptId = this.newId();
    await new Promise<void>((resolve, reject) => {
      this.pending.push({
        outbox: { _id: attemptId, tenantId, aggregateId, firstVersion, createdAt: occurredAt },
        commit: {
          _id: `${streamKey(tenantId, aggregateId)}:${firstVersion}`,
          tenantId,
          aggregateId,
          firstVersion,
          lastVersion: firstVersion + envelopes.length - 1,
          attemptId,
          storedAt: occurredAt,
          events: JSON.stringify(envelopes),
        },
        conflict: () => new VersionConflictError(aggregateId, expectedVersion),
        resolve,
        reject,
      });
      this.flush();
    });
    for (const listener of this.appendListeners) listener();
    return envelopes;
  }

  /**
   * Group commit: an append is stored at once when nothing else is being stored; appends that
   * arrive meanwhile wait and are stored together after it, in one unordered insert of their
   * outbox entries and one of their commits. Each still succeeds or fails on its own.
   */
  private flush(): void {
    if (this.storing || this.pending.length === 0) return;
    this.storing = true;
    const batch = this.pending.splice(0, MAX_GROUP_COMMIT);
    void this.store(batch).finally(() => {
      this.storing = false;
      this.flush();
    });
  }

  private async store(batch: readonly PendingAppend[]): Promise<void> {
    for (const append of batch) this.entriesBeingStored.add(append.outbox._id);
    try {
      // The outbox entries go first: a commit that is stored always has an entry, even if the
      // process dies right after storing it.
      const entryFailures = await insertEach(
        this.outbox,
        batch.map((append) => append.outbox),
      );
      const ready = batch.filter((append, i) => {
        const failure = entryFailures.get(i);
        if (failure !== undefined) append.reject(failure);
        return failure === undefined;
      });
      if (ready.length === 0) return;
      const commitFailures = await insertEach(
        this.commits,
        ready.map((append) => append.commit),
      );
      const lost: PendingAppend[] = [];
      ready.forEach((append, i) => {
        const failure = commitFailures.get(i);
        if (failure === undefined) {
          this.recentCommits.set(append.commit._id, append.commit);
          // Ready for the relay before the append's caller (and the relay) hears of it.
          this.entriesBeingStored.delete(append.outbox._id);
          return append.resolve();
        }
        // Another command holds this version: the entry is ours to clear.
        if (isDuplicateKeyError(failure)) return lost.push(append);
        // Unknown outcome (the insert may have landed): the entry stays, the relay decides.
        append.reject(failure);
      });
      if (lost.length === 0) return;
      // A conflict is answered once its entry is gone, so the loser leaves nothing behind for the
      // relay to look up. Should the delete fail, the relay clears the entry: the winner's commit
      // holds its version.
      await this.outbox
        .deleteMany({ _id: { $in: lost.map((append) => append.outbox._id) } })
        .catch(() => undefined);
      for (const append of lost) append.reject(append.conflict());
    } catch (error) {
      for (const append of batch) append.reject(error);
    } finally {
      for (const append of batch) this.entriesBeingStored.delete(append.outbox._id);
    }
  }

  /**
   * The commit that starts at `version`, or null when none does: from memory when this store
   * stored it lately, else one `_id` lookup.
   */
  async commitStartingAt(
    tenantId: string,
    aggregateId: string,
    version: number,
  ): Promise<CommitDocument | null> {
    const _id = `${streamKey(tenantId, aggregateId)}:${version}`;
    return this.recentCommits.get(_id) ?? (await this.commits.findOne({ _id }));
  }

  /**
   * Every event of a stream from `fromVersion` (a version that starts a commit), oldest first —
   * or, given `throughVersion`, at least through that version when the store has it: no lookup
   * is spent past it. Walks commit by commit through `_id` lookups (the one query every backend
   * answers from an index) for the first few; a longer stream's rest comes in one query by
   * stream, in order.
   */
  async readStream(
    tenantId: string,
    aggregateId: string,
    fromVersion = 1,
    throughVersion = Infinity,
  ): Promise<EventEnvelope[]> {
    const events: EventEnvelope[] = [];
    let version = fromVersion;
    for (let walked = 0; walked < WALK_COMMITS; walked += 1) {
      if (version > throughVersion) return events;
      const commit = await this.commitStartingAt(tenantId, aggregateId, version);
      if (!commit) return events;
      events.push(...(JSON.parse(commit.events) as EventEnvelope[]));
      version = commit.lastVersion + 1;
    }
    const rest = await this.commits
      .find({ tenantId, aggregateId, firstVersion: { $gte: version } })
      .sort({ firstVersion: 1 })
      .toArray();
    for (const commit of rest) {
      // Only an unbroken run of versions (a commit stored meanwhile may stand past a gap).
      if (commit.firstVersion !== version) break;
      events.push(...(JSON.parse(commit.events) as EventEnvelope[]));
      version = commit.lastVersion + 1;
    }
    return events;
  }
}
