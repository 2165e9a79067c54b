import { type Collection, MongoClient } from 'mongodb';
import { percentile, perSecond, round, runConcurrently } from './stats';
import type { BenchRow } from './event-store.bench';
import type { ApiCaller } from '../apps/system-tests/src/system';
// The benchmark runs the whole system in its own process, as the end-to-end tests do.
import { startSystem } from '../apps/system-tests/src/system';

const FIRST = ['Jonas', 'Ona', 'Petras', 'Rūta', 'Šarūnas', 'Aistė', 'Mindaugas', 'Eglė', 'Tomas', 'Gintarė'];
const LAST = [
  'Jonaitis',
  'Kazlauskienė',
  'Petrauskas',
  'Žukauskas',
  'Balčiūnas',
  'Vasiliauskas',
  'Stankevičius',
  'Butkus',
];
const WORDS = [
  'Medžio',
  'Popieriaus',
  'Statybų',
  'Prekybos',
  'Transporto',
  'Maisto',
  'Energijos',
  'Baldų',
  'Sodo',
  'Žuvies',
];

export function clientBody(i: number) {
  if (i % 3 === 0) {
    return {
      kind: 'person',
      firstName: FIRST[i % FIRST.length],
      lastName: `${LAST[i % LAST.length]}${i}`,
      roles: ['buyer'],
    };
  }
  return {
    kind: 'company',
    name: `UAB ${WORDS[i % WORDS.length]} ${WORDS[(i * 7) % WORDS.length]} ${i}`,
    code: String(300_000_000 + i),
    roles: ['supplier'],
    email: `info${i}@example.lt`,
    bankAccounts: [{ iban: 'LT121000011101001000', main: true }],
  };
}

/**
 * The API through the gateway: creates N clients at the given concurrency, then GET-by-id and
 * search latencies on N clients, and the projection lag (201 → the card is in the list's collection).
 * Ratios are against the raw driver on the same server, measured in the same run.
 */
export async function benchApi(
  infra: { mongodbUri: string },
  options: {
    count: number;
    concurrency: number;
    rawInsertPerSecond: number;
    rawFindPerSecond: number;
    rawFindP99: number;
  },
): Promise<BenchRow[]> {
  const { count, concurrency } = options;
  const rows: BenchRow[] = [];
  const system = await startSystem({ rateLimitPerMinute: 10_000_000 });
  const mongo = await new MongoClient(infra.mongodbUri).connect();
  try {
    const tenant = await system.createTenant();
    const api = tenant.admin;
    const ids: string[] = new Array(count);
    let failures = 0;
    const progress = setInterval(
      () => process.stderr.write(`  created ${ids.filter(Boolean).length}/${count}\r`),
      5000,
    );
    const createMs = await runConcurrently(count, concurrency, async (i) => {
      const response = await api.post('/v1/clients', clientBody(i));
      if (response.status === 201) ids[i] = response.body.id;
      else failures += 1;
    });
    clearInterval(progress);
    const createRate = perSecond(count, createMs);
    rows.push({
      name: `create client (POST, concurrency ${concurrency})`,
      value: createRate,
      unit: 'clients/s',
      baseline: 'raw insertOne',
      ratio: round(createRate / options.rawInsertPerSecond, 2),
    });
    if (failures) rows.push({ name: 'create failures', value: failures, unit: 'requests' });

    const cards: Cards = mongo.db(`${system.databasePrefix}_clients`).collection('client_cards');
    const settleStart = performance.now();
    await cardsCaughtUp(cards, tenant.tenantId, ids.filter(Boolean), 1);
    rows.push({
      name: 'projection caught up after the last 201',
      value: round((performance.now() - settleStart) / 1000),
      unit: 's',
    });

    const getLatencies: number[] = [];
    const gets = Math.min(count, 2000);
    const getMs = await runConcurrently(gets, concurrency, async (i) => {
      const started = performance.now();
      await api.get(`/v1/clients/${ids[(i * 7919) % ids.length]}`);
      getLatencies.push(performance.now() - started);
    });
    const getRate = perSecond(gets, getMs);
    rows.push({
      name: 'GET by id',
      value: getRate,
      unit: 'req/s',
      baseline: 'raw findOne',
      ratio: round(getRate / options.rawFindPerSecond, 2),
    });
    for (const p of [50, 95])
      rows.push({ name: `GET by id p${p}`, value: round(percentile(getLatencies, p)), unit: 'ms' });
    rows.push({
      name: 'GET by id p99',
      value: round(percentile(getLatencies, 99)),
      unit: 'ms',
      baseline: 'raw findOne p99 (goal ≤ 2×)',
      ratio: round(percentile(getLatencies, 99) / options.rawFindP99, 1),
    });

    const searchLatencies: number[] = [];
    const searches = 100;
    await runConcurrently(searches, 4, async (i) => {
      const started = performance.now();
      const q =
        i % 2 === 0 ? WORDS[i % WORDS.length].toLowerCase() : String(300_000_000 + i * 37).slice(0, 6);
      await api.get(`/v1/clients?q=${encodeURIComponent(q)}&limit=50`);
      searchLatencies.push(performance.now() - started);
    });
    for (const p of [50, 95])
      rows.push({
        name: `search q= on ${count} clients p${p}`,
        value: round(percentile(searchLatencies, p)),
        unit: 'ms',
      });
    const listLatencies: number[] = [];
    await runConcurrently(20, 1, async () => {
      const started = performance.now();
      await api.get('/v1/clients?limit=50');
      listLatencies.push(performance.now() - started);
    });
    rows.push({
      name: `first page, no filter, p50`,
      value: round(percentile(listLatencies, 50)),
      unit: 'ms',
    });

    // Lag: one create at a time, then poll the card by _id until the projection wrote it.
    const lags: number[] = [];
    for (let i = 0; i < 200; i += 1) {
      const response = await api.post('/v1/clients', clientBody(count + i));
      const returned = performance.now();
      while (!(await cardAt(cards, tenant.tenantId, response.body.id, 1)))
        await new Promise((r) => setTimeout(r, 2));
      lags.push(performance.now() - returned);
    }
    for (const p of [50, 99])
      rows.push({
        name: `projection lag p${p} (201 → in the list)`,
        value: round(percentile(lags, p)),
        unit: 'ms',
      });

    if (process.env.BENCH_SKIP_MERGES !== '1')
      rows.push(...(await benchMerges(api, concurrency, cards, tenant.tenantId)));
  } finally {
    await mongo.close();
    await system.close();
  }
  return rows;
}

