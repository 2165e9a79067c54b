import { Inject, Injectable, Logger } from '@nestjs/common';
import pMap from 'p-map';
import pRetry from 'p-retry';
import { v5 as nameBasedUuid } from 'uuid';
import { type EventMetadata, IssuedInvoiceSchema } from '@clientbook/contracts';
import { AFTER_CONCURRENT_WRITES, VersionConflictError } from '@clientbook/event-store';
import {
  callService,
  type Caller,
  SERVICE_CONFIG,
  type ServiceConfig,
  ServiceUnavailableError,
} from '@clientbook/platform';
import {
  amountInWords,
  buyerSnapshot,
  decideInvoice,
  type InvoiceCommand,
  InvoiceError,
  type IssuedInvoice,
  type LineInput,
  Money,
  priceInvoice,
  sellerSnapshot,
} from '../domain';
import {
  type ApiInvoice,
  type InvoiceFilter,
  type InvoiceListItem,
  InvoiceCards,
  decodeCursor,
} from '../infrastructure/invoice-cards';
import { InvoiceNumbers } from '../infrastructure/invoice-numbers';
import { InvoiceStreams } from '../infrastructure/invoice-streams';
import { CLIENTS_API_URL, Parties } from '../infrastructure/parties';

/** What the sales module sends when it issues an invoice (API.md), validated at the door. */
export type InvoiceDraft = Readonly<{
  series: string;
  number: string;
  issueDate: string;
  supplyDate?: string | null;
  dueDate?: string | null;
  clientId: string;
  currency: 'EUR';
  lines: readonly LineInput[];
  vatExemptionNote?: string | null;
  notes?: string | null;
}>;

/** Invoice ids are derived from the series and number, so one invoice can be recorded once only. */
const INVOICE_IDS = 'f3b0c6f2-3c3e-4f0c-9a39-2d6a2b8e8a51';
export const invoiceIdOf = (tenantId: string, series: string, number: string): string =>
  nameBasedUuid(`${tenantId}\n${series.trim().toUpperCase()}\n${number.trim().toUpperCase()}`, INVOICE_IDS);

/** Another change of the client came first: its operation is sent again after a short pause (p-retry). */
class ClientBusy extends Error {
  constructor() {
    super('another change of the client came first');
  }
}
const WHILE_THE_CLIENT_IS_BUSY = {
  retries: 10,
  minTimeout: 10,
  maxTimeout: 250,
  factor: 2,
  randomize: true,
} as const;

/** The `code` of a problem+json answer, if it is one. */
function problemCode(body: Buffer): string | null {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { code?: unknown };
    return typeof parsed.code === 'string' ? parsed.code : null;
  } catch {
    return null;
  }
}

const metadataOf = (caller: Caller, causationId: string | null = null): EventMetadata => ({
  actor: caller.actor,
  correlationId: caller.correlationId,
  causationId,
});

export type InvoicePage = {
  items: InvoiceListItem[];
  nextCursor: string | null;
  summary: { count: number; gross: string };
};

@Injectable()
export class Invoices {
  private readonly logger = new Logger(Invoices.name);

