import { Injectable, Logger } from '@nestjs/common';
import pRetry from 'p-retry';
import { randomUUID } from 'node:crypto';
import type { CrmEvent } from '@clientbook/contracts';
import pMap from 'p-map';
import { AFTER_CONCURRENT_WRITES, VersionConflictError } from '@clientbook/event-store';
import { ApiError, type Caller, unexpectedItemError } from '@clientbook/platform';
import {
  CrmError,
  decideRelationship,
  Definitions,
  evolveRelationship,
  lastContactAt,
  ratingOf,
  Writer,
  Relationship,
  RelationshipCommand,
  RelationshipRecord,
} from '../domain';
import { CrmCards } from '../infrastructure/crm-cards';
import { CrmStreams, recordEnvelope } from '../infrastructure/crm-streams';
import { CrmTasks } from '../infrastructure/crm-tasks';
import {
  activityView,
  afterCursor,
  cursorAfter,
  reviewView,
  TimelineEntry,
  timelineOf,
  taskView,
} from './timeline';
import { KnownClients } from '../infrastructure/known-clients';
import { ClientMovedError } from './client-moved';
import { metadataOf } from './metadata';

/** What a change left: the client's relationship record, and the definitions it was decided on. */
export type Applied = Readonly<{
  record: RelationshipRecord;
  definitions: Definitions;
}>;

/** A client's CRM card as `GET /v1/clients/{id}/crm` shows it. */
export type CrmSummary = {
  status: Definitions['statuses'][number] | null;
  attributes: Definitions['attributes'][number][];
  rating: { average: number | null; count: number };
  openTasks: number;
  lastContactAt: string | null;
};

/** What the company knows about each client: its status and attributes, their history. */
@Injectable()
export class ClientRelationships {
  private readonly logger = new Logger(ClientRelationships.name);

  constructor(
    private readonly streams: CrmStreams,
    private readonly clients: KnownClients,
    private readonly cards: CrmCards,
    private readonly tasks: CrmTasks,
  ) {}

  /** The client a path names, if it may be used: else 404, 410, or the survivor's path (308). */
  async ensureUsable(caller: Caller, clientId: string): Promise<void> {
    const standing = await this.clients.standing(caller, clientId);
    if (!standing) throw new CrmError('not_found', 'no such client');
    if (standing.status === 'deleted') throw new ApiError('client_deleted', 'the client was deleted');
    if (standing.status === 'merged' && standing.mergedInto) throw new ClientMovedError(standing.mergedInto);
  }

  /**
   * Applies changes to a client's relationship, decided one after the other on its state and
   * stored as one commit (decided again on the state then, after a concurrent write). Returns the
   * state they left, the definitions they were decided on, and the stream with them.
   */
  async apply(caller: Caller, clientId: string, ...commands: RelationshipCommand[]): Promise<Applied> {
    return pRetry(
      async () => {
        const [definitions, loaded] = await Promise.all([
          this.streams.definitions(caller.tenantId),
          this.streams.relationship(caller.tenantId, clientId),
        ]);
        let state = loaded.state.relationship;
        const events: CrmEvent[] = [];
        for (const command of commands) {
          const decided = decidedOn(command, state, definitions.state);
          events.push(...decided);
          state = decided.reduce(evolveRelationship, state);
        }
        if (events.length === 0) return { record: loaded.state, definitions: definitions.state };
        const stored = await this.streams.appendRelationship(
          caller.tenantId,
          clientId,
          loaded.version,
          events,
          metadataOf(caller),
        );
        // The record as stored (each event with its id, time and author).
        const record = stored.reduce(recordEnvelope, loaded.state);
        // Written through: the next read starts from it, and what is asked across clients right
        // after sees the change.
        await Promise.all([
          this.cards.record(caller.tenantId, clientId, stored[stored.length - 1].aggregateVersion, record),
          this.tasks.write(caller.tenantId, clientId, tasksChangedBy(events, record.relationship)),
        ]);
        return { record, definitions: definitions.state };
      },
      { ...AFTER_CONCURRENT_WRITES, shouldRetry: ({ error }) => error instanceof VersionConflictError },
    );
  }

  /** Changes a client the path names, if it may be used (404, 410, 308 otherwise). */
  async update(caller: Caller, clientId: string, ...commands: RelationshipCommand[]): Promise<Applied> {
    await this.ensureUsable(caller, clientId);
    return this.apply(caller, clientId, ...commands);
  }

  /** Changes a client; its summary after the change. */
  async change(caller: Caller, clientId: string, command: RelationshipCommand): Promise<CrmSummary> {
    const applied = await this.update(caller, clientId, command);
    return summaryOf(applied.record.relationship, applied.definitions);
  }

  async summary(caller: Caller, clientId: string): Promise<CrmSummary> {
    await this.ensureUsable(caller, clientId);
    const [definitions, loaded] = await Promise.all([
      this.streams.definitions(caller.tenantId),
      this.streams.relationship(caller.tenantId, clientId),
    ]);
    return summaryOf(loaded.state.relationship, definitions.state);
  }

