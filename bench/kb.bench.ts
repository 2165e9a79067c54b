import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MongoClient } from 'mongodb';
import { percentile, round } from './stats';
import type { BenchRow } from './event-store.bench';
import { readContentFiles } from '../apps/knowledge-base/src/content/content-files';
import { ArticleSearch } from '../apps/knowledge-base/src/search/article-search';
import { SearchIndex } from '../apps/knowledge-base/src/search/search-index';
// The benchmark runs the whole system in its own process, as the end-to-end tests do.
import { startSystem } from '../apps/system-tests/src/system';

const progress = (message: string) => process.stderr.write(`[bench] ${message}\n`);
const CONTENT = path.resolve(__dirname, '..', 'content', 'kb');

// Words of the help's own vocabulary, for generated articles and the queries asked of them.
const WORDS = [
  'klientas',
  'įmonė',
  'sąskaita',
  'išrašas',
  'importas',
  'sujungimas',
  'dublikatas',
  'kodas',
  'adresas',
  'registracija',
  'korespondencija',
  'bankas',
  'mokėjimas',
  'užsakymas',
  'parduotuvė',
  'statusas',
  'požymis',
  'atsiliepimas',
  'užduotis',
  'skambutis',
  'susitikimas',
  'pastaba',
  'apskaita',
  'pirkėjas',
  'tiekėjas',
  'darbuotojas',
  'valstybė',
  'rinkmena',
  'eilutė',
  'suma',
  'valiuta',
  'paieška',
  'sąrašas',
  'kortelė',
  'istorija',
  'auditas',
  'raktas',
  'vaidmuo',
];
const QUERIES = [
  'imones kodas',
  'sujung',
  'dublikatai',
  'klientų',
  'banko israsas',
  'saskaitos',
  'registracijos adresas',
  'importuoti',
  'klietnas',
  'uzduotis',
  'merge',
  'IBAN',
  'statusai',
  'atsiliepimų',
  'parduotuves uzsakymai',
];

/** A seeded pseudo-random sequence, so every run searches the same articles. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/** The shipped help and `extra` generated articles, as files in a folder of their own. */
function contentWithGenerated(extra: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-bench-'));
  fs.cpSync(CONTENT, dir, { recursive: true });
  fs.mkdirSync(path.join(dir, 'lt', 'generated'), { recursive: true });
  const next = random(42);
  const pick = () => WORDS[Math.floor(next() * WORDS.length)];
  for (let i = 0; i < extra; i += 1) {
    const title = `${pick()} ir ${pick()} ${i}`;
    const body = Array.from({ length: 60 }, pick).join(' ');
    fs.writeFileSync(
      path.join(dir, 'lt', 'generated', `g-${i}.md`),
      `---\nslug: sugeneruotas-${i}\nkind: faq\nlocale: lt\ntranslationKey: generated-${i}\ntitle: '${title}'\nsummary: '${pick()}'\nmodule: clients\norder: ${1000 + i}\n---\n\n${body}\n`,
    );
  }
  return dir;
}

/**
 * Search over the shipped help plus `extra` generated articles: 1,000 searches in process
 * (goal p95 ≤ 10 ms), and through the gateway beside the raw driver's `_id` read in the same
 * run (goal p95 ≤ 2×).
 */
