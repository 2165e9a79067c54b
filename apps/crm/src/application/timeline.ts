import type { EventEnvelope, MovedHistoryEntry } from '@clientbook/contracts';
import {
  type Activity,
  type ActivityStamps,
  isOverdue,
  type RelationshipRecord,
  type Review,
  type Task,
} from '../domain';

export const TIMELINE_KINDS = [
  'status',
  'attribute',
  'call',
  'meeting',
  'email',
  'note',
  'review',
  'task',
  'merge',
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export type TimelineEntry = {
  id: string;
  kind: TimelineKind;
  occurredAt: string;
  author: EventEnvelope['actor'];
  /** What the entry is about; `originalClientId` when it came with a merged client. */
  data: Record<string, unknown>;
};

const moved = (item: { originalClientId?: string }) =>
  item.originalClientId ? { originalClientId: item.originalClientId } : {};

function view(clientId: string, activity: Activity, stamps: ActivityStamps) {
  const stamp = stamps[activity.id];
  return {
    id: activity.id,
    clientId,
    type: activity.type,
    occurredAt: activity.occurredAt,
    author: activity.author,
    createdAt: activity.createdAt ?? (stamp?.createdAt || activity.occurredAt),
    updatedAt: stamp?.updatedAt ?? activity.updatedAt ?? activity.occurredAt,
    version: activity.version,
    ...moved(activity),
    ...activity.fields,
  };
}

/** An activity as the API shows it, with when it was recorded and last changed. */
export const activityView = view;

/** A review as the API shows it. */
export const reviewView = (clientId: string, review: Review) => ({
  id: review.id,
  clientId,
  text: review.text,
  rating: review.rating,
  author: review.author,
  createdAt: review.createdAt,
  updatedAt: review.updatedAt,
  version: review.version,
  ...moved(review),
});

/** A task as the API shows it: `overdue` as of `now` (open, and due before it). */
export const taskView = (clientId: string, task: Task, now: string) => ({
  id: task.id,
  clientId,
  title: task.title,
  dueAt: task.dueAt,
  assignee: task.assignee,
  priority: task.priority,
  notes: task.notes,
  status: task.status,
  completedAt: task.completedAt,
  overdue: isOverdue(task, now),
  author: task.author,
  createdAt: task.createdAt,
  updatedAt: task.updatedAt,
  version: task.version,
  ...moved(task),
});

/**
 * A merged client's history as its survivor keeps it: its own entries and those it had taken in
 * from earlier merges, each saying which client it happened on.
 */
export function historyOf(clientId: string, record: RelationshipRecord): MovedHistoryEntry[] {
  return [
    ...record.history.map((entry) => ({ ...entry, originalClientId: clientId })),
    ...record.relationship.history,
  ];
}

/**
 * The client's timeline: what happened as it happened (its own and its merged clients'), and
 * every activity, review and task as it is now (a deleted one is gone), newest first; ties in
 * time by id, so pages are stable.
 */
export function timelineOf(clientId: string, record: RelationshipRecord, now: string): TimelineEntry[] {
  const { relationship: state, stamps } = record;
  const entries: TimelineEntry[] = [
    ...record.history.map(({ kind, ...entry }) => ({ ...entry, kind: kind as TimelineKind })),
    ...state.history.map(({ originalClientId, data, kind, ...entry }) => ({
      ...entry,
      kind: kind as TimelineKind,
      data: { ...data, originalClientId },
    })),
  ];
  for (const activity of Object.values(state.activities)) {
    const { id, clientId: _client, type, occurredAt, author, ...data } = view(clientId, activity, stamps);
    entries.push({ id, kind: type, occurredAt, author, data });
  }
  for (const review of Object.values(state.reviews)) {
    const { id, clientId: _client, author, ...data } = reviewView(clientId, review);
    entries.push({ id, kind: 'review', occurredAt: review.createdAt, author, data });
  }
  for (const task of Object.values(state.tasks)) {
    const { id, clientId: _client, author, ...data } = taskView(clientId, task, now);
    entries.push({
      id,
      kind: 'task',
      occurredAt: task.createdAt,
      author,
      data: { change: 'created', ...data },
    });
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
  const position = cursorPosition(cursor);
  if (!position) return null;
  const mark: TimelineEntry = {
    id: position[1],
    occurredAt: position[0],
    kind: 'status',
    author: { kind: 'system', id: '' },
    data: {},
  };
  return entries.filter((entry) => newestFirst(mark, entry) < 0);
}

/** A cursor's [moment, id], or null when it is not one this API gave. */
export function cursorPosition(cursor: string): [string, string] | null {
  let position: unknown;
  try {
    position = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(position) || position.length !== 2 || !position.every((p) => typeof p === 'string'))
    return null;
  const [moment, id] = position as [string, string];
  return Number.isNaN(Date.parse(moment)) ? null : [moment, id];
}
