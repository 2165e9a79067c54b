import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Collection, Db, Filter } from 'mongodb';
import pMap from 'p-map';
import { CLIENT_RELATIONSHIP_AGGREGATE, EventEnvelope, TaskStatus } from '@clientbook/contracts';
import { isDuplicateKeyError, Projection, UPDATES_IN_FLIGHT } from '@clientbook/event-store';
import { MONGO_DB } from '@clientbook/platform';
import type { Task } from '../domain';
import { crmEventOf } from './crm-streams';

/** A task in the cross-client list: the task, whose it is now, and the tenant. */
export type TaskDocument = Task & { _id: string; tenantId: string; clientId: string };

export type TaskQuery = {
  status?: TaskStatus;
  assignee?: string;
  clientId?: string;
  dueBefore?: string;
  /** Only open tasks due before `now`. */
  overdueAt?: string;
  /** After this [dueAt, id] (the page before's last). */
  after?: readonly [string, string];
  limit: number;
};

/**
 * Every task of the tenant in one collection, soonest due first: the list across clients. Fed by
 * the crm topic, and written through by the command that changed a task so the list shows it at
 * once. A task's copies are ordered by (version, moves): a merge moves a task without changing
 * it, so the copy on the survivor wins over an older one still on its way from the merged client.
 */
@Injectable()
export class CrmTasks implements Projection, OnApplicationBootstrap {
  readonly name = 'crm-tasks';
  readonly handles = ['TaskCreated', 'TaskChanged', 'RelationshipAdopted'];
  private readonly collection: Collection<TaskDocument>;

  constructor(@Inject(MONGO_DB) db: Db) {
    this.collection = db.collection<TaskDocument>('crm_tasks');
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.collection.createIndex({ tenantId: 1, dueAt: 1, id: 1 });
  }

  async apply(envelope: EventEnvelope): Promise<void> {
    if (envelope.aggregateType !== CLIENT_RELATIONSHIP_AGGREGATE) return;
    const { tenantId, aggregateId: clientId } = envelope;
    const event = crmEventOf(envelope);
    if (event.type === 'TaskCreated') {
      const { task } = event.data;
      await this.write(tenantId, clientId, [
        { ...task, status: 'open', completedAt: null, updatedAt: task.createdAt, version: 1, moves: 0 },
      ]);
    } else if (event.type === 'TaskChanged') {
      const current = await this.collection.findOne({ _id: `${tenantId}:${event.data.taskId}` });
      // Moved to a survivor since, or already at this version: nothing to do.
      if (!current || current.clientId !== clientId || current.version >= event.data.version) return;
      const { _id, tenantId: _t, clientId: _c, ...task } = current;
      await this.write(tenantId, clientId, [
        { ...task, ...event.data.changes, updatedAt: event.data.at, version: event.data.version },
      ]);
    } else if (event.type === 'RelationshipAdopted') {
      await this.write(tenantId, clientId, event.data.tasks);
    }
  }

  /**
   * Writes tasks as a client now holds them, each only over an older copy: one replace per task,
   * a few at a time (ADR 0002: never one `update` command of many statements on FerretDB).
   */
  async write(tenantId: string, clientId: string, tasks: readonly Task[]): Promise<void> {
    await pMap(
      tasks,
      async (task) => {
        const _id = `${tenantId}:${task.id}`;
        try {
          await this.collection.replaceOne(
            {
              _id,
              $or: [
                { version: { $lt: task.version } },
                { version: task.version, moves: { $lt: task.moves } },
              ],
            } as Filter<TaskDocument>,
            { ...task, tenantId, clientId },
            { upsert: true },
          );
        } catch (error) {
          // A newer copy is there already: the upsert meets the unique _id, and that copy stays.
          if (!isDuplicateKeyError(error)) throw error;
        }
      },
      { concurrency: UPDATES_IN_FLIGHT },
    );
  }

  /** The tenant's tasks matching the query, soonest due first, one page and one more (to know). */
  find(tenantId: string, query: TaskQuery): Promise<TaskDocument[]> {
    const filter: Filter<TaskDocument> = { tenantId };
    if (query.status) filter.status = query.status;
    if (query.assignee) filter.assignee = query.assignee;
    if (query.clientId) filter.clientId = query.clientId;
    const dueBefore = [query.dueBefore, query.overdueAt].filter((d): d is string => !!d).sort()[0];
    if (dueBefore) filter.dueAt = { $lt: dueBefore };
    if (query.overdueAt) {
      if (query.status && query.status !== 'open') return Promise.resolve([]);
      filter.status = 'open';
    }
    if (query.after) {
      const [dueAt, id] = query.after;
      filter.$or = [{ dueAt: { $gt: dueAt } }, { dueAt, id: { $gt: id } }];
    }
    return this.collection
      .find(filter)
      .sort({ dueAt: 1, id: 1 })
      .limit(query.limit + 1)
      .toArray();
  }
}
