import { CommandBus } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import {
  ExecuteClientCommand,
  CreateClientDto,
  registerCommand,
  ClientCards,
  ClientSearchIndex,
} from '@clientbook/clients-app';
import { MatchingClients, parseCamt053, MatchingIndex } from '@clientbook/import-matching-app';
import { percentile, perSecond, round, runConcurrently } from './stats';
import type { BenchRow } from './event-store.bench';
import { startSystem } from '../apps/system-tests/src/system';
import { camtStatement, creditEntry, numberedIban as iban } from '../apps/system-tests/src/camt-statements';

const progress = (message: string) => process.stderr.write(`[bench] ${message}\n`);

function statementXml(lines: number, known: number): string {
  const entries = Array.from({ length: lines }, (_, i) => {
    // Half pay from an IBAN a client holds, a quarter are known by name only, a quarter are new.
    const kind = i % 4;
    const payer =
      kind < 2
        ? { name: `UAB Klientas ${i % known}`, iban: iban(i % known) }
        : { name: kind === 2 ? `UAB Klientas ${(i * 7) % known}` : `UAB Naujas ${i}` };
    return creditEntry(`BENCH-${i}`, '10.00', payer);
  });
  return camtStatement('BENCH', entries);
}

/** Heap taken by a matching index of `count` companies with one IBAN each (needs --expose-gc to be exact). */
function indexMemory(count: number): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const index = new MatchingIndex();
  for (let i = 0; i < count; i += 1) {
    index.put({
      id: `c-${i}`,
      createdAt: new Date(1_700_000_000_000 + i).toISOString(),
      kind: 'company',
      name: `UAB Klientas ${i}`,
      code: String(300_000_000 + i),
      ibans: [iban(i)],
      email: null,
    });
  }
  gc?.();
  const used = process.memoryUsage().heapUsed - before;
  return index.size > 0 ? used : 0;
}

/**
 * The list's search over every client of the tenant, through the gateway (pages come from the
 * clients service's memory), and what that memory costs: the tenant's cards read into a search
 * index of their own, the heap measured before and after.
 */
async function searchRows(
  api: { get(path: string): Promise<{ status: number }> },
  service: ClientCards,
  tenantId: string,
  clients: number,
): Promise<BenchRow[]> {
  const cards = service.collection;
  const queries = ['klientas 4', 'uab', '3000', 'klientas 99999', 'no such client', '30001234'];
  // The search itself, in the clients service (no HTTP): what the index and the page cost.
  const inProcess: number[] = [];
  for (let i = 0; i < 300; i += 1) {
    const started = performance.now();
    await service.search(tenantId, { q: queries[i % queries.length], limit: 50 });
    inProcess.push(performance.now() - started);
  }
  const latencies: number[] = [];
  await runConcurrently(300, 4, async (i) => {
    const started = performance.now();
    const response = await api.get(
      `/v1/clients?q=${encodeURIComponent(queries[i % queries.length])}&limit=50`,
    );
    if (response.status !== 200) throw new Error(`search answered ${response.status}`);
    latencies.push(performance.now() - started);
  });
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const index = new ClientSearchIndex<Record<string, unknown> & Parameters<ClientSearchIndex['put']>[0]>();
  for await (const card of cards.find({ tenantId })) {
    const { _id: _card, ...entry } = card as unknown as Parameters<ClientSearchIndex['put']>[0] & {
      _id: string;
    };
    index.put(entry);
  }
  index.query(tenantId, {});
  gc?.();
  const used = process.memoryUsage().heapUsed - before;
  return [
    {
      name: `search q= on ${clients} clients in the service, p95 (no HTTP)`,
      value: round(percentile(inProcess, 95)),
      unit: 'ms',
    },
    {
      name: `search q= on ${clients} clients p50 (concurrency 4)`,
      value: round(percentile(latencies, 50)),
      unit: 'ms',
    },
    {
      name: `search q= on ${clients} clients p95 (goal ≤ 50 ms)`,
      value: round(percentile(latencies, 95)),
      unit: 'ms',
    },
    {
      name: `clients service's search memory, ${index.size} cards (heap)`,
      value: round(used / 1024 / 1024, 1),
      unit: 'MiB',
    },
  ];
}

/**
 * A camt.053 statement of `lines` entries against a tenant with `clients` clients, through the
 * gateway: lines/s, time to the first line's result, and the matching index's memory.
 */
