import { Injectable } from '@nestjs/common';
import {
  atCurrentVersions,
  EventEnvelope,
  EventMetadata,
  EVENTS,
  INVOICE_AGGREGATE,
  type InvoiceEvent,
} from '@clientbook/contracts';
import { EventStore } from '@clientbook/event-store';
import { evolveInvoice, type Invoice } from '../domain';

/** A stored invoice event as the domain reads it (upcast to its current version). */
export const invoiceEventOf = (envelope: EventEnvelope): InvoiceEvent => {
  const current = EVENTS.upcast(envelope);
  return { type: current.type, data: current.data } as InvoiceEvent;
};

export type LoadedInvoice = Readonly<{
  invoice: Invoice | null;
  version: number;
  envelopes: readonly EventEnvelope[];
}>;

/** Invoices' streams in the service's event store: a handful of events each. */
@Injectable()
export class InvoiceStreams {
  constructor(private readonly store: EventStore) {}

  async load(tenantId: string, invoiceId: string): Promise<LoadedInvoice> {
    const envelopes = await this.store.readStream(tenantId, invoiceId);
    return {
      invoice: envelopes.map(invoiceEventOf).reduce(evolveInvoice, null),
      version: envelopes.at(-1)?.aggregateVersion ?? 0,
      envelopes,
    };
  }

  append(
    tenantId: string,
    invoiceId: string,
    expectedVersion: number,
    events: readonly InvoiceEvent[],
    metadata: EventMetadata,
  ): Promise<EventEnvelope[]> {
    return this.store.append({
      tenantId,
      aggregateType: INVOICE_AGGREGATE,
      aggregateId: invoiceId,
      expectedVersion,
      events: atCurrentVersions(events),
      metadata,
    });
  }
}
