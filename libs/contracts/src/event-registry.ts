import { z } from 'zod';
import { CLIENT_EVENT_DATA } from './client-event-schemas';
import { CLIENT_AGGREGATE, ClientEvent } from './client-events';
import type { EventEnvelope } from './event-envelope';
import { IMPORT_AGGREGATE, IMPORT_EVENT_DATA } from './import-events';
import { CLIENT_RELATIONSHIP_AGGREGATE, CRM_DEFINITIONS_AGGREGATE, CRM_EVENT_DATA } from './crm-events';
import {
  KB_ARTICLE_AGGREGATE,
  KB_EVENT_DATA,
  KB_FEEDBACK_AGGREGATE,
  KB_FEEDBACK_EVENT_DATA,
  KB_MEDIA_AGGREGATE,
  KB_MEDIA_EVENT_DATA,
} from './kb-events';
import { INVOICE_AGGREGATE, INVOICE_EVENT_DATA } from './invoice-events';
import { Topics } from './topics';

/** The envelope every event travels in (ARCHITECTURE.md "Event sourcing rules"). */
export const EnvelopeSchema = z.object({
  eventId: z.string().min(1),
  type: z.string().min(1),
  schemaVersion: z.number().int().positive(),
  tenantId: z.string().min(1),
  aggregateType: z.string().min(1),
  aggregateId: z.string().min(1),
  aggregateVersion: z.number().int().positive(),
  occurredAt: z.string().min(1),
  actor: z.object({
    kind: z.enum(['api_key', 'operator', 'system']),
    id: z.string(),
    role: z.enum(['admin', 'user', 'auditor']).optional(),
  }),
  correlationId: z.string().min(1),
  causationId: z.string().nullable(),
  data: z.unknown(),
});

/**
 * One event type: the schema of each of its versions (`versions[0]` is version 1), and the
 * upcasters that turn version n into n + 1 (`upcasters[0]` turns 1 into 2).
 */
export type EventDefinition = Readonly<{
  type: string;
  aggregateType: string;
  topic: string;
  description: string;
  versions: readonly z.ZodType[];
  upcasters: readonly ((data: unknown) => unknown)[];
}>;

export type ParsedEvent =
  { readonly ok: true; readonly envelope: EventEnvelope } | { readonly ok: false; readonly reason: string };

/**
 * What each event type is, version by version, and how to read one at the edge: parse the
 * envelope, find its type (a Map: `constructor` or `__proto__` is just an unknown type), check its
 * data against its version's schema, upcast it to the latest version.
 */
export class EventRegistry {
  private readonly byType: ReadonlyMap<string, EventDefinition>;

  constructor(definitions: readonly EventDefinition[]) {
    for (const definition of definitions) {
      if (definition.upcasters.length !== definition.versions.length - 1)
        throw new Error(`${definition.type}: one upcaster per version after the first`);
    }
    this.byType = new Map(definitions.map((d) => [d.type, d]));
  }

  definitions(): readonly EventDefinition[] {
    return [...this.byType.values()];
  }

  has(type: string, aggregateType?: string): boolean {
    const definition = this.byType.get(type);
    return (
      definition !== undefined && (aggregateType === undefined || definition.aggregateType === aggregateType)
    );
  }

  latestVersion(type: string): number {
    const definition = this.byType.get(type);
    if (!definition) throw new Error(`unknown event type ${type}`);
    return definition.versions.length;
  }

  /** A message from Kafka (bytes, text or JSON) as an envelope at its type's latest version, or why not. */
  parse(raw: unknown): ParsedEvent {
    if (raw === null || raw === undefined) return { ok: false, reason: 'empty message' };
    let value: unknown = raw;
    if (typeof raw === 'string' || Buffer.isBuffer(raw)) {
      try {
        value = JSON.parse(raw.toString());
      } catch {
        return { ok: false, reason: 'not JSON' };
      }
    }
    const envelope = EnvelopeSchema.safeParse(value);
    if (!envelope.success) return { ok: false, reason: `not an event envelope: ${describe(envelope.error)}` };
    const { type, schemaVersion, aggregateType } = envelope.data;
    const definition = this.byType.get(type);
    if (!definition || definition.aggregateType !== aggregateType)
      return {
        ok: false,
        reason: `unknown event type ${JSON.stringify(type.slice(0, 80))} of ${aggregateType.slice(0, 80)}`,
      };
    const schema = definition.versions[schemaVersion - 1];
    if (!schema) return { ok: false, reason: `${type} has no schema version ${schemaVersion}` };
    const data = schema.safeParse(envelope.data.data);
    if (!data.success)
      return { ok: false, reason: `${type} v${schemaVersion} does not parse: ${describe(data.error)}` };
    let upcast: unknown = data.data;
    for (let version = schemaVersion; version < definition.versions.length; version += 1)
      upcast = definition.upcasters[version - 1](upcast);
    return {
      ok: true,
      envelope: {
        ...envelope.data,
        schemaVersion: definition.versions.length,
        data: upcast,
      } as EventEnvelope,
    };
  }

