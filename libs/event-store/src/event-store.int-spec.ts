import { Kafka, logLevel, Partitioners, Producer } from 'kafkajs';
import type { Collection } from 'mongodb';
import type { EventEnvelope, EventMetadata } from '@clientbook/contracts';
import {
  connectTestDatabase,
  eventually,
  TEST_EVENTS,
  TestDatabase,
  testInfra,
  uniqueName,
} from '@clientbook/testing';
import {
  applyEachOnce,
  applyOnce,
  ensureTopics,
  EventStore,
  OutboxRelay,
  ProjectionRunner,
  VersionConflictError,
  VersionedDocument,
} from './index';

const metadata: EventMetadata = {
  actor: { kind: 'system', id: 'test' },
  correlationId: 'corr-1',
  causationId: null,
};

const noted = (n: number) => ({ type: 'Noted', schemaVersion: 1, data: { n } });

describe('event store on the real servers', () => {
  let database: TestDatabase;
  let store: EventStore;
  let kafka: Kafka;
  let producer: Producer;
  const cleanups: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    database = await connectTestDatabase('event_store');
    kafka = new Kafka({
      clientId: 'event-store-test',
      brokers: testInfra().kafkaBrokers,
      logLevel: logLevel.ERROR,
    });
    producer = kafka.producer({ maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
  });

  // Each test its own collections, so one test's relay never sees another's outbox.
  beforeEach(async () => {
    store = new EventStore(database.db, { prefix: `${uniqueName('es').replace('-', '_')}_` });
    await store.ensureIndexes();
  });

  /** Appends one `Noted` event to a stream that stands at `expectedVersion`. */
  const appendNoted = (
    tenantId: string,
    aggregateId: string,
    expectedVersion: number,
    n = expectedVersion + 1,
  ) =>
    store.append({
      tenantId,
      aggregateType: 'Test',
      aggregateId,
      expectedVersion,
      events: [noted(n)],
      metadata,
    });

  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()?.();
  });

  afterAll(async () => {
    await producer.disconnect();
    await database.drop();
  });

  async function newTopic(): Promise<string> {
    const topic = uniqueName('es-test');
    await ensureTopics(kafka, [topic]);
    return topic;
  }

  function startRelay(
    topic: string,
    options: Partial<ConstructorParameters<typeof OutboxRelay>[2]> = {},
  ): OutboxRelay {
    const relay = new OutboxRelay(store, producer, { topic, pollIntervalMs: 50, ...options });
    relay.start();
    cleanups.push(() => relay.stop());
    return relay;
  }

  /** A consumer that records every event it receives, per aggregate, in arrival order. */
  async function collect(topic: string): Promise<Map<string, EventEnvelope[]>> {
    const received = new Map<string, EventEnvelope[]>();
    const runner = new ProjectionRunner(
      kafka,
      {
        name: 'collector',
        apply: async (event) => {
          received.set(event.aggregateId, [...(received.get(event.aggregateId) ?? []), event]);
        },
      },
      { groupId: uniqueName('collector'), topics: [topic], registry: TEST_EVENTS },
    );
    await runner.start();
    cleanups.push(() => runner.stop());
    return received;
  }

  it('lets exactly one of 20 concurrent appends at the same version in, leaving no gap or duplicate', async () => {
    const tenantId = uniqueName('t');
    const aggregateId = uniqueName('a');
    await appendNoted(tenantId, aggregateId, 0, 0);

    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        store.append({
          tenantId,
          aggregateType: 'Test',
          aggregateId,
          expectedVersion: 1,
          events: [noted(i), noted(i)],
          metadata,
        }),
      ),
    );

    const winners = results.filter((r) => r.status === 'fulfilled');
    const losers = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(19);
    for (const loser of losers) expect(loser.reason).toBeInstanceOf(VersionConflictError);

    const stream = await store.readStream(tenantId, aggregateId);
    expect(stream.map((e) => e.aggregateVersion)).toEqual([1, 2, 3]);
    // Both events of the winning command, never a mix of two commands.
    expect(stream[1].data).toEqual(stream[2].data);
    // Losers leave nothing behind in the outbox but the two real commits' entries.
    const entries = await store.outbox.find({ tenantId, aggregateId }).toArray();
    expect(entries.map((e) => e.firstVersion).sort()).toEqual([1, 2]);
  });

  it('stores appends that arrive together in one group commit, each with its own outcome', async () => {
    const tenantId = uniqueName('t');
    const contested = uniqueName('a');
    const others = Array.from({ length: 10 }, () => uniqueName('b'));
    const append = (aggregateId: string, expectedVersion: number) =>
      appendNoted(tenantId, aggregateId, expectedVersion, 1);
    const grouped = jest.spyOn(store.commits, 'insertMany');
    // A slow clearing of the losers' entries must not let a loser's answer overtake it.
    const clear = store.outbox.deleteMany.bind(store.outbox);
    const slowClear = jest
      .spyOn(store.outbox, 'deleteMany')
      .mockImplementation(async (...args: Parameters<typeof clear>) => {
        await new Promise((resolve) => setTimeout(resolve, 100));
        return clear(...args);
      });
    // The first append is being stored; everything asked meanwhile waits for the next group.
    const first = append(uniqueName('c'), 0);
    const contenders = Array.from({ length: 5 }, () => append(contested, 0));
    const independent = others.map((id) => append(id, 0));
    const results = await Promise.allSettled([first, ...contenders, ...independent]);

    // One insert for the first, one for the fifteen that waited.
    expect(grouped.mock.calls.map(([documents]) => documents.length)).toEqual([15]);
    grouped.mockRestore();
    slowClear.mockRestore();
    expect(results[0].status).toBe('fulfilled');
    const contested_ = results.slice(1, 6);
    expect(contested_.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const loser of contested_.filter((r): r is PromiseRejectedResult => r.status === 'rejected'))
      expect(loser.reason).toBeInstanceOf(VersionConflictError);
    expect(results.slice(6, 16).every((r) => r.status === 'fulfilled')).toBe(true);
    expect((await store.readStream(tenantId, contested)).map((e) => e.aggregateVersion)).toEqual([1]);
    // The losers' outbox entries are cleared; the winners' stay for the relay.
    expect(await store.outbox.countDocuments({ tenantId, aggregateId: contested })).toBe(1);
  });

  it('reads a long stream whole and in order (the first commits one by one, the rest at once)', async () => {
    const tenantId = uniqueName('t');
    const aggregateId = uniqueName('long');
    for (let version = 0; version < 30; version += 2)
      await store.append({
        tenantId,
        aggregateType: 'Test',
        aggregateId,
        expectedVersion: version,
        events: [noted(version), noted(version + 1)],
        metadata,
      });
    const stream = await store.readStream(tenantId, aggregateId);
    expect(stream.map((e) => e.aggregateVersion)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect((await store.readStream(tenantId, aggregateId, 21)).map((e) => e.aggregateVersion)).toEqual(
      Array.from({ length: 10 }, (_, i) => i + 21),
    );
  });

  it('lets exactly one of 20 concurrent creations of one new stream in', async () => {
    const tenantId = uniqueName('t');
    const aggregateId = uniqueName('a');
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => appendNoted(tenantId, aggregateId, 0, i)),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((await store.readStream(tenantId, aggregateId)).map((e) => e.aggregateVersion)).toEqual([1]);
  });

  it('stamps every event with identity, position and the command metadata', async () => {
    const tenantId = uniqueName('t');
    const aggregateId = uniqueName('a');
    const [event] = await store.append({
      tenantId,
      aggregateType: 'Test',
      aggregateId,
      expectedVersion: 0,
      events: [noted(7)],
      metadata: { ...metadata, causationId: 'cause' },
    });
    expect(event).toEqual({
      eventId: expect.any(String),
      type: 'Noted',
      schemaVersion: 1,
      tenantId,
      aggregateType: 'Test',
      aggregateId,
      aggregateVersion: 1,
      occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      actor: metadata.actor,
      correlationId: 'corr-1',
      causationId: 'cause',
      data: { n: 7 },
    });
    expect(await store.readStream(tenantId, aggregateId)).toEqual([event]);
    expect(await store.readStream(tenantId, uniqueName('none'))).toEqual([]);
  });

  it('keeps tenants apart: the same aggregate id in two tenants is two streams', async () => {
    const aggregateId = uniqueName('a');
    const [t1, t2] = [uniqueName('t'), uniqueName('t')];
    await appendNoted(t1, aggregateId, 0);
    await appendNoted(t2, aggregateId, 0, 2);
    expect((await store.readStream(t1, aggregateId)).map((e) => e.data)).toEqual([{ n: 1 }]);
    expect((await store.readStream(t2, aggregateId)).map((e) => e.data)).toEqual([{ n: 2 }]);
  });

  it('stores data with keys MongoDB forbids and hands it back unchanged', async () => {
    const tenantId = uniqueName('t');
    const aggregateId = uniqueName('a');
    const data = { attributes: { 'a.b': 1, $where: 'x' }, nested: [[1, 2]] };
    await store.append({
      tenantId,
      aggregateType: 'Test',
      aggregateId,
      expectedVersion: 0,
      events: [{ type: 'Odd', schemaVersion: 1, data }],
      metadata,
    });
    expect((await store.readStream(tenantId, aggregateId))[0].data).toEqual(data);
  });

  it('publishes after a crash between storing and publishing, and every consumer applies it once', async () => {
    const topic = await newTopic();
    const tenantId = uniqueName('t');
    const aggregateId = uniqueName('a');

    // The process stores the event and dies before its relay publishes anything.
    await appendNoted(tenantId, aggregateId, 0);

    // After restart a relay publishes it, then "crashes" after Kafka acknowledged but before it
    // recorded the position: the next relay publishes the same event again.
    let crashes = 0;
    const crashingRelay = new OutboxRelay(store, producer, {
      topic,
      afterPublish: () => {
        crashes += 1;
        throw new Error('simulated crash after publish');
      },
    });
    await expect(crashingRelay.publishOnce()).rejects.toThrow('simulated crash');
    expect(crashes).toBe(1);

    const counters = database.db.collection<VersionedDocument<{ applied: number }>>(uniqueName('counters'));
    const deliveries: number[] = [];
    for (const name of ['projection-a', 'projection-b']) {
      const runner = new ProjectionRunner(
        kafka,
        {
          name,
          apply: async (event) => {
            deliveries.push(event.aggregateVersion);
            await applyOnce(
              counters,
              { tenantId: name, aggregateId: event.aggregateId, version: event.aggregateVersion },
              (doc) => ({ applied: (doc?.applied ?? 0) + 1 }),
            );
          },
        },
        { groupId: uniqueName(name), topics: [topic], registry: TEST_EVENTS },
      );
      await runner.start();
      cleanups.push(() => runner.stop());
    }
    startRelay(topic);

    await eventually(async () => {
      expect(deliveries).toHaveLength(4); // two copies of the event, to each of two consumers
      expect(await store.outbox.countDocuments({ tenantId })).toBe(0);
    });
    const docs = await counters.find({}).toArray();
    expect(docs.map((d) => [d.tenantId, d.applied]).sort()).toEqual([
      ['projection-a', 1],
      ['projection-b', 1],
    ]);
  });

  it('publishes new streams with one lookup per commit (none for commits its own store stored) and no position read or write, and stores a position every 8 versions', async () => {
    const topic = await newTopic();
    const received = await collect(topic);
    const tenantId = uniqueName('t');
    const aggregates = Array.from({ length: 10 }, () => uniqueName('n'));
    for (const aggregateId of aggregates) await appendNoted(tenantId, aggregateId, 0);
    // A relay of another process: a store of its own on the same collections, which has not
    // stored these commits itself (the appending store's relay finds them in its memory).
    const elsewhere = new EventStore(store.db, {
      prefix: store.commits.collectionName.replace(/commits$/, ''),
    });
    const commitLookups = jest.spyOn(elsewhere.commits, 'findOne');
    const positionsName = `${store.outbox.collectionName}_positions`;
    const positions = store.db.collection(positionsName);
    const relay = new OutboxRelay(elsewhere, producer, { topic, pollIntervalMs: 50 });
    const positionWrites = jest.spyOn(Object.getPrototypeOf(positions), 'updateOne');
    const positionReads = jest.spyOn(Object.getPrototypeOf(positions), 'findOne');
    try {
      expect(await relay.publishOnce()).toBe(10);
      // No position read for a stream that starts at version 1, no lookup past the last commit.
      expect(commitLookups).toHaveBeenCalledTimes(10);
      expect(
        positionReads.mock.contexts.filter((c) => (c as Collection).collectionName === positionsName),
      ).toEqual([]);
      // Nor a position write: new streams are published from their first version by any relay.
      expect(
        positionWrites.mock.contexts.filter((c) => (c as Collection).collectionName === positionsName),
      ).toHaveLength(0);
    } finally {
      commitLookups.mockRestore();
      positionWrites.mockRestore();
      positionReads.mockRestore();
    }
    expect(await store.outbox.countDocuments({ tenantId })).toBe(0);
    expect(await positions.countDocuments({ tenantId })).toBe(0);
    await eventually(() =>
      expect([...received.keys()].filter((id) => aggregates.includes(id))).toHaveLength(10),
    );
    // A relay that never saw the stream (another instance, a restart) publishes its first commit
    // again before the second, in order; no position is stored for a stream short of 8 versions.
    const appendNext = async (version: number) => appendNoted(tenantId, aggregates[0], version - 1);
    await appendNext(2);
    // A relay of the appending process reads the commits its store stored from memory.
    const fresh = new OutboxRelay(store, producer, { topic, pollIntervalMs: 50 });
    const ownLookups = jest.spyOn(store.commits, 'findOne');
    try {
      expect(await fresh.publishOnce()).toBe(2);
      expect(ownLookups).not.toHaveBeenCalled();
    } finally {
      ownLookups.mockRestore();
    }
    expect(await positions.countDocuments({ tenantId })).toBe(0);
    // Past version 8 the position is stored: a relay that starts then publishes only what is new.
    for (let version = 3; version <= 9; version += 1) await appendNext(version);
    expect(await fresh.publishOnce()).toBe(7);
    expect((await positions.find({ tenantId }).toArray()).map((p) => p.publishedVersion)).toEqual([9]);
    await appendNext(10);
    expect(await new OutboxRelay(store, producer, { topic, pollIntervalMs: 50 }).publishOnce()).toBe(1);
    await eventually(() =>
      expect(received.get(aggregates[0])?.map((e) => e.aggregateVersion)).toEqual([
        1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
      ]),
    );
  });

  it('leaves the entries of appends its own store is still making for the round after, without a lookup', async () => {
    const topic = await newTopic();
    const tenantId = uniqueName('t');
    const aggregateId = uniqueName('f');
    const relay = new OutboxRelay(store, producer, { topic, pollIntervalMs: 50 });
    // The commit's insert is held until the relay has had its round; its outbox entry is stored.
    let reached!: () => void;
    const atCommit = new Promise<void>((resolve) => (reached = resolve));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const insert = store.commits.insertOne.bind(store.commits);
    const slowCommit = jest
      .spyOn(store.commits, 'insertOne')
      .mockImplementation(async (...args: Parameters<typeof insert>) => {
        reached();
        await held;
        return insert(...args);
      });
    const lookups = jest.spyOn(store.commits, 'findOne');
    try {
      const appended = appendNoted(tenantId, aggregateId, 0);
      await atCommit;
      expect(await store.outbox.countDocuments({ tenantId })).toBe(1);
      expect(await relay.publishOnce()).toBe(0);
      release();
      await appended;
      // Published in the next round, from memory, and not put off as an entry whose commit is missing.
      expect(await relay.publishOnce()).toBe(1);
      expect(lookups).not.toHaveBeenCalled();
    } finally {
      slowCommit.mockRestore();
      lookups.mockRestore();
    }
    expect(await store.outbox.countDocuments({ tenantId })).toBe(0);
  });

  it('delivers 1,000 events over 50 aggregates in each aggregate’s order', async () => {
    const topic = await newTopic();
    const received = await collect(topic);
    startRelay(topic);
    const tenantId = uniqueName('t');
    const aggregates = Array.from({ length: 50 }, () => uniqueName('a'));

    await Promise.all(
      aggregates.map(async (aggregateId) => {
        for (let version = 0; version < 20; version += 1) {
          await appendNoted(tenantId, aggregateId, version);
        }
      }),
    );

    await eventually(
      () => {
        const total = [...received.values()].reduce((sum, events) => sum + events.length, 0);
        expect(total).toBeGreaterThanOrEqual(1000);
      },
      { timeoutMs: 60_000 },
    );
    const expected = Array.from({ length: 20 }, (_, i) => i + 1);
    for (const aggregateId of aggregates) {
      expect(received.get(aggregateId)?.map((e) => e.aggregateVersion)).toEqual(expected);
    }
  }, 90_000);

  it('does not change a read model twice when Kafka redelivers an event', async () => {
    const topic = await newTopic();
    const tenantId = uniqueName('t');
    const aggregateId = uniqueName('a');
    const [event] = await appendNoted(tenantId, aggregateId, 0);
    // The same message sent three times, as a producer retry or a relay restart would.
    for (let i = 0; i < 3; i += 1) {
      await producer.send({
        topic,
        messages: [{ key: `${tenantId}:${aggregateId}`, value: JSON.stringify(event) }],
      });
    }
    const totals: Collection<VersionedDocument<{ total: number }>> = database.db.collection(
      uniqueName('totals'),
    );
    let deliveries = 0;
    const runner = new ProjectionRunner(
      kafka,
      {
        name: 'totals',
        handles: ['Noted'],
        apply: async (e) => {
          deliveries += 1;
          await applyOnce(
            totals,
            { tenantId: e.tenantId, aggregateId: e.aggregateId, version: e.aggregateVersion },
            (doc) => ({
              total: (doc?.total ?? 0) + (e.data as { n: number }).n,
            }),
          );
        },
      },
      { groupId: uniqueName('totals'), topics: [topic], registry: TEST_EVENTS },
    );
    await runner.start();
    cleanups.push(() => runner.stop());
    await eventually(() => expect(deliveries).toBe(3));
    expect(await totals.findOne({ _id: `${tenantId}:${aggregateId}` })).toMatchObject({
      total: 1,
      lastVersion: 1,
    });
  });

  it('passes over messages that are not events instead of blocking the partition', async () => {
    const topic = await newTopic();
    const received = await collect(topic);
    const tenantId = uniqueName('t');
    const aggregateId = uniqueName('a');
    const envelope = (type: string, data: unknown) =>
      JSON.stringify({
        eventId: uniqueName('e'),
        type,
        schemaVersion: 1,
        tenantId: 't',
        aggregateType: 'Test',
        aggregateId: 'x',
        aggregateVersion: 1,
        occurredAt: new Date().toISOString(),
        actor: { kind: 'system', id: 'test' },
        correlationId: 'c',
        causationId: null,
        data,
      });
    // Under the stream's own key, so on the partition its real event takes after them.
    const key = `${tenantId}:${aggregateId}`;
    await producer.send({
      topic,
      messages: [
        { key, value: 'not json' },
        { key, value: envelope('constructor', {}) },
        { key, value: envelope('__proto__', {}) },
        { key, value: envelope('Noted', { n: 'not a number' }) },
      ],
    });
    startRelay(topic);
    await appendNoted(tenantId, aggregateId, 0);
    await eventually(() => expect(received.get(aggregateId)).toHaveLength(1));
    expect(received.get('x')).toBeUndefined();
  });

  it('keeps an old outbox entry while its commit is missing, and publishes the commit when it lands late', async () => {
    const topic = await newTopic();
    const received = await collect(topic);
    const tenantId = uniqueName('t');
    const aggregateId = uniqueName('a');
    const attemptId = uniqueName('attempt');
    // An append whose commit insert is slow (or whose clock is behind): its entry looks old.
    const createdAt = new Date(Date.now() - 10 * 60_000);
    await store.outbox.insertOne({ _id: attemptId, tenantId, aggregateId, firstVersion: 1, createdAt });
    startRelay(topic, { pollIntervalMs: 20 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await store.outbox.countDocuments({ tenantId })).toBe(1);

    const envelope = {
      eventId: uniqueName('e'),
      type: 'Noted',
      schemaVersion: 1,
      tenantId,
      aggregateType: 'Test',
      aggregateId,
      aggregateVersion: 1,
      occurredAt: createdAt.toISOString(),
      ...metadata,
      data: { n: 1 },
    };
    await store.commits.insertOne({
      _id: `${tenantId}:${aggregateId}:1`,
      tenantId,
      aggregateId,
      firstVersion: 1,
      lastVersion: 1,
      attemptId,
      storedAt: createdAt,
      events: JSON.stringify([envelope]),
    });
    // Nothing else is appended to the stream: the entry alone must bring the event out.
    await eventually(() => expect(received.get(aggregateId)?.map((e) => e.aggregateVersion)).toEqual([1]), {
      timeoutMs: 60_000,
    });
    await eventually(async () => expect(await store.outbox.countDocuments({ tenantId })).toBe(0));
  }, 90_000);

  it('never lets an entry whose commit never comes block its stream or the others', async () => {
    const topic = await newTopic();
    const received = await collect(topic);
    const tenantId = uniqueName('t');
    const aggregateId = uniqueName('a');
    // Entries of appends that died before their commits: more than a round takes.
    await store.outbox.insertMany(
      Array.from({ length: 30 }, (_, i) => ({
        _id: uniqueName('orphan'),
        tenantId,
        aggregateId: `${aggregateId}-${i}`,
        firstVersion: 1,
        createdAt: new Date(Date.now() - 120_000),
      })),
    );
    await store.outbox.insertOne({
      _id: uniqueName('orphan'),
      tenantId,
      aggregateId,
      firstVersion: 1,
      createdAt: new Date(Date.now() - 120_000),
    });
    startRelay(topic, { batchSize: 10 });
    await appendNoted(tenantId, aggregateId, 0);
    await eventually(() => expect(received.get(aggregateId)?.map((e) => e.aggregateVersion)).toEqual([1]));
    // The orphan of the stream that got a commit at its version is gone; the 30 wait, harmless.
    await eventually(async () =>
      expect(await store.outbox.countDocuments({ tenantId, aggregateId })).toBe(0),
    );
    expect(await store.outbox.countDocuments({ tenantId })).toBe(30);
  });

  it('refuses malformed appends before storing anything', async () => {
    const base = { tenantId: 't', aggregateType: 'Test', aggregateId: 'a', expectedVersion: 0, metadata };
    await expect(store.append({ ...base, events: [] })).rejects.toThrow('at least one event');
    await expect(store.append({ ...base, tenantId: 'x:y', events: [noted(1)] })).rejects.toThrow('tenantId');
    await expect(store.append({ ...base, expectedVersion: -1, events: [noted(1)] })).rejects.toThrow(
      'expectedVersion',
    );
    expect(await store.outbox.countDocuments({ tenantId: 't' })).toBe(0);
  });

  describe('applyEachOnce (a projection batch)', () => {
    type Counter = VersionedDocument<{ applied: number; seen: number[] }>;
    const event = (tenantId: string, aggregateId: string, aggregateVersion: number) => ({
      tenantId,
      aggregateId,
      aggregateVersion,
    });
    const count = (doc: Counter | null, e: { aggregateVersion: number }) => ({
      applied: (doc?.applied ?? 0) + 1,
      seen: [...(doc?.seen ?? []), e.aggregateVersion],
    });

    it('folds each document once per batch and applies nothing twice when the batch comes again', async () => {
      const counters = database.db.collection<Counter>(uniqueName('batch_counters'));
      const tenantId = uniqueName('t');
      const batch = [
        event(tenantId, 'a', 1),
        event(tenantId, 'b', 1),
        event(tenantId, 'a', 2),
        event(tenantId, 'b', 2),
        event(tenantId, 'a', 3),
      ];
      const first = await applyEachOnce(counters, batch, count);
      expect(first.map((r) => [r.document.aggregateId, r.outcome]).sort()).toEqual([
        ['a', 'applied'],
        ['b', 'applied'],
      ]);
      // Redelivered, with one event more for b: a is left alone, b gets only version 3.
      const again = await applyEachOnce(counters, [...batch, event(tenantId, 'b', 3)], count);
      expect(again.map((r) => [r.document.aggregateId, r.outcome]).sort()).toEqual([
        ['a', 'skipped'],
        ['b', 'applied'],
      ]);
      const stored = await counters.find({ tenantId }).sort({ _id: 1 }).toArray();
      expect(stored.map((d) => [d.aggregateId, d.lastVersion, d.seen])).toEqual([
        ['a', 3, [1, 2, 3]],
        ['b', 3, [1, 2, 3]],
      ]);
    });

    it('a document another instance made first is read and only the newer events folded', async () => {
      const counters = database.db.collection<Counter>(uniqueName('batch_counters'));
      const tenantId = uniqueName('t');
      await applyOnce(counters, { tenantId, aggregateId: 'c', version: 1 }, () => ({
        applied: 1,
        seen: [1],
      }));
      const results = await applyEachOnce(
        counters,
        [event(tenantId, 'c', 1), event(tenantId, 'c', 2), event(tenantId, 'd', 1)],
        count,
      );
      expect(results.every((r) => r.outcome === 'applied')).toBe(true);
      const stored = await counters.find({ tenantId }).sort({ _id: 1 }).toArray();
      expect(stored.map((d) => [d.aggregateId, d.lastVersion, d.applied, d.seen])).toEqual([
        ['c', 2, 2, [1, 2]],
        ['d', 1, 1, [1]],
      ]);
    });
  });
});