  constructor(
    private readonly streams: InvoiceStreams,
    private readonly cards: InvoiceCards,
    private readonly parties: Parties,
    private readonly numbers: InvoiceNumbers,
    @Inject(CLIENTS_API_URL) private readonly clientsUrl: string,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  /**
   * Records an invoice the sales module issued: priced, its seller and buyer as they are now, an
   * operation on its client (which then cannot be deleted), then its event. Posting the same
   * series and number again answers 409 and changes nothing.
   */
  async record(caller: Caller, draft: InvoiceDraft): Promise<ApiInvoice> {
    const pricing = priceInvoice(draft);
    if ('errors' in pricing)
      throw new InvoiceError(
        'validation_failed',
        pricing.errors.map((e) => `${e.field}: ${e.message}`).join('; '),
        pricing.errors,
      );
    if (draft.dueDate && draft.dueDate < draft.issueDate)
      throw new InvoiceError('validation_failed', 'dueDate: is before the issue date', [
        { field: 'dueDate', message: 'is before the issue date' },
      ]);
    const id = invoiceIdOf(caller.tenantId, draft.series, draft.number);
    const existing = await this.streams.load(caller.tenantId, id);
    if (existing.invoice)
      decideInvoice({ type: 'RecordInvoice', data: existing.invoice.issued }, existing.invoice);

    const [buyer, seller] = await Promise.all([
      this.parties.find(caller, draft.clientId),
      this.parties.ownCompany(caller),
    ]);
    if (!buyer) throw new InvoiceError('not_found', `no client ${draft.clientId}`);
    if (buyer.status !== 'active')
      throw new InvoiceError(
        'client_not_active',
        `client ${draft.clientId} is ${buyer.status}; issue the invoice to ${buyer.mergedInto ?? 'an active client'}`,
      );
    if (seller.id === draft.clientId)
      throw new InvoiceError('validation_failed', 'clientId: is the own company, the seller', [
        { field: 'clientId', message: 'is the own company (the seller), not a buyer' },
      ]);

    const printedSeller = sellerSnapshot(seller.id, seller.party);
    const issued: IssuedInvoice = {
      series: draft.series,
      number: draft.number,
      issueDate: draft.issueDate,
      supplyDate: draft.supplyDate ?? null,
      dueDate: draft.dueDate ?? null,
      clientId: draft.clientId,
      currency: 'EUR',
      ...pricing.priced,
      lines: [...pricing.priced.lines],
      vatBreakdown: [...pricing.priced.vatBreakdown],
      amountInWords: amountInWords(pricing.priced.totals.gross),
      vatExemptionNote: draft.vatExemptionNote?.trim() || null,
      notes: draft.notes ?? null,
      seller: { ...printedSeller, bankAccounts: [...printedSeller.bankAccounts] },
      buyer: buyerSnapshot(draft.clientId, buyer),
    };
    if (!(await this.numbers.claim(caller.tenantId, id, draft.clientId)))
      throw new InvoiceError(
        'non_unique_entry',
        `invoice ${draft.series} ${draft.number} is recorded already`,
        [{ field: 'number', message: `${draft.series} ${draft.number} was posted for another client` }],
      );
    // What is stored must be what the published contract says (a bug here is a 500, not an event
    // every consumer would skip).
    IssuedInvoiceSchema.parse(issued);
    await this.recordOperation(caller, id, issued);
    const events = decideInvoice({ type: 'RecordInvoice', data: issued }, null);
    let stored;
    try {
      stored = await this.streams.append(caller.tenantId, id, 0, events, metadataOf(caller));
    } catch (error) {
      if (error instanceof VersionConflictError)
        throw new InvoiceError(
          'non_unique_entry',
          `invoice ${draft.series} ${draft.number} is recorded already`,
          [{ field: 'number', message: `${draft.series} ${draft.number} is recorded already` }],
        );
      throw error;
    }
    await this.cards.record(stored);
    // The client may have been merged since it was checked: then the invoice follows it.
    await this.followMerge(caller, id, draft.clientId);
    return (await this.cards.get(caller.tenantId, id)) ?? this.fail(id);
  }

  /**
   * The client's card shows the invoice among its operations (an invoice is one: no delete).
   * Several invoices of one client at once take turns on its stream: a change that lost the race
   * (`version_conflict`) is sent again.
   */
  private async recordOperation(caller: Caller, invoiceId: string, issued: IssuedInvoice): Promise<void> {
    const answer = await pRetry(
      async () => {
        const sent = await callService(
          this.config.internalSecret,
          { name: 'clients', baseUrl: this.clientsUrl },
          {
            method: 'POST',
            target: `/internal/clients/${encodeURIComponent(issued.clientId)}/operations`,
            tenantId: caller.tenantId,
            actor: { kind: 'system', id: 'invoices' },
            correlationId: caller.correlationId,
          },
          {
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              operationId: invoiceId,
              kind: 'invoice',
              ref: `${issued.series} ${issued.number}`,
            }),
            timeoutMs: 30_000,
          },
        );
        if (sent.status === 412 || problemCode(sent.body) === 'version_conflict') throw new ClientBusy();
        return sent;
      },
      { ...WHILE_THE_CLIENT_IS_BUSY, shouldRetry: ({ error }) => error instanceof ClientBusy },
    ).catch((error: unknown) => {
      if (error instanceof ClientBusy) throw new ServiceUnavailableError('clients');
      throw error;
    });
    if (answer.status === 200) return;
    if (answer.status === 404 || answer.status === 400)
      throw new InvoiceError('not_found', `no client ${issued.clientId}`);
    if (answer.status === 409 || answer.status === 410 || answer.status === 308)
      throw new InvoiceError('client_not_active', `client ${issued.clientId} is merged or deleted`);
    throw new ServiceUnavailableError('clients');
  }

  async get(caller: Caller, invoiceId: string): Promise<ApiInvoice> {
    const card = await this.cards.get(caller.tenantId, invoiceId);
    if (card) return card;
    // Written through a moment ago by another instance, or left by a crash before its card.
    const loaded = await this.streams.load(caller.tenantId, invoiceId);
    if (!loaded.invoice) throw new InvoiceError('not_found', 'no such invoice');
    await this.cards.record(loaded.envelopes);
    return (await this.cards.get(caller.tenantId, invoiceId)) ?? this.fail(invoiceId);
  }

  async cancel(caller: Caller, invoiceId: string, reason: string): Promise<ApiInvoice> {
    await this.change(caller, invoiceId, { type: 'CancelInvoice', data: { reason } });
    return this.get(caller, invoiceId);
  }

  /** Moves an invoice to the client its buyer was merged into (idempotent). */
  async reassign(caller: Caller, invoiceId: string, toClientId: string, mergeId: string): Promise<void> {
    await this.change(caller, invoiceId, { type: 'ReassignInvoice', data: { toClientId, mergeId } }, mergeId);
  }

  /** Every invoice listed on a merged client, moved to its survivor. */
  async reassignAll(
    caller: Caller,
    fromClientId: string,
    toClientId: string,
    mergeId: string,
  ): Promise<number> {
    const ids = await this.cards.idsOf(caller.tenantId, fromClientId);
    await pMap(ids, (id) => this.reassign(caller, id, toClientId, mergeId), { concurrency: 8 });
    return ids.length;
  }

  /** When the invoice's client is merged by now, the invoice goes to its survivor. */
  async followMerge(caller: Caller, invoiceId: string, clientId: string): Promise<void> {
    const survivor = await this.parties.survivorOf(caller.tenantId, clientId);
    if (survivor) await this.reassign(caller, invoiceId, survivor.clientId, survivor.mergeId);
  }

  private async change(
    caller: Caller,
    invoiceId: string,
    command: InvoiceCommand,
    causationId: string | null = null,
  ) {
    await pRetry(
      async () => {
        const loaded = await this.streams.load(caller.tenantId, invoiceId);
        const events = decideInvoice(command, loaded.invoice);
        if (events.length === 0) {
          await this.cards.record(loaded.envelopes);
          return;
        }
        const stored = await this.streams.append(
          caller.tenantId,
          invoiceId,
          loaded.version,
          events,
          metadataOf(caller, causationId),
        );
        await this.cards.record([...loaded.envelopes, ...stored]);
      },
      { ...AFTER_CONCURRENT_WRITES, shouldRetry: ({ error }) => error instanceof VersionConflictError },
    );
  }

  async list(
    caller: Caller,
    filter: InvoiceFilter,
    options: { limit: number; cursor?: string },
  ): Promise<InvoicePage> {
    const cursor = options.cursor ? decodeCursor(options.cursor) : null;
    if (options.cursor && !cursor)
      throw new InvoiceError('validation_failed', 'cursor: is not one this list gave', [
        { field: 'cursor', message: 'is not one this list gave' },
      ]);
    await this.knownClient(caller, filter.clientId);
    const page = await this.cards.page(caller.tenantId, filter, { limit: options.limit, cursor });
    return {
      items: page.items,
      nextCursor: page.nextCursor,
      summary: { count: page.summary.count, gross: new Money(page.summary.grossCents).div(100).toFixed(2) },
    };
  }

  /**
   * A client's invoices in a period, oldest first, for one PDF; a period of more than
   * `max.invoices` invoices or `max.lines` lines in all is refused before any is read whole.
   */
  async forPrinting(
    caller: Caller,
    filter: InvoiceFilter,
    max: { invoices: number; lines: number },
  ): Promise<ApiInvoice[]> {
    await this.knownClient(caller, filter.clientId);
    const found = await this.cards.inPeriod(caller.tenantId, filter, max.invoices);
    const lines = found.reduce((sum, invoice) => sum + invoice.lineCount, 0);
    if (found.length > max.invoices || lines > max.lines)
      throw new InvoiceError(
        'validation_failed',
        `the period holds more than ${max.invoices} invoices or ${max.lines} lines; print a shorter one`,
        [
          {
            field: 'to',
            message: `the period holds more than ${max.invoices} invoices or ${max.lines} lines`,
          },
        ],
      );
    return this.cards.whole(
      caller.tenantId,
      found.map((invoice) => invoice.id),
    );
  }

  /** A client of the tenant (merged or deleted ones too: their lists are kept); else 404. */
  private async knownClient(caller: Caller, clientId: string): Promise<void> {
    if (!(await this.parties.find(caller, clientId))) throw new InvoiceError('not_found', 'no such client');
  }

  private fail(invoiceId: string): never {
    this.logger.error({ invoiceId }, 'an invoice stored a moment ago could not be read back');
    throw new Error(`invoice ${invoiceId} could not be read back`);
  }
}
