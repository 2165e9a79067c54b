import { Injectable } from '@nestjs/common';
import pMap from 'p-map';
import { CRM_DEFINITIONS_AGGREGATE, EventEnvelope } from '@clientbook/contracts';
import type { Projection } from '@clientbook/event-store';
import type { Caller } from '@clientbook/platform';
import { CrmCards } from '../infrastructure/crm-cards';
import { ClientRelationships } from './client-relationships.service';
import { ClientMovedError } from './client-moved';

/**
 * A removed attribute leaves every client that holds it, each in a change of its own. Done in the
 * request that removed it, and again when the removal comes by on the crm topic — so a process
 * that died halfway is finished by the redelivery (taking off what a client no longer holds
 * changes nothing).
 */
@Injectable()
export class AttributeSweep implements Projection {
  readonly name = 'crm-attribute-sweep';
  readonly handles = ['AttributeRemoved'];

  constructor(
    private readonly cards: CrmCards,
    private readonly relationships: ClientRelationships,
  ) {}

  async apply(envelope: EventEnvelope): Promise<void> {
    if (envelope.aggregateType !== CRM_DEFINITIONS_AGGREGATE) return;
    const { attributeId } = envelope.data as { attributeId: string };
    await this.sweep(
      { tenantId: envelope.tenantId, actor: envelope.actor, correlationId: envelope.correlationId },
      attributeId,
    );
  }

  async sweep(caller: Caller, attributeId: string): Promise<void> {
    const holders = await this.cards.holdingAttribute(caller.tenantId, attributeId);
    await pMap(
      holders,
      async (clientId) => {
        try {
          await this.relationships.apply(caller, clientId, {
            type: 'RemoveAttribute',
            data: { attributeId, because: 'definition_removed' },
          });
        } catch (error) {
          // A merged client's relationship is closed: its survivor holds the attribute now.
          if (!(error instanceof ClientMovedError)) throw error;
        }
      },
      { concurrency: 8 },
    );
  }
}