export async function benchKnowledgeBase(
  infra: { mongodbUri: string },
  options: { extra: number; searches: number },
): Promise<BenchRow[]> {
  const dir = contentWithGenerated(options.extra);
  const files = await readContentFiles(dir);
  const search = new ArticleSearch();
  const indexStarted = performance.now();
  for (const { content } of files) search.put(content);
  const indexMs = performance.now() - indexStarted;
  const inProcess: number[] = [];
  for (let i = 0; i < options.searches; i += 1) {
    const started = performance.now();
    search.search(QUERIES[i % QUERIES.length], { limit: 10 });
    inProcess.push(performance.now() - started);
  }

  progress(`the system with ${files.length} articles…`);
  const system = await startSystem({ kbContentDir: dir });
  const mongo = new MongoClient(infra.mongodbUri);
  try {
    // Measured once the index holds every article, not while the kb topic is still being followed.
    const index = system.kbApp.get(SearchIndex);
    const waitStarted = Date.now();
    while (index.size < files.length) {
      if (Date.now() - waitStarted > 300_000)
        throw new Error(`the search index holds ${index.size} of ${files.length} articles after 5 min`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    progress(`index caught up in ${Date.now() - waitStarted} ms after the start`);
    const collection = mongo
      .db(`bench_kb_${Date.now()}`)
      .collection<{ _id: string; title: string }>('articles');
    await collection.insertMany(
      files.map(({ content }) => ({ _id: `${content.locale}.${content.slug}`, title: content.title })),
    );
    const searchThroughGateway = async (i: number, query = QUERIES[i % QUERIES.length]) => {
      const answer = await system.anonymous.get(`/v1/kb/search?q=${encodeURIComponent(query)}`);
      if (answer.status !== 200) throw new Error(`search answered ${answer.status}`);
    };
    const readRaw = async (i: number) => {
      const { content } = files[i % files.length];
      await collection.findOne({ _id: `${content.locale}.${content.slug}` });
    };
    for (let i = 0; i < 100; i += 1) {
      await searchThroughGateway(i);
      await readRaw(i);
    }
    // Interleaved, so both see the same machine at the same moments.
    const endToEnd: number[] = [];
    const raw: number[] = [];
    for (let i = 0; i < options.searches; i += 1) {
      let started = performance.now();
      await searchThroughGateway(i);
      endToEnd.push(performance.now() - started);
      started = performance.now();
      await readRaw(i);
      raw.push(performance.now() - started);
    }
    // Queries nobody asked before (no answer kept): two words of the help's vocabulary, cut to a
    // prefix, different each time.
    const fresh = random(7);
    const newQueries = Array.from({ length: Math.min(options.searches, 500) }, (_, i) => {
      const a = WORDS[Math.floor(fresh() * WORDS.length)];
      const b = WORDS[Math.floor(fresh() * WORDS.length)];
      return `${a.slice(0, 4 + (i % 4))} ${b} ${i}`;
    });
    const firstTime: number[] = [];
    const rawBeside: number[] = [];
    for (const [i, query] of newQueries.entries()) {
      let started = performance.now();
      await searchThroughGateway(i, query);
      firstTime.push(performance.now() - started);
      started = performance.now();
      await readRaw(i);
      rawBeside.push(performance.now() - started);
    }
    await collection.drop();
    const p = (values: number[], q: number) => round(percentile(values, q), 2);
    const n = `${options.searches} searches, ${files.length} articles`;
    return [
      { name: `index ${files.length} articles in process`, value: round(indexMs), unit: 'ms' },
      { name: `search in process p50 (${n})`, value: p(inProcess, 50), unit: 'ms' },
      { name: `search in process p95 (goal ≤ 10 ms; no answers kept)`, value: p(inProcess, 95), unit: 'ms' },
      { name: 'raw driver findOne by _id p50', value: p(raw, 50), unit: 'ms' },
      { name: 'raw driver findOne by _id p95', value: p(raw, 95), unit: 'ms' },
      {
        name: `search through the gateway p50 (${n}; 15 queries asked again and again)`,
        value: p(endToEnd, 50),
        unit: 'ms',
        baseline: 'raw _id read p50',
        ratio: round(percentile(endToEnd, 50) / percentile(raw, 50)),
      },
      {
        name: 'search through the gateway p95',
        value: p(endToEnd, 95),
        unit: 'ms',
        baseline: 'raw _id read p95 (goal ≤ 2×)',
        ratio: round(percentile(endToEnd, 95) / percentile(raw, 95)),
      },
      {
        name: `search through the gateway, ${newQueries.length} queries never asked before, p50`,
        value: p(firstTime, 50),
        unit: 'ms',
        baseline: 'raw _id read p50',
        ratio: round(percentile(firstTime, 50) / percentile(rawBeside, 50)),
      },
      {
        name: 'search through the gateway, queries never asked before, p95',
        value: p(firstTime, 95),
        unit: 'ms',
        baseline: 'raw _id read p95',
        ratio: round(percentile(firstTime, 95) / percentile(rawBeside, 95)),
      },
    ];
  } finally {
    await mongo.close();
    await system.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
