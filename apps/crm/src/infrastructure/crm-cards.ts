import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Collection, Db } from 'mongodb';
import { CLIENT_RELATIONSHIP_AGGREGATE, EventEnvelope } from '@clientbook/contracts';
import { isDuplicateKeyError, Projection, VersionedDocument } from '@clientbook/event-store';
import { type Caller, MONGO_DB } from '@clientbook/platform';
import type { RelationshipCommand, RelationshipRecord } from '../domain';
import { CRM_CARDS, CrmStreams, crmEventOf } from './crm-streams';

/** Who applies a change to a client's relationship (the application's `ClientRelationships`). */
export type ClientRelationshipWriter = {
  apply(caller: Caller, clientId: string, ...commands: RelationshipCommand[]): Promise<unknown>;
};
export const RELATIONSHIP_WRITER = Symbol('RELATIONSHIP_WRITER');

/** A card: who holds what (asked across clients), and the relationship's record as a snapshot (JSON). */
type CrmCardFields = { statusId: string | null; attributes: string[]; record: string };
type CrmCardDocument = VersionedDocument<CrmCardFields>;

/**
 * One document per client with a CRM relationship: its status and attributes — which clients
 * hold a status (a status in use is not removed) or an attribute (a removed attribute leaves every
 * client) — and the snapshot every read of the client starts from. Written through by each
 * change, and caught up from the crm topic (after a crash between a commit and its card).
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
    this.collection = db.collection<CrmCardDocument>(CRM_CARDS);
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
    const loaded = await this.streams.relationship(event.tenantId, event.aggregateId);
    // The relay read this event from the store: a store that does not show it yet answered from
    // a state that is not the latest (a database coming back). Fail, to be delivered again.
    if (loaded.version < event.aggregateVersion)
      throw new Error(
        `the event store shows relationship ${event.aggregateId} at version ${loaded.version}, not yet ${event.aggregateVersion}`,
      );
    // Newer than the card: the change that made it died before writing it. Written now.
    if (loaded.tail.length > 0)
      await this.record(event.tenantId, event.aggregateId, loaded.version, loaded.state);
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
  async record(
    tenantId: string,
    clientId: string,
    version: number,
    record: RelationshipRecord,
  ): Promise<void> {
    const _id = `${tenantId}:${clientId}`;
    const card: CrmCardDocument = {
      _id,
      tenantId,
      aggregateId: clientId,
      lastVersion: version,
      statusId: record.relationship.statusId,
      attributes: [...record.relationship.attributes],
      record: JSON.stringify(record),
    };
    try {
      // One round trip: only over an older card; a newer one makes the upsert meet the unique _id.
      await this.collection.replaceOne({ _id, lastVersion: { $lt: version } }, card, { upsert: true });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
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
