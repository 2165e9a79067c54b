import type { CrmEvent } from '@clientbook/contracts';
import { CrmError } from './crm-error';
import type { Definitions } from './definitions';

/** What the company holds about one client in the CRM: its status and its attributes. */
export type Relationship = Readonly<{
  statusId: string | null;
  attributes: readonly string[];
}>;

export const NEW_RELATIONSHIP: Relationship = { statusId: null, attributes: [] };

export type RelationshipCommand =
  | { type: 'SetStatus'; data: { statusId: unknown; comment?: unknown } }
  | { type: 'AddAttribute'; data: { attributeId: string } }
  | { type: 'RemoveAttribute'; data: { attributeId: string; because?: 'removed' | 'definition_removed' } };

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
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${JSON.stringify(unknown)}`);
    }
  }
}
