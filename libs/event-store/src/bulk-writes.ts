import pMap from 'p-map';
import { type Collection, type Document, MongoBulkWriteError, type OptionalUnlessRequiredId } from 'mongodb';

/**
 * How many single-document updates run at once. Never one `update` command of many statements:
 * FerretDB 1.24 takes a PostgreSQL connection per statement of such a command and holds them all
 * until it ends (a `bulkWrite` of 100 replaces took 100), so a few of them at once froze its pool
 * (ADR 0002). Inserts and deletes of many documents do not do this.
 */
export const UPDATES_IN_FLIGHT = 8;

/** How many `_id` lookups of one batch run at once (not one `$in`: FerretDB reads the whole collection for it). */
export const READS_IN_FLIGHT = 10;

/**
 * Inserts documents, each on its own (one call: `insertMany`, unordered): the failure of each that
 * was not stored, by its index. A failure that names no document (the server away) is everyone's.
 */
export async function insertEach<T extends { _id: string }>(
  collection: Collection<T>,
  documents: readonly T[],
): Promise<Map<number, unknown>> {
  if (documents.length === 0) return new Map();
  try {
    if (documents.length === 1) await collection.insertOne(documents[0] as OptionalUnlessRequiredId<T>);
    else await collection.insertMany(documents as OptionalUnlessRequiredId<T>[], { ordered: false });
    return new Map();
  } catch (error) {
    if (documents.length === 1) return new Map([[0, error]]);
    const writeErrors = error instanceof MongoBulkWriteError ? [error.writeErrors].flat() : [];
    if (writeErrors.length === 0) return new Map(documents.map((_, i) => [i, error]));
    return new Map(writeErrors.map((writeError) => [writeError.index, writeError]));
  }
}

/** Replaces (or inserts) whole documents by `_id`, `UPDATES_IN_FLIGHT` at a time; throws on any failure. */
export async function replaceEach<T extends Document & { _id: string }>(
  collection: Collection<T>,
  documents: readonly T[],
): Promise<void> {
  const documentsById = collection as unknown as Collection<{ _id: string }>;
  await pMap(
    documents,
    (document) => documentsById.replaceOne({ _id: document._id }, document, { upsert: true }),
    {
      concurrency: UPDATES_IN_FLIGHT,
    },
  );
}
