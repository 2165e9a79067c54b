import { LRUCache } from 'lru-cache';
import pMap from 'p-map';
import { UPDATES_IN_FLIGHT } from './bulk-writes';
import type { Collection } from 'mongodb';
import type { Producer } from 'kafkajs';
import { EventEnvelope, messageKey } from '@clientbook/contracts';
import { EventStore, OutboxDocument, streamKey } from './event-store';

/** How far each stream has been published; only the relay writes it. */
type PositionDocument = { _id: string; tenantId: string; aggregateId: string; publishedVersion: number };

export type RelayLogger = {
  warn(message: string, context?: object): void;
  error(message: string, context?: object): void;
};

export type OutboxRelayOptions = {
  topic: string;
  /** How often to look for work when no append in this process woke the relay. */
  pollIntervalMs?: number;
  /** First wait before an entry whose commit is missing is looked at again (then doubling, to 5 min). */
  missingCommitRecheckMs?: number;
  /** Outbox entries taken per round. */
  batchSize?: number;
  logger?: RelayLogger;
  now?: () => Date;
  /** Test hook: runs after Kafka acknowledged a round, before it is recorded (a crash there). */
  afterPublish?: (published: readonly EventEnvelope[]) => Promise<void> | void;
};

type StreamWork = { tenantId: string; aggregateId: string; entries: OutboxDocument[] };

/** A stream's published position is stored once per this many versions (see `publishOnce`). */
export const POSITION_EVERY = 8;

/** Waiting entries a round reads past at most before it asks for the others by `$nin`. */
const MAX_WAITING_SKIPPED = 1_000;

const silent: RelayLogger = { warn: () => undefined, error: () => undefined };

/**
 * Publishes stored events to Kafka, at least once and in each aggregate's order. It reads the
 * outbox (which it keeps small by deleting what it has published), then each named stream's
 * commits after the last published version, sends them keyed `tenant:aggregate`, and only then
 * records the new position (every few versions) and clears the entries. A crash anywhere
 * repeats, never skips.
 */
export class OutboxRelay {
  private readonly positions: Collection<PositionDocument>;
  private readonly pollIntervalMs: number;
  private readonly missingCommitRecheckMs: number;
  // Entries whose commit was missing when last looked at: not asked for again before `nextAt`.
  // Bounded: the least recently seen are forgotten first (then merely looked at again sooner).
  private readonly waiting = new LRUCache<
    string,
    { nextAt: number; delay: number; since: number; warned: boolean }
  >({ max: 100_000 });
  private readonly batchSize: number;
  private readonly logger: RelayLogger;
  private readonly now: () => Date;
  private running = false;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private woken = false;
  private unsubscribe: (() => void) | null = null;
  // Positions this relay wrote or read; a stale (lower) one only republishes, which is allowed.
  private readonly knownPositions = new LRUCache<string, number>({ max: 100_000 });