export type Cards = Collection<{ _id: string; lastVersion: number }>;

/** Whether the client's card is at `version` at least (one lookup by `_id`). */
export async function cardAt(
  cards: Cards,
  tenantId: string,
  clientId: string,
  version: number,
): Promise<boolean> {
  return ((await cards.findOne({ _id: `${tenantId}:${clientId}` }))?.lastVersion ?? 0) >= version;
}

/**
 * Waits until the cards of a sample of the clients (spread over every partition, ending with the
 * last) are at `version` at least: looked up by `_id` (a count would read the whole collection on
 * FerretDB and slow what it measures). Ten minutes at most.
 */
async function cardsCaughtUp(
  cards: Cards,
  tenantId: string,
  clientIds: string[],
  version: number,
): Promise<void> {
  const sample = new Set([
    ...Array.from({ length: 49 }, (_, k) => clientIds[Math.floor((k * clientIds.length) / 49)]),
    clientIds[clientIds.length - 1],
  ]);
  const started = performance.now();
  while (sample.size > 0 && performance.now() - started < 600_000) {
    for (const id of [...sample]) if (await cardAt(cards, tenantId, id, version)) sample.delete(id);
    if (sample.size > 0) await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Merges: 1,000 clients into one (and how long until their cards show it), then, once that is
 * done, 100 merges of two in a row (API.md "Merging duplicates").
 */
async function benchMerges(
  api: ApiCaller,
  concurrency: number,
  cards: Cards,
  tenantId: string,
): Promise<BenchRow[]> {
  const create = async (name: string): Promise<string> =>
    (await api.post('/v1/clients', { kind: 'company', name })).body.id;
  const keep = await create('UAB Tikrasis');
  const duplicates: string[] = new Array(1000);
  await runConcurrently(1000, concurrency, async (i) => {
    duplicates[i] = await create(`UAB Tikrasis dublis ${i}`);
  });
  const started = performance.now();
  const big = await api.post('/v1/clients/merge', { keepId: keep, mergeIds: duplicates, reason: 'bench' });
  const bigMs = performance.now() - started;
  const mergedAt = performance.now();
  await cardsCaughtUp(cards, tenantId, duplicates, 2);
  const rows: BenchRow[] = [
    { name: `merge 1,000 clients into one (status ${big.status})`, value: round(bigMs / 1000, 2), unit: 's' },
    {
      name: 'merge 1,000: merged cards caught up after the 200',
      value: round((performance.now() - mergedAt) / 1000, 2),
      unit: 's',
    },
  ];

  const pairs: [string, string][] = [];
  await runConcurrently(100, concurrency, async (i) => {
    pairs[i] = [await create(`UAB Pora ${i}`), await create(`UAB Pora ${i} dublis`)];
  });
  const times: number[] = [];
  let failed = 0;
  const allStarted = performance.now();
  for (const [keepId, mergeId] of pairs) {
    const t0 = performance.now();
    const response = await api.post('/v1/clients/merge', { keepId, mergeIds: [mergeId] });
    if (response.status !== 200) failed += 1;
    times.push(performance.now() - t0);
  }
  rows.push({
    name: '100 merges of 2, one after another',
    value: round((performance.now() - allStarted) / 1000, 2),
    unit: 's',
  });
  rows.push({ name: 'merge of 2 p50', value: round(percentile(times, 50)), unit: 'ms' });
  rows.push({ name: 'merge of 2 p95', value: round(percentile(times, 95)), unit: 'ms' });
  if (failed) rows.push({ name: 'merges not answered 200', value: failed, unit: 'of 100' });
  return rows;
}
