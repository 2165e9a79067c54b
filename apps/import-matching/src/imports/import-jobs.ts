import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Collection, Db } from 'mongodb';
import { isDuplicateKeyError } from '@clientbook/event-store';
import { MONGO_DB } from '@clientbook/platform';

export type ImportKind = 'bank-statement' | 'eshop-orders' | 'clients';
export type ImportStatus = 'queued' | 'running' | 'completed' | 'failed';
export type LineOutcome = 'matched' | 'created' | 'skipped' | 'failed';

export type ImportLine = {
  ref: string;
  name: string | null;
  clientId: string | null;
  outcome: LineOutcome;
  matchedBy: 'code' | 'iban' | 'name' | 'name_email' | null;
  candidates: string[];
  warnings: string[];
  error: { code: string; message: string } | null;
};

export type Totals = { lines: number; matched: number; created: number; skipped: number; failed: number };

export type ImportJob = {
  _id: string;
  tenantId: string;
  kind: ImportKind;
  /** How to read the file: for client files its format, charset and header mapping. */
  // The mapping is kept as JSON text: its keys are the file's headers ("El. paštas"), and a
  // document key may not hold a dot.
  options: { format?: 'csv' | 'xlsx'; charset?: string; mappingJson?: string } | null;
  status: ImportStatus;
  createdAt: string;
  updatedAt: string;
  correlationId: string;
  lineCount: number | null;
  error: { code: string; message: string } | null;
};

type LineDocument = ImportLine & { _id: string; tenantId: string; importId: string; index: number };
type FileDocument = { _id: string; tenantId: string; content: string };
type QueueDocument = { _id: string; tenantId: string; since: Date };
type RefDocument = { _id: string; tenantId: string; importId: string; index: number };

/**
 * Import jobs and what they need to survive a restart: the file as received, a line document per
 * processed line (written once, so a resumed job skips what is done), a small queue the worker
 * reads whole, and one document per imported ref (`tenant:kind:ref`) so a ref is imported once.
 */
@Injectable()
export class ImportJobs implements OnApplicationBootstrap {
  private readonly jobs: Collection<ImportJob>;
  private readonly lines: Collection<LineDocument>;
  private readonly files: Collection<FileDocument>;
  private readonly queue: Collection<QueueDocument>;
  private readonly refs: Collection<RefDocument>;

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
    changes: Partial<Pick<ImportJob, 'status' | 'lineCount' | 'error'>>,
  ): Promise<ImportJob> {
    const next = { ...job, ...changes, updatedAt: new Date().toISOString() };
    await this.jobs.replaceOne({ _id: job._id }, next);
    if (next.status === 'completed' || next.status === 'failed') await this.queue.deleteOne({ _id: job._id });
    return next;
  }

  async processed(job: ImportJob, index: number): Promise<boolean> {
    return (await this.lines.findOne({ _id: `${job._id}:${index}` })) !== null;
  }

  async saveLine(job: ImportJob, index: number, line: ImportLine): Promise<void> {
    await this.lines.replaceOne(
      { _id: `${job._id}:${index}` },
      { ...line, tenantId: job.tenantId, importId: job._id, index },
      { upsert: true },
    );
  }

  /** The job's lines in order, read by `_id` (in parallel batches). */
  async linesOf(job: ImportJob): Promise<ImportLine[]> {
    const count = job.lineCount ?? 0;
    const lines: ImportLine[] = [];
    for (let start = 0; start < count; start += 64) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(64, count - start) }, (_, i) =>
          this.lines.findOne({ _id: `${job._id}:${start + i}` }),
        ),
      );
      for (const doc of batch) {
        if (!doc) continue;
        const { _id: _line, tenantId: _tenant, importId: _import, index: _index, ...line } = doc;
        lines.push(line);
      }
    }
    return lines;
  }

  /**
   * Claims a ref for this job's line: true when this line may import it (first time, or this
   * same line resumed), false when another import already did.
   */
  async claimRef(job: ImportJob, ref: string, index: number): Promise<boolean> {
    const _id = `${job.tenantId}:${job.kind}:${ref}`;
    try {
      await this.refs.insertOne({ _id, tenantId: job.tenantId, importId: job._id, index });
      return true;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const held = await this.refs.findOne({ _id });
      return held?.importId === job._id && held.index === index;
    }
  }
}