  constructor(
    private readonly store: EventStore,
    private readonly producer: Producer,
    private readonly options: OutboxRelayOptions,
  ) {
    this.positions = store.db.collection<PositionDocument>(`${store.outbox.collectionName}_positions`);
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    // A commit lands milliseconds after its entry (the group commit stores entries first): look
    // again soon, then less and less often.
    this.missingCommitRecheckMs = options.missingCommitRecheckMs ?? 50;
    this.batchSize = options.batchSize ?? 500;
    this.logger = options.logger ?? silent;
    this.now = options.now ?? (() => new Date());
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = this.store.onAppended(() => this.wake());
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    this.wake();
    await this.loop;
    this.loop = null;
  }

  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      let published = 0;
      try {
        published = await this.publishOnce();
      } catch (error) {
        this.logger.error('outbox relay round failed; it will be retried', { error: String(error) });
      }
      if (published === 0 && this.running) await this.sleep();
    }
  }

  private sleep(): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.pollIntervalMs);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = () => {
        this.wakeUp = null;
        this.woken = false;
        done();
      };
    });
  }

  /**
   * How far the stream is published. A stream whose entries start at version 1 is new to this
   * relay unless it remembers it: it is taken from 0 without a read (at worst its first commit
   * is published again, which consumers skip by version).
   */
  private async publishedVersion(key: string, work: StreamWork): Promise<number> {
    const known = this.knownPositions.get(key);
    if (known !== undefined) return known;
    if (Math.min(...work.entries.map((entry) => entry.firstVersion)) === 1) return 0;
    const position = await this.positions.findOne({ _id: key });
    this.remember(key, position?.publishedVersion ?? 0);
    return position?.publishedVersion ?? 0;
  }

  /**
   * The stream's events from `from` up to the last commit its entries name, commit by commit
   * (from the store's memory, else by `_id` lookups); not past it (a later commit has an entry of its own, published in a
   * later round), so no lookup is spent on a version that does not exist yet.
   */
  private async eventsNamed(work: StreamWork, from: number): Promise<EventEnvelope[]> {
    const last = Math.max(...work.entries.map((entry) => entry.firstVersion));
    const events: EventEnvelope[] = [];
    for (let version = from; version <= last;) {
      const commit = await this.store.commitStartingAt(work.tenantId, work.aggregateId, version);
      if (!commit) break;
      events.push(...(JSON.parse(commit.events) as EventEnvelope[]));
      version = commit.lastVersion + 1;
    }
    return events;
  }

  private keepWaiting(entry: OutboxDocument, now: number): void {
    const known = this.waiting.get(entry._id);
    const delay = known ? Math.min(known.delay * 2, 300_000) : this.missingCommitRecheckMs;
    const since = known?.since ?? now;
    const warned = known?.warned ?? false;
    if (!warned && now - since > 60_000)
      this.logger.warn(
        'an outbox entry has waited a minute for its commit; it is kept until one holds its version',
        {
          entry: entry._id,
        },
      );
    this.waiting.set(entry._id, {
      nextAt: now + delay,
      delay,
      since,
      warned: warned || now - since > 60_000,
    });
  }

  private remember(key: string, version: number): void {
    this.knownPositions.set(key, version);
  }

  /** One round: publishes what the outbox names, returns how many events went out. */
  async publishOnce(): Promise<number> {
    // The outbox is the one collection read without a tenant: the relay serves every tenant.
    // Entries still waiting for their commit are left out until their next look, so however many
    // wait, they never keep a round from the entries behind them.
    const now = this.now().getTime();
    const notYet = new Set([...this.waiting.entries()].filter(([, w]) => w.nextAt > now).map(([id]) => id));
    // Entries of appends this process's store is still making are not looked at yet either: their
    // commits are in flight. The append wakes the relay when it is done.
    const ready = (entry: OutboxDocument) => !notYet.has(entry._id) && !this.store.isStoring(entry._id);
    // Read with no filter (a plain limit, which every backend answers without reading the whole
    // outbox; FerretDB reads it whole for `$nin`) and leave the waiting entries out here; only
    // when they fill the whole read does the round ask for the others by `$nin`.
    const wanted = this.batchSize + Math.min(notYet.size, MAX_WAITING_SKIPPED);
    let read = await this.store.outbox.find({}).limit(wanted).toArray();
    let entries = read.filter(ready);
    if (entries.length === 0 && read.length === wanted) {
      read = await this.store.outbox
        .find({ _id: { $nin: [...notYet] } })
        .limit(this.batchSize)
        .toArray();
      entries = read.filter(ready);
    }
    if (entries.length === 0) return 0;
    // A full read means a backlog: the outbox is large, and a delete by `$in` would read it whole.
    const backlog = read.length === wanted;

    const streams = new Map<string, StreamWork>();
    for (const entry of entries) {
      const key = streamKey(entry.tenantId, entry.aggregateId);
      const work = streams.get(key) ?? {
        tenantId: entry.tenantId,
        aggregateId: entry.aggregateId,
        entries: [],
      };
      work.entries.push(entry);
      streams.set(key, work);
    }

    const pending = await Promise.all(
      [...streams.entries()].map(async ([key, work]) => {
        const from = (await this.publishedVersion(key, work)) + 1;
        const events = await this.eventsNamed(work, from);
        const publishedVersion = events.length ? events[events.length - 1].aggregateVersion : from - 1;
        return { key, work, from, events, publishedVersion };
      }),
    );

    const events = pending.flatMap((p) => p.events);
    if (events.length > 0) {
      await this.producer.send({
        topic: this.options.topic,
        acks: -1,
        messages: events.map((event) => ({
          key: messageKey(event),
          value: JSON.stringify(event),
          headers: { type: event.type, correlationId: event.correlationId },
        })),
      });
      await this.options.afterPublish?.(events);
    }

    const done: string[] = [];
    const published = pending.filter((p) => p.events.length > 0);
    for (const { key, publishedVersion } of published) this.remember(key, publishedVersion);
    // A stream's position is stored each time it passes a multiple of POSITION_EVERY versions, not
    // every round: a relay that does not know it (another instance, or this one restarted) starts
    // from the last one stored — from the first version for a stream never stored — and
    // publishes at most that many commits again before the new ones, in order; consumers skip
    // what they applied. Most streams move one version at a time (an operation, an edit): one
    // update per stream per round was a fifth of an import's round trips.
    const recorded = published.filter(
      (p) => Math.floor(p.publishedVersion / POSITION_EVERY) > Math.floor((p.from - 1) / POSITION_EVERY),
    );
    // One update per stream, a few at a time (ADR 0002: never one `update` of many statements).
    await pMap(
      recorded,
      ({ key, work, publishedVersion }) =>
        this.positions.updateOne(
          { _id: key },
          {
            $max: { publishedVersion },
            $setOnInsert: { tenantId: work.tenantId, aggregateId: work.aggregateId },
          },
          { upsert: true },
        ),
      { concurrency: UPDATES_IN_FLIGHT },
    );
    for (const { work, publishedVersion } of pending) {
      // An entry is done when a commit holds its version (its own, published now or before, or
      // another attempt's that won the race). Without one it waits: its append may still land
      // (slow, or its clock behind ours), and only the commit's presence decides, never age.
      for (const entry of work.entries) {
        if (entry.firstVersion <= publishedVersion) {
          done.push(entry._id);
          this.waiting.delete(entry._id);
        } else this.keepWaiting(entry, now);
      }
    }
    // One call for the round: when the outbox is small, one delete by `$in` (a scan is cheap);
    // with a backlog, a delete per entry by `_id` in one `bulkWrite`.
    if (done.length === 1) await this.store.outbox.deleteOne({ _id: done[0] });
    else if (done.length > 1 && backlog)
      await this.store.outbox.bulkWrite(
        done.map((_id) => ({ deleteOne: { filter: { _id } } })),
        { ordered: false },
      );
    else if (done.length > 1) await this.store.outbox.deleteMany({ _id: { $in: done } });
    return events.length;
  }
}
