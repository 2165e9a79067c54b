import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import pMap from 'p-map';
import type { Collection, Db, Filter } from 'mongodb';
import { EventEnvelope, INVOICE_AGGREGATE, type IssuedInvoice } from '@clientbook/contracts';
import { applyOnce, Projection, VersionedDocument } from '@clientbook/event-store';
import { MONGO_DB } from '@clientbook/platform';
import { invoiceEventOf } from './invoice-streams';

/** An invoice as the API shows it (API.md "Invoices on the client card"). */
export type ApiInvoice = IssuedInvoice & {
  id: string;
  version: number;
  /** The client whose card lists it now; `buyer.clientId` is the one it was issued to. */
  clientId: string;
  status: 'issued' | 'cancelled';
  cancelReason: string | null;
  cancelledAt: string | null;
  recordedAt: string;
};

/** An invoice as the card's list shows it: what tells it apart and what it comes to. */
export type InvoiceListItem = Pick<
  ApiInvoice,
  | 'id'
  | 'version'
  | 'series'
  | 'number'
  | 'issueDate'
  | 'dueDate'
  | 'clientId'
  | 'status'
  | 'currency'
  | 'totals'
> & { buyer: { clientId: string; name: string } };

type InvoiceCardFields = {
  clientId: string;
  issueDate: string;
  status: 'issued' | 'cancelled';
  grossCents: number;
  /** How many lines it has (what printing it costs). */
  lineCount: number;
  item: InvoiceListItem;
};
type InvoiceCard = VersionedDocument<InvoiceCardFields>;
type InvoiceDocument = VersionedDocument<{ invoice: ApiInvoice }>;

/** An invoice after one of its events (null before its first). */
export function evolveApiInvoice(current: ApiInvoice | null, envelope: EventEnvelope): ApiInvoice | null {
  const event = invoiceEventOf(envelope);
  const version = envelope.aggregateVersion;
  switch (event.type) {
    case 'InvoiceRecorded':
      return {
        id: envelope.aggregateId,
        version,
        ...event.data,
        status: 'issued',
        cancelReason: null,
        cancelledAt: null,
        recordedAt: envelope.occurredAt,
      };
    case 'InvoiceCancelled':
      return (
        current && {
          ...current,
          version,
          status: 'cancelled',
          cancelReason: event.data.reason,
          cancelledAt: envelope.occurredAt,
        }
      );
    case 'InvoiceReassigned':
      return current && { ...current, version, clientId: event.data.toClientId };
  }
}

const cardFields = (invoice: ApiInvoice): InvoiceCardFields => ({
  clientId: invoice.clientId,
  issueDate: invoice.issueDate,
  status: invoice.status,
  // Whole cents ("121.00" → 12100), read from the digits: added up exactly.
  grossCents: Number(invoice.totals.gross.replace('.', '')),
  lineCount: invoice.lines.length,
  item: {
    id: invoice.id,
    version: invoice.version,
    series: invoice.series,
    number: invoice.number,
    issueDate: invoice.issueDate,
    dueDate: invoice.dueDate,
    clientId: invoice.clientId,
    buyer: { clientId: invoice.buyer.clientId, name: invoice.buyer.name },
    status: invoice.status,
    currency: invoice.currency,
    totals: invoice.totals,
  },
});

export type InvoiceFilter = Readonly<{
  clientId: string;
  from?: string;
  to?: string;
  status?: 'issued' | 'cancelled';
}>;

/** Where a page ends: the last invoice's issue date and id (newest first). */
type Cursor = { issueDate: string; id: string };

const encodeCursor = (cursor: Cursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url');
export function decodeCursor(text: string): Cursor | null {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown;
    // What goes back into a query is checked: a day, and an id as this service makes them.
    if (
      typeof value === 'object' &&
      value !== null &&
      typeof (value as Cursor).issueDate === 'string' &&
      /^\d{4}-\d{2}-\d{2}$/.test((value as Cursor).issueDate) &&
      typeof (value as Cursor).id === 'string' &&
      /^[0-9a-f-]{36}$/.test((value as Cursor).id)
    )
      return { issueDate: (value as Cursor).issueDate, id: (value as Cursor).id };
  } catch {
    // Not a cursor of ours.
  }
  return null;
}

/**
 * Invoices as read: each whole (`invoice_documents`, by id) and as each client's card lists them
 * (`invoice_cards`: a few hundred bytes each, so a list reads little). Written through by each
 * change and kept from the invoices topic (after a crash between the two), idempotent by version.
 */
@Injectable()
export class InvoiceCards implements Projection, OnApplicationBootstrap {
  readonly name = 'invoice-cards';
  private readonly cards: Collection<InvoiceCard>;
  private readonly documents: Collection<InvoiceDocument>;

  constructor(@Inject(MONGO_DB) db: Db) {
    this.cards = db.collection<InvoiceCard>('invoice_cards');
    this.documents = db.collection<InvoiceDocument>('invoice_documents');
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.cards.createIndex({ tenantId: 1, clientId: 1, issueDate: -1, _id: -1 });
  }

