import type { ActivityRecord, CrmEvent, MovedHistoryEntry } from '@clientbook/contracts';
import { type ActivityStamps, evolveRelationship, NEW_RELATIONSHIP, type Relationship } from './relationship';

/** An event as it was recorded: which one, when, by whom. */
export type Recorded = Readonly<{
  eventId: string;
  occurredAt: string;
  actor: ActivityRecord['author'];
  event: CrmEvent;
}>;

/** Something that happened in a relationship, as the timeline shows it. */
export type HistoryEntry = Omit<MovedHistoryEntry, 'originalClientId'>;

/**
 * A relationship with what its recording adds: when each activity was recorded and last changed,
 * and the relationship's own history (status and attribute changes, tasks ended, merges) — all
 * a client's reads need, kept together so that none of them reads the whole stream.
 */
export type RelationshipRecord = Readonly<{
  relationship: Relationship;
  stamps: ActivityStamps;
  history: readonly HistoryEntry[];
}>;

export const NEW_RECORD: RelationshipRecord = { relationship: NEW_RELATIONSHIP, stamps: {}, history: [] };

/** What one recorded event adds to the history, if anything (decided on the state before it). */
function historyEntryOf(
  { eventId, occurredAt, actor, event }: Recorded,
  before: Relationship,
): HistoryEntry | null {
  const entry = (kind: string, data: Record<string, unknown>): HistoryEntry => ({
    id: eventId,
    kind,
    occurredAt,
    author: actor,
    data,
  });
  switch (event.type) {
    case 'ClientStatusSet':
      return entry('status', { ...event.data });
    case 'ClientAttributeAdded':
      return entry('attribute', { ...event.data, change: 'added' });
    case 'ClientAttributeRemoved':
      return entry('attribute', { ...event.data, change: 'removed' });
    case 'TaskChanged': {
      const status = event.data.changes.status;
      if (status !== 'done' && status !== 'cancelled') return null;
      return entry('task', {
        taskId: event.data.taskId,
        title: event.data.changes.title ?? before.tasks[event.data.taskId]?.title ?? null,
        change: status === 'done' ? 'completed' : 'cancelled',
      });
    }
    case 'RelationshipsMerged':
      return entry('merge', { ...event.data });
    default:
      return null;
  }
}

/** Folds one recorded event onto a relationship's record. */
export function recordEvent(record: RelationshipRecord, recorded: Recorded): RelationshipRecord {
  const { event, occurredAt } = recorded;
  const relationship = evolveRelationship(record.relationship, event);
  const entry = historyEntryOf(recorded, record.relationship);
  let stamps = record.stamps;
  if (event.type === 'ActivityLogged')
    stamps = { ...stamps, [event.data.activity.id]: { createdAt: occurredAt, updatedAt: occurredAt } };
  else if (event.type === 'ActivityEdited') {
    // An activity moved here by a merge was recorded elsewhere: only its change is stamped here.
    const known = stamps[event.data.activityId];
    stamps = {
      ...stamps,
      [event.data.activityId]: { createdAt: known?.createdAt ?? '', updatedAt: occurredAt },
    };
  } else if (event.type === 'ActivityDeleted') {
    const { [event.data.activityId]: _gone, ...rest } = stamps;
    stamps = rest;
  }
  return { relationship, stamps, history: entry ? [...record.history, entry] : record.history };
}
