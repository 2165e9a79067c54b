import { CLIENT_RELATIONSHIP_AGGREGATE, type CrmEvent } from '@clientbook/contracts';
import { deciderSpec } from '@clientbook/testing';
import {
  Activity,
  decideRelationship,
  DEFAULT_DEFINITIONS,
  evolveRelationship,
  lastContactAt,
  MAX_NOTE,
  NEW_RECORD,
  NEW_RELATIONSHIP,
  recordEvent,
  ratingOf,
  Relationship,
  isOverdue,
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

describe('reviews', () => {
  const write = (body: Record<string, unknown>, writer = ona): RelationshipCommand => ({
    type: 'WriteReview',
    data: { reviewId: 'r1', now: NOW, writer, body },
  });
  const written: CrmEvent = {
    type: 'ReviewWritten',
    data: { review: { id: 'r1', text: 'Puikus', rating: 5, author: ona.actor, createdAt: NOW } },
  };
  const edit = (
    writer: Writer,
    patch: Record<string, unknown>,
    ifMatch: number | null = null,
  ): RelationshipCommand => ({
    type: 'EditReview',
    data: { reviewId: 'r1', now: '2026-11-29T10:00:00.000Z', writer, ifMatch, patch },
  });

  it('writes a review with an optional rating 1–5, and names every wrong field', () => {
    spec
      .given([])
      .when(write({ text: ' Puikus ', rating: 5 }))
      .then([written]);
    spec
      .given([])
      .when(write({ text: '', rating: 6, stars: 1 }))
      .thenThrows('validation_failed', [
        { field: 'text', message: expect.any(String) },
        { field: 'rating', message: 'must be a whole number from 1 to 5' },
        { field: 'stars', message: 'a review has no such field' },
      ]);
    spec
      .given([])
      .when(write({ rating: 3 }))
      .thenThrows('validation_failed', [{ field: 'text', message: 'is required' }]);
  });

  it('is changed by its author or an admin, at the version asked, and null clears the rating', () => {
    spec
      .given([written])
      .when(edit(ona, { rating: null }, 1))
      .then([
        {
          type: 'ReviewEdited',
          data: { reviewId: 'r1', changes: { rating: null }, version: 2, at: '2026-11-29T10:00:00.000Z' },
        },
      ]);
    spec
      .given([written])
      .when(edit(boss, { text: 'Geras' }))
      .then([expect.objectContaining({ type: 'ReviewEdited' })]);
    spec
      .given([written])
      .when(edit(jonas, { text: 'ne mano' }))
      .thenThrows('forbidden');
    spec
      .given([written])
      .when(edit(ona, { text: 'vėlu' }, 2))
      .thenThrows('version_conflict');
    spec
      .given([written])
      .when(edit(ona, { text: null }))
      .thenThrows('validation_failed');
    spec
      .given([written])
      .when(edit(ona, { text: 'Puikus', rating: 5 }))
      .then([]);
    const remove = (writer: Writer): RelationshipCommand => ({
      type: 'DeleteReview',
      data: { reviewId: 'r1', writer, ifMatch: null },
    });
    spec.given([written]).when(remove(jonas)).thenThrows('forbidden');
    expect(spec.given([written]).when(remove(boss)).thenState().reviews).toEqual({});
  });

  it('averages the ratings given, to one decimal', () => {
    const review = (rating: number | null) => ({
      id: String(rating),
      text: 't',
      rating,
      author: ona.actor,
      createdAt: NOW,
      updatedAt: NOW,
      version: 1,
    });
    expect(ratingOf([])).toEqual({ average: null, count: 0 });
    expect(ratingOf([review(5), review(4), review(4), review(null)])).toEqual({ average: 4.3, count: 3 });
  });
});

describe('tasks', () => {
  const create = (body: Record<string, unknown>): RelationshipCommand => ({
    type: 'CreateTask',
    data: { taskId: 't1', now: NOW, writer: ona, body },
  });
  const created: CrmEvent = {
    type: 'TaskCreated',
    data: {
      task: {
        id: 't1',
        title: 'Paskambinti dėl sutarties',
        dueAt: '2026-12-01T08:00:00.000Z',
        assignee: null,
        priority: 'normal',
        notes: null,
        author: ona.actor,
        createdAt: NOW,
      },
    },
  };
  const change = (
    patch: Record<string, unknown>,
    ifMatch: number | null = null,
    writer = jonas,
  ): RelationshipCommand => ({
    type: 'ChangeTask',
    data: { taskId: 't1', now: '2026-12-02T09:00:00.000Z', writer, ifMatch, patch },
  });

  it('creates an open task, normal priority unless said, due in UTC; every wrong field named', () => {
    spec
      .given([])
      .when(create({ title: 'Paskambinti dėl sutarties', dueAt: '2026-12-01T10:00:00+02:00' }))
      .then([created]);
    spec
      .given([])
      .when(create({ title: '', dueAt: '2026-02-30T10:00Z', priority: 'urgent', status: 'done' }))
      .thenThrows('validation_failed', [
        { field: 'title', message: expect.any(String) },
        { field: 'dueAt', message: expect.any(String) },
        { field: 'priority', message: 'must be one of low, normal, high' },
        { field: 'status', message: 'a task has no such field' },
      ]);
  });

  it('is done or cancelled by any writer, which sets completedAt; opened again clears it', () => {
    const done = spec.given([created]).when(change({ status: 'done' }, 1));
    done.then([
      {
        type: 'TaskChanged',
        data: {
          taskId: 't1',
          changes: { status: 'done', completedAt: '2026-12-02T09:00:00.000Z' },
          version: 2,
          at: '2026-12-02T09:00:00.000Z',
        },
      },
    ]);
    const doneEvent = spec
      .given([created])
      .when(change({ status: 'done' }))
      .thenState();
    expect(doneEvent.tasks.t1).toMatchObject({
      status: 'done',
      completedAt: '2026-12-02T09:00:00.000Z',
      version: 2,
    });
    spec
      .given([created])
      .when(change({ status: 'done' }, 2))
      .thenThrows('version_conflict');
    spec
      .given([created])
      .when(change({ title: null }))
      .thenThrows('validation_failed');
    spec
      .given([created])
      .when(change({ assignee: 'Ona' }))
      .then([expect.objectContaining({ type: 'TaskChanged' })]);
    spec
      .given([])
      .when(change({ status: 'done' }))
      .thenThrows('not_found');
  });

  it('is overdue when open and due before now — computed, never stored', () => {
    const task = { status: 'open' as const, dueAt: '2026-12-01T08:00:00.000Z' };
    expect(isOverdue(task, '2026-12-01T08:00:01.000Z')).toBe(true);
    expect(isOverdue(task, '2026-12-01T07:59:59.000Z')).toBe(false);
    expect(isOverdue({ ...task, status: 'done' }, '2027-01-01T00:00:00.000Z')).toBe(false);
  });
});

describe('merges', () => {
  const fold = (events: CrmEvent[]) => events.reduce(evolveRelationship, NEW_RELATIONSHIP);
  const withStatus = (statusId: string, ...more: CrmEvent[]) =>
    fold([{ type: 'ClientStatusSet', data: { statusId, previousStatusId: null, comment: null } }, ...more]);
  const mergedClient = (clientId: string, relationship: Relationship) => ({
    clientId,
    relationship,
    history: [],
    stamps: {},
  });
  const takeIn = (mergedIds: string[], merged: ReturnType<typeof mergedClient>[]): RelationshipCommand => ({
    type: 'TakeInMerged',
    data: { mergeId: 'm1', mergedIds, merged },
  });

  it('keeps the survivor’s status, else takes the first merged client’s in the merge’s order; unites attributes', () => {
    const a = withStatus('partner', { type: 'ClientAttributeAdded', data: { attributeId: 'customer' } });
    const b = withStatus('lost', { type: 'ClientAttributeAdded', data: { attributeId: 'supplier-partner' } });
    const none = fold([{ type: 'ClientAttributeAdded', data: { attributeId: 'customer' } }]);
    const survivor = spec
      .given([{ type: 'ClientAttributeAdded', data: { attributeId: 'customer' } }])
      .when(takeIn(['b', 'a'], [mergedClient('a', a), mergedClient('b', b)]))
      .thenState();
    expect(survivor.statusId).toBe('lost');
    expect(survivor.attributes).toEqual(['customer', 'supplier-partner']);
    const keeping = spec
      .given([customer])
      .when(takeIn(['none', 'a'], [mergedClient('none', none), mergedClient('a', a)]))
      .thenState();
    expect(keeping.statusId).toBe('customer');
  });

  it('moves activities, reviews and tasks, each saying where it came from; a merge is taken in once', () => {
    const a = fold([
      called,
      {
        type: 'ReviewWritten',
        data: { review: { id: 'r1', text: 'Gerai', rating: 4, author: ona.actor, createdAt: NOW } },
      },
    ]);
    const survivor = spec
      .given([])
      .when(takeIn(['a'], [mergedClient('a', a)]))
      .thenState();
    expect(Object.values(survivor.activities)).toEqual([
      expect.objectContaining({ id: 'a1', originalClientId: 'a', createdAt: NOW }),
    ]);
    expect(survivor.reviews.r1).toMatchObject({ originalClientId: 'a', rating: 4 });
    expect(survivor.merges).toEqual(['m1']);
    const again = spec
      .given([])
      .when(takeIn(['a'], [mergedClient('a', a)]))
      .thenState();
    expect(decideRelationship(takeIn(['a'], [mergedClient('a', a)]), again, DEFAULT_DEFINITIONS)).toEqual([]);
  });

  it('closes a merged client: nothing more is written on it, and sealing twice changes nothing', () => {
    const sealed: CrmEvent = { type: 'RelationshipMergedInto', data: { mergeId: 'm1', survivorId: 's' } };
    spec
      .given([sealed])
      .when(log({ type: 'note', body: 'vėlu' }))
      .thenThrows('client_merged');
    spec
      .given([sealed])
      .when({ type: 'SealForMerge', data: { mergeId: 'm1', survivorId: 's' } })
      .then([]);
  });
});

describe('a relationship’s record', () => {
  const recorded = (eventId: string, occurredAt: string, event: CrmEvent) => ({
    eventId,
    occurredAt,
    actor: ona.actor,
    event,
  });

  it('keeps its own history as it happened, and when each activity was recorded and last changed', () => {
    const record = [
      recorded('e1', '2026-11-28T10:00:00.000Z', customer),
      recorded('e2', '2026-11-28T10:01:00.000Z', called),
      recorded('e3', '2026-11-28T10:02:00.000Z', {
        type: 'ActivityEdited',
        data: { activityId: 'a1', changes: { summary: 'sutarta' }, version: 2 },
      }),
      recorded('e4', '2026-11-28T10:03:00.000Z', {
        type: 'ClientAttributeAdded',
        data: { attributeId: 'customer' },
      }),
    ].reduce(recordEvent, NEW_RECORD);
    expect(record.history.map((e) => [e.id, e.kind, e.occurredAt])).toEqual([
      ['e1', 'status', '2026-11-28T10:00:00.000Z'],
      ['e4', 'attribute', '2026-11-28T10:03:00.000Z'],
    ]);
    expect(record.stamps.a1).toEqual({
      createdAt: '2026-11-28T10:01:00.000Z',
      updatedAt: '2026-11-28T10:02:00.000Z',
    });
    expect(record.relationship.activities.a1.fields.summary).toBe('sutarta');
  });
});