  /** The client's timeline, newest first, `limit` entries after the cursor's. */
  async timeline(
    caller: Caller,
    clientId: string,
    query: { kinds?: readonly string[]; from?: string; to?: string; cursor?: string; limit: number },
  ): Promise<{ items: TimelineEntry[]; nextCursor: string | null }> {
    await this.ensureUsable(caller, clientId);
    const loaded = await this.streams.relationship(caller.tenantId, clientId);
    const all = timelineOf(clientId, loaded.state, new Date().toISOString()).filter(
      (entry) =>
        (!query.kinds?.length || query.kinds.includes(entry.kind)) &&
        (!query.from || Date.parse(entry.occurredAt) >= Date.parse(query.from)) &&
        (!query.to || Date.parse(entry.occurredAt) < Date.parse(query.to)),
    );
    const entries = query.cursor === undefined ? all : afterCursor(all, query.cursor);
    if (entries === null)
      throw CrmError.validation([{ field: 'cursor', message: 'is not a cursor this API gave' }]);
    const page = entries.slice(0, query.limit);
    return {
      items: page,
      nextCursor: entries.length > query.limit ? cursorAfter(page[page.length - 1]) : null,
    };
  }

  /**
   * One change of status and attributes for many clients, each on its own: the ids updated, and
   * each one that failed with why, in the order asked.
   */
  async bulkUpdate(
    caller: Caller,
    ids: readonly string[],
    set: {
      statusId?: string | null;
      addAttributes?: readonly string[];
      removeAttributes?: readonly string[];
    },
  ) {
    const commands: RelationshipCommand[] = [
      ...(set.statusId !== undefined
        ? [{ type: 'SetStatus' as const, data: { statusId: set.statusId } }]
        : []),
      ...(set.addAttributes ?? []).map((attributeId) => ({
        type: 'AddAttribute' as const,
        data: { attributeId },
      })),
      ...(set.removeAttributes ?? []).map((attributeId) => ({
        type: 'RemoveAttribute' as const,
        data: { attributeId },
      })),
    ];
    if (commands.length === 0)
      throw CrmError.validation([
        { field: 'set', message: 'name a statusId, addAttributes or removeAttributes' },
      ]);
    // The set is checked once, against the tenant's definitions: a wrong id is the request's fault.
    const definitions = (await this.streams.definitions(caller.tenantId)).state;
    const errors = [
      ...(set.statusId && !definitions.statuses.some((s) => s.id === set.statusId)
        ? [{ field: 'set.statusId', message: `no status ${set.statusId}` }]
        : []),
      ...(set.addAttributes ?? []).flatMap((attributeId, i) =>
        definitions.attributes.some((a) => a.id === attributeId)
          ? []
          : [{ field: `set.addAttributes[${i}]`, message: `no attribute ${attributeId}` }],
      ),
    ];
    if (errors.length) throw CrmError.validation(errors);
    const outcomes = await pMap(
      [...new Set(ids)],
      async (id) => {
        try {
          // Every change of one client in one commit: a client is changed whole, or not at all.
          await this.update(caller, id, ...commands);
          return { id, error: null };
        } catch (error) {
          if (error instanceof ClientMovedError)
            return {
              id,
              error: { id, code: 'client_not_active', message: `merged into ${error.survivorId}` },
            };
          // Another change of this client kept winning: this one failed, the others go on.
          if (error instanceof VersionConflictError)
            return {
              id,
              error: { id, code: 'version_conflict', message: 'another change of this client came first' },
            };
          if (!(error instanceof CrmError) && !(error instanceof ApiError))
            return { id, error: unexpectedItemError(this.logger, id, error) };
          return { id, error: { id, code: error.code, message: error.message } };
        }
      },
      { concurrency: 8 },
    );
    return {
      updated: outcomes.filter((o) => o.error === null).map((o) => o.id),
      failed: outcomes.flatMap((o) => (o.error ? [o.error] : [])),
    };
  }

  /** Records an activity with the client; the activity as the API shows it. */
  logActivity(caller: Caller, clientId: string, body: Readonly<Record<string, unknown>>) {
    const activityId = randomUUID();
    return this.after(
      caller,
      clientId,
      {
        type: 'LogActivity',
        data: { activityId, now: new Date().toISOString(), writer: writerOf(caller), body },
      },
      ({ record }) =>
        record.relationship.activities[activityId]
          ? activityView(clientId, record.relationship.activities[activityId], record.stamps)
          : undefined,
    );
  }

  editActivity(
    caller: Caller,
    clientId: string,
    activityId: string,
    ifMatch: number | null,
    patch: Readonly<Record<string, unknown>>,
  ) {
    return this.after(
      caller,
      clientId,
      {
        type: 'EditActivity',
        data: { activityId, writer: writerOf(caller), ifMatch, patch },
      },
      ({ record }) =>
        record.relationship.activities[activityId]
          ? activityView(clientId, record.relationship.activities[activityId], record.stamps)
          : undefined,
    );
  }

