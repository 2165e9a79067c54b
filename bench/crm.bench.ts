import { MongoClient } from 'mongodb';
import { percentile, perSecond, rawPageReads, round, runConcurrently } from './stats';
import type { BenchRow } from './event-store.bench';
// The benchmark runs the whole system in its own process, as the end-to-end tests do.
import { startSystem } from '../apps/system-tests/src/system';

const progress = (message: string) => process.stderr.write(`[bench] ${message}\n`);

/**
 * The CRM through the gateway: activities written per second at the given concurrency (spread
 * over 100 clients, as many people logging calls at once), and the timeline of one client with
 * `entries` activities read page by page (50 entries), beside the raw driver in the same run:
 * inserts, and a page of 50 of the same number of documents read with an indexed, sorted query.
 */
export async function benchCrm(
  infra: { mongodbUri: string },
  options: { writes: number; entries: number; concurrency: number; rawInsertPerSecond: number },
): Promise<BenchRow[]> {
  const system = await startSystem();
  const mongo = new MongoClient(infra.mongodbUri);
  try {
    const tenant = await system.createTenant();
    const api = tenant.admin;
    const clients: string[] = [];
    for (let i = 0; i < 100; i += 1)
      clients.push((await api.post('/v1/clients', { kind: 'company', name: `UAB CRM ${i}` })).body.id);
    const call = (i: number) => ({
      type: 'call',
      direction: i % 2 ? 'in' : 'out',
      outcome: 'answered',
      summary: `Skambutis ${i}`,
    });

    progress(`${options.writes} activities at concurrency ${options.concurrency}…`);
    let refused = 0;
    const writeMs = await runConcurrently(options.writes, options.concurrency, async (i) => {
      const answer = await api.post(`/v1/clients/${clients[i % clients.length]}/crm/activities`, call(i));
      if (answer.status !== 201) refused += 1;
    });

    progress(`one client with ${options.entries} activities…`);
    const busy = (await api.post('/v1/clients', { kind: 'company', name: 'UAB Daug Skambučių' })).body.id;
    await runConcurrently(options.entries, 1, async (i) => {
      await api.post(`/v1/clients/${busy}/crm/activities`, call(i));
    });
    const reads = 100;
    const timelineMs: number[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < reads; i += 1) {
      const started = performance.now();
      const page: { body: { items: unknown[]; nextCursor: string | null } } = await api.get(
        `/v1/clients/${busy}/timeline?limit=50${cursor ? `&cursor=${cursor}` : ''}`,
      );
      timelineMs.push(performance.now() - started);
      cursor = page.body.nextCursor;
    }

    // The baseline: the same number of documents, a page of 50 by an index, newest first.
    const rawMs = await rawPageReads(
      mongo,
      'crm',
      Array.from({ length: options.entries }, (_, i) => ({
        at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
        data: call(i),
      })),
      'at',
      reads,
    );

    const writes = perSecond(options.writes, writeMs);
    const p = (values: number[], q: number) => round(percentile(values, q));
    return [
      {
        name: `activities written (${options.writes}, concurrency ${options.concurrency}, ${refused} refused)`,
        value: writes,
        unit: 'activities/s',
        baseline: 'raw insertOne',
        ratio: round(writes / options.rawInsertPerSecond, 2),
      },
      { name: `raw page of 50 of ${options.entries} documents p50`, value: p(rawMs, 50), unit: 'ms' },
      { name: `raw page of 50 of ${options.entries} documents p95`, value: p(rawMs, 95), unit: 'ms' },
      {
        name: `timeline page of 50, ${options.entries} entries, p50`,
        value: p(timelineMs, 50),
        unit: 'ms',
        baseline: 'raw page p50',
        ratio: round(percentile(timelineMs, 50) / percentile(rawMs, 50), 1),
      },
      {
        name: `timeline page of 50, ${options.entries} entries, p95`,
        value: p(timelineMs, 95),
        unit: 'ms',
        baseline: 'raw page p95 (goal ≤ 2×)',
        ratio: round(percentile(timelineMs, 95) / percentile(rawMs, 95), 1),
      },
    ];
  } finally {
    await mongo.close();
    await system.close();
  }
}
