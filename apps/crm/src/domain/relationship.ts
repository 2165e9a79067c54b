import type { CrmEvent, MovedHistoryEntry } from '@clientbook/contracts';
import { Activity, checkActivityFields, isActivityType, mayChange, Writer } from './activities';
import { CrmError } from './crm-error';
import type { Definitions } from './definitions';
import { checkReviewFields, Review } from './reviews';
import { checkTaskFields, Task } from './tasks';

/**
 * What the company holds about one client in the CRM: its status, attributes, activities, reviews
 * and tasks; after merges, what the merged clients held and their history; once merged itself,
 * into whom (and nothing more is written on it).
 */
export type Relationship = Readonly<{
  statusId: string | null;
  attributes: readonly string[];
  /** The client's activities by id (deleted ones are gone). */
  activities: Readonly<Record<string, Activity>>;
  reviews: Readonly<Record<string, Review>>;
  tasks: Readonly<Record<string, Task>>;
  /** Timeline entries of clients merged into this one, as they happened there. */
  history: readonly MovedHistoryEntry[];
  /** The merges this client survived (each is taken in once). */
  merges: readonly string[];
  mergedInto: Readonly<{ survivorId: string; mergeId: string }> | null;
}>;

export const NEW_RELATIONSHIP: Relationship = {
  statusId: null,
  attributes: [],
  activities: {},
  reviews: {},
  tasks: {},
  history: [],
  merges: [],
  mergedInto: null,
};

/** When each of a merged client's activities was recorded and last changed. */
export type ActivityStamps = Readonly<Record<string, { createdAt: string; updatedAt: string }>>;

/** A merged client's relationship as a merge takes it in: its state, its history, its stamps. */
export type MergedRelationship = Readonly<{
  clientId: string;
  relationship: Relationship;
  history: readonly MovedHistoryEntry[];
  stamps: ActivityStamps;
}>;

export type RelationshipCommand =
  | { type: 'SetStatus'; data: { statusId: unknown; comment?: unknown } }
  | { type: 'AddAttribute'; data: { attributeId: string } }
  | { type: 'RemoveAttribute'; data: { attributeId: string; because?: 'removed' | 'definition_removed' } }
  | {
      type: 'LogActivity';
      data: { activityId: string; now: string; writer: Writer; body: Readonly<Record<string, unknown>> };
    }
  | {
      type: 'EditActivity';
      data: {
        activityId: string;
        writer: Writer;
        ifMatch: number | null;
        patch: Readonly<Record<string, unknown>>;
      };
    }
  | { type: 'DeleteActivity'; data: { activityId: string; writer: Writer; ifMatch: number | null } }
  | {
      type: 'WriteReview';
      data: { reviewId: string; now: string; writer: Writer; body: Readonly<Record<string, unknown>> };
    }
  | {
      type: 'EditReview';
      data: ItemChange & { reviewId: string };
    }
  | { type: 'DeleteReview'; data: { reviewId: string; writer: Writer; ifMatch: number | null } }
  | {
      type: 'CreateTask';
      data: { taskId: string; now: string; writer: Writer; body: Readonly<Record<string, unknown>> };
    }
  | { type: 'ChangeTask'; data: ItemChange & { taskId: string } }
  /** A merged client's relationship is closed: it went to the survivor. */
  | { type: 'SealForMerge'; data: { mergeId: string; survivorId: string } }
  /** The survivor takes in what the merged clients held (once per merge). */
  | {
      type: 'TakeInMerged';
      data: { mergeId: string; mergedIds: readonly string[]; merged: readonly MergedRelationship[] };
    };

type ItemChange = {
  now: string;
  writer: Writer;
  ifMatch: number | null;
  patch: Readonly<Record<string, unknown>>;
};

