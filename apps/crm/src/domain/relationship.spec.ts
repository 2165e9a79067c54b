import { CLIENT_RELATIONSHIP_AGGREGATE, type CrmEvent } from '@clientbook/contracts';
import { deciderSpec } from '@clientbook/testing';
import {
  Activity,
  decideRelationship,
  DEFAULT_DEFINITIONS,
  evolveRelationship,
  lastContactAt,
  MAX_NOTE,
  NEW_RELATIONSHIP,
  Relationship,
  RelationshipCommand,
  Writer,
} from './index';

const spec = deciderSpec<RelationshipCommand, CrmEvent, Relationship>({
  decide: (command, state) => decideRelationship(command, state, DEFAULT_DEFINITIONS),
  evolve: evolveRelationship,
  initialState: () => NEW_RELATIONSHIP,
  aggregateType: CLIENT_RELATIONSHIP_AGGREGATE,
});

const customer: CrmEvent = {
  type: 'ClientStatusSet',
  data: { statusId: 'customer', previousStatusId: null, comment: null },
};

describe('a client’s CRM status and attributes', () => {
  it('sets a status, remembering the one before and the comment', () => {
    spec
      .given([customer])
      .when({ type: 'SetStatus', data: { statusId: 'partner', comment: '  pasirašė sutartį ' } })
      .then([
        {
          type: 'ClientStatusSet',
          data: { statusId: 'partner', previousStatusId: 'customer', comment: 'pasirašė sutartį' },
        },
      ]);
  });

  it('clears the status with null, and records nothing when it is already what is asked', () => {
    spec
      .given([customer])
      .when({ type: 'SetStatus', data: { statusId: null } })
      .then([
        { type: 'ClientStatusSet', data: { statusId: null, previousStatusId: 'customer', comment: null } },
      ]);
    spec
      .given([customer])
      .when({ type: 'SetStatus', data: { statusId: 'customer' } })
      .then([]);
  });

  it('refuses a status the tenant does not have, or a comment that is not text, naming the fields', () => {
    spec
      .given([])
      .when({ type: 'SetStatus', data: { statusId: 'vip', comment: 42 } })
      .thenThrows('validation_failed', [
        { field: 'statusId', message: expect.stringContaining('no status vip') },
        { field: 'comment', message: expect.any(String) },
      ]);
    spec
      .given([])
      .when({ type: 'SetStatus', data: {} as { statusId: unknown } })
      .thenThrows('validation_failed');
  });

  it('adds and removes attributes idempotently', () => {
    const added: CrmEvent = { type: 'ClientAttributeAdded', data: { attributeId: 'customer' } };
    spec
      .given([])
      .when({ type: 'AddAttribute', data: { attributeId: 'customer' } })
      .then([added]);
    spec
      .given([added])
      .when({ type: 'AddAttribute', data: { attributeId: 'customer' } })
      .then([]);
    spec
      .given([added])
      .when({ type: 'RemoveAttribute', data: { attributeId: 'customer' } })
      .then([{ type: 'ClientAttributeRemoved', data: { attributeId: 'customer', because: 'removed' } }]);
    spec
      .given([])
      .when({ type: 'RemoveAttribute', data: { attributeId: 'customer' } })
      .then([]);
  });

  it('answers not_found for an attribute the tenant does not have', () => {
    spec
      .given([])
      .when({ type: 'AddAttribute', data: { attributeId: 'vip' } })
      .thenThrows('not_found');
  });
});

const ona: Writer = { actor: { kind: 'api_key', id: 'key-ona', role: 'user' }, isAdmin: false };
const jonas: Writer = { actor: { kind: 'api_key', id: 'key-jonas', role: 'user' }, isAdmin: false };
const boss: Writer = { actor: { kind: 'api_key', id: 'key-boss', role: 'admin' }, isAdmin: true };
const NOW = '2026-11-28T10:00:00.000Z';
const log = (body: Record<string, unknown>, writer = ona): RelationshipCommand => ({
  type: 'LogActivity',
  data: { activityId: 'a1', now: NOW, writer, body },
});
const called: CrmEvent = {
  type: 'ActivityLogged',
  data: {
    activity: {
      id: 'a1',
      type: 'call',
      occurredAt: NOW,
      author: ona.actor,
      fields: { direction: 'out', status: 'held', outcome: 'answered' },
    },
  },
};

