import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { planBankLines } from '../bank-statements/bank-lines';
import type { Charset } from '../client-files/client-file.parser';
import { planRows } from '../client-files/client-rows';
import { planOrders } from '../eshop-orders/order-lines';
import { parseIsolated, prepareParsing } from '../parsing/isolated-parsing';
import type { FileToParse } from '../parsing/parse-file';
import { MatchingSettingsStore } from '../settings/matching-settings';
import { ImportEvents } from './import-events';
import { ImportFaults } from './import-faults';
import { ImportJob, ImportJobs, LINES_PER_CHUNK } from './import-jobs';
import { PlannedLine, totalsOf } from '../matching/import-line';
import { LineBatches } from './line-batches';

/** This process, as a job's `lastStart` names who took it up. */
const THIS_PROCESS = randomUUID();
/** Crashes of the service at one place of a job after which the job is failed. */
const MAX_CRASHES = 2;
/** The first batch of a job is small, so its first results show within a second or so. */
const FIRST_BATCH = 10;

/** Runs queued import jobs batch by batch; resumes running ones after a restart. */
@Injectable()
export class ImportWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ImportWorker');
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  // The lines of the jobs this process has under way, by job id.
  private readonly planned = new Map<string, PlannedLine[]>();

  constructor(
    private readonly jobs: ImportJobs,
    private readonly batches: LineBatches,
    private readonly events: ImportEvents,
    private readonly faults: ImportFaults,
    private readonly settings: MatchingSettingsStore,
  ) {}

  onApplicationBootstrap(): void {
    prepareParsing();
    this.running = true;
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  notify(): void {
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        for (const entry of await this.jobs.queued()) {
          const job = await this.jobs.find(entry.tenantId, entry._id);
          if (job && this.running) await this.process(job);
        }
      } catch (error) {
        this.logger.error(`import round failed; retrying: ${String(error)}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1000);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** What to send the parsing thread for a job's stored file. */
  private async fileOf(job: ImportJob): Promise<FileToParse> {
    const content = await this.jobs.file(job._id);
    switch (job.kind) {
      case 'clients':
        return {
          kind: 'clients',
          bytes: Buffer.from(content, 'base64'),
          format: job.options?.format === 'xlsx' ? 'xlsx' : 'csv',
          charset: (job.options?.charset as Charset | undefined) ?? 'utf-8',
          mappingJson: job.options?.mappingJson,
        };
      case 'eshop-orders':
        return { kind: 'eshop-orders', text: content };
      case 'bank-statement':
        return job.options?.contentEncoding === 'base64'
          ? { kind: 'bank-statement', bytes: Buffer.from(content, 'base64') }
          : { kind: 'bank-statement-text', text: content };
      default: {
        const unknown: never = job.kind;
        throw new Error(`unknown import kind ${String(unknown)}`);
      }
    }
  }

  /** The lines of a job's file, each with its claim, operation, matching decision and event. */
  private async linesOf(job: ImportJob): Promise<PlannedLine[]> {
    const parsed = await parseIsolated(await this.fileOf(job));
    switch (parsed.kind) {
      case 'clients':
        return planRows(parsed.file);
      case 'eshop-orders':
        return planOrders(parsed.orders, await this.settings.get(job.tenantId));
      case 'bank-statement':
        return planBankLines(parsed.lines);
      default: {
        const unknown: never = parsed;
        throw new Error(`unknown parsed file ${JSON.stringify(unknown)}`);
      }
    }
  }

  /** The job's end: its status stored, and `ImportCompleted` after the events of its lines. */
  private async finish(
    job: ImportJob,
    linesWithEvents: number,
    end: { status: 'completed' } | { status: 'failed'; error: { code: string; message: string } },
  ): Promise<void> {
    const lines = job.lineCount ? await this.jobs.linesOf(job) : [];
    await this.events.append(job, linesWithEvents, [
      {
        type: 'ImportCompleted',
        data: {
          importId: job._id,
          kind: job.kind,
          status: end.status,
          totals: totalsOf(lines),
          error: end.status === 'failed' ? end.error : null,
        },
      },
    ]);
    await this.jobs.update(job, end.status === 'failed' ? { status: 'failed', error: end.error } : end);
    this.planned.delete(job._id);
  }

  private async process(queued: ImportJob): Promise<void> {
    let { chunkStart, stored } = await this.jobs.resumePoint(queued);
    const done = chunkStart + stored.length;
    // A job found running that this process did not start was cut short by a crash. Twice at the
    // same place, and it is the job that brings the service down (a file no limit caught): it is
    // failed, not tried for ever. (A round this process gave up on — the clients service did not
    // answer — is no crash: it is simply tried again.)
    const stuck =
      queued.status === 'running' &&
      queued.lastStart?.linesDone === done &&
      queued.lastStart?.by !== THIS_PROCESS;
    const crashes = stuck ? (queued.crashes ?? 0) + 1 : 0;
    if (crashes >= MAX_CRASHES) {
      this.logger.error(
        `import ${queued._id} stopped the service ${crashes} times at line ${done + 1}; failing it`,
      );
      await this.finish(queued, queued.kind === 'clients' ? 0 : done, {
        status: 'failed',
        error: {
          code: 'internal',
          message: `the import stopped twice at line ${done + 1} and is not tried again; split or check the file`,
        },
      });
      return;
    }
    let job = await this.jobs.update(queued, {
      status: 'running',
      crashes,
      lastStart: { linesDone: done, at: new Date().toISOString(), by: THIS_PROCESS },
    });
    let lines: PlannedLine[];
    try {
      // A job tried again after a round that failed (the clients service did not answer) is not
      // parsed again.
      lines = this.planned.get(job._id) ?? (await this.linesOf(job));
      this.planned.set(job._id, lines);
    } catch (error) {
      // The file is unreadable or too long: the job fails before any line is applied.
      const known = ['unparseable_file', 'payload_too_large'];
      const code = (error as { code?: string }).code ?? '';
      if (!known.includes(code)) this.logger.error(`import ${job._id} could not be read: ${String(error)}`);
      await this.finish(job, 0, {
        status: 'failed',
        error: known.includes(code)
          ? { code, message: (error as Error).message }
          : { code: 'internal', message: 'the file could not be read' },
      });
      return;
    }
    job = await this.jobs.update(job, { lineCount: lines.length });
    // Lines go in batches: a small first one, so the first results show at once, then the rest of
    // each chunk. A batch's outcomes are stored after its effects, which are all idempotent
    // (claimed refs, derived client ids, operation ids): a batch redone after a crash repeats nothing.
    while (chunkStart + stored.length < lines.length) {
      if (!this.running) return;
      const from = chunkStart + stored.length;
      const size = from === 0 ? FIRST_BATCH : LINES_PER_CHUNK - stored.length;
      const to = Math.min(lines.length, from + size);
      const results = await this.batches.process(job, lines.slice(from, to), from);
      this.faults.check(from, to);
      stored = [...stored, ...results];
      await this.jobs.saveChunk(job, chunkStart, stored);
      if (stored.length === LINES_PER_CHUNK) {
        chunkStart += LINES_PER_CHUNK;
        stored = [];
      }
    }
    await this.finish(job, job.kind === 'clients' ? 0 : lines.length, { status: 'completed' });
  }
}
