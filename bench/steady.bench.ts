import { MongoClient } from 'mongodb';
import { percentile, round } from './stats';
import type { BenchRow } from './event-store.bench';
import { clientBody } from './api.bench';
import { startSystem } from '../apps/system-tests/src/system';

const MiB = 1024 * 1024;

/**
 * A steady load: clients created at `rate` a second for `seconds` (open loop: a write is sent on
 * time whether or not the earlier ones were answered, at most `maxInFlight` at once), the
 * projection lag sampled twice a second (the last created client, polled by `_id` until its card
 * is there), and every 10 s a line with the rate reached, the window's lag p99 and the heap after
 * a full collection. The heap is flat when its last third grows no more than its first.
 */
export async function benchSteady(
  infra: { mongodbUri: string },
  options: { rate: number; seconds: number; maxInFlight?: number },
): Promise<BenchRow[]> {
  const maxInFlight = options.maxInFlight ?? 64;
  const system = await startSystem({ rateLimitPerMinute: 10_000_000 });
  const mongo = await new MongoClient(infra.mongodbUri).connect();
  const gc = (globalThis as { gc?: () => void }).gc;
  try {
    const tenant = await system.createTenant();
    const api = tenant.admin;
    const cards = mongo.db(`${system.databasePrefix}_clients`).collection<{ _id: string }>('client_cards');
    const started = performance.now();
    const deadline = started + options.seconds * 1000;
    let sent = 0;
    let answered = 0;
    let failed = 0;
    let late = 0;
    let inFlight = 0;
    let lastCreated: string | null = null;
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
          void api
            .post('/v1/clients', clientBody(1_000_000 + i))
            .then((response) => {
              if (response.status === 201) {
                answered += 1;
                lastCreated = response.body.id as string;
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
        const id = lastCreated;
        const answeredAt = performance.now();
        if (id) {
          while (!(await cards.findOne({ _id: `${tenant.tenantId}:${id}` })))
            await new Promise((resolve) => setTimeout(resolve, 2));
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
      { name: `steady load: writes asked`, value: options.rate, unit: 'writes/s' },
      {
        name: `steady load: writes answered 201 (${options.seconds} s)`,
        value: round(answered / options.seconds, 0),
        unit: 'writes/s',
      },
      { name: 'steady load: writes not sent (too many in flight)', value: late, unit: 'writes' },
      { name: 'steady load: writes failed', value: failed, unit: 'writes' },
      { name: 'steady load: projection lag p50', value: round(percentile(lags, 50)), unit: 'ms' },
      {
        name: 'steady load: projection lag p99 (goal ≤ 300 ms)',
        value: round(percentile(lags, 99)),
        unit: 'ms',
      },
      { name: 'steady load: heap, median of the first third', value: heapStart, unit: 'MiB' },
      { name: 'steady load: heap, median of the last third', value: heapEnd, unit: 'MiB' },
    ];
  } finally {
    await mongo.close();
    await system.close();
  }
}
