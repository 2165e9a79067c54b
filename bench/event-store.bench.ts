import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { ensureTopics, EventStore, OutboxRelay, ProjectionRunner } from '@clientbook/event-store';
import { TEST_EVENTS } from '@clientbook/testing';
import { percentile, perSecond, round, runConcurrently } from './stats';

export type BenchRow = { name: string; value: number; unit: string; baseline?: string; ratio?: number };

const metadata = {
  actor: { kind: 'system' as const, id: 'bench' },
  correlationId: 'bench',
  causationId: null,
};

/**
 * Event-store figures against the raw driver on the same server in the same run:
 * single-event appends/s (each is two inserts: outbox entry and commit) and the relay's
 * publish lag (append returned → a Kafka consumer has the event).
 */
export async function benchEventStore(
  infra: { kafkaBrokers: string; mongodbUri: string },
  options: { count: number; concurrency: number },
) {
  const { count, concurrency } = options;
  const client = await new MongoClient(infra.mongodbUri).connect();
  const db = client.db(`bench_es_${randomUUID().slice(0, 8)}`);
  const rows: BenchRow[] = [];
  try {
    // Baseline: the raw driver inserting one small document at a time.
    const raw = db.collection<{ _id: string; tenantId: string; n: number }>('raw');
    await raw.insertOne({ _id: 'warmup', tenantId: 't', n: 0 });
    const rawMs = await runConcurrently(count, concurrency, async (i) => {
      await raw.insertOne({ _id: `t:${i}`, tenantId: 't', n: i });
    });
    const rawRate = perSecond(count, rawMs);
    rows.push({ name: 'raw driver insertOne', value: rawRate, unit: 'docs/s' });

    const rawFindLatencies: number[] = [];
    const rawFindMs = await runConcurrently(count, concurrency, async (i) => {
      const started = performance.now();
      await raw.findOne({ _id: `t:${i}` });
      rawFindLatencies.push(performance.now() - started);
    });
    const rawFindRate = perSecond(count, rawFindMs);
    rows.push({ name: 'raw driver findOne by _id', value: rawFindRate, unit: 'reads/s' });
    rows.push({
      name: `raw driver findOne by _id p99 (concurrency ${concurrency})`,
      value: round(percentile(rawFindLatencies, 99)),
      unit: 'ms',
    });

    const store = new EventStore(db);
    await store.ensureIndexes();
    const tenantId = 'bench';
    const appendMs = await runConcurrently(count, concurrency, async (i) => {
      await store.append({
        tenantId,
        aggregateType: 'Test',
        aggregateId: `new-${i}`,
        expectedVersion: 0,
        events: [{ type: 'Noted', schemaVersion: 1, data: { n: i } }],
        metadata,
      });
    });
    const appendRate = perSecond(count, appendMs);
    rows.push({
      name: 'append, single-event commit',
      value: appendRate,
      unit: 'appends/s',
      baseline: 'raw insertOne',
      ratio: round(appendRate / rawRate, 2),
    });

    // Read by a store of its own, as another process would: the appending store keeps the
    // commits it stored in memory, which would measure that memory, not the read.
    const reader = new EventStore(db);
    const readMs = await runConcurrently(count, concurrency, async (i) => {
      await reader.readStream(tenantId, `new-${i}`);
    });
    const readRate = perSecond(count, readMs);
    rows.push({
      name: 'readStream (1 event, by a store that did not write it)',
      value: readRate,
      unit: 'reads/s',
      baseline: 'raw findOne',
      ratio: round(readRate / rawFindRate, 2),
    });

    // Publish lag: with the relay and a consumer running, how long from a returned append
    // until the consumer holds the event.
    const kafka = new Kafka({
      clientId: 'bench',
      brokers: infra.kafkaBrokers.split(','),
      logLevel: logLevel.ERROR,
    });
    const topic = `bench-${randomUUID().slice(0, 8)}`;
    await ensureTopics(kafka, [topic]);
    const lagStore = new EventStore(db, { prefix: 'lag_' });
    await lagStore.ensureIndexes();
    const producer = kafka.producer({
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    const relay = new OutboxRelay(lagStore, producer, { topic, pollIntervalMs: 100 });
    const appendedAt = new Map<string, number>();
    const lags: number[] = [];
    let done: () => void = () => undefined;
    const allReceived = new Promise<void>((resolve) => (done = resolve));
    const lagCount = Math.min(count, 2000);
    const runner = new ProjectionRunner(
      kafka,
      {
        name: 'lag',
        apply: async (event) => {
          const at = appendedAt.get(event.aggregateId);
          if (at !== undefined) lags.push(performance.now() - at);
          if (lags.length >= lagCount) done();
        },
      },
      // The consumer parses as the services do: by the registry that knows the bench's event.
      { groupId: `bench-${randomUUID().slice(0, 8)}`, topics: [topic], registry: TEST_EVENTS },
    );
    await runner.start();
    relay.start();
    // Paced at a steady rate (well under the append capacity), as a live system sees it.
    const lagMs = await runConcurrently(lagCount, 4, async (i) => {
      const aggregateId = `lag-${i}`;
      await lagStore.append({
        tenantId,
        aggregateType: 'Test',
        aggregateId,
        expectedVersion: 0,
        events: [{ type: 'Noted', schemaVersion: 1, data: { n: i } }],
        metadata,
      });
      appendedAt.set(aggregateId, performance.now());
    });
    await Promise.race([allReceived, new Promise((r) => setTimeout(r, 120_000))]);
    rows.push({
      name: `relay publish lag p50 (${lagCount} appends at ${perSecond(lagCount, lagMs)}/s)`,
      value: round(percentile(lags, 50)),
      unit: 'ms',
    });
    rows.push({ name: 'relay publish lag p99', value: round(percentile(lags, 99)), unit: 'ms' });
    rows.push({ name: 'events received by the consumer', value: lags.length, unit: `of ${lagCount}` });
    await relay.stop();
    await runner.stop();
    await producer.disconnect();
  } finally {
    await db.dropDatabase().catch(() => undefined);
    await client.close();
  }
  return rows;
}
