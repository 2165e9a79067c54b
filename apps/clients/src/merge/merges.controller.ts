import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, Caller, CurrentCaller } from '@clientbook/platform';
import { decodeCursor, encodeCursor } from '../infrastructure/client-search-index';
import { MergeProcess } from './merge-process';
import type { MergeRecord } from './merge-records';
import { ListMergesQueryDto, MergeClientsDto } from './merge.dto';

/** The audit view of a merge record (API.md "Merging duplicates"). */
function present(record: MergeRecord) {
  return {
    mergeId: record._id,
    status: record.status,
    occurredAt: record.occurredAt,
    completedAt: record.completedAt,
    actor: record.actor,
    correlationId: record.correlationId,
    reason: record.reason,
    keepId: record.keepId,
    mergedIds: record.mergedIds,
    before: record.before,
    after: record.after,
    moved: record.moved,
  };
}

@ApiTags('merges')
@ApiBearerAuth()
@Controller('v1')
export class MergesController {
  constructor(private readonly merges: MergeProcess) {}

  @Post('clients/merge')
  @ApiProblems([409, 413], {
    409: 'merge_blocked: errors[] name each client and its obstacle code; nothing changed',
  })
  @HttpCode(200)
  @ApiOperation({ summary: 'Merge 1–1000 clients into the one kept. Irreversible; all or nothing.' })
  @ApiResponse({ status: 200, description: '{ mergeId, client: the survivor }' })
  async merge(@CurrentCaller() caller: Caller, @Body() body: MergeClientsDto) {
    const record = await this.merges.merge(caller, {
      keepId: body.keepId,
      mergeIds: body.mergeIds,
      reason: body.reason ?? null,
    });
    return { mergeId: record._id, client: record.after };
  }

  @Post('clients/merge/preview')
  @ApiProblems([413])
  @ApiResponse({
    status: 200,
    description: '{ client: the survivor as it would be, obstacles, moves: { operations } }',
  })
  @HttpCode(200)
  @ApiOperation({
    summary:
      'What the merge would do: the survivor as it would be, every obstacle, and what moves. Changes nothing.',
  })
  preview(@CurrentCaller() caller: Caller, @Body() body: MergeClientsDto) {
    return this.merges.preview(caller, {
      keepId: body.keepId,
      mergeIds: body.mergeIds,
      reason: body.reason ?? null,
    });
  }

  @Get('merges')
  @ApiOperation({ summary: 'Merge records of the tenant, newest first (every role may read)' })
  async list(@CurrentCaller() caller: Caller, @Query() query: ListMergesQueryDto) {
    const from = query.from ? new Date(query.from).toISOString() : null;
    const to = query.to ? new Date(query.to).toISOString() : null;
    const after = query.cursor ? decodeCursor(query.cursor) : null;
    const matching = (await this.merges.list(caller)).filter(
      (r) =>
        (!query.clientId || r.keepId === query.clientId || r.mergedIds.includes(query.clientId)) &&
        (!from || r.occurredAt >= from) &&
        (!to || r.occurredAt < to) &&
        (!after || r.occurredAt < after[0] || (r.occurredAt === after[0] && r._id < after[1])),
    );
    const limit = query.limit ?? 50;
    const page = matching.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(present),
      nextCursor: matching.length > limit && last ? encodeCursor([last.occurredAt, last._id]) : null,
    };
  }

  @Get('merges/:mergeId')
  @ApiResponse({
    status: 200,
    description: '{ mergeId, occurredAt, actor, reason, keepId, mergedIds, before, after, moved }',
  })
  @ApiProblems([404])
  @ApiOperation({ summary: 'One merge: every involved client before, the survivor after, who, when, why' })
  async get(@CurrentCaller() caller: Caller, @Param('mergeId') mergeId: string) {
    return present(await this.merges.get(caller, mergeId));
  }
}