export async function benchImport(options: {
  clients: number;
  lines: number;
  concurrency: number;
  /** The raw driver's insertOne rate measured in the same run: the baseline of the ratios. */
  rawInsertPerSecond: number;
}): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const system = await startSystem({ rateLimitPerMinute: 10_000_000 });
  try {
    const tenant = await system.createTenant();
    const api = tenant.admin;
    // Seeded through the clients service's command handler (the path POST /v1/clients takes after
    // HTTP): 100,000 clients through the gateway would take ~25 minutes here.
    const commands = system.clientsApp.get(CommandBus);
    const caller = {
      tenantId: tenant.tenantId,
      actor: { kind: 'system', id: 'bench-seed' },
      correlationId: randomUUID(),
    } as const;
    const ids: string[] = new Array(options.clients);
    const seedMs = await runConcurrently(options.clients, options.concurrency * 2, async (i) => {
      ids[i] = randomUUID();
      const card = {
        kind: 'company',
        name: `UAB Klientas ${i}`,
        bankAccounts: [{ iban: iban(i), main: true }],
      };
      const register = registerCommand(card as CreateClientDto, false, randomUUID);
      await commands.execute(new ExecuteClientCommand(caller, ids[i], register, null, true));
      if ((i + 1) % 10_000 === 0) progress(`seeded ${i + 1} of ${options.clients} clients`);
    });
    rows.push({
      name: `seed ${options.clients} clients (command handler, no HTTP)`,
      value: perSecond(options.clients, seedMs),
      unit: 'clients/s',
      baseline: 'raw insertOne',
      ratio: round(perSecond(options.clients, seedMs) / options.rawInsertPerSecond, 2),
    });
    // Both read models follow the clients topic: import-matching's matching model and the clients
    // service's cards. The statement arrives once both have every client, so the import is
    // measured on its own, not alongside a catch-up of 100,000 events.
    const model = system.importApp.get(MatchingClients);
    const cards = system.clientsApp.get(ClientCards).collection;
    const seeded = performance.now();
    const caughtUp: Record<string, number> = {};
    // Cards: caught up once a sample spread over the seed order (so over every partition) and its
    // last 20 are there, by `_id` (a count reads the whole collection on FerretDB: ~3 s of its
    // CPU at 100,000 cards, which slowed the very catch-up it measured).
    const missing = new Set([
      ...Array.from({ length: 80 }, (_, k) => ids[Math.floor((k * ids.length) / 80)]),
      ...ids.slice(-20),
    ]);
    for (let reported = 0; ;) {
      const size = model.forTenant(tenant.tenantId).size;
      for (const id of [...missing])
        if (await cards.findOne({ _id: `${tenant.tenantId}:${id}` })) missing.delete(id);
      const elapsed = round((performance.now() - seeded) / 1000, 1);
      if (size >= options.clients) caughtUp.model ??= elapsed;
      if (missing.size === 0) caughtUp.cards ??= elapsed;
      if (caughtUp.model !== undefined && caughtUp.cards !== undefined) break;
      if (size - reported >= 10_000) {
        reported = size - (size % 10_000);
        progress(`caught up: matching model ${size}, client cards: ${missing.size} of the sample missing`);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    rows.push({ name: 'matching model caught up after the last seed', value: caughtUp.model, unit: 's' });
    rows.push({ name: 'client cards caught up after the last seed', value: caughtUp.cards, unit: 's' });
    rows.push({
      name: 'client cards stored (one count, after the timing)',
      value: (await cards.countDocuments({ tenantId: tenant.tenantId })) - 1,
      unit: 'cards',
    });
    rows.push(
      ...(await searchRows(api, system.clientsApp.get(ClientCards), tenant.tenantId, options.clients)),
    );

    const xml = statementXml(options.lines, options.clients);
    const started = performance.now();
    const posted = await api.request('POST', '/v1/imports/bank-statements', {
      raw: xml,
      headers: { 'content-type': 'application/xml' },
    });
    const accepted = performance.now() - started;
    let firstResult = Number.NaN;
    const polls: number[] = [];
    for (;;) {
      const t0 = performance.now();
      const job = await api.get(`/v1/imports/${posted.body.importId}`);
      polls.push(performance.now() - t0);
      if (Number.isNaN(firstResult) && job.body.lines?.length > 0) firstResult = performance.now() - started;
      if (job.body.status === 'failed')
        throw new Error(`the import failed: ${JSON.stringify(job.body.error)}`);
      if (job.body.status === 'completed') {
        const total = performance.now() - started;
        rows.push({
          name: `import ${options.lines} lines against ${options.clients} clients`,
          value: perSecond(options.lines, total),
          unit: 'lines/s',
          baseline: 'raw insertOne',
          ratio: round(perSecond(options.lines, total) / options.rawInsertPerSecond, 3),
        });
        rows.push({ name: 'POST answered 202', value: round(accepted), unit: 'ms' });
        rows.push({ name: 'time to the first line result', value: round(firstResult), unit: 'ms' });
        rows.push({ name: 'whole import', value: round(total / 1000, 1), unit: 's' });
        rows.push({
          name: `outcome totals`,
          value: job.body.totals.lines,
          unit: JSON.stringify(job.body.totals),
        });
        rows.push({
          name: 'GET /v1/imports/{id} p50 while running',
          value: round(percentile(polls, 50)),
          unit: 'ms',
        });
        break;
      }
      // Fine-grained until the first result, then as a dashboard would.
      await new Promise((r) => setTimeout(r, Number.isNaN(firstResult) ? 100 : 2000));
      if (!Number.isNaN(firstResult))
        progress(
          `import: ${job.body.totals?.matched + job.body.totals?.created + job.body.totals?.skipped + job.body.totals?.failed} of ${options.lines} lines`,
        );
    }
    const parseStarted = performance.now();
    const parsed = parseCamt053(xml).length;
    rows.push({
      name: `parse the statement alone (${parsed} lines, ${round(Buffer.byteLength(xml) / 1024 / 1024, 1)} MiB)`,
      value: round(performance.now() - parseStarted),
      unit: 'ms',
    });
    rows.push({
      name: `matching index, ${options.clients} companies (heap)`,
      value: round(indexMemory(options.clients) / 1024 / 1024, 1),
      unit: 'MiB',
    });
    if (options.clients !== 100_000)
      rows.push({
        name: 'matching index, 100,000 companies (heap)',
        value: round(indexMemory(100_000) / 1024 / 1024, 1),
        unit: 'MiB',
      });
  } finally {
    await system.close();
  }
  return rows;
}
