import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { normalizeIban } from '@clientbook/identifiers';
import { companyNameKey, personNameKey } from '../domain/counterparty-names';
import { LineDecision, matchableFromDraft, matchBankLine, NewClientDraft } from '../domain/match-bank-line';
import { EshopOrder, matchEshopOrder, OrderDecision } from '../domain/match-eshop-order';
import { codeKey, MatchingIndex } from '../domain/matching-index';
import { MatchingSettingsStore } from '../settings/matching-settings';
import { MatchingClients } from '../matching-model/matching-clients';
import { parseCamt053 } from '../parsing/camt053.parser';
import { Charset, parseClientCsv, parseClientXlsx, parseMapping } from '../parsing/client-file.parser';
import { cardOfRow, decideRow, RowDecision, rowField } from './client-rows';
import { ClientsService } from './clients-service';
import { ImportFaults } from './import-faults';
import { ImportJob, ImportJobs, ImportLine } from './import-jobs';

type PlannedLine = {
  ref: string;
  name: string | null;
  /** The operation the line is (payments, orders); a client file's rows are none. */
  operation: { operationId: string; kind: 'bank_payment' | 'eshop_order'; ref: string } | null;
  decide: (index: MatchingIndex) => LineDecision | OrderDecision | RowDecision;
};