  async apply(envelope: EventEnvelope): Promise<void> {
    if (envelope.aggregateType !== INVOICE_AGGREGATE) return;
    await this.record([envelope]);
  }

  /** Folds stored events onto their invoice (each at most once), then onto its card. */
  async record(envelopes: readonly EventEnvelope[]): Promise<void> {
    for (const envelope of envelopes) {
      const key = {
        tenantId: envelope.tenantId,
        aggregateId: envelope.aggregateId,
        version: envelope.aggregateVersion,
      };
      let invoice: ApiInvoice | null = null;
      const outcome = await applyOnce(this.documents, key, (current) => {
        invoice = evolveApiInvoice(current?.invoice ?? null, envelope);
        if (!invoice)
          throw new Error(`${envelope.type} of invoice ${envelope.aggregateId} before its record`);
        return { invoice };
      });
      // A redelivery: the card follows the invoice as it is stored (it may lag after a crash).
      const whole: ApiInvoice | null =
        outcome === 'applied'
          ? invoice
          : ((await this.documents.findOne({ _id: `${key.tenantId}:${key.aggregateId}` }))?.invoice ?? null);
      if (!whole) continue;
      await applyOnce(this.cards, key, () => cardFields(whole));
    }
  }

  async get(tenantId: string, invoiceId: string): Promise<ApiInvoice | null> {
    return (await this.documents.findOne({ _id: `${tenantId}:${invoiceId}` }))?.invoice ?? null;
  }

  private filterOf(tenantId: string, filter: InvoiceFilter): Filter<InvoiceCard> {
    const issueDate = {
      ...(filter.from ? { $gte: filter.from } : {}),
      ...(filter.to ? { $lte: filter.to } : {}),
    };
    return {
      tenantId,
      clientId: filter.clientId,
      ...(filter.from || filter.to ? { issueDate } : {}),
      ...(filter.status ? { status: filter.status } : {}),
    } as Filter<InvoiceCard>;
  }

  /** A page of a client's invoices, newest first, and the count and gross of the whole filtered set. */
  async page(
    tenantId: string,
    filter: InvoiceFilter,
    options: { limit: number; cursor: Cursor | null },
  ): Promise<{
    items: InvoiceListItem[];
    nextCursor: string | null;
    summary: { count: number; grossCents: number };
  }> {
    const match = this.filterOf(tenantId, filter);
    const after = options.cursor
      ? {
          $or: [
            { issueDate: { $lt: options.cursor.issueDate } },
            { issueDate: options.cursor.issueDate, _id: { $lt: `${tenantId}:${options.cursor.id}` } },
          ],
        }
      : {};
    // The summary from the same small cards, added up here: one read of the filtered set.
    const [cards, amounts] = await Promise.all([
      this.cards
        .find({ ...match, ...after } as Filter<InvoiceCard>)
        .sort({ issueDate: -1, _id: -1 })
        .limit(options.limit + 1)
        .toArray(),
      this.cards.find(match).project<{ grossCents: number }>({ _id: 0, grossCents: 1 }).toArray(),
    ]);
    const items = cards.slice(0, options.limit).map((card) => card.item);
    const last = items.at(-1);
    return {
      items,
      nextCursor:
        cards.length > options.limit && last
          ? encodeCursor({ issueDate: last.issueDate, id: last.id })
          : null,
      summary: {
        count: amounts.length,
        grossCents: amounts.reduce((sum, { grossCents }) => sum + grossCents, 0),
      },
    };
  }

  /** The invoices of a client in a period, oldest first (for one PDF), at most `max` + 1: ids and sizes. */
  async inPeriod(
    tenantId: string,
    filter: InvoiceFilter,
    max: number,
  ): Promise<{ id: string; lineCount: number }[]> {
    const cards = await this.cards
      .find(this.filterOf(tenantId, filter))
      .sort({ issueDate: 1, _id: 1 })
      .limit(max + 1)
      .project<{ aggregateId: string; lineCount?: number }>({ aggregateId: 1, lineCount: 1 })
      .toArray();
    return cards.map((card) => ({ id: card.aggregateId, lineCount: card.lineCount ?? 1 }));
  }

  /** Invoices whole, in the order asked. */
  async whole(tenantId: string, invoiceIds: readonly string[]): Promise<ApiInvoice[]> {
    const invoices = await pMap(invoiceIds, (id) => this.get(tenantId, id), { concurrency: 8 });
    return invoices.filter((invoice): invoice is ApiInvoice => invoice !== null);
  }

  /** The ids of the invoices a client's card lists now. */
  async idsOf(tenantId: string, clientId: string): Promise<string[]> {
    const cards = await this.cards
      .find({ tenantId, clientId })
      .project<{ aggregateId: string }>({ aggregateId: 1 })
      .toArray();
    return cards.map((card) => card.aggregateId);
  }
}
