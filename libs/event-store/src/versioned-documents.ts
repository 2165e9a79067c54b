import type { Collection, Document } from 'mongodb';
import pMap from 'p-map';
import { insertEach, READS_IN_FLIGHT, replaceEach } from './bulk-writes';
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

/** An event as `applyEachOnce` needs to know it: whose document, at which aggregate version. */
export type VersionedEvent = Readonly<{ tenantId: string; aggregateId: string; aggregateVersion: number }>;

/** A document a batch touched: as written (`applied`), or as stored when the batch had nothing newer. */
export type BatchOutcome<TFields extends Document> = Readonly<{
  document: VersionedDocument<TFields>;
  outcome: ApplyOutcome;
}>;

/**
 * `applyOnce` for a batch of one partition's events, in their order: each document is read at
 * most once and written once. Documents whose first event in the batch is version 1 are folded
 * without a read and inserted together (one `insertMany`); a document that exists already (a
 * redelivery, another instance) is then read and only the events above its `lastVersion` folded.
 * The others are read by `_id`, folded and replaced a few at a time. Gives back every
 * document the batch names, so in-memory indexes can follow.
 */
export async function applyEachOnce<TFields extends Document, TEvent extends VersionedEvent>(
  collection: Collection<VersionedDocument<TFields>>,
  events: readonly TEvent[],
  evolve: (current: VersionedDocument<TFields> | null, event: TEvent) => TFields,
): Promise<BatchOutcome<TFields>[]> {
  const documents = collection as unknown as Collection<VersionedDocument<TFields>>;
  const byDocument = new Map<string, TEvent[]>();
  for (const event of events) {
    const _id = `${event.tenantId}:${event.aggregateId}`;
    const list = byDocument.get(_id);
    if (list) list.push(event);
    else byDocument.set(_id, [event]);
  }
  const fold = (current: VersionedDocument<TFields> | null, list: readonly TEvent[]) => {
    let document = current;
    for (const event of list) {
      if (document && document.lastVersion >= event.aggregateVersion) continue;
      document = {
        ...evolve(document, event),
        _id: `${event.tenantId}:${event.aggregateId}`,
        tenantId: event.tenantId,
        aggregateId: event.aggregateId,
        lastVersion: event.aggregateVersion,
      } as VersionedDocument<TFields>;
    }
    return document;
  };

  const fresh: VersionedDocument<TFields>[] = [];
  const toRead: string[] = [];
  for (const [_id, list] of byDocument) {
    if (list[0].aggregateVersion === 1) fresh.push(fold(null, list) as VersionedDocument<TFields>);
    else toRead.push(_id);
  }
  const results: BatchOutcome<TFields>[] = [];
  const failures = await insertEach(documents, fresh);
  fresh.forEach((document, index) => {
    const failure = failures.get(index);
    if (failure === undefined) results.push({ document, outcome: 'applied' });
    else if (isDuplicateKeyError(failure)) toRead.push(document._id);
    else throw failure;
  });

  const replaced: VersionedDocument<TFields>[] = [];
  const current = await pMap(toRead, (_id) => documents.findOne({ _id } as never), {
    concurrency: READS_IN_FLIGHT,
  });
  toRead.forEach((_id, index) => {
    const stored = current[index] as VersionedDocument<TFields> | null;
    const next = fold(stored, byDocument.get(_id) ?? []);
    if (!next) return;
    if (next === stored) results.push({ document: next, outcome: 'skipped' });
    else replaced.push(next);
  });
  await replaceEach(documents, replaced);
  for (const document of replaced) results.push({ document, outcome: 'applied' });
  return results;
}
