import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EventMetadata, EVENTS, IMPORT_AGGREGATE, ImportEvent } from '@clientbook/contracts';
import { EventStore, VersionConflictError } from '@clientbook/event-store';
import { mapWithConcurrency } from '@clientbook/platform';
import { derivedClientId, identityOf, matchedByIdentity } from '../domain/client-identity';
import { matchableFromDraft, NewClientDraft } from '../domain/match-bank-line';
import type { MatchingIndex } from '../domain/matching-index';
import { MatchingSettingsStore } from '../settings/matching-settings';
import { MatchingClients } from '../matching-model/matching-clients';
import type { Charset } from '../parsing/client-file.parser';
import type { FileToParse } from '../parsing/parse-file';
import { parseIsolated, prepareParsing } from '../parsing/isolated-parsing';
import { rowField } from './client-rows';
import { ClientsService } from './clients-service';
import { ImportFaults } from './import-faults';
import { ImportJob, ImportJobs, ImportLine, LINES_PER_CHUNK, totalsOf } from './import-jobs';
import { PlannedLine, planBankLines, planOrders, planRows } from './planned-lines';

/** A client a batch creates: the line that creates it first, then the lines that matched it. */
type Creation = {
  id: string;
  identity: string;
  draft: unknown;
  lines: number[];
  status: number | null;
  error: ImportLine['error'] | null;
};

const REGISTRATIONS_IN_FLIGHT = 16;
/** Refusals of the clients service that pass by themselves, and how often they are tried again. */
const TRANSIENT_CODES: ReadonlySet<string> = new Set(['version_conflict', 'unavailable']);
const TRANSIENT_RETRIES = 5;
const isTransient = (answer: { status: number; body: { code?: string } }) =>
  answer.status >= 500 || TRANSIENT_CODES.has(answer.body.code ?? '');
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** This process, as a job's `lastStart` names who took it up. */
const THIS_PROCESS = randomUUID();
/** Crashes of the service at one place of a job after which the job is failed. */
const MAX_CRASHES = 2;
/** The first batch of a job is small, so its first results show within a second or so. */
const FIRST_BATCH = 10;

function blankResult(line: PlannedLine): ImportLine {
  return {
    ref: line.ref,
    name: line.name,
    clientId: null,
    outcome: 'failed',
    matchedBy: null,
    candidates: [],
    warnings: [],
    error: null,
    ...line.details,
  };
}

