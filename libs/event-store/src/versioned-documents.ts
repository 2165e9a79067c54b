import type { Collection, Document } from 'mongodb';
import { isDuplicateKeyError } from './errors';

/** A read-model document: one per aggregate, remembering the last aggregate version applied. */
export type VersionedDocument<TFields extends Document = Document> = TFields & {
  _id: string;
  tenantId: string;
  aggregateId: string;
  lastVersion: number;
};

export type ApplyOutcome = 'applied' | 'skipped';

/**
 * Applies an event to the aggregate's read-model document at most once: an event at or below
 * `lastVersion` is a redelivery and changes nothing. `evolve` may run even then (a first event is
 * folded before its insert is refused): act on what it returned only when this says `applied`. One consumer owns a partition, so one
 * aggregate's events arrive one at a time and a plain replace by `_id` is safe.
 */
export async function applyOnce<TFields extends Document>(
  collection: Collection<VersionedDocument<TFields>>,
  key: { tenantId: string; aggregateId: string; version: number },
  evolve: (current: VersionedDocument<TFields> | null) => TFields,
): Promise<ApplyOutcome> {
  const documents = collection as unknown as Collection<{ _id: string }>;
  const _id = `${key.tenantId}:${key.aggregateId}`;
  const identity = { _id, tenantId: key.tenantId, aggregateId: key.aggregateId, lastVersion: key.version };
  if (key.version === 1) {
    // An aggregate's first event makes the document: one insert, and a redelivery meets the
    // unique `_id` (half the round trips of read-then-write when a burst of new aggregates arrives).
    try {
      await documents.insertOne({ ...evolve(null), ...identity });
      return 'applied';
    } catch (error) {
      if (isDuplicateKeyError(error)) return 'skipped';
      throw error;
    }
  }
  const current = (await documents.findOne({ _id })) as VersionedDocument<TFields> | null;
  if (current && current.lastVersion >= key.version) return 'skipped';
  const next = { ...evolve(current), ...identity };
  await documents.replaceOne({ _id }, next, { upsert: true });
  return 'applied';
}