  /**
   * A service's own stored event at its type's latest version (its store holds only what its
   * decider wrote, so it is upcast, not checked again).
   */
  upcast(envelope: EventEnvelope): EventEnvelope {
    const definition = this.byType.get(envelope.type);
    if (!definition || envelope.schemaVersion >= definition.versions.length) return envelope;
    let data = envelope.data;
    for (let version = envelope.schemaVersion; version < definition.versions.length; version += 1)
      data = definition.upcasters[version - 1](data);
    return { ...envelope, schemaVersion: definition.versions.length, data };
  }
}

function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}

const DESCRIPTIONS: Readonly<Record<string, string>> = {
  ClientRegistered: 'A client card was created (the own company of a new tenant too).',
  ClientDetailsChanged: 'General fields of a card changed; `changes` holds the new values only.',
  AddressAdded: 'An address was added to a card.',
  AddressChanged: 'An address of a card changed (the whole address as it is now).',
  AddressRemoved: 'An address was removed from a card.',
  BankAccountAdded: 'A bank account was added to a card.',
  BankAccountChanged: 'A bank account of a card changed (the whole account as it is now).',
  BankAccountRemoved: 'A bank account was removed from a card.',
  ClientDeleted: 'A client was deleted (it had no operations).',
  OperationRecorded:
    'Something the books hold (a payment, an e-shop order, an invoice) now refers to the client.',
  ClientMergedInto: 'On each merged client: it now lives on in the survivor. Irreversible.',
  ClientsMerged: 'On the survivor: what it took over from the clients merged into it.',
  StatementLineMatched:
    'A bank statement line found (or made) its client: what accounting needs to post the payment.',
  StatementLineSkipped:
    'A bank statement line was not imported (already imported, no counterparty, or failed).',
  OrderMatched: 'An e-shop order found (or made) its client.',
  OrderSkipped: 'An e-shop order was not imported (already imported, or failed).',
  ImportCompleted: 'An import job is over: every line processed, or its file could not be read.',
  StatusDefined: 'A CRM status was added to the tenant’s list.',
  StatusUpdated: 'A CRM status was renamed, recoloured, reordered or closed.',
  StatusRemoved: 'A CRM status was removed from the tenant’s list (no client held it).',
  AttributeDefined: 'A CRM attribute (požymis) was added to the tenant’s list.',
  AttributeUpdated: 'A CRM attribute was renamed or recoloured.',
  AttributeRemoved: 'A CRM attribute was removed from the tenant’s list, and so from every client.',
  CallOutcomeDefined: 'A call outcome was added to the tenant’s list.',
  ClientStatusSet: 'A client’s CRM status was set, or cleared.',
  ClientAttributeAdded: 'A client was given a CRM attribute.',
  ClientAttributeRemoved: 'A CRM attribute was taken off a client.',
  ActivityLogged: 'A call, meeting, e-mail or note with a client was recorded.',
  ActivityEdited: 'An activity was changed (only what changed, and its version after).',
  ActivityDeleted: 'An activity was deleted.',
  ReviewWritten: 'A review (text, optional rating 1–5) of a client was written.',
  ReviewEdited: 'A review was changed (only what changed, its version after, and when).',
  ReviewDeleted: 'A review was deleted.',
  TaskCreated: 'A follow-up task with a client was created (open).',
  TaskChanged: 'A task was changed, done, cancelled or opened again (only what changed).',
  RelationshipMergedInto:
    'On a merged client: its CRM relationship went to the survivor; nothing more is written on it.',
  RelationshipAdopted:
    'On the survivor of a merge: what one merged client held (activities, reviews, tasks, history), moved here.',
  ArticleCreated: 'A knowledge-base article was written (a draft), or loaded from the product’s own help.',
  ArticleEdited: 'An article’s working copy changed (only what changed); live once published again.',
  ArticlePublished: 'An article’s working copy was published: everyone reads it now (its n-th version).',
  ArticleUnpublished: 'An article was taken out of the help centre (its working copy stays).',
  ArticleDeleted: 'An article was deleted.',
  MediaUploaded:
    'An image for lesson steps was stored (PNG, JPEG or WebP; its id is the SHA-256 of its bytes).',
  FeedbackGiven:
    'A tenant key said whether an article helped (its second vote replaces its first), maybe with a comment.',
  InvoiceRecorded:
    'An invoice issued to a client was recorded, with the seller and buyer as they were when it was issued.',
  InvoiceCancelled: 'An invoice was cancelled: kept, still printable, marked cancelled.',
  InvoiceReassigned:
    'A merge moved an invoice to the surviving client; what it printed (its buyer) does not change.',
  RelationshipsMerged:
    'On the survivor of a merge: the merge itself, the attributes it gained and the status it took.',
};

