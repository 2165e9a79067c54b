import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { type Collection, type Db, MongoBulkWriteError } from 'mongodb';
import { isDuplicateKeyError } from '@clientbook/event-store';
import { MONGO_DB } from '@clientbook/platform';
import type { ImportLine } from '../matching/import-line';

export type ImportKind = 'bank-statement' | 'eshop-orders' | 'clients';
export type ImportStatus = 'queued' | 'running' | 'completed' | 'failed';

export type ImportJob = {
  _id: string;
  tenantId: string;
  kind: ImportKind;
  /** How to read the file: for client files its format, charset and header mapping. */
  // The mapping is kept as JSON text: its keys are the file's headers ("El. paštas"), and a
  // document key may not hold a dot.
  // A statement's bytes are kept in base64 (`contentEncoding`); older jobs kept its text.
  options: {
    format?: 'csv' | 'xlsx';
    charset?: string;
    mappingJson?: string;
    contentEncoding?: 'base64';
  } | null;
  status: ImportStatus;
  createdAt: string;
  updatedAt: string;
  correlationId: string;
  lineCount: number | null;
  error: { code: string; message: string } | null;
  /** When a worker last took the job up, and how many lines were done then. */
  lastStart?: { linesDone: number; at: string; by?: string } | null;
  /** Times in a row the job was cut short without getting past `lastStart`. */
  crashes?: number;
};

/**
 * Lines are processed and kept a hundred to a document: a job of 10,000 lines is read in 100
 * lookups, and the worker stores each hundred's outcomes with one write.
 */
export const LINES_PER_CHUNK = 100;
type LineChunk = { _id: string; tenantId: string; importId: string; chunk: number; lines: ImportLine[] };
type FileDocument = { _id: string; tenantId: string; content: string };
type QueueDocument = { _id: string; tenantId: string; since: Date };
type RefDocument = { _id: string; tenantId: string; importId: string; index: number };

/** How many full chunks an instance keeps in memory (a hundred lines each: the last 60,000 lines read). */
const FULL_CHUNKS_KEPT = 600;

/**
 * Import jobs and what they need to survive a restart: the file as received, a document per
 * processed hundred lines (written once, so a resumed job skips what is done), a small queue the worker
 * reads whole, and one document per imported ref (`tenant:kind:ref`) so a ref is imported once.
 */
@Injectable()
export class ImportJobs implements OnApplicationBootstrap {
  private readonly jobs: Collection<ImportJob>;
  private readonly lines: Collection<LineChunk>;
  private readonly files: Collection<FileDocument>;
  private readonly queue: Collection<QueueDocument>;
  private readonly refs: Collection<RefDocument>;
  private readonly fullChunks = new LRUCache<string, ImportLine[]>({ max: FULL_CHUNKS_KEPT });

  constructor(@Inject(MONGO_DB) db: Db) {
    this.jobs = db.collection('imports');
    this.lines = db.collection('import_lines');
    this.files = db.collection('import_files');
    this.queue = db.collection('import_queue');
    this.refs = db.collection('imported_refs');
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.createIndex({ tenantId: 1, createdAt: -1 });
  }

  /** Stores the file and the job, then queues it: the job exists before the 202 answers. */
  async create(
    tenantId: string,
    kind: ImportKind,
    content: string,
    id: string,
    correlationId: string,
    options: ImportJob['options'] = null,
  ): Promise<ImportJob> {
    const now = new Date().toISOString();
    const job: ImportJob = {
      _id: id,
      tenantId,
      kind,
      options,
      status: 'queued',
      createdAt: now,
      updatedAt: now,
      correlationId,
      lineCount: null,
      error: null,
    };
    await this.files.insertOne({ _id: id, tenantId, content });
    await this.jobs.insertOne(job);
    await this.queue.insertOne({ _id: id, tenantId, since: new Date() });
    return job;
  }

  queued(): Promise<QueueDocument[]> {
    return this.queue.find({}).toArray();
  }

  async file(id: string): Promise<string> {
    return (await this.files.findOne({ _id: id }))?.content ?? '';
  }