const metadataOf = (job: ImportJob): EventMetadata => ({
  actor: { kind: 'system', id: 'import-matching' },
  correlationId: job.correlationId,
  causationId: null,
});

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
    private readonly matching: MatchingClients,
    private readonly clients: ClientsService,
    private readonly faults: ImportFaults,
    private readonly settings: MatchingSettingsStore,
    private readonly store: EventStore,
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

  /**
   * Appends the events of lines `from + 1`… as versions of the job's stream: one per line, so the
   * version is the line's number. Already there (the batch is redone after a crash): nothing to do.
   */
  private async appendEvents(job: ImportJob, from: number, events: readonly ImportEvent[]): Promise<void> {
    if (events.length === 0) return;
    try {
      await this.store.append({
        tenantId: job.tenantId,
        aggregateType: IMPORT_AGGREGATE,
        aggregateId: job._id,
        expectedVersion: from,
        events: events.map((event) => ({ ...event, schemaVersion: EVENTS.latestVersion(event.type) })),
        metadata: metadataOf(job),
      });
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
    }
  }

  /** The job's end: its status stored, and `ImportCompleted` after the events of its lines. */
  private async finish(
    job: ImportJob,
    linesWithEvents: number,
    end: { status: 'completed' } | { status: 'failed'; error: { code: string; message: string } },
  ): Promise<void> {
    const lines = job.lineCount ? await this.jobs.linesOf(job) : [];
    await this.appendEvents(job, linesWithEvents, [
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
      const results = await this.processBatch(job, lines.slice(from, to), from);
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

  /**
   * The outcomes of a batch of lines: refs claimed with one insert, matching decided line by line
   * in memory (a client a line creates enters the index at once, so later lines match it), the new
   * clients registered several at a time, and the batch's operations recorded with one call.
   */
  private async processBatch(job: ImportJob, batch: PlannedLine[], start: number): Promise<ImportLine[]> {
    const index = this.matching.forTenant(job.tenantId);
    const started = performance.now();
    const claimed = await this.jobs.claimLines(
      job,
      batch.map((line, k) => ({ claim: line.claim, index: start + k })),
    );
    const results = batch.map((line) => blankResult(line));
    const creations = new Map<string, Creation>();
    for (const [k, line] of batch.entries()) {
      if (claimed[k]) this.decide(job, line, k, index, results[k], creations);
      else
        Object.assign(results[k], {
          outcome: 'skipped',
          error: { code: 'already_imported', message: `ref ${line.ref} was imported before` },
        });
    }
    const decided = performance.now();
    await this.register(job, [...creations.values()]);
    const registered = performance.now();
    for (const creation of creations.values()) {
      const [creator, ...dependents] = creation.lines;
      this.settle(creation, results[creator], index);
      if (!creation.error) continue;
      // The client could not be created: the lines that matched it meanwhile are decided again
      // against what exists.
      for (const k of dependents) {
        results[k] = blankResult(batch[k]);
        const retry = new Map<string, Creation>();
        this.decide(job, batch[k], k, index, results[k], retry);
        await this.register(job, [...retry.values()]);
        for (const again of retry.values()) this.settle(again, results[k], index);
      }
    }
    const settled = performance.now();
    await this.recordOperations(job, batch, results);
    // A line that failed was not imported: its claim goes back, so importing it again tries again.
    await this.jobs.releaseClaims(
      job,
      batch.filter((_, k) => claimed[k] && results[k].outcome === 'failed').map((line) => line.claim),
    );
    await this.appendEvents(
      job,
      start,
      batch.flatMap((line, k) => (line.event ? [line.event(results[k], start + k + 1, job._id)] : [])),
    );
    const ms = (from: number, to: number) => Math.round(to - from);
    this.logger.log(
      `import ${job._id}: lines ${start + 1}–${start + batch.length} of ${job.lineCount} in ${ms(started, performance.now())} ms ` +
        `(refs and matching ${ms(started, decided)}, ${creations.size} new clients ${ms(decided, registered)}, ` +
        `operations ${ms(settled, performance.now())})`,
    );
    return results;
  }

  /** Decides line `k` against the index; a line that creates a client adds it to `creations`. */
  private decide(
    job: ImportJob,
    line: PlannedLine,
    k: number,
    index: MatchingIndex,
    result: ImportLine,
    creations: Map<string, Creation>,
  ): void {
    let decision: ReturnType<PlannedLine['decide']>;
    try {
      decision = line.decide(index);
    } catch (error) {
      // A line no rule expected fails on its own; the job goes on.
      this.logger.error(`import ${job._id}: line ${line.ref} could not be decided: ${String(error)}`);
      Object.assign(result, {
        outcome: 'failed',
        error: { code: 'internal', message: 'this line could not be read' },
      });
      return;
    }
    result.warnings = [...decision.warnings];
    if (decision.outcome === 'skipped') {
      Object.assign(result, { outcome: 'skipped', error: decision.error });
      return;
    }
    if (decision.outcome === 'matched') {
      const clientId = this.matching.resolve(job.tenantId, decision.clientId);
      Object.assign(result, {
        outcome: 'matched',
        clientId,
        matchedBy: decision.matchedBy,
        candidates: [...decision.candidates],
      });
      // A client this batch creates: the line depends on its registration.
      creations.get(clientId)?.lines.push(k);
      return;
    }
    const identity = identityOf(decision.draft);
    const clientId = derivedClientId(job.tenantId, identity);
    const same = creations.get(clientId);
    if (same) {
      same.lines.push(k);
      Object.assign(result, { outcome: 'matched', clientId, matchedBy: matchedByIdentity(identity) });
      return;
    }
    creations.set(clientId, {
      id: clientId,
      identity,
      draft: decision.draft,
      lines: [k],
      status: null,
      error: null,
    });
    Object.assign(result, { outcome: 'created', clientId });
    if (job.kind !== 'clients')
      index.put(matchableFromDraft(clientId, new Date().toISOString(), decision.draft as NewClientDraft));
  }

  /**
   * The outcome of the line that created a client, once registered: created (201), matched when it
   * existed already (200), or failed with the clients service's reason — the client then leaves the
   * index it entered when the line was decided.
   */
  private settle(creation: Creation, result: ImportLine, index: MatchingIndex): void {
    if (creation.error) {
      index.remove(creation.id);
      Object.assign(result, { outcome: 'failed', clientId: null, error: creation.error });
    } else if (creation.status === 200) {
      Object.assign(result, { outcome: 'matched', matchedBy: matchedByIdentity(creation.identity) });
    }
  }

  /** Registers new clients under their derived ids, several at a time: 201 created, 200 existed. */
  private async register(job: ImportJob, creations: Creation[]): Promise<void> {
    await mapWithConcurrency(creations, REGISTRATIONS_IN_FLIGHT, async (creation) => {
      let answer = await this.clients.register(job.tenantId, creation.id, creation.draft, job.correlationId);
      // A refusal that passes (another write of the client under way, the database a moment away)
      // is tried again; if it does not pass, the round is, later — the line does not fail for it.
      for (let attempt = 1; isTransient(answer); attempt += 1) {
        if (attempt > TRANSIENT_RETRIES)
          throw new Error(
            `the clients service keeps refusing ${creation.id}: ${answer.status} ${answer.body.code}`,
          );
        await pause(attempt * 200);
        answer = await this.clients.register(job.tenantId, creation.id, creation.draft, job.correlationId);
      }
      creation.status = answer.status;
      if (answer.status < 400) return;
      const errors = (answer.body.errors ?? []).map((e) => ({
        field: rowField(e.field),
        message: e.message,
      }));
      const message = errors.length
        ? errors.map((e) => `${e.field}: ${e.message}`).join('; ')
        : (answer.body.detail ?? 'the client could not be created');
      creation.error = {
        code: answer.body.code ?? 'internal',
        message,
        ...(errors.length ? { errors } : {}),
      };
    });
  }

  /** Records the operation of every matched or created line with one call; a refusal fails its line. */
  private async recordOperations(job: ImportJob, batch: PlannedLine[], results: ImportLine[]): Promise<void> {
    const recording = batch.flatMap((line, k) => {
      const { clientId, outcome } = results[k];
      return line.operation && clientId && (outcome === 'matched' || outcome === 'created')
        ? [{ k, operation: { ...line.operation, clientId } }]
        : [];
    });
    let pending = recording;
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      const recorded = await this.clients.recordOperations(
        job.tenantId,
        pending.map((r) => r.operation),
        job.correlationId,
      );
      const again: typeof pending = [];
      for (const [n, entry] of pending.entries()) {
        const answer = recorded[n];
        if (answer.recorded) continue;
        // Another write of the client under way: recording it again is harmless (idempotent).
        if (answer.error && TRANSIENT_CODES.has(answer.error.code) && attempt <= TRANSIENT_RETRIES) {
          again.push(entry);
          continue;
        }
        Object.assign(results[entry.k], {
          outcome: 'failed',
          error: answer.error ?? { code: 'internal', message: 'the operation could not be recorded' },
        });
      }
      pending = again;
      if (pending.length > 0) await pause(attempt * 200);
    }
  }
}
