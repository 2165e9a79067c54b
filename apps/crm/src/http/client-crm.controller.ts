import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, Caller, CurrentCaller } from '@clientbook/platform';
import { ClientRelationships } from '../application/client-relationships.service';
import { ClientMovedFilter } from './client-moved.filter';
import { SetStatusDto, TimelineQueryDto } from './crm.dto';

const MOVED = {
  status: 308,
  description: 'merged: Location is the same path on the survivor, body { mergedInto }',
};

/** One client's CRM: its status, attributes, summary and timeline. */
@ApiTags('crm')
@ApiBearerAuth()
@UseFilters(ClientMovedFilter)
@Controller('v1/clients/:id')
export class ClientCrmController {
  constructor(private readonly relationships: ClientRelationships) {}

  @Get('crm')
  @ApiProblems([404, 410])
  @ApiResponse(MOVED)
  @ApiResponse({ status: 200, description: '{ status, attributes, rating, openTasks, lastContactAt }' })
  @ApiOperation({ summary: 'The client’s CRM summary' })
  summary(@CurrentCaller() caller: Caller, @Param('id') id: string) {
    return this.relationships.summary(caller, id);
  }

  @Put('crm/status')
  @ApiProblems([404, 410, 413])
  @ApiResponse(MOVED)
  @ApiResponse({ status: 200, description: 'the CRM summary after the change' })
  @ApiOperation({ summary: 'Set (or clear, with null) the client’s status' })
  setStatus(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() body: SetStatusDto) {
    return this.relationships.change(caller, id, {
      type: 'SetStatus',
      data: { statusId: body.statusId, comment: body.comment },
    });
  }

  @Put('crm/attributes/:attributeId')
  @ApiProblems([404, 410])
  @ApiResponse(MOVED)
  @ApiResponse({
    status: 200,
    description: 'the CRM summary; giving an attribute the client has changes nothing',
  })
  @ApiOperation({ summary: 'Give the client an attribute' })
  addAttribute(
    @CurrentCaller() caller: Caller,
    @Param('id') id: string,
    @Param('attributeId') attributeId: string,
  ) {
    return this.relationships.change(caller, id, { type: 'AddAttribute', data: { attributeId } });
  }

  @Delete('crm/attributes/:attributeId')
  @HttpCode(204)
  @ApiProblems([404, 410])
  @ApiResponse(MOVED)
  @ApiResponse({ status: 204, description: 'taken off (or it was not there)' })
  @ApiOperation({ summary: 'Take an attribute off the client' })
  async removeAttribute(
    @CurrentCaller() caller: Caller,
    @Param('id') id: string,
    @Param('attributeId') attributeId: string,
  ): Promise<void> {
    await this.relationships.change(caller, id, { type: 'RemoveAttribute', data: { attributeId } });
  }

  @Get('timeline')
  @ApiProblems([404, 410])
  @ApiResponse(MOVED)
  @ApiResponse({
    status: 200,
    description: '{ items: [{ id, kind, occurredAt, author, data }], nextCursor }, newest first',
  })
  @ApiOperation({ summary: 'What happened in the relationship, newest first' })
  async timeline(@CurrentCaller() caller: Caller, @Param('id') id: string, @Query() query: TimelineQueryDto) {
    const page = await this.relationships.timeline(caller, id, {
      kind: query.type,
      from: query.from,
      to: query.to,
      before: query.cursor ? Number(query.cursor) : undefined,
      limit: query.limit ?? 50,
    });
    return { items: page.items, nextCursor: page.nextBefore === null ? null : String(page.nextBefore) };
  }
}
