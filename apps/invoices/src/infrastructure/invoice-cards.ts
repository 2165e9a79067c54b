import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
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

type InvoiceCardFields = {
  clientId: string;
  issueDate: string;
  status: 'issued' | 'cancelled';
  grossCents: number;
  invoice: ApiInvoice;
};
type InvoiceCard = VersionedDocument<InvoiceCardFields>;

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
  // Whole cents ("121.00" → 12100), read from the digits: summed exactly by the store.
  grossCents: Number(invoice.totals.gross.replace('.', '')),
  invoice,
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
    if (
      typeof value === 'object' &&
      value !== null &&
      typeof (value as Cursor).issueDate === 'string' &&
      typeof (value as Cursor).id === 'string'
    )
      return { issueDate: (value as Cursor).issueDate, id: (value as Cursor).id };
  } catch {
    // Not a cursor of ours.
  }
  return null;
}

/**
 * The invoices each client's card lists (`invoice_cards`): written through by each change and
 * kept from the invoices topic (after a crash between the two), idempotent by invoice version.
 */
@Injectable()
export class InvoiceCards implements Projection, OnApplicationBootstrap {
  readonly name = 'invoice-cards';
  private readonly collection: Collection<InvoiceCard>;

  constructor(@Inject(MONGO_DB) db: Db) {
    this.collection = db.collection<InvoiceCard>('invoice_cards');
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.collection.createIndex({ tenantId: 1, clientId: 1, issueDate: -1, _id: -1 });
  }

  async apply(envelope: EventEnvelope): Promise<void> {
    if (envelope.aggregateType !== INVOICE_AGGREGATE) return;
    await this.record([envelope]);
  }

  /** Folds stored events onto their invoice's card (each at most once). */
  async record(envelopes: readonly EventEnvelope[]): Promise<void> {
    for (const envelope of envelopes) {
      await applyOnce(
        this.collection,
        {
          tenantId: envelope.tenantId,
          aggregateId: envelope.aggregateId,
          version: envelope.aggregateVersion,
        },
        (current) => {
          const invoice = evolveApiInvoice(current?.invoice ?? null, envelope);
          if (!invoice)
            throw new Error(`${envelope.type} of invoice ${envelope.aggregateId} before its record`);
          return cardFields(invoice);
        },
      );
    }
  }

  async get(tenantId: string, invoiceId: string): Promise<ApiInvoice | null> {
    return (await this.collection.findOne({ _id: `${tenantId}:${invoiceId}` }))?.invoice ?? null;
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
    items: ApiInvoice[];
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
    // Count and sum as two pipelines: FerretDB 1.24 computes only the first accumulator of a
    // `$group` (the others come back 0), so one `$group` with both would sum nothing there.
    const [cards, counted, summed] = await Promise.all([
      this.collection
        .find({ ...match, ...after } as Filter<InvoiceCard>)
        .sort({ issueDate: -1, _id: -1 })
        .limit(options.limit + 1)
        .toArray(),
      this.collection.countDocuments(match),
      this.collection
        .aggregate<{ grossCents: number }>([
          { $match: match },
          { $group: { _id: null, grossCents: { $sum: '$grossCents' } } },
        ])
        .toArray(),
    ]);
    const totals = [{ count: counted, grossCents: summed[0]?.grossCents ?? 0 }];
    const items = cards.slice(0, options.limit).map((card) => card.invoice);
    const last = items.at(-1);
    return {
      items,
      nextCursor:
        cards.length > options.limit && last
          ? encodeCursor({ issueDate: last.issueDate, id: last.id })
          : null,
      summary: { count: totals[0]?.count ?? 0, grossCents: totals[0]?.grossCents ?? 0 },
    };
  }

  /** Every invoice of a client in a period, oldest first (for one PDF), at most `max` + 1. */
  async inPeriod(tenantId: string, filter: InvoiceFilter, max: number): Promise<ApiInvoice[]> {
    const cards = await this.collection
      .find(this.filterOf(tenantId, filter))
      .sort({ issueDate: 1, _id: 1 })
      .limit(max + 1)
      .toArray();
    return cards.map((card) => card.invoice);
  }

  /** The ids of the invoices a client's card lists now. */
  async idsOf(tenantId: string, clientId: string): Promise<string[]> {
    const cards = await this.collection
      .find({ tenantId, clientId })
      .project<{ aggregateId: string }>({ aggregateId: 1 })
      .toArray();
    return cards.map((card) => card.aggregateId);
  }
}
