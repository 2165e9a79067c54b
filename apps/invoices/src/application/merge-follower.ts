import { Injectable } from '@nestjs/common';
import { CLIENT_AGGREGATE, EventEnvelope, INVOICE_AGGREGATE, toClientEvent } from '@clientbook/contracts';
import type { Projection } from '@clientbook/event-store';
import type { Caller } from '@clientbook/platform';
import { Parties } from '../infrastructure/parties';
import { Invoices } from './invoices.service';

const callerOf = (envelope: EventEnvelope): Caller => ({
  tenantId: envelope.tenantId,
  actor: { kind: 'system', id: 'invoices' },
  correlationId: envelope.correlationId,
});

/**
 * Merges, followed: when a client is merged (`ClientMergedInto` on the clients topic, after the
 * parties have learnt it), every invoice its card lists moves to the survivor; and an invoice
 * recorded for a client that turns out merged by then (the invoices topic) moves too. Each side
 * writes what it learnt before it looks at the other's, so one of the two always sees both.
 */
@Injectable()
export class MergeFollower implements Projection {
  readonly name = 'invoice-merge-follower';

  constructor(
    private readonly invoices: Invoices,
    private readonly parties: Parties,
  ) {}

  async apply(envelope: EventEnvelope): Promise<void> {
    if (envelope.aggregateType === INVOICE_AGGREGATE && envelope.type === 'InvoiceRecorded') {
      const { clientId } = envelope.data as { clientId: string };
      await this.invoices.followMerge(callerOf(envelope), envelope.aggregateId, clientId);
      return;
    }
    if (envelope.aggregateType !== CLIENT_AGGREGATE) return;
    const event = toClientEvent(envelope);
    if (event?.type !== 'ClientMergedInto') return;
    // Merges of merges: the invoices go to where the client lives on now.
    const survivor = await this.parties.survivorOf(envelope.tenantId, envelope.aggregateId);
    await this.invoices.reassignAll(
      callerOf(envelope),
      envelope.aggregateId,
      survivor?.clientId ?? event.data.survivorId,
      event.data.mergeId,
    );
  }
}
