import { Injectable } from '@nestjs/common';
import type { TaskStatus } from '@clientbook/contracts';
import type { Caller } from '@clientbook/platform';
import { CrmError } from '../domain';
import { CrmTasks } from '../infrastructure/crm-tasks';
import { taskView } from './timeline';
import { cursorPosition } from './timeline';

/** The tenant's follow-up tasks across clients, soonest due first. */
@Injectable()
export class TaskList {
  constructor(private readonly tasks: CrmTasks) {}

  async find(
    caller: Caller,
    query: {
      status?: TaskStatus;
      assignee?: string;
      clientId?: string;
      dueBefore?: string;
      overdue?: boolean;
      cursor?: string;
      limit: number;
    },
  ) {
    const now = new Date().toISOString();
    const after = query.cursor === undefined ? undefined : cursorPosition(query.cursor);
    if (after === null)
      throw CrmError.validation([{ field: 'cursor', message: 'is not a cursor this API gave' }]);
    const found = await this.tasks.find(caller.tenantId, {
      status: query.status,
      assignee: query.assignee,
      clientId: query.clientId,
      dueBefore: query.dueBefore === undefined ? undefined : new Date(query.dueBefore).toISOString(),
      overdueAt: query.overdue ? now : undefined,
      after,
      limit: query.limit,
    });
    const page = found.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page.map(({ _id, tenantId: _t, clientId, ...task }) => taskView(clientId, task, now)),
      nextCursor:
        found.length > query.limit && last
          ? Buffer.from(JSON.stringify([last.dueAt, last.id])).toString('base64url')
          : null,
    };
  }
}
