import { z } from 'zod';

/** The tenant's CRM vocabulary (statuses, attributes, call outcomes): one stream per tenant. */
export const CRM_DEFINITIONS_AGGREGATE = 'CrmDefinitions';
/** The stream id of a tenant's definitions (its key on the topic is `tenantId:definitions`). */
export const CRM_DEFINITIONS_ID = 'definitions';
/** What the company knows about its relationship with one client: one stream per client id. */
export const CLIENT_RELATIONSHIP_AGGREGATE = 'ClientRelationship';

const id = z.string().min(1).max(100);
const color = z.string().nullable();

export const CrmStatusSchema = z.object({
  id,
  name: z.string(),
  color,
  order: z.number().int(),
  /** A closed status ends the relationship (inactive, lost). */
  closed: z.boolean(),
});
export const CrmAttributeSchema = z.object({ id, name: z.string(), color });
export const CallOutcomeSchema = z.object({ id, name: z.string() });

export const ACTIVITY_TYPES = ['call', 'meeting', 'email', 'note'] as const;
/** Who wrote it: an API key (or the system), as an envelope's actor says. */
const author = z.object({
  kind: z.enum(['api_key', 'operator', 'system']),
  id: z.string(),
  role: z.enum(['admin', 'user', 'auditor']).optional(),
});

/** What happened with a client: a call, meeting, e-mail or note, with the fields of its type. */
export const ActivitySchema = z.object({
  id,
  type: z.enum(ACTIVITY_TYPES),
  occurredAt: z.string(),
  author,
  /** The type's fields (API.md "Activities"): direction, status, durationSeconds, outcome, … */
  fields: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
});

/** The `data` of each CRM event, as its current schema version says. */
export const CRM_EVENT_DATA = {
  StatusDefined: z.object({ status: CrmStatusSchema }),
  StatusUpdated: z.object({ statusId: id, changes: CrmStatusSchema.omit({ id: true }).partial() }),
  StatusRemoved: z.object({ statusId: id }),
  AttributeDefined: z.object({ attribute: CrmAttributeSchema }),
  AttributeUpdated: z.object({ attributeId: id, changes: CrmAttributeSchema.omit({ id: true }).partial() }),
  AttributeRemoved: z.object({ attributeId: id }),
  CallOutcomeDefined: z.object({ outcome: CallOutcomeSchema }),
  /** A client's status set (or cleared, `statusId: null`). */
  ClientStatusSet: z.object({
    statusId: id.nullable(),
    previousStatusId: id.nullable(),
    comment: z.string().nullable(),
  }),
  ClientAttributeAdded: z.object({ attributeId: id }),
  /** An attribute taken off a client: by a person, or because its definition was removed. */
  ClientAttributeRemoved: z.object({ attributeId: id, because: z.enum(['removed', 'definition_removed']) }),
  ActivityLogged: z.object({ activity: ActivitySchema }),
  /** An activity changed: only what changed, and the activity's version after it. */
  ActivityEdited: z.object({
    activityId: id,
    occurredAt: z.string().optional(),
    changes: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
    version: z.number().int().positive(),
  }),
  ActivityDeleted: z.object({ activityId: id }),
} as const;

export type CrmEventType = keyof typeof CRM_EVENT_DATA;

/** Every CRM event, derived from its schema. */
export type CrmEvent = {
  [K in CrmEventType]: Readonly<{ type: K; data: z.output<(typeof CRM_EVENT_DATA)[K]> }>;
}[CrmEventType];

export type CrmStatus = z.output<typeof CrmStatusSchema>;
export type CrmAttribute = z.output<typeof CrmAttributeSchema>;
export type CallOutcome = z.output<typeof CallOutcomeSchema>;
export type ActivityRecord = z.output<typeof ActivitySchema>;
