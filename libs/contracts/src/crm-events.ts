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

/** A review (atsiliepimas) of the client: its text, an optional rating 1–5, who wrote it when. */
export const ReviewSchema = z.object({
  id,
  text: z.string(),
  rating: z.number().int().min(1).max(5).nullable(),
  author,
  createdAt: z.string(),
});

export const TASK_PRIORITIES = ['low', 'normal', 'high'] as const;
export const TASK_STATUSES = ['open', 'done', 'cancelled'] as const;
/** A follow-up with the client, as created. */
export const TaskSchema = z.object({
  id,
  title: z.string(),
  dueAt: z.string(),
  assignee: z.string().nullable(),
  priority: z.enum(TASK_PRIORITIES),
  notes: z.string().nullable(),
  author,
  createdAt: z.string(),
});
const taskChanges = z
  .object({
    title: z.string(),
    dueAt: z.string(),
    assignee: z.string().nullable(),
    priority: z.enum(TASK_PRIORITIES),
    notes: z.string().nullable(),
    status: z.enum(TASK_STATUSES),
    completedAt: z.string().nullable(),
  })
  .partial();

/** What a merged client held, as it moves to the survivor (each item keeps where it came from). */
const movedStamp = {
  originalClientId: id,
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number(),
};
export const MovedActivitySchema = ActivitySchema.extend(movedStamp);
export const MovedReviewSchema = ReviewSchema.extend(movedStamp);
export const MovedTaskSchema = TaskSchema.extend({
  ...movedStamp,
  status: z.enum(TASK_STATUSES),
  completedAt: z.string().nullable(),
  /** How many merges it has moved through: orders its copies in read models. */
  moves: z.number().int().nonnegative(),
});
/** A timeline entry of a merged client (a status or attribute change, a merge, a task's end). */
export const MovedHistoryEntrySchema = z.object({
  id,
  kind: z.string(),
  occurredAt: z.string(),
  author,
  originalClientId: id,
  data: z.record(z.string(), z.unknown()),
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
  ReviewWritten: z.object({ review: ReviewSchema }),
  /** A review changed: only what changed, the review's version after it, and when. */
  ReviewEdited: z.object({
    reviewId: id,
    changes: z.object({ text: z.string(), rating: z.number().int().min(1).max(5).nullable() }).partial(),
    version: z.number().int().positive(),
    at: z.string(),
  }),
  ReviewDeleted: z.object({ reviewId: id }),
  TaskCreated: z.object({ task: TaskSchema }),
  /** A task changed (done or cancelled sets `completedAt`; open again clears it). */
  TaskChanged: z.object({
    taskId: id,
    changes: taskChanges,
    version: z.number().int().positive(),
    at: z.string(),
  }),
  /** On a merged client: its relationship went to the survivor; nothing more is written here. */
  RelationshipMergedInto: z.object({ mergeId: id, survivorId: id }),
  /** On the survivor: what one merged client held, moved here (activities, reviews, tasks, history). */
  RelationshipAdopted: z.object({
    mergeId: id,
    fromClientId: id,
    activities: z.array(MovedActivitySchema),
    reviews: z.array(MovedReviewSchema),
    tasks: z.array(MovedTaskSchema),
    history: z.array(MovedHistoryEntrySchema),
  }),
  /**
   * On the survivor: the merge itself (its timeline entry). Attributes are united; the status is
   * the survivor's own, else the first merged client's that had one (in `mergedIds` order).
   */
  RelationshipsMerged: z.object({
    mergeId: id,
    mergedIds: z.array(id),
    statusId: id.nullable(),
    addedAttributes: z.array(id),
  }),
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
export type ReviewRecord = z.output<typeof ReviewSchema>;
export type TaskRecord = z.output<typeof TaskSchema>;
export type TaskPriority = (typeof TASK_PRIORITIES)[number];
export type TaskStatus = (typeof TASK_STATUSES)[number];
export type MovedActivity = z.output<typeof MovedActivitySchema>;
export type MovedReview = z.output<typeof MovedReviewSchema>;
export type MovedTask = z.output<typeof MovedTaskSchema>;
export type MovedHistoryEntry = z.output<typeof MovedHistoryEntrySchema>;
