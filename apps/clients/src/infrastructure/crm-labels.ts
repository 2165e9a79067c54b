import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Collection, Db } from 'mongodb';
import { CLIENT_RELATIONSHIP_AGGREGATE, type CrmEvent, EventEnvelope } from '@clientbook/contracts';
import { applyOnce, Projection, VersionedDocument } from '@clientbook/event-store';
import { MONGO_DB } from '@clientbook/platform';
import { ClientCards } from './client-cards';

/** A client's CRM status and attributes, as the client list filters on them. */
export type CrmLabelFields = { statusId: string | null; attributes: string[] };
type CrmLabelDocument = VersionedDocument<CrmLabelFields>;

/** A relationship's status and attributes after one CRM event (what the crm topic says, nothing more). */
export function labelsAfter(labels: CrmLabelFields, event: CrmEvent): CrmLabelFields {
  switch (event.type) {
    case 'ClientStatusSet':
      return { ...labels, statusId: event.data.statusId };
    case 'ClientAttributeAdded':
      return labels.attributes.includes(event.data.attributeId)
        ? labels
        : { ...labels, attributes: [...labels.attributes, event.data.attributeId] };
    case 'ClientAttributeRemoved':
      return { ...labels, attributes: labels.attributes.filter((a) => a !== event.data.attributeId) };
    case 'RelationshipsMerged':
      return {
        statusId: event.data.statusId ?? labels.statusId,
        attributes: [...new Set([...labels.attributes, ...event.data.addedAttributes])],
      };
    default:
      return labels;
  }
}

const LABEL_EVENTS = [
  'ClientStatusSet',
  'ClientAttributeAdded',
  'ClientAttributeRemoved',
  'RelationshipsMerged',
];

/**
 * The CRM's status and attributes of each client, learnt from the crm topic (the clients service
 * never reads the CRM's collections), kept in `client_crm_labels` and in the search index, so
 * `GET /v1/clients?crmStatus=&attribute=` filters in memory like every other filter.
 */
@Injectable()
export class CrmLabels implements Projection, OnApplicationBootstrap {
  readonly name = 'crm-labels';
  readonly handles = LABEL_EVENTS;
  private readonly collection: Collection<CrmLabelDocument>;

  constructor(
    @Inject(MONGO_DB) db: Db,
    private readonly cards: ClientCards,
  ) {
    this.collection = db.collection<CrmLabelDocument>('client_crm_labels');
  }

  async onApplicationBootstrap(): Promise<void> {
    for await (const labels of this.collection.find({})) this.remember(labels);
  }

  async apply(envelope: EventEnvelope): Promise<void> {
    if (envelope.aggregateType !== CLIENT_RELATIONSHIP_AGGREGATE) return;
    const event = { type: envelope.type, data: envelope.data } as CrmEvent;
    const written: { labels?: CrmLabelFields } = {};
    const outcome = await applyOnce(
      this.collection,
      { tenantId: envelope.tenantId, aggregateId: envelope.aggregateId, version: envelope.aggregateVersion },
      (current) => {
        written.labels = labelsAfter(
          current
            ? { statusId: current.statusId, attributes: current.attributes }
            : { statusId: null, attributes: [] },
          event,
        );
        return written.labels;
      },
    );
    if (outcome === 'applied' && written.labels) {
      this.cards.rememberCrmLabels(envelope.tenantId, envelope.aggregateId, written.labels);
      return;
    }
    // Written before (by this instance before a redelivery, or another's projection): remember it.
    const stored = await this.collection.findOne({ _id: `${envelope.tenantId}:${envelope.aggregateId}` });
    if (stored) this.remember(stored);
  }

  private remember(labels: CrmLabelDocument): void {
    this.cards.rememberCrmLabels(labels.tenantId, labels.aggregateId, {
      statusId: labels.statusId,
      attributes: labels.attributes,
    });
  }
}
