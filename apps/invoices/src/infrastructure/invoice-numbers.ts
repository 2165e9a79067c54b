import { Inject, Injectable } from '@nestjs/common';
import type { Collection, Db } from 'mongodb';
import { isDuplicateKeyError } from '@clientbook/event-store';
import { MONGO_DB } from '@clientbook/platform';

type InvoiceNumberDocument = {
  _id: string;
  tenantId: string;
  invoiceId: string;
  clientId: string;
  claimedAt: Date;
};

/**
 * Which client an invoice number (series and number, as the invoice id) was first posted for,
 * claimed under a unique `_id` before anything else is written: of two posts of one number for
 * two clients, the second is refused before it records an operation on its client. The same
 * number posted again for the same client (a retry) goes on.
 */
@Injectable()
export class InvoiceNumbers {
  private readonly collection: Collection<InvoiceNumberDocument>;

  constructor(@Inject(MONGO_DB) db: Db) {
    this.collection = db.collection<InvoiceNumberDocument>('invoice_numbers');
  }

  /** Claims the number for the client: false when another client holds it. */
  async claim(tenantId: string, invoiceId: string, clientId: string): Promise<boolean> {
    const _id = `${tenantId}:${invoiceId}`;
    try {
      await this.collection.insertOne({ _id, tenantId, invoiceId, clientId, claimedAt: new Date() });
      return true;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    return (await this.collection.findOne({ _id }))?.clientId === clientId;
  }
}