describe('activities', () => {
  it('logs a call, held unless said otherwise, at the moment it is logged unless said otherwise', () => {
    spec
      .given([])
      .when(log({ type: 'call', direction: 'out', outcome: 'answered' }))
      .then([called]);
    const planned = spec
      .given([])
      .when(
        log({ type: 'call', direction: 'in', status: 'planned', occurredAt: '2026-12-01T09:00:00+02:00' }),
      )
      .thenState().activities.a1;
    expect(planned).toMatchObject({
      occurredAt: '2026-12-01T07:00:00.000Z', // kept in UTC, whatever offset it came with
      fields: { status: 'planned' },
      version: 1,
    });
  });

  it('refuses a day the calendar does not have', () => {
    spec
      .given([])
      .when(log({ type: 'meeting', startsAt: '2026-02-30T10:00:00Z' }))
      .thenThrows('validation_failed', [{ field: 'startsAt', message: expect.any(String) }]);
  });

  it('names every field that is wrong: a field of another type, a bad value, one missing, an unknown outcome', () => {
    spec
      .given([])
      .when(log({ type: 'call', direction: 'up', durationSeconds: 90_000, outcome: 'maybe', body: 'x' }))
      .thenThrows('validation_failed', [
        { field: 'direction', message: 'must be one of in, out' },
        { field: 'durationSeconds', message: 'must be a whole number from 0 to 86400' },
        { field: 'outcome', message: expect.stringContaining('call outcomes') },
        { field: 'body', message: 'a call has no such field' },
      ]);
    spec
      .given([])
      .when(log({ type: 'email', direction: 'in' }))
      .thenThrows('validation_failed', [{ field: 'subject', message: 'is required' }]);
    spec
      .given([])
      .when(log({ type: 'fax' }))
      .thenThrows('validation_failed', [{ field: 'type', message: expect.any(String) }]);
  });

  it('takes a note of up to 10,000 characters, not one more', () => {
    spec
      .given([])
      .when(log({ type: 'note', body: 'x'.repeat(MAX_NOTE) }))
      .thenState();
    spec
      .given([])
      .when(log({ type: 'note', body: 'x'.repeat(MAX_NOTE + 1) }))
      .thenThrows('validation_failed', [
        { field: 'body', message: 'must be a text of 1 to 10000 characters' },
      ]);
  });

  it('lets its author or an admin change it, records only what changed and the next version', () => {
    const edit = (
      writer: Writer,
      patch: Record<string, unknown>,
      ifMatch: number | null = null,
    ): RelationshipCommand => ({
      type: 'EditActivity',
      data: { activityId: 'a1', writer, ifMatch, patch },
    });
    spec
      .given([called])
      .when(edit(ona, { outcome: 'answered', summary: 'sutarta' }, 1))
      .then([
        { type: 'ActivityEdited', data: { activityId: 'a1', changes: { summary: 'sutarta' }, version: 2 } },
      ]);
    spec
      .given([called])
      .when(edit(boss, { durationSeconds: 60 }))
      .thenState();
    spec
      .given([called])
      .when(edit(jonas, { summary: 'ne mano' }))
      .thenThrows('forbidden');
    spec
      .given([called])
      .when(edit(ona, { summary: 'vėlu' }, 3))
      .thenThrows('version_conflict');
    spec
      .given([called])
      .when(edit(ona, { type: 'note' }))
      .thenThrows('validation_failed');
    const cleared = spec
      .given([called])
      .when(edit(ona, { outcome: null }))
      .thenState().activities.a1;
    expect(cleared.fields).toEqual({ direction: 'out', status: 'held' });
  });

  it('lets its author or an admin delete it (404 after)', () => {
    const remove = (writer: Writer): RelationshipCommand => ({
      type: 'DeleteActivity',
      data: { activityId: 'a1', writer, ifMatch: null },
    });
    spec.given([called]).when(remove(jonas)).thenThrows('forbidden');
    spec
      .given([called])
      .when(remove(boss))
      .then([{ type: 'ActivityDeleted', data: { activityId: 'a1' } }]);
    spec
      .given([called, { type: 'ActivityDeleted', data: { activityId: 'a1' } }])
      .when(remove(ona))
      .thenThrows('not_found');
  });

  it('says the last contact was the newest held call, meeting or e-mail', () => {
    const activity = (
      type: Activity['type'],
      occurredAt: string,
      fields: Activity['fields'] = {},
    ): Activity => ({
      id: occurredAt,
      type,
      occurredAt,
      author: ona.actor,
      fields,
      version: 1,
    });
    const now = '2026-11-28T12:00:00Z';
    expect(lastContactAt([], now)).toBeNull();
    expect(
      lastContactAt(
        [
          activity('call', '2026-11-01T10:00:00Z', { status: 'held' }),
          activity('call', '2026-11-20T10:00:00Z', { status: 'planned' }),
          activity('note', '2026-11-25T10:00:00Z'),
          activity('email', '2026-11-05T08:00:00.000Z'),
          // A meeting counts from when it starts, and one still to come is no contact yet.
          activity('meeting', '2026-11-02T10:00:00.000Z', { startsAt: '2026-11-10T10:00:00.000Z' }),
          activity('meeting', '2026-11-28T09:00:00.000Z', { startsAt: '2026-12-03T10:00:00.000Z' }),
        ],
        now,
      ),
    ).toBe('2026-11-10T10:00:00.000Z');
  });
});