/** Folds one event onto a client's relationship. */
export function evolveRelationship(state: Relationship, event: CrmEvent): Relationship {
  switch (event.type) {
    case 'ClientStatusSet':
      return { ...state, statusId: event.data.statusId };
    case 'ClientAttributeAdded':
      return state.attributes.includes(event.data.attributeId)
        ? state
        : { ...state, attributes: [...state.attributes, event.data.attributeId] };
    case 'ClientAttributeRemoved':
      return { ...state, attributes: state.attributes.filter((a) => a !== event.data.attributeId) };
    case 'ActivityLogged':
      return {
        ...state,
        activities: { ...state.activities, [event.data.activity.id]: { ...event.data.activity, version: 1 } },
      };
    case 'ActivityEdited': {
      const current = state.activities[event.data.activityId];
      if (!current) return state;
      const edited: Activity = {
        ...current,
        occurredAt: event.data.occurredAt ?? current.occurredAt,
        fields: Object.fromEntries(
          Object.entries({ ...current.fields, ...event.data.changes }).filter(([, value]) => value !== null),
        ),
        version: event.data.version,
      };
      return { ...state, activities: { ...state.activities, [edited.id]: edited } };
    }
    case 'ActivityDeleted': {
      const { [event.data.activityId]: _gone, ...rest } = state.activities;
      return { ...state, activities: rest };
    }
    case 'ReviewWritten': {
      const { review } = event.data;
      return {
        ...state,
        reviews: { ...state.reviews, [review.id]: { ...review, updatedAt: review.createdAt, version: 1 } },
      };
    }
    case 'ReviewEdited': {
      const current = state.reviews[event.data.reviewId];
      if (!current) return state;
      const edited: Review = {
        ...current,
        ...event.data.changes,
        updatedAt: event.data.at,
        version: event.data.version,
      };
      return { ...state, reviews: { ...state.reviews, [edited.id]: edited } };
    }
    case 'ReviewDeleted': {
      const { [event.data.reviewId]: _gone, ...rest } = state.reviews;
      return { ...state, reviews: rest };
    }
    case 'TaskCreated': {
      const { task } = event.data;
      return {
        ...state,
        tasks: {
          ...state.tasks,
          [task.id]: {
            ...task,
            status: 'open',
            completedAt: null,
            updatedAt: task.createdAt,
            version: 1,
            moves: 0,
          },
        },
      };
    }
    case 'TaskChanged': {
      const current = state.tasks[event.data.taskId];
      if (!current) return state;
      const changed: Task = {
        ...current,
        ...event.data.changes,
        updatedAt: event.data.at,
        version: event.data.version,
      };
      return { ...state, tasks: { ...state.tasks, [changed.id]: changed } };
    }
    case 'RelationshipMergedInto':
      return { ...state, mergedInto: { survivorId: event.data.survivorId, mergeId: event.data.mergeId } };
    case 'RelationshipAdopted': {
      const { activities, reviews, tasks, history } = event.data;
      return {
        ...state,
        activities: { ...state.activities, ...byId(activities) },
        reviews: { ...state.reviews, ...byId(reviews) },
        tasks: { ...state.tasks, ...byId(tasks) },
        history: [...state.history, ...history],
      };
    }
    case 'RelationshipsMerged':
      return {
        ...state,
        statusId: event.data.statusId ?? state.statusId,
        attributes: [
          ...state.attributes,
          ...event.data.addedAttributes.filter((a) => !state.attributes.includes(a)),
        ],
        merges: [...state.merges, event.data.mergeId],
      };
    default:
      return state;
  }
}

const byId = <T extends { id: string }>(items: readonly T[]): Record<string, T> =>
  Object.fromEntries(items.map((item) => [item.id, item]));

const MAX_COMMENT = 1_000;

/**
 * decide: a change of one client's relationship → its events, or a CrmError. Pure; the tenant's
 * definitions come with it. Setting what is already set, adding an attribute the client has or
 * removing one it has not changes nothing (no event).
 */
