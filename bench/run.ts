// `npm run bench`: measures on the real servers and reports each figure next to a baseline
// taken in the same run (these machines are noisy: compare ratios, not absolute numbers).
// Options: BENCH_N (event-store operations, default 2000), BENCH_CLIENTS (clients created through
// the API, default 10000), BENCH_CONCURRENCY (default 16), BENCH_ONLY (event-store | api | import | security | crm | kb | invoices),
// BENCH_ONLY=steady with BENCH_STEADY_RATE (default 200 writes/s), BENCH_STEADY_SECONDS (default 300) and
// BENCH_STEADY_WRITES (creates, the default, or updates: PATCHes spread over BENCH_STEADY_CLIENTS, default 2,000),
// BENCH_IMPORT_CLIENTS (default 100000) and BENCH_IMPORT_LINES (default 10000); BENCH_ONLY=crm with
// BENCH_CRM_WRITES (default 500) and BENCH_CRM_ENTRIES (default 1,000, as issue 12 asks); BENCH_ONLY=kb
// with BENCH_KB_ARTICLES (generated articles beside the shipped help, default 2,000); BENCH_ONLY=invoices
// with BENCH_INVOICES (recorded at concurrency, default 500) and BENCH_INVOICES_LISTED (default 1,000).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { benchApi } from './api.bench';
import { benchCrm } from './crm.bench';
import { benchKnowledgeBase } from './kb.bench';
import { benchInvoices } from './invoices.bench';
import { benchImport } from './import.bench';
import { benchSecurity } from './security.bench';
import { benchSteady } from './steady.bench';
import { benchEventStore, BenchRow } from './event-store.bench';

const infra = require('../tools/infra/infra.js') as {
  up(): Promise<{ kafkaBrokers: string; mongodbUri: string; started: string[] }>;
  down(which?: string[]): Promise<void>;
};

function printTable(title: string, rows: BenchRow[]): void {
  process.stdout.write(`\n${title}\n`);
  const lines = rows.map((r) => [
    r.name,
    `${r.value} ${r.unit}`,
    r.baseline ? `${r.ratio}× ${r.baseline}` : '',
  ]);
  const widths = [0, 1, 2].map((c) => Math.max(...lines.map((l) => l[c].length)));
  for (const line of lines)
    process.stdout.write(`  ${line.map((cell, c) => cell.padEnd(widths[c])).join('  ')}\n`);
}

async function main(): Promise<void> {
  const count = Number(process.env.BENCH_N || 2000);
  const concurrency = Number(process.env.BENCH_CONCURRENCY || 16);
  const clients = Number(process.env.BENCH_CLIENTS || 10_000);
  const only = process.env.BENCH_ONLY;
  const { kafkaBrokers, mongodbUri, started } = await infra.up();
  const results: Record<string, BenchRow[]> = {};
  try {
    process.env.KAFKA_BROKERS = kafkaBrokers;
    process.env.MONGODB_URI = mongodbUri;
    // The event-store run also measures the raw driver: the baseline of every ratio below.
    results['event store'] = await benchEventStore({ kafkaBrokers, mongodbUri }, { count, concurrency });
    printTable(`event store (N=${count}, concurrency ${concurrency}, ${mongodbUri})`, results['event store']);
    const raw = (name: string) => results['event store'].find((r) => r.name === name)?.value ?? Number.NaN;
    if (only === 'import') {
      results.import = await benchImport({
        clients: Number(process.env.BENCH_IMPORT_CLIENTS || 100_000),
        lines: Number(process.env.BENCH_IMPORT_LINES || 10_000),
        concurrency,
        rawInsertPerSecond: raw('raw driver insertOne'),
      });
      printTable('bank statement import through the gateway', results.import);
    } else if (only === 'security') {
      results.security = await benchSecurity();
      printTable('hostile input (docs/security.md)', results.security);
    } else if (only === undefined || only === 'api') {
      results.api = await benchApi(
        { mongodbUri },
        {
          count: clients,
          concurrency,
          rawInsertPerSecond: raw('raw driver insertOne'),
          rawFindPerSecond: raw('raw driver findOne by _id'),
          rawFindP99: raw(`raw driver findOne by _id p99 (concurrency ${concurrency})`),
        },
      );
      printTable(`API through the gateway (N=${clients} clients, concurrency ${concurrency})`, results.api);
    }
    if (only === undefined || only === 'steady') {
      results.steady = await benchSteady(
        { mongodbUri },
        {
          rate: Number(process.env.BENCH_STEADY_RATE || 200),
          seconds: Number(process.env.BENCH_STEADY_SECONDS || 300),
          writes:
            process.env.BENCH_STEADY_WRITES === 'updates'
              ? { kind: 'updates', clients: Number(process.env.BENCH_STEADY_CLIENTS || 2_000) }
              : { kind: 'creates' },
        },
      );
      printTable('steady load through the gateway', results.steady);
    }
    if (only === undefined || only === 'crm') {
      results.crm = await benchCrm(
        { mongodbUri },
        {
          writes: Number(process.env.BENCH_CRM_WRITES || 500),
          entries: Number(process.env.BENCH_CRM_ENTRIES || 1000),
          concurrency,
          rawInsertPerSecond: raw('raw driver insertOne'),
        },
      );
      printTable('CRM through the gateway', results.crm);
    }
    if (only === undefined || only === 'kb') {
      results.kb = await benchKnowledgeBase(
        { mongodbUri },
        { extra: Number(process.env.BENCH_KB_ARTICLES || 2000), searches: 1000 },
      );
      printTable('knowledge-base search', results.kb);
    }
    if (only === undefined || only === 'invoices') {
      results.invoices = await benchInvoices(
        { mongodbUri },
        {
          writes: Number(process.env.BENCH_INVOICES || 500),
          listed: Number(process.env.BENCH_INVOICES_LISTED || 1000),
          concurrency,
          rawInsertPerSecond: raw('raw driver insertOne'),
        },
      );
      printTable('invoices through the gateway', results.invoices);
    }
  } finally {
    if (started.length) await infra.down(started);
  }
  const file = path.join(__dirname, 'results', `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(
    file,
    JSON.stringify({ at: new Date().toISOString(), count, concurrency, mongodbUri, results }, null, 2),
  );
  process.stdout.write(`\nresults written to ${path.relative(process.cwd(), file)}\n`);
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