const pick = (data: Readonly<Record<string, z.ZodType>>, types: readonly string[]) =>
  Object.fromEntries(Object.entries(data).filter(([type]) => types.includes(type)));
const RELATIONSHIP_EVENTS = [
  'ClientStatusSet',
  'ClientAttributeAdded',
  'ClientAttributeRemoved',
  'ActivityLogged',
  'ActivityEdited',
  'ActivityDeleted',
  'ReviewWritten',
  'ReviewEdited',
  'ReviewDeleted',
  'TaskCreated',
  'TaskChanged',
  'RelationshipMergedInto',
  'RelationshipAdopted',
  'RelationshipsMerged',
];

const version1 = (
  data: Readonly<Record<string, z.ZodType>>,
  aggregateType: string,
  topic: string,
): EventDefinition[] =>
  Object.entries(data).map(([type, schema]) => ({
    type,
    aggregateType,
    topic,
    description: DESCRIPTIONS[type] ?? '',
    versions: [schema],
    upcasters: [],
  }));

/** Every event of the system, by the topic it is published on (names without a deployment prefix). */
export const EVENTS = new EventRegistry([
  ...version1(CLIENT_EVENT_DATA, CLIENT_AGGREGATE, Topics.clients),
  ...version1(IMPORT_EVENT_DATA, IMPORT_AGGREGATE, Topics.imports),
  ...version1(
    pick(
      CRM_EVENT_DATA,
      Object.keys(CRM_EVENT_DATA).filter((t) => !RELATIONSHIP_EVENTS.includes(t)),
    ),
    CRM_DEFINITIONS_AGGREGATE,
    Topics.crm,
  ),
  ...version1(pick(CRM_EVENT_DATA, RELATIONSHIP_EVENTS), CLIENT_RELATIONSHIP_AGGREGATE, Topics.crm),
  ...version1(KB_EVENT_DATA, KB_ARTICLE_AGGREGATE, Topics.knowledgeBase),
  ...version1(KB_FEEDBACK_EVENT_DATA, KB_FEEDBACK_AGGREGATE, Topics.knowledgeBase),
  ...version1(KB_MEDIA_EVENT_DATA, KB_MEDIA_AGGREGATE, Topics.knowledgeBase),
  ...version1(INVOICE_EVENT_DATA, INVOICE_AGGREGATE, Topics.invoices),
]);

/** Events as an event store takes them: each with its type's current schema version. */
export function atCurrentVersions(
  events: readonly Readonly<{ type: string; data: unknown }>[],
): { type: string; schemaVersion: number; data: unknown }[] {
  return events.map((event) => ({
    type: event.type,
    schemaVersion: EVENTS.latestVersion(event.type),
    data: event.data,
  }));
}

/** An envelope of the Client aggregate narrowed to the union member its `type` names, or null. */
export function toClientEvent(envelope: EventEnvelope): ClientEvent | null {
  if (!EVENTS.has(envelope.type, CLIENT_AGGREGATE)) return null;
  const current = EVENTS.upcast(envelope);
  return { type: current.type, data: current.data } as ClientEvent;
}
