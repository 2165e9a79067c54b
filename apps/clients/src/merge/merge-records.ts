import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Collection, Db } from 'mongodb';
import type { Actor, ClientsMerged } from '@clientbook/contracts';
import { MONGO_DB } from '@clientbook/platform';
import { type ApiClient } from '../http/api-client';

/** The audit record of one merge: everything an auditor needs, written before anything changes. */
export type MergeRecord = {
  _id: string;
  tenantId: string;
  status: 'pending' | 'completed';
  occurredAt: string;
  completedAt: string | null;
  actor: Actor;
  correlationId: string;
  reason: string | null;
  keepId: string;
  mergedIds: string[];
  /** Every involved client as it was, the survivor included, by id. */
  before: Record<string, ApiClient>;
  /** The survivor as planned; replaced by the survivor as stored when the merge completes. */
  after: ApiClient;
  /** The version each client had when the merge was planned. */
  versions: Record<string, number>;
  moved: { operations: number };
  /** The survivor's event as planned, so a resumed merge appends exactly what was decided. */
  survivorEvent: ClientsMerged;
};

/** "This merge is not finished": a small collection the recovery reads whole. */
type PendingMerge = { _id: string; tenantId: string; since: Date };

@Injectable()
export class MergeRecords implements OnApplicationBootstrap {
  private readonly records: Collection<MergeRecord>;
  private readonly pending: Collection<PendingMerge>;

  constructor(@Inject(MONGO_DB) db: Db) {
    this.records = db.collection<MergeRecord>('merges');
    this.pending = db.collection<PendingMerge>('merges_pending');
  }

  async onApplicationBootstrap(): Promise<void> {
    // No index on `mergedIds`: FerretDB on PostgreSQL indexes an array as one row, and a merge of
    // hundreds of clients exceeds its 8 KiB row limit. Filtering by client reads the tenant's records.
    await this.records.createIndex({ tenantId: 1, occurredAt: -1 });
  }

  /** The point of no return: once this is stored, the merge is completed, by this process or the recovery. */
  async begin(record: MergeRecord): Promise<void> {
    await this.pending.insertOne({ _id: record._id, tenantId: record.tenantId, since: new Date() });
    await this.records.insertOne(record);
  }

  async complete(mergeId: string, after: ApiClient, completedAt: string): Promise<void> {
    await this.records.updateOne({ _id: mergeId }, { $set: { status: 'completed', after, completedAt } });
    await this.pending.deleteOne({ _id: mergeId });
  }

  /** Merges begun and not completed (a process died in between), across tenants, for the recovery. */
  async unfinished(): Promise<MergeRecord[]> {
    const markers = await this.pending.find({}).toArray();
    const records = await Promise.all(markers.map((m) => this.records.findOne({ _id: m._id })));
    // A marker without its record: the process died between the two inserts, before anything changed.
    await Promise.all(
      markers.filter((_, i) => !records[i]).map((m) => this.pending.deleteOne({ _id: m._id })),
    );
    return records.filter((r): r is MergeRecord => r !== null);
  }

  find(tenantId: string, mergeId: string): Promise<MergeRecord | null> {
    return this.records.findOne({ _id: mergeId, tenantId });
  }

  exists(mergeId: string): Promise<boolean> {
    return this.records.findOne({ _id: mergeId }, { projection: { _id: 1 } }).then((r) => r !== null);
  }

  /** A tenant's merges, newest first; merges are rare, so reading the tenant's records is fine. */
  list(tenantId: string): Promise<MergeRecord[]> {
    return this.records.find({ tenantId }).sort({ occurredAt: -1, _id: -1 }).toArray();
  }
}