  async deleteActivity(caller: Caller, clientId: string, activityId: string, ifMatch: number | null) {
    await this.update(caller, clientId, {
      type: 'DeleteActivity',
      data: { activityId, writer: writerOf(caller), ifMatch },
    });
  }

  async writeReview(caller: Caller, clientId: string, body: Readonly<Record<string, unknown>>) {
    const reviewId = randomUUID();
    return this.after(
      caller,
      clientId,
      {
        type: 'WriteReview',
        data: { reviewId, now: new Date().toISOString(), writer: writerOf(caller), body },
      },
      ({ record: { relationship: state } }) =>
        state.reviews[reviewId] ? reviewView(clientId, state.reviews[reviewId]) : undefined,
    );
  }

  editReview(
    caller: Caller,
    clientId: string,
    reviewId: string,
    ifMatch: number | null,
    patch: Readonly<Record<string, unknown>>,
  ) {
    return this.after(
      caller,
      clientId,
      {
        type: 'EditReview',
        data: { reviewId, now: new Date().toISOString(), writer: writerOf(caller), ifMatch, patch },
      },
      ({ record: { relationship: state } }) =>
        state.reviews[reviewId] ? reviewView(clientId, state.reviews[reviewId]) : undefined,
    );
  }

  async deleteReview(caller: Caller, clientId: string, reviewId: string, ifMatch: number | null) {
    await this.update(caller, clientId, {
      type: 'DeleteReview',
      data: { reviewId, writer: writerOf(caller), ifMatch },
    });
  }

  createTask(caller: Caller, clientId: string, body: Readonly<Record<string, unknown>>) {
    const taskId = randomUUID();
    return this.after(
      caller,
      clientId,
      {
        type: 'CreateTask',
        data: { taskId, now: new Date().toISOString(), writer: writerOf(caller), body },
      },
      ({ record: { relationship: state } }) =>
        state.tasks[taskId] ? taskView(clientId, state.tasks[taskId], new Date().toISOString()) : undefined,
    );
  }

  changeTask(
    caller: Caller,
    clientId: string,
    taskId: string,
    ifMatch: number | null,
    patch: Readonly<Record<string, unknown>>,
  ) {
    return this.after(
      caller,
      clientId,
      {
        type: 'ChangeTask',
        data: { taskId, now: new Date().toISOString(), writer: writerOf(caller), ifMatch, patch },
      },
      ({ record: { relationship: state } }) =>
        state.tasks[taskId] ? taskView(clientId, state.tasks[taskId], new Date().toISOString()) : undefined,
    );
  }

  /** What a change left of one item (activity, review, task), as the API shows it; 404 when gone. */
  private async after<T>(
    caller: Caller,
    clientId: string,
    command: RelationshipCommand,
    show: (applied: Applied) => T | undefined,
  ): Promise<T> {
    const shown = show(await this.update(caller, clientId, command));
    if (shown === undefined) throw new CrmError('not_found', 'no such item');
    return shown;
  }
}

/** A decision; a merged client's relationship answers with its survivor's path (308). */
function decidedOn(command: RelationshipCommand, state: Relationship, definitions: Definitions): CrmEvent[] {
  try {
    return decideRelationship(command, state, definitions);
  } catch (error) {
    if (error instanceof CrmError && error.code === 'client_merged' && error.survivorId)
      throw new ClientMovedError(error.survivorId);
    throw error;
  }
}

/** The tasks a change created, changed or took in, as the change left them. */
function tasksChangedBy(events: readonly CrmEvent[], state: Relationship) {
  const ids = new Set(
    events.flatMap((event) =>
      event.type === 'TaskCreated'
        ? [event.data.task.id]
        : event.type === 'TaskChanged'
          ? [event.data.taskId]
          : event.type === 'RelationshipAdopted'
            ? event.data.tasks.map((t) => t.id)
            : [],
    ),
  );
  return [...ids].flatMap((id) => (state.tasks[id] ? [state.tasks[id]] : []));
}

const writerOf = (caller: Caller): Writer => ({
  actor: caller.actor,
  isAdmin: caller.actor.role === 'admin',
});

export function summaryOf(state: Relationship, definitions: Definitions): CrmSummary {
  return {
    status: definitions.statuses.find((s) => s.id === state.statusId) ?? null,
    // An attribute whose definition was removed is gone, even where its removal has not landed yet.
    attributes: definitions.attributes.filter((a) => state.attributes.includes(a.id)),
    rating: ratingOf(Object.values(state.reviews)),
    openTasks: Object.values(state.tasks).filter((t) => t.status === 'open').length,
    lastContactAt: lastContactAt(Object.values(state.activities), new Date().toISOString()),
  };
}
