import type { EventEnvelope } from '@clientbook/contracts';
import type { Activity, Relationship } from '../domain';
import { crmEventOf } from '../infrastructure/crm-streams';

export const TIMELINE_KINDS = ['status', 'attribute', 'call', 'meeting', 'email', 'note'] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export type TimelineEntry = {
  id: string;
  kind: TimelineKind;
  occurredAt: string;
  author: EventEnvelope['actor'];
  data: Record<string, unknown>;
};

type Stamps = ReadonlyMap<string, { createdAt: string; updatedAt: string }>;

/** When each activity was recorded and last changed, in one pass over the stream. */
function stampsOf(envelopes: readonly EventEnvelope[]): Stamps {
  const stamps = new Map<string, { createdAt: string; updatedAt: string }>();
  for (const envelope of envelopes) {
    const event = crmEventOf(envelope);
    if (event.type === 'ActivityLogged')
      stamps.set(event.data.activity.id, { createdAt: envelope.occurredAt, updatedAt: envelope.occurredAt });
    else if (event.type === 'ActivityEdited') {
      const known = stamps.get(event.data.activityId);
      if (known) known.updatedAt = envelope.occurredAt;
    }
  }
  return stamps;
}

function view(clientId: string, activity: Activity, stamps: Stamps) {
  const stamp = stamps.get(activity.id);
  return {
    id: activity.id,
    clientId,
    type: activity.type,
    occurredAt: activity.occurredAt,
    author: activity.author,
    createdAt: stamp?.createdAt ?? activity.occurredAt,
    updatedAt: stamp?.updatedAt ?? activity.occurredAt,
    version: activity.version,
    ...activity.fields,
  };
}

/** An activity as the API shows it, with when it was recorded and last changed. */
export const activityView = (clientId: string, activity: Activity, envelopes: readonly EventEnvelope[]) =>
  view(clientId, activity, stampsOf(envelopes));

/**
 * The client's timeline: status and attribute changes as they happened, and every activity as it
 * is now (a deleted one is gone), newest first; ties in time by id, so pages are stable.
 */
export function timelineOf(
  clientId: string,
  state: Relationship,
  envelopes: readonly EventEnvelope[],
): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  const stamps = stampsOf(envelopes);
  for (const envelope of envelopes) {
    const event = crmEventOf(envelope);
    const base = { id: envelope.eventId, occurredAt: envelope.occurredAt, author: envelope.actor };
    switch (event.type) {
      case 'ClientStatusSet':
        entries.push({ ...base, kind: 'status', data: { ...event.data } });
        break;
      case 'ClientAttributeAdded':
        entries.push({
          ...base,
          kind: 'attribute',
          data: { attributeId: event.data.attributeId, change: 'added' },
        });
        break;
      case 'ClientAttributeRemoved':
        entries.push({ ...base, kind: 'attribute', data: { ...event.data, change: 'removed' } });
        break;
      case 'ActivityLogged': {
        const activity = state.activities[event.data.activity.id];
        if (!activity) break;
        const {
          id: _id,
          clientId: _client,
          type: _type,
          occurredAt: _at,
          author: _author,
          ...data
        } = view(clientId, activity, stamps);
        entries.push({
          id: activity.id,
          kind: activity.type,
          occurredAt: activity.occurredAt,
          author: activity.author,
          data,
        });
        break;
      }
      default:
        break;
    }
  }
  return entries.sort(newestFirst);
}

const instant = (entry: TimelineEntry) => Date.parse(entry.occurredAt);
const newestFirst = (a: TimelineEntry, b: TimelineEntry) =>
  instant(b) - instant(a) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/** A page's end, as the next page's cursor: the last entry's time and id. */
export const cursorAfter = (entry: TimelineEntry): string =>
  Buffer.from(JSON.stringify([entry.occurredAt, entry.id])).toString('base64url');

/** The entries after a cursor's position; null when the cursor is not one of ours. */
export function afterCursor(entries: readonly TimelineEntry[], cursor: string): TimelineEntry[] | null {
  let position: unknown;
  try {
    position = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(position) || position.length !== 2 || !position.every((p) => typeof p === 'string'))
    return null;
  const [occurredAt, id] = position as [string, string];
  if (Number.isNaN(Date.parse(occurredAt))) return null;
  const mark: TimelineEntry = {
    id,
    occurredAt,
    kind: 'status',
    author: { kind: 'system', id: '' },
    data: {},
  };
  return entries.filter((entry) => newestFirst(mark, entry) < 0);
}
