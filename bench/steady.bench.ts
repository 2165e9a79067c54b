import { MongoClient } from 'mongodb';
import { percentile, round, runConcurrently } from './stats';
import type { BenchRow } from './event-store.bench';
import { type Cards, cardAt, clientBody } from './api.bench';
import { startSystem } from '../apps/system-tests/src/system';

const MiB = 1024 * 1024;

/**
 * What the steady load writes: new clients (every write adds a card, a search entry and a
 * matching entry, so the heap grows with them), or changes to `clients` clients made first (the
 * heap should stay flat).
 */
export type SteadyWrites = { kind: 'creates' } | { kind: 'updates'; clients: number };

/**
 * A steady load: writes at `rate` a second for `seconds` (open loop: a write is sent on time
 * whether or not the earlier ones were answered, at most `maxInFlight` at once), the projection
 * lag sampled twice a second (the last written client, polled by `_id` until its card shows the
 * write), and every 10 s a line with the rate reached, the window's lag p99 and the heap after a
 * full collection. The heap is flat when its last third grows no more than its first.
 */
export async function benchSteady(
  infra: { mongodbUri: string },
  options: { rate: number; seconds: number; maxInFlight?: number; writes?: SteadyWrites },
): Promise<BenchRow[]> {
  const maxInFlight = options.maxInFlight ?? 64;
  const writes = options.writes ?? { kind: 'creates' };
  const label = `steady load (${writes.kind})`;
  const system = await startSystem({ rateLimitPerMinute: 10_000_000 });
  const mongo = await new MongoClient(infra.mongodbUri).connect();
  const gc = (globalThis as { gc?: () => void }).gc;
  try {
    const tenant = await system.createTenant();
    const api = tenant.admin;
    const cards: Cards = mongo.db(`${system.databasePrefix}_clients`).collection('client_cards');
    const seen = (written: { id: string; version: number }) =>
      cardAt(cards, tenant.tenantId, written.id, written.version);
    const ids: string[] = [];
    if (writes.kind === 'updates') {
      await runConcurrently(writes.clients, 16, async (i) => {
        const response = await api.post('/v1/clients', clientBody(2_000_000 + i));
        if (response.status !== 201) throw new Error(`seeding answered ${response.status}`);
        ids.push(response.body.id as string);
      });
      const last = { id: ids[ids.length - 1], version: 1 };
      while (!(await seen(last))) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const write = (i: number) =>
      writes.kind === 'creates'
        ? api.post('/v1/clients', clientBody(1_000_000 + i))
        : api.patch(`/v1/clients/${ids[i % ids.length]}`, { notes: `steady ${i}` });
    const started = performance.now();
    const deadline = started + options.seconds * 1000;
    let sent = 0;
    let answered = 0;
    let failed = 0;
    let late = 0;
    let inFlight = 0;
    let lastWritten: { id: string; version: number } | null = null;
    const lags: number[] = [];
    const windows: { at: number; rate: number; lagP99: number; heapMiB: number }[] = [];

    const writer = (async () => {
      while (performance.now() < deadline) {
        const due = Math.floor(((performance.now() - started) / 1000) * options.rate);
        while (sent < due) {
          if (inFlight >= maxInFlight) {
            late += due - sent;
            sent = due;
            break;
          }
          const i = sent;
          sent += 1;
          inFlight += 1;
          void write(i)
            .then((response) => {
              if (response.status === 201 || response.status === 200) {
                answered += 1;
                lastWritten = { id: response.body.id as string, version: response.body.version as number };
              } else failed += 1;
            })
            .catch(() => (failed += 1))
            .finally(() => (inFlight -= 1));
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();

    const sampler = (async () => {
      while (performance.now() < deadline) {
        const written = lastWritten;
        const answeredAt = performance.now();
        if (written) {
          while (!(await seen(written))) await new Promise((resolve) => setTimeout(resolve, 2));
          lags.push(performance.now() - answeredAt);
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    })();

    let windowStart = 0;
    let answeredAtWindow = 0;
    while (performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10_000));
      gc?.();
      const window = lags.slice(windowStart);
      windowStart = lags.length;
      const line = {
        at: round((performance.now() - started) / 1000, 0),
        rate: round((answered - answeredAtWindow) / 10, 0),
        lagP99: round(percentile(window, 99)),
        heapMiB: round(process.memoryUsage().heapUsed / MiB),
      };
      answeredAtWindow = answered;
      windows.push(line);
      process.stderr.write(
        `  ${line.at} s: ${line.rate} writes/s, lag p99 ${line.lagP99} ms, heap ${line.heapMiB} MiB\n`,
      );
    }
    await Promise.all([writer, sampler]);
    while (inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 50));

    const third = Math.max(1, Math.floor(windows.length / 3));
    const heapStart = percentile(
      windows.slice(0, third).map((w) => w.heapMiB),
      50,
    );
    const heapEnd = percentile(
      windows.slice(-third).map((w) => w.heapMiB),
      50,
    );
    return [
      ...(writes.kind === 'updates'
        ? [{ name: `${label}: clients written to`, value: writes.clients, unit: 'clients' }]
        : []),
      { name: `${label}: writes asked`, value: options.rate, unit: 'writes/s' },
      {
        name: `${label}: writes answered (${options.seconds} s)`,
        value: round(answered / options.seconds, 0),
        unit: 'writes/s',
      },
      { name: `${label}: writes not sent (too many in flight)`, value: late, unit: 'writes' },
      { name: `${label}: writes failed`, value: failed, unit: 'writes' },
      { name: `${label}: projection lag p50`, value: round(percentile(lags, 50)), unit: 'ms' },
      {
        name: `${label}: projection lag p99 (goal ≤ 300 ms)`,
        value: round(percentile(lags, 99)),
        unit: 'ms',
      },
      { name: `${label}: heap, median of the first third`, value: heapStart, unit: 'MiB' },
      { name: `${label}: heap, median of the last third`, value: heapEnd, unit: 'MiB' },
    ];
  } finally {
    await mongo.close();
    await system.close();
  }
}
