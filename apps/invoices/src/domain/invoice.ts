import type { InvoiceEvent, IssuedInvoice } from '@clientbook/contracts';
import { InvoiceError } from './invoice-error';

export type { InvoiceEvent, IssuedInvoice };

export type Invoice = Readonly<{
  issued: IssuedInvoice;
  /** The client whose card lists it now (the buyer's survivor after merges). */
  clientId: string;
  status: 'issued' | 'cancelled';
  cancelReason: string | null;
}>;

export type InvoiceCommand =
  | Readonly<{ type: 'RecordInvoice'; data: IssuedInvoice }>
  | Readonly<{ type: 'CancelInvoice'; data: { reason: string } }>
  | Readonly<{ type: 'ReassignInvoice'; data: { toClientId: string; mergeId: string } }>;

const label = (issued: IssuedInvoice) => `${issued.series} ${issued.number}`;

/** What a command makes of an invoice (null: none recorded under its id yet). */
export function decideInvoice(command: InvoiceCommand, invoice: Invoice | null): InvoiceEvent[] {
  if (command.type === 'RecordInvoice') {
    if (invoice)
      throw new InvoiceError('non_unique_entry', `invoice ${label(invoice.issued)} is recorded already`, [
        { field: 'number', message: `${label(invoice.issued)} is recorded already` },
      ]);
    return [{ type: 'InvoiceRecorded', data: command.data }];
  }
  if (!invoice) throw new InvoiceError('not_found', 'no such invoice');
  switch (command.type) {
    case 'CancelInvoice':
      // Cancelling again changes nothing: the first reason stays.
      return invoice.status === 'cancelled' ? [] : [{ type: 'InvoiceCancelled', data: command.data }];
    case 'ReassignInvoice':
      return invoice.clientId === command.data.toClientId
        ? []
        : [{ type: 'InvoiceReassigned', data: { fromClientId: invoice.clientId, ...command.data } }];
  }
}

export function evolveInvoice(invoice: Invoice | null, event: InvoiceEvent): Invoice | null {
  switch (event.type) {
    case 'InvoiceRecorded':
      return { issued: event.data, clientId: event.data.clientId, status: 'issued', cancelReason: null };
    case 'InvoiceCancelled':
      return invoice && { ...invoice, status: 'cancelled', cancelReason: event.data.reason };
    case 'InvoiceReassigned':
      return invoice && { ...invoice, clientId: event.data.toClientId };
  }
}
