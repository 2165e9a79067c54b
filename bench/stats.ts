import pMap from 'p-map';
import type { MongoClient } from 'mongodb';

/** Percentile of already measured durations (nearest rank). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Runs `task(i)` for i in [0, count) with at most `concurrency` at once; returns the wall time in ms. */
export async function runConcurrently(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<number> {
  const started = performance.now();
  await pMap(
    Array.from({ length: count }, (_, i) => i),
    task,
    { concurrency },
  );
  return performance.now() - started;
}

export const perSecond = (count: number, ms: number): number => Math.round((count / ms) * 1000);
export const round = (value: number, digits = 1): number => Number(value.toFixed(digits));

/**
 * The raw driver's page read, the baseline of every list: `documents` stored in a collection of
 * their own under one tenant and client, with an index on (tenantId, clientId, `sortField` desc,
 * _id desc), and `reads` pages of 50 read newest first; returns each read's milliseconds.
 */
export async function rawPageReads(
  mongo: MongoClient,
  name: string,
  documents: readonly Record<string, unknown>[],
  sortField: string,
  reads: number,
): Promise<number[]> {
  const collection = mongo.db(`bench_${name}_${Date.now()}`).collection<{ _id: string }>('pages');
  await collection.createIndex({ tenantId: 1, clientId: 1, [sortField]: -1, _id: -1 });
  await collection.insertMany(
    documents.map((document, i) => ({ ...document, _id: `t:c:${i}`, tenantId: 't', clientId: 'c' })),
  );
  const times: number[] = [];
  for (let i = 0; i < reads; i += 1) {
    const started = performance.now();
    await collection
      .find({ tenantId: 't', clientId: 'c' })
      .sort({ [sortField]: -1, _id: -1 })
      .skip((i * 50) % documents.length)
      .limit(50)
      .toArray();
    times.push(performance.now() - started);
  }
  await collection.drop();
  return times;
}
