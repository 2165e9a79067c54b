import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, Caller, CurrentCaller } from '@clientbook/platform';
import { TaskList } from '../application/task-list';
import { TaskQueryDto } from './crm.dto';

/** Follow-up tasks across the tenant's clients. */
@ApiTags('crm')
@ApiBearerAuth()
@Controller('v1/crm/tasks')
export class TasksController {
  constructor(private readonly tasks: TaskList) {}

  @Get()
  @ApiProblems([])
  @ApiResponse({
    status: 200,
    description:
      '{ items: [task], nextCursor }: soonest due first (ties by id); overdue is computed now (open and due before now)',
  })
  @ApiOperation({ summary: 'The tenant’s follow-up tasks across clients, soonest due first' })
  find(@CurrentCaller() caller: Caller, @Query() query: TaskQueryDto) {
    return this.tasks.find(caller, {
      status: query.status,
      assignee: query.assignee,
      clientId: query.clientId,
      dueBefore: query.dueBefore,
      overdue: query.overdue === 'true',
      cursor: query.cursor,
      limit: query.limit ?? 50,
    });
  }
}
