import { type Collection, type Document, MongoBulkWriteError, type OptionalUnlessRequiredId } from 'mongodb';

/** The most replaces sent in one `bulkWrite`: FerretDB applies them one by one, a bounded call at a time. */
const MAX_REPLACES_PER_CALL = 50;

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

/** Replaces (or inserts) whole documents by `_id`, in as few calls as the bound allows; throws on any failure. */
export async function replaceEach<T extends Document & { _id: string }>(
  collection: Collection<T>,
  documents: readonly T[],
): Promise<void> {
  const documentsById = collection as unknown as Collection<{ _id: string }>;
  for (let start = 0; start < documents.length; start += MAX_REPLACES_PER_CALL) {
    const slice = documents.slice(start, start + MAX_REPLACES_PER_CALL);
    if (slice.length === 1) {
      await documentsById.replaceOne({ _id: slice[0]._id }, slice[0], { upsert: true });
      continue;
    }
    await documentsById.bulkWrite(
      slice.map((document) => ({
        replaceOne: { filter: { _id: document._id }, replacement: document, upsert: true },
      })),
      { ordered: false },
    );
  }
}
