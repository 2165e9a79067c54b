import type { CrmEvent } from '@clientbook/contracts';
import { Activity, checkActivityFields, isActivityType, mayChange, Writer } from './activities';
import { CrmError } from './crm-error';
import type { Definitions } from './definitions';

/** What the company holds about one client in the CRM: its status and its attributes. */
export type Relationship = Readonly<{
  statusId: string | null;
  attributes: readonly string[];
  /** The client's activities by id (deleted ones are gone). */
  activities: Readonly<Record<string, Activity>>;
}>;

export const NEW_RELATIONSHIP: Relationship = { statusId: null, attributes: [], activities: {} };

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
  | { type: 'DeleteActivity'; data: { activityId: string; writer: Writer; ifMatch: number | null } };

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
    default:
      return state;
  }
}

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
      const activity = changeable(state, activityId, writer, ifMatch);
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
      changeable(state, activityId, writer, ifMatch);
      return [{ type: 'ActivityDeleted', data: { activityId } }];
    }
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${JSON.stringify(unknown)}`);
    }
  }
}

const outcomeIds = (definitions: Definitions) => definitions.callOutcomes.map((o) => o.id);

/** The activity a writer may change: 404 when there is none, 403 for another's, 412 on another version. */
function changeable(
  state: Relationship,
  activityId: string,
  writer: Writer,
  ifMatch: number | null,
): Activity {
  const activity = state.activities[activityId];
  if (!activity) throw new CrmError('not_found', 'no such activity');
  if (!mayChange(activity, writer))
    throw new CrmError('forbidden', 'only its author or an admin may change an activity');
  if (ifMatch !== null && ifMatch !== activity.version)
    throw new CrmError('version_conflict', `the activity is at version ${activity.version}, not ${ifMatch}`);
  return activity;
}
