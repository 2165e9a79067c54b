import { Injectable, Logger } from '@nestjs/common';
import pRetry, { type Options as RetryOptions } from 'p-retry';
import { rowField } from '../client-files/client-rows';
import { ClientsApi, type ClientRegistration } from '../clients-api';
import { derivedClientId, identityOf, matchedByIdentity } from '../matching/client-identity';
import { matchableFromDraft, NewClientDraft } from '../matching/decisions';
import type { MatchingIndex } from '../matching/matching-index';
import { MatchingClients } from '../matching/matching-clients.projection';
import { ImportEvents } from './import-events';
import { ImportJob, ImportJobs } from './import-jobs';
import type { ClientDraft, ImportLine, PlannedLine } from '../matching/import-line';

/** A client a batch creates: the line that creates it first, then the lines that matched it. */
type Creation = {
  id: string;
  identity: string;
  draft: ClientDraft;
  lines: number[];
  status: number | null;
  error: ImportLine['error'] | null;
};

/** New clients registered per call of the clients service (its limit). */
const REGISTRATIONS_PER_CALL = 500;
/** Refusals of the clients service that pass by themselves (another write of the client under way). */
const PASSING_CODES: ReadonlySet<string> = new Set(['version_conflict', 'unavailable']);
/** How often, and after which pauses (0.2 s doubling to 2 s), a passing refusal is tried again. */
const PASSING_REFUSALS: RetryOptions = { retries: 5, minTimeout: 200, maxTimeout: 2_000, factor: 2 };

/** Registrations or operations the clients service refused for a reason that passes, to be made again. */
class PassingRefusals extends Error {
  constructor(count: number) {
    super(`${count} were refused for now`);
  }
}

/** A line's error from the clients service's refusal of its client (fields named as the file names them). */
function refusalOf(refusal: NonNullable<ClientRegistration['error']>): ImportLine['error'] {
  const errors = refusal.errors.map((e) => ({ field: rowField(e.field), message: e.message }));
  const message = errors.length ? errors.map((e) => `${e.field}: ${e.message}`).join('; ') : refusal.detail;
  return { code: refusal.code, message, ...(errors.length ? { errors } : {}) };
}

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

/**
 * A batch of an import's lines, from claims to outcomes: the worker hands it lines in order and
 * stores what it returns. Every effect is idempotent (claimed lines, derived client ids,
 * operation ids, event versions), so a batch redone after a crash repeats nothing.
 */
@Injectable()
export class LineBatches {
  private readonly logger = new Logger('ImportWorker');

  constructor(
    private readonly jobs: ImportJobs,
    private readonly matching: MatchingClients,
    private readonly clients: ClientsApi,
    private readonly events: ImportEvents,
  ) {}

  /**
   * The outcomes of a batch of lines: refs claimed with one insert, matching decided line by line
   * in memory (a client a line creates enters the index at once, so later lines match it), the new
   * clients registered several at a time, and the batch's operations recorded with one call.
   */
  async process(job: ImportJob, batch: PlannedLine[], start: number): Promise<ImportLine[]> {
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
    await this.events.append(
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

  /**
   * Registers new clients under their derived ids, all of a batch in one call: 201 created, 200
   * existed, or the clients service's reason. A refusal that passes (another write of the client
   * under way) is asked again; if it does not pass, the round is, later — the line does not fail for it.
   */
  private async register(job: ImportJob, creations: Creation[]): Promise<void> {
    let pending = creations;
    if (pending.length === 0) return;
    await pRetry(async () => {
      const again: Creation[] = [];
      for (let start = 0; start < pending.length; start += REGISTRATIONS_PER_CALL) {
        const part = pending.slice(start, start + REGISTRATIONS_PER_CALL);
        const results = await this.clients.registerMany(
          job.tenantId,
          part.map((creation) => ({ id: creation.id, card: creation.draft })),
          job.correlationId,
        );
        part.forEach((creation, n) => {
          const { outcome, error } = results[n];
          creation.status = outcome === 'created' ? 201 : outcome === 'existed' ? 200 : null;
          creation.error = error && refusalOf(error);
          if (error && PASSING_CODES.has(error.code)) again.push(creation);
        });
      }
      pending = again;
      if (pending.length > 0) throw new PassingRefusals(pending.length);
    }, PASSING_REFUSALS);
  }

  /** Records the operation of every matched or created line with one call; a refusal fails its line. */
  private async recordOperations(job: ImportJob, batch: PlannedLine[], results: ImportLine[]): Promise<void> {
    let pending = batch.flatMap((line, k) => {
      const { clientId, outcome } = results[k];
      return line.operation && clientId && (outcome === 'matched' || outcome === 'created')
        ? [{ k, operation: { ...line.operation, clientId }, error: null as ImportLine['error'] }]
        : [];
    });
    const fail = (entry: (typeof pending)[number]) =>
      Object.assign(results[entry.k], {
        outcome: 'failed',
        error: entry.error ?? { code: 'internal', message: 'the operation could not be recorded' },
      });
    if (pending.length === 0) return;
    try {
      await pRetry(async () => {
        const recorded = await this.clients.recordOperations(
          job.tenantId,
          pending.map((r) => r.operation),
          job.correlationId,
        );
        const again: typeof pending = [];
        for (const [n, entry] of pending.entries()) {
          const { recorded: done, error } = recorded[n];
          if (done) continue;
          entry.error = error;
          // Another write of the client under way: recording it again is harmless (idempotent).
          if (error && PASSING_CODES.has(error.code)) again.push(entry);
          else fail(entry);
        }
        pending = again;
        if (pending.length > 0) throw new PassingRefusals(pending.length);
      }, PASSING_REFUSALS);
    } catch (error) {
      // Refusals that did not pass fail their lines; anything else fails the round.
      if (!(error instanceof PassingRefusals)) throw error;
      pending.forEach(fail);
    }
  }
}
