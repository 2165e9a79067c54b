import { MongoClient } from 'mongodb';
import { percentile, perSecond, rawPageReads, round, runConcurrently } from './stats';
import type { BenchRow } from './event-store.bench';
// The benchmark runs the whole system in its own process, as the end-to-end tests do.
import { startSystem } from '../apps/system-tests/src/system';

const progress = (message: string) => process.stderr.write(`[bench] ${message}\n`);

const line = (i: number) => ({
  description: `Prekė Nr. ${i} – šviežios žuvys ir ąsočiai`,
  quantity: (i % 3) + 1,
  unit: 'vnt.',
  unitPrice: `${10 + i}.35`,
  discountPercent: i % 4 === 0 ? 5 : 0,
  vatRate: i % 5 === 0 ? 12 : 21,
});

/**
 * Invoices through the gateway: recorded per second at the given concurrency (over 100 buyers),
 * a 20-line invoice's PDF and a 100-invoice period PDF, and the card's list of a client with
 * `listed` invoices read page by page — beside the raw driver in the same run (inserts; a page of
 * 50 of as many documents by an index).
 */
export async function benchInvoices(
  infra: { mongodbUri: string },
  options: { writes: number; listed: number; concurrency: number; rawInsertPerSecond: number },
): Promise<BenchRow[]> {
  const system = await startSystem();
  const mongo = new MongoClient(infra.mongodbUri);
  try {
    const tenant = await system.createTenant();
    const api = tenant.admin;
    const buyers: string[] = [];
    for (let i = 0; i < 100; i += 1)
      buyers.push((await api.post('/v1/clients', { kind: 'company', name: `UAB Pirkėjas ${i}` })).body.id);
    let number = 0;
    const invoice = (clientId: string, lines = 1, issueDate = '2026-03-02') => ({
      series: 'BN',
      number: String((number += 1)),
      issueDate,
      clientId,
      currency: 'EUR',
      lines: Array.from({ length: lines }, (_, i) => line(i + 1)),
    });

    progress(`${options.writes} invoices at concurrency ${options.concurrency}…`);
    let refused = 0;
    const writeMs = await runConcurrently(options.writes, options.concurrency, async (i) => {
      const answer = await api.post('/v1/invoices', invoice(buyers[i % buyers.length]));
      if (answer.status !== 201) refused += 1;
    });

    progress('a 20-line invoice printed 100 times…');
    const twenty = (await api.post('/v1/invoices', invoice(buyers[0], 20))).body.id as string;
    const single: number[] = [];
    for (let i = 0; i < 105; i += 1) {
      const started = performance.now();
      const pdf = await api.bytes(`/v1/invoices/${twenty}/pdf`);
      if (i >= 5) single.push(performance.now() - started);
      if (pdf.status !== 200) throw new Error(`the PDF answered ${pdf.status}`);
    }

    progress(`one client with ${options.listed} invoices…`);
    const busy = (await api.post('/v1/clients', { kind: 'company', name: 'UAB Daug Sąskaitų' })).body.id;
    await runConcurrently(options.listed, 4, async (i) => {
      const day = `2026-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
      const answer = await api.post('/v1/invoices', invoice(busy, 3, day));
      if (answer.status !== 201) throw new Error(`an invoice answered ${answer.status}`);
    });
    const period: number[] = [];
    let pages = 0;
    for (let i = 0; i < 10; i += 1) {
      const started = performance.now();
      // January holds ~84 of them, the first 100-odd of a client's year.
      const pdf = await api.bytes(`/v1/clients/${busy}/invoices/pdf?from=2026-01-01&to=2026-01-31`);
      period.push(performance.now() - started);
      pages = (pdf.body.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
    }
    const january = (await api.get(`/v1/clients/${busy}/invoices?from=2026-01-01&to=2026-01-31&limit=1`)).body
      .summary.count as number;

    const reads = 100;
    const listMs: number[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < reads; i += 1) {
      const started = performance.now();
      const page: { body: { nextCursor: string | null } } = await api.get(
        `/v1/clients/${busy}/invoices?limit=50${cursor ? `&cursor=${cursor}` : ''}`,
      );
      listMs.push(performance.now() - started);
      cursor = page.body.nextCursor;
    }
    // The baseline: as many documents as the list's own (one list item each), a page of 50 by an
    // index, newest first.
    const sample = (await api.get(`/v1/clients/${busy}/invoices?limit=1`)).body.items[0];
    const rawMs = await rawPageReads(
      mongo,
      'invoices',
      Array.from({ length: options.listed }, (_, i) => ({
        issueDate: `2026-01-${String(1 + (i % 28)).padStart(2, '0')}`,
        data: sample,
      })),
      'issueDate',
      reads,
    );

    const written = perSecond(options.writes, writeMs);
    const p = (values: number[], q: number) => round(percentile(values, q));
    return [
      {
        name: `invoices recorded (${options.writes}, concurrency ${options.concurrency}, ${refused} refused)`,
        value: written,
        unit: 'invoices/s',
        baseline: 'raw insertOne',
        ratio: round(written / options.rawInsertPerSecond, 2),
      },
      { name: 'PDF of a 20-line invoice through the gateway p50', value: p(single, 50), unit: 'ms' },
      { name: 'PDF of a 20-line invoice p95 (goal ≤ 150 ms)', value: p(single, 95), unit: 'ms' },
      { name: `PDF of a period: ${january} invoices, ${pages} pages, p50`, value: p(period, 50), unit: 'ms' },
      { name: `PDF of a period: ${january} invoices p95`, value: p(period, 95), unit: 'ms' },
      { name: `raw page of 50 of ${options.listed} documents p50`, value: p(rawMs, 50), unit: 'ms' },
      { name: `raw page of 50 of ${options.listed} documents p95`, value: p(rawMs, 95), unit: 'ms' },
      {
        name: `card's list, page of 50 of ${options.listed} invoices, p50`,
        value: p(listMs, 50),
        unit: 'ms',
        baseline: 'raw page p50',
        ratio: round(percentile(listMs, 50) / percentile(rawMs, 50), 1),
      },
      {
        name: `card's list, page of 50 of ${options.listed} invoices, p95`,
        value: p(listMs, 95),
        unit: 'ms',
        baseline: 'raw page p95 (goal ≤ 2×)',
        ratio: round(percentile(listMs, 95) / percentile(rawMs, 95), 1),
      },
    ];
  } finally {
    await mongo.close();
    await system.close();
  }
}