/** A uuid-shaped id that follows from the tenant and the counterparty's identity. */
function derivedId(tenantId: string, identity: string): string {
  const hex = createHash('sha256').update(`${tenantId}|${identity}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The identity a new client is created under: its code, else its IBAN, else its name key (with the
 * e-mail for a person who has one). Two
 * lines, files or retries about one counterparty derive the same id, so one card is made.
 */
export function identityOf(draft: {
  kind: 'company' | 'person';
  name?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  code?: string | null;
  email?: string | null;
  bankAccounts?: readonly { iban: string }[];
}): string {
  if (draft.code) return `code:${codeKey(draft.code)}`;
  const iban = draft.bankAccounts?.[0]?.iban;
  if (iban) return `iban:${normalizeIban(iban)}`;
  if (draft.kind === 'company') return `company:${companyNameKey(draft.name ?? '')}`;
  // A person from an e-shop is told apart by e-mail as well, as matching does (name + e-mail).
  const person = `person:${personNameKey(`${draft.firstName ?? ''} ${draft.lastName ?? ''}`)}`;
  return draft.email ? `${person}|${draft.email.trim().toLowerCase()}` : person;
}

/** Runs queued import jobs; resumes running ones after a restart, line by line. */
@Injectable()
export class ImportWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ImportWorker');
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly jobs: ImportJobs,
    private readonly matching: MatchingClients,
    private readonly clients: ClientsService,
    private readonly faults: ImportFaults,
    private readonly settings: MatchingSettingsStore,
  ) {}

  onApplicationBootstrap(): void {
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

  /** The lines of a job's file, each with its ref, name, operation and matching decision. */
  private async linesOf(job: ImportJob): Promise<PlannedLine[]> {
    const content = await this.jobs.file(job._id);
    if (job.kind === 'clients') {
      const bytes = Buffer.from(content, 'base64');
      const mapping = parseMapping(job.options?.mappingJson);
      const file =
        job.options?.format === 'xlsx'
          ? await parseClientXlsx(bytes, mapping)
          : parseClientCsv(bytes, (job.options?.charset as Charset | undefined) ?? 'utf-8', mapping);
      return file.rows.map((row) => {
        const card = cardOfRow(row);
        const name = card.name ?? ([card.firstName, card.lastName].filter(Boolean).join(' ') || null);
        // A row is the same row again when all its values are: then it is skipped.
        const ref = `line ${row.line}: ${createHash('sha256').update(JSON.stringify(row.values)).digest('hex').slice(0, 16)}`;
        return { ref, name, operation: null, decide: (index: MatchingIndex) => decideRow(index, card) };
      });
    }
    if (job.kind === 'eshop-orders') {
      const settings = await this.settings.get(job.tenantId);
      const orders = (JSON.parse(content) as { orders: EshopOrder[] }).orders;
      return orders.map((order) => {
        const customer = order.customer;
        return {
          ref: order.orderId,
          name: customer.company?.trim() || `${customer.firstName} ${customer.lastName}`,
          operation: { operationId: `eshop:${order.orderId}`, kind: 'eshop_order', ref: order.orderId },
          decide: (index: MatchingIndex) => matchEshopOrder(index, order, settings),
        };
      });
    }
    return parseCamt053(content).map((line) => ({
      ref: line.ref,
      name: line.counterparty?.name ?? null,
      operation: { operationId: `bank:${line.ref}`, kind: 'bank_payment', ref: line.ref },
      decide: (index: MatchingIndex) => matchBankLine(index, line),
    }));
  }

  private async process(queued: ImportJob): Promise<void> {
    let job = await this.jobs.update(queued, { status: 'running' });
    let lines: PlannedLine[];
    try {
      lines = await this.linesOf(job);
    } catch (error) {
      const code = (error as { code?: string }).code === 'unparseable_file' ? 'unparseable_file' : 'internal';
      await this.jobs.update(job, { status: 'failed', error: { code, message: (error as Error).message } });
      return;
    }
    job = await this.jobs.update(job, { lineCount: lines.length });
    const index = this.matching.forTenant(job.tenantId);
    for (const [i, line] of lines.entries()) {
      if (!this.running) return;
      if (await this.jobs.processed(job, i)) continue;
      const result: ImportLine = {
        ref: line.ref,
        name: line.name,
        clientId: null,
        outcome: 'failed',
        matchedBy: null,
        candidates: [],
        warnings: [],
        error: null,
      };
      if (!(await this.jobs.claimRef(job, line.ref, i))) {
        await this.jobs.saveLine(job, i, {
          ...result,
          outcome: 'skipped',
          error: { code: 'already_imported', message: `ref ${line.ref} was imported before` },
        });
        continue;
      }
      const decision = line.decide(index);
      result.warnings = [...decision.warnings];
      if (decision.outcome === 'skipped') {
        await this.jobs.saveLine(job, i, { ...result, outcome: 'skipped', error: decision.error });
        continue;
      }
      if (decision.outcome === 'matched') {
        Object.assign(result, {
          outcome: 'matched',
          clientId: this.matching.resolve(job.tenantId, decision.clientId),
          matchedBy: decision.matchedBy,
          candidates: [...decision.candidates],
        });
      } else {
        const clientId = derivedId(job.tenantId, identityOf(decision.draft));
        const answer = await this.clients.register(job.tenantId, clientId, decision.draft, job.correlationId);
        if (answer.status >= 400) {
          const errors = (answer.body.errors ?? []).map((e) => ({
            field: rowField(e.field),
            message: e.message,
          }));
          const message = errors.length
            ? errors.map((e) => `${e.field}: ${e.message}`).join('; ')
            : (answer.body.detail ?? 'the client could not be created');
          await this.jobs.saveLine(job, i, {
            ...result,
            error: { code: answer.body.code ?? 'internal', message, ...(errors.length ? { errors } : {}) },
          });
          continue;
        }
        if (job.kind !== 'clients')
          index.put(matchableFromDraft(clientId, new Date().toISOString(), decision.draft as NewClientDraft));
        Object.assign(result, { outcome: answer.status === 201 ? 'created' : 'matched', clientId });
      }
      const recorded = line.operation
        ? await this.clients.recordOperation(
            job.tenantId,
            result.clientId as string,
            line.operation,
            job.correlationId,
          )
        : { status: 200, body: {} };
      if (recorded.status >= 400) {
        await this.jobs.saveLine(job, i, {
          ...result,
          outcome: 'failed',
          error: {
            code: recorded.body.code ?? 'internal',
            message: recorded.body.detail ?? 'the operation could not be recorded',
          },
        });
        continue;
      }
      this.faults.check(i);
      await this.jobs.saveLine(job, i, result);
    }
    await this.jobs.update(job, { status: 'completed' });
  }
}