export function decideRelationship(
  command: RelationshipCommand,
  state: Relationship,
  definitions: Definitions,
): CrmEvent[] {
  if (state.mergedInto && command.type !== 'SealForMerge' && command.type !== 'TakeInMerged')
    throw CrmError.merged(state.mergedInto.survivorId);
  switch (command.type) {
    case 'SetStatus': {
      const { statusId, comment } = command.data;
      const errors = [];
      if (statusId !== null && typeof statusId !== 'string')
        errors.push({
          field: 'statusId',
          message: 'must be the id of one of the tenant’s statuses, or null',
        });
      else if (statusId !== null && !definitions.statuses.some((s) => s.id === statusId))
        errors.push({ field: 'statusId', message: `no status ${statusId}: GET /v1/crm/statuses lists them` });
      if (
        comment !== undefined &&
        comment !== null &&
        (typeof comment !== 'string' || comment.length > MAX_COMMENT)
      )
        errors.push({ field: 'comment', message: `must be a text of at most ${MAX_COMMENT} characters` });
      if (errors.length) throw CrmError.validation(errors);
      if (statusId === state.statusId) return [];
      return [
        {
          type: 'ClientStatusSet',
          data: {
            statusId: statusId as string | null,
            previousStatusId: state.statusId,
            comment: typeof comment === 'string' && comment.trim() ? comment.trim() : null,
          },
        },
      ];
    }
    case 'AddAttribute': {
      const { attributeId } = command.data;
      if (!definitions.attributes.some((a) => a.id === attributeId))
        throw new CrmError('not_found', `no attribute ${attributeId}: GET /v1/crm/attributes lists them`);
      return state.attributes.includes(attributeId)
        ? []
        : [{ type: 'ClientAttributeAdded', data: { attributeId } }];
    }
    case 'RemoveAttribute': {
      const { attributeId, because = 'removed' } = command.data;
      return state.attributes.includes(attributeId)
        ? [{ type: 'ClientAttributeRemoved', data: { attributeId, because } }]
        : [];
    }
    case 'LogActivity': {
      const { activityId, now, writer, body } = command.data;
      if (!isActivityType(body.type))
        throw CrmError.validation([{ field: 'type', message: 'must be one of call, meeting, email, note' }]);
      const checked = checkActivityFields(body.type, body, { callOutcomes: outcomeIds(definitions) }, false);
      if (body.type === 'call' && checked.fields.status === undefined) checked.fields.status = 'held';
      return [
        {
          type: 'ActivityLogged',
          data: {
            activity: {
              id: activityId,
              type: body.type,
              occurredAt: checked.occurredAt ?? now,
              author: writer.actor,
              fields: checked.fields,
            },
          },
        },
      ];
    }
    case 'EditActivity': {
      const { activityId, writer, ifMatch, patch } = command.data;
      const activity = changeable('activity', state.activities[activityId], writer, ifMatch);
      if (patch.type !== undefined && patch.type !== activity.type)
        throw CrmError.validation([{ field: 'type', message: 'an activity’s type does not change' }]);
      const checked = checkActivityFields(
        activity.type,
        patch,
        { callOutcomes: outcomeIds(definitions) },
        true,
      );
      const changes = Object.fromEntries(
        Object.entries(checked.fields).filter(([field, value]) => (activity.fields[field] ?? null) !== value),
      );
      const moved = checked.occurredAt !== undefined && checked.occurredAt !== activity.occurredAt;
      if (Object.keys(changes).length === 0 && !moved) return [];
      return [
        {
          type: 'ActivityEdited',
          data: {
            activityId,
            ...(moved ? { occurredAt: checked.occurredAt } : {}),
            changes,
            version: activity.version + 1,
          },
        },
      ];
    }
    case 'DeleteActivity': {
      const { activityId, writer, ifMatch } = command.data;
      changeable('activity', state.activities[activityId], writer, ifMatch);
      return [{ type: 'ActivityDeleted', data: { activityId } }];
    }
    case 'WriteReview': {
      const { reviewId, now, writer, body } = command.data;
      const checked = checkReviewFields(body, false);
      return [
        {
          type: 'ReviewWritten',
          data: {
            review: {
              id: reviewId,
              text: checked.text as string,
              rating: checked.rating ?? null,
              author: writer.actor,
              createdAt: now,
            },
          },
        },
      ];
    }
    case 'EditReview': {
      const { reviewId, now, writer, ifMatch, patch } = command.data;
      const review = changeable('review', state.reviews[reviewId], writer, ifMatch);
      const checked = checkReviewFields(patch, true);
      const changes = unchanged(checked, review);
      if (Object.keys(changes).length === 0) return [];
      return [{ type: 'ReviewEdited', data: { reviewId, changes, version: review.version + 1, at: now } }];
    }
    case 'DeleteReview': {
      const { reviewId, writer, ifMatch } = command.data;
      changeable('review', state.reviews[reviewId], writer, ifMatch);
      return [{ type: 'ReviewDeleted', data: { reviewId } }];
    }
    case 'CreateTask': {
      const { taskId, now, writer, body } = command.data;
      const checked = checkTaskFields(body, false);
      return [
        {
          type: 'TaskCreated',
          data: {
            task: {
              id: taskId,
              title: checked.title as string,
              dueAt: checked.dueAt as string,
              assignee: (checked.assignee as string | undefined) ?? null,
              priority: (checked.priority as Task['priority'] | undefined) ?? 'normal',
              notes: (checked.notes as string | undefined) ?? null,
              author: writer.actor,
              createdAt: now,
            },
          },
        },
      ];
    }
    case 'ChangeTask': {
      const { taskId, now, ifMatch, patch } = command.data;
      const task = state.tasks[taskId];
      if (!task) throw new CrmError('not_found', 'no such task');
      if (ifMatch !== null && ifMatch !== task.version)
        throw new CrmError('version_conflict', `the task is at version ${task.version}, not ${ifMatch}`);
      const changes: Record<string, unknown> = unchanged(checkTaskFields(patch, true), task);
      if (changes.status !== undefined) changes.completedAt = changes.status === 'open' ? null : now;
      if (Object.keys(changes).length === 0) return [];
      return [{ type: 'TaskChanged', data: { taskId, changes, version: task.version + 1, at: now } }];
    }
    case 'SealForMerge': {
      const { mergeId, survivorId } = command.data;
      if (state.mergedInto) return [];
      return [{ type: 'RelationshipMergedInto', data: { mergeId, survivorId } }];
    }
    case 'TakeInMerged':
      return takeInMerged(command.data, state, definitions);
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${JSON.stringify(unknown)}`);
    }
  }
}

const outcomeIds = (definitions: Definitions) => definitions.callOutcomes.map((o) => o.id);

/** The item a writer may change: 404 when there is none, 403 for another's, 412 on another version. */
function changeable<T extends { author: Writer['actor']; version: number }>(
  what: 'activity' | 'review',
  item: T | undefined,
  writer: Writer,
  ifMatch: number | null,
): T {
  if (!item) throw new CrmError('not_found', `no such ${what}`);
  if (!mayChange(item, writer))
    throw new CrmError('forbidden', `only its author or an admin may change a ${what}`);
  if (ifMatch !== null && ifMatch !== item.version)
    throw new CrmError('version_conflict', `the ${what} is at version ${item.version}, not ${ifMatch}`);
  return item;
}

/** The fields of a change that differ from what the item holds. */
function unchanged(changes: Readonly<Record<string, unknown>>, item: object): Record<string, never> {
  const held = item as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(changes).filter(([field, value]) => (held[field] ?? null) !== value),
  ) as Record<string, never>;
}

/**
 * The survivor takes in what each merged client held — each item keeps the client it came from —
 * and the merge is recorded once: attributes united; the status its own, else the first merged
 * client's that has one still defined (in the merge's order). A merge taken in already changes nothing.
 */
function takeInMerged(
  { mergeId, mergedIds, merged }: Extract<RelationshipCommand, { type: 'TakeInMerged' }>['data'],
  state: Relationship,
  definitions: Definitions,
): CrmEvent[] {
  if (state.merges.includes(mergeId)) return [];
  const events: CrmEvent[] = [];
  for (const { clientId, relationship, history, stamps } of merged) {
    const from = <T extends { originalClientId?: string }>(item: T) => ({
      ...item,
      originalClientId: item.originalClientId ?? clientId,
    });
    const activities = Object.values(relationship.activities).map((activity) =>
      from({
        ...activity,
        createdAt: activity.createdAt ?? stamps[activity.id]?.createdAt ?? activity.occurredAt,
        updatedAt: stamps[activity.id]?.updatedAt ?? activity.updatedAt ?? activity.occurredAt,
      }),
    );
    const reviews = Object.values(relationship.reviews).map(from);
    const tasks = Object.values(relationship.tasks).map((task) => from({ ...task, moves: task.moves + 1 }));
    if (activities.length + reviews.length + tasks.length + history.length === 0) continue;
    events.push({
      type: 'RelationshipAdopted',
      data: {
        mergeId,
        fromClientId: clientId,
        activities,
        reviews,
        tasks,
        history: [...history],
      },
    });
  }
  const byClient = new Map(merged.map((m) => [m.clientId, m.relationship]));
  const defined = (statusId: string | null) =>
    statusId !== null && definitions.statuses.some((s) => s.id === statusId);
  const inherited = state.statusId
    ? null
    : (mergedIds.map((id) => byClient.get(id)?.statusId ?? null).find(defined) ?? null);
  const addedAttributes = [...new Set(mergedIds.flatMap((id) => byClient.get(id)?.attributes ?? []))].filter(
    (a) => !state.attributes.includes(a) && definitions.attributes.some((d) => d.id === a),
  );
  events.push({
    type: 'RelationshipsMerged',
    data: { mergeId, mergedIds: [...mergedIds], statusId: inherited, addedAttributes },
  });
  return events;
}
