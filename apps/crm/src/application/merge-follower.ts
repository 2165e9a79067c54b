import { Injectable, Logger } from '@nestjs/common';
import pMap from 'p-map';
import { CLIENT_AGGREGATE, EventEnvelope, toClientEvent } from '@clientbook/contracts';
import type { Projection } from '@clientbook/event-store';
import type { Caller } from '@clientbook/platform';
import type { MergedRelationship } from '../domain';
import { CrmStreams } from '../infrastructure/crm-streams';
import { ClientRelationships } from './client-relationships.service';
import { historyOf } from './timeline';

/**
 * Follows merges from the clients topic: each merged client's relationship is closed (nothing
 * more is written on it) and the survivor takes in what it held — activities, reviews, tasks, its
 * history — with the merge's own timeline entry. Each step is idempotent, so a redelivery (or a
 * crash between them) completes the merge without doing anything twice.
 */
@Injectable()
export class MergeFollower implements Projection {
  readonly name = 'crm-merges';
  readonly handles = ['ClientsMerged'];
  private readonly logger = new Logger(MergeFollower.name);

  constructor(
    private readonly relationships: ClientRelationships,
    private readonly streams: CrmStreams,
  ) {}

  async apply(envelope: EventEnvelope): Promise<void> {
    if (envelope.aggregateType !== CLIENT_AGGREGATE) return;
    const event = toClientEvent(envelope);
    if (event?.type !== 'ClientsMerged') return;
    const { mergeId, mergedIds } = event.data;
    const survivorId = envelope.aggregateId;
    const caller: Caller = {
      tenantId: envelope.tenantId,
      actor: envelope.actor,
      correlationId: envelope.correlationId,
    };
    const sealed = await pMap(
      mergedIds,
      async (clientId): Promise<MergedRelationship | null> => {
        // A client the CRM never heard of has nothing to move (its id is refused by the clients
        // topic's ClientMergedInto from then on).
        if ((await this.streams.relationship(envelope.tenantId, clientId)).version === 0) return null;
        const { record } = await this.relationships.apply(caller, clientId, {
          type: 'SealForMerge',
          data: { mergeId, survivorId },
        });
        return {
          clientId,
          relationship: record.relationship,
          history: historyOf(clientId, record),
          stamps: record.stamps,
        };
      },
      { concurrency: 8 },
    );
    const merged = sealed.filter((m): m is MergedRelationship => m !== null);
    await this.relationships.apply(caller, survivorId, {
      type: 'TakeInMerged',
      data: { mergeId, mergedIds, merged },
    });
    this.logger.log(
      { mergeId, survivorId, merged: mergedIds.length, withCrm: merged.length },
      'merge followed',
    );
  }
}