  find(tenantId: string, id: string): Promise<ImportJob | null> {
    return this.jobs.findOne({ _id: id, tenantId });
  }

  async update(
    job: ImportJob,
    changes: Partial<Pick<ImportJob, 'status' | 'lineCount' | 'error' | 'lastStart' | 'crashes'>>,
  ): Promise<ImportJob> {
    const next = { ...job, ...changes, updatedAt: new Date().toISOString() };
    await this.jobs.replaceOne({ _id: job._id }, next);
    if (next.status === 'completed' || next.status === 'failed') await this.queue.deleteOne({ _id: job._id });
    return next;
  }

  /**
   * Where a (re)started job goes on: the first chunk that is not full, with the outcomes it
   * already holds (lines are stored in order, so every chunk before it is full).
   */
  async resumePoint(job: ImportJob): Promise<{ chunkStart: number; stored: ImportLine[] }> {
    for (let chunk = 0; ; chunk += 1) {
      const stored = await this.lines.findOne({ _id: `${job._id}:${chunk}` });
      if (!stored || stored.lines.length < LINES_PER_CHUNK)
        return { chunkStart: chunk * LINES_PER_CHUNK, stored: stored?.lines ?? [] };
    }
  }

  /** Stores the outcomes so far of the chunk that starts at line `start` (a multiple of LINES_PER_CHUNK). */
  async saveChunk(job: ImportJob, start: number, lines: ImportLine[]): Promise<void> {
    const chunk = Math.floor(start / LINES_PER_CHUNK);
    const _id = `${job._id}:${chunk}`;
    await this.lines.replaceOne(
      { _id },
      { tenantId: job.tenantId, importId: job._id, chunk, lines },
      { upsert: true },
    );
  }

  /**
   * The job's lines in order, a chunk document per hundred lines. A full chunk never changes
   * (lines are stored in order, and a resumed job starts at the first chunk not full), so once
   * read it is kept: a dashboard polling a running import reads only the chunk being filled.
   */
  async linesOf(job: ImportJob): Promise<ImportLine[]> {
    const chunks = Math.ceil((job.lineCount ?? 0) / LINES_PER_CHUNK);
    const lines = await Promise.all(
      Array.from({ length: chunks }, async (_, k) => {
        const _id = `${job._id}:${k}`;
        const kept = this.fullChunks.get(_id);
        if (kept) return kept;
        const stored = (await this.lines.findOne({ _id }))?.lines ?? [];
        if (stored.length === LINES_PER_CHUNK) this.fullChunks.set(_id, stored);
        return stored;
      }),
    );
    return lines.flat();
  }

  private claimId(job: ImportJob, claim: string): string {
    return `${job.tenantId}:${job.kind}:${claim}`;
  }

  /** Gives back the claims of lines that failed: they were not imported, so they may be again. */
  async releaseClaims(job: ImportJob, claims: readonly string[]): Promise<void> {
    if (claims.length === 0) return;
    await this.refs.deleteMany({
      _id: { $in: claims.map((claim) => this.claimId(job, claim)) },
      tenantId: job.tenantId,
      importId: job._id,
    });
  }

  /**
   * Claims each line for this job (one insert for all): true where this line may import it
   * (first time, or this same line resumed), false where another import or an earlier line of this
   * file already did.
   */
  async claimLines(job: ImportJob, claims: readonly { claim: string; index: number }[]): Promise<boolean[]> {
    const docs = claims.map(({ claim, index }) => ({
      _id: this.claimId(job, claim),
      tenantId: job.tenantId,
      importId: job._id,
      index,
    }));
    const taken = new Set<number>();
    try {
      if (docs.length) await this.refs.insertMany(docs, { ordered: false });
    } catch (error) {
      if (!(error instanceof MongoBulkWriteError)) throw error;
      const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
      for (const writeError of writeErrors) {
        if (!isDuplicateKeyError(writeError)) throw error;
        taken.add(writeError.index);
      }
    }
    return Promise.all(
      docs.map(async (doc, k) => {
        if (!taken.has(k)) return true;
        const held = await this.refs.findOne({ _id: doc._id });
        return held?.importId === job._id && held.index === doc.index;
      }),
    );
  }
}
