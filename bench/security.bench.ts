import { companyNameKey, parseCamt053Bytes, parseIsolated } from '@clientbook/import-matching-app';
import { camtStatement, creditEntry } from '../apps/system-tests/src/camt-statements';
import { zipBombWorkbook, withDeclaredSize } from '../apps/system-tests/src/hostile-requests';
import { ApiCaller, runImport, startSystem } from '../apps/system-tests/src/system';
import type { BenchRow } from './event-store.bench';
import { percentile, round } from './stats';

const progress = (message: string) => process.stderr.write(`[bench] ${message}\n`);
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const ratio = (value: number, baseline: number) => round(value / baseline, 2);

/** Milliseconds `work` takes, the median of `runs`. */
async function median(runs: number, work: () => Promise<unknown> | unknown): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  return percentile(times, 50);
}

/** Requests another tenant makes one after another while `during` runs: their latencies. */
async function latenciesDuring(caller: ApiCaller, during: Promise<unknown>): Promise<number[]> {
  let done = false;
  void during.finally(() => (done = true));
  const latencies: number[] = [];
  while (!done) {
    const started = performance.now();
    await caller.get('/v1/company');
    latencies.push(performance.now() - started);
  }
  return latencies;
}

/**
 * What hostile input costs now (docs/security.md): a 160 KB counterparty name, zip bombs, and
 * parsing in a process of its own — each next to an ordinary baseline of the same run.
 */
export async function benchSecurity(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const system = await startSystem({ rateLimitPerMinute: 10_000_000 });
  try {
    const tenant = await system.createTenant();
    const neighbour = await system.createTenant({ name: 'UAB Kaimynas', code: '300000031' });
    const statement = (id: string, name: string) =>
      camtStatement(id, [
        creditEntry(`${id}-1`, '10.00', { name }),
        creditEntry(`${id}-2`, '20.00', { name: 'UAB Paprastas' }),
      ]);
    const importXml = (xml: string) =>
      runImport(tenant.admin, '/v1/imports/bank-statements', {
        raw: xml,
        headers: { 'content-type': 'application/xml' },
      });

    progress('an ordinary two-line statement, then one with a 160 KB name, while a neighbour reads');
    const idle = await latenciesDuring(neighbour.admin, new Promise((resolve) => setTimeout(resolve, 2000)));
    let started = performance.now();
    await importXml(statement('PLAIN', 'UAB Paprastas Mokėtojas'));
    const plainMs = performance.now() - started;
    started = performance.now();
    const hostile = importXml(statement('HOSTILE', 'UAB '.repeat(40_000)));
    const during = await latenciesDuring(neighbour.admin, hostile);
    const hostileMs = performance.now() - started;
    rows.push(
      { name: 'import, 2 ordinary lines', value: Math.round(plainMs), unit: 'ms' },
      {
        name: 'import, one name of 160 KB ("UAB " × 40,000)',
        value: Math.round(hostileMs),
        unit: 'ms',
        baseline: 'the ordinary import',
        ratio: ratio(hostileMs, plainMs),
      },
      { name: "neighbour's GET, idle: p50", value: round(percentile(idle, 50)), unit: 'ms' },
      {
        name: "neighbour's GET during the hostile import: slowest",
        value: round(Math.max(...during)),
        unit: 'ms',
        baseline: 'idle p50',
        ratio: ratio(Math.max(...during), percentile(idle, 50)),
      },
    );

    progress('zip bombs: 400 MiB in one cell, declared and lying');
    const bomb = await zipBombWorkbook(400 * 1024 * 1024);
    const csvMs = await median(3, () =>
      runImport(tenant.admin, '/v1/imports/clients', {
        raw: 'name\nUAB Eilinis\n',
        headers: { 'content-type': 'text/csv' },
      }),
    );
    const bombMs = await median(3, () =>
      runImport(tenant.admin, '/v1/imports/clients', { raw: bomb, headers: { 'content-type': XLSX } }),
    );
    const liar = withDeclaredSize(bomb, 'xl/sharedStrings.xml', 2000);
    const liarMs = await median(3, () =>
      runImport(tenant.admin, '/v1/imports/clients', { raw: liar, headers: { 'content-type': XLSX } }),
    );
    rows.push(
      { name: 'client file, one CSV row: job done', value: Math.round(csvMs), unit: 'ms' },
      {
        name: `zip bomb (${Math.round(bomb.length / 1024)} KB → 400 MiB declared): job failed`,
        value: Math.round(bombMs),
        unit: 'ms',
        baseline: 'one CSV row',
        ratio: ratio(bombMs, csvMs),
      },
      {
        name: 'zip bomb declaring 2,000 bytes: job failed',
        value: Math.round(liarMs),
        unit: 'ms',
        baseline: 'one CSV row',
        ratio: ratio(liarMs, csvMs),
      },
    );
  } finally {
    await system.close();
  }

  progress('parsing a 10,000-line statement in the service vs in a process of its own');
  const xml = Buffer.from(
    camtStatement(
      'PARSE',
      Array.from({ length: 10_000 }, (_, i) => creditEntry(`P-${i}`, '1.00', { name: `UAB Mokėtojas ${i}` })),
    ),
  );
  await parseIsolated({ kind: 'bank-statement', bytes: xml }); // the idle parser is started
  const inServiceMs = await median(5, () => parseCamt053Bytes(xml));
  const isolatedMs =
    (await median(5, async () => {
      await parseIsolated({ kind: 'bank-statement', bytes: xml });
      await new Promise((resolve) => setTimeout(resolve, 500)); // the next idle parser loads
    })) - 500;
  rows.push(
    { name: 'parse 10,000 lines (2.2 MiB) in the service', value: Math.round(inServiceMs), unit: 'ms' },
    {
      name: 'parse 10,000 lines in a process of its own',
      value: Math.round(isolatedMs),
      unit: 'ms',
      baseline: 'in the service',
      ratio: ratio(isolatedMs, inServiceMs),
    },
  );

  const small = await median(9, () => companyNameKey('UAB '.repeat(2_500)));
  const large = await median(9, () => companyNameKey('UAB '.repeat(25_000)));
  rows.push(
    { name: 'company name key, 10 KB name', value: round(small, 2), unit: 'ms' },
    {
      name: 'company name key, 100 KB name',
      value: round(large, 2),
      unit: 'ms',
      baseline: '10 KB',
      ratio: ratio(large, small),
    },
  );
  return rows;
}
