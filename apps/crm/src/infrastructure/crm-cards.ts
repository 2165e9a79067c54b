import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Collection, Db } from 'mongodb';
import { CLIENT_RELATIONSHIP_AGGREGATE, EventEnvelope } from '@clientbook/contracts';
import { applyOnce, Projection, VersionedDocument } from '@clientbook/event-store';
import { type Caller, MONGO_DB } from '@clientbook/platform';
import { evolveRelationship, NEW_RELATIONSHIP, Relationship, RelationshipCommand } from '../domain';
import { CrmStreams, crmEventOf } from './crm-streams';

/** Who applies a change to a client's relationship (the application's `ClientRelationships`). */
export type ClientRelationshipWriter = {
  apply(caller: Caller, clientId: string, ...commands: RelationshipCommand[]): Promise<unknown>;
};
export const RELATIONSHIP_WRITER = Symbol('RELATIONSHIP_WRITER');

type CrmCardFields = { statusId: string | null; attributes: string[] };
type CrmCardDocument = VersionedDocument<CrmCardFields>;

/**
 * One document per client with a CRM relationship — its status and attributes — folded from the
 * crm topic: which clients hold a status (a status in use is not removed) or an attribute (a
 * removed attribute leaves every client). Reads of one client fold its stream instead.
 */
@Injectable()
export class CrmCards implements Projection, OnApplicationBootstrap {
  readonly name = 'crm-cards';
  private readonly collection: Collection<CrmCardDocument>;

  constructor(
    @Inject(MONGO_DB) db: Db,
    private readonly streams: CrmStreams,
    private readonly modules: ModuleRef,
  ) {
    this.collection = db.collection<CrmCardDocument>('crm_cards');
  }

  /** Resolved when needed: the relationships use these cards too. */
  private relationships(): ClientRelationshipWriter {
    return this.modules.get(RELATIONSHIP_WRITER, { strict: false });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.collection.createIndex({ tenantId: 1, statusId: 1 });
    await this.collection.createIndex({ tenantId: 1, attributes: 1 });
  }

  async apply(event: EventEnvelope): Promise<void> {
    if (event.aggregateType !== CLIENT_RELATIONSHIP_AGGREGATE) return;
    await applyOnce(
      this.collection,
      { tenantId: event.tenantId, aggregateId: event.aggregateId, version: event.aggregateVersion },
      (current) => {
        const state = evolveRelationship(
          current
            ? { ...NEW_RELATIONSHIP, statusId: current.statusId, attributes: current.attributes }
            : NEW_RELATIONSHIP,
          crmEventOf(event),
        );
        return { statusId: state.statusId, attributes: [...state.attributes] };
      },
    );
    // An attribute given just before its definition was removed, and not yet here when the
    // removal took it off its holders: it is taken off now (again on a redelivery: taking off
    // what a client does not hold changes nothing; the card may already be written by the command).
    const event_ = crmEventOf(event);
    if (event_.type === 'ClientAttributeAdded') {
      const { attributeId } = event_.data;
      const definitions = await this.streams.definitions(event.tenantId);
      if (!definitions.state.attributes.some((a) => a.id === attributeId))
        await this.relationships().apply(
          {
            tenantId: event.tenantId,
            actor: { kind: 'system', id: 'crm' },
            correlationId: event.correlationId,
          },
          event.aggregateId,
          { type: 'RemoveAttribute', data: { attributeId, because: 'definition_removed' } },
        );
    }
  }

  /**
   * Writes a client's card as a command left it, so a question across clients asked right after
   * (is this status in use?) sees the change; the projection, idempotent by version, keeps it.
   */
  async record(tenantId: string, clientId: string, version: number, state: Relationship): Promise<void> {
    await applyOnce(this.collection, { tenantId, aggregateId: clientId, version }, () => ({
      statusId: state.statusId,
      attributes: [...state.attributes],
    }));
  }

  /** The clients that hold the status. */
  holdingStatus(tenantId: string, statusId: string): Promise<string[]> {
    return this.holders({ tenantId, statusId });
  }

  /** The clients that hold the attribute. */
  holdingAttribute(tenantId: string, attributeId: string): Promise<string[]> {
    return this.holders({ tenantId, attributes: attributeId });
  }

  private async holders(filter: {
    tenantId: string;
    statusId?: string;
    attributes?: string;
  }): Promise<string[]> {
    const found = await this.collection
      .find(filter)
      .project<{ aggregateId: string }>({ aggregateId: 1 })
      .toArray();
    return found.map((card) => card.aggregateId);
  }
}
