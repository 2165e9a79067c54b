import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Query,
  Res,
  UseFilters,
} from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, Caller, CurrentCaller, etagOf, parseIfMatch } from '@clientbook/platform';
import { ClientRelationships } from '../application/client-relationships.service';
import { ClientMovedFilter } from './client-moved.filter';
import {
  ActivityDto,
  ReviewDto,
  ReviewPatchDto,
  SetStatusDto,
  TaskDto,
  TaskPatchDto,
  TimelineQueryDto,
} from './crm.dto';

const ifMatch = (what: string) => ({
  name: 'If-Match',
  required: false,
  description: `the ${what}’s version ("2"): the change happens only on it, else 412`,
});
const IF_MATCH = ifMatch('activity');

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
    await this.relationships.update(caller, id, { type: 'RemoveAttribute', data: { attributeId } });
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
    return this.relationships.timeline(caller, id, {
      kinds: query.type ? query.type.split(',') : undefined,
      from: query.from,
      to: query.to,
      cursor: query.cursor,
      limit: query.limit ?? 50,
    });
  }

  @Post('crm/activities')
  @HttpCode(201)
  @ApiProblems([404, 410, 413])
  @ApiResponse(MOVED)
  @ApiResponse({
    status: 201,
    description:
      'the activity: { id, clientId, type, occurredAt, author, createdAt, updatedAt, version, …its fields }',
  })
  @ApiOperation({ summary: 'Record a call, meeting, e-mail or note with the client' })
  async logActivity(
    @CurrentCaller() caller: Caller,
    @Param('id') id: string,
    @Body() body: ActivityDto,
    @Res({ passthrough: true }) response: Response,
  ) {
    const activity = await this.relationships.logActivity(caller, id, { ...body });
    response.setHeader('ETag', etagOf(activity.version));
    return activity;
  }

  @Patch('crm/activities/:activityId')
  @ApiHeader(IF_MATCH)
  @ApiProblems([404, 410, 412, 413], { 403: 'forbidden: only its author or an admin changes an activity' })
  @ApiResponse(MOVED)
  @ApiResponse({ status: 200, description: 'the activity after the change (null clears an optional field)' })
  @ApiOperation({ summary: 'Change an activity (its author or an admin)' })
  async editActivity(
    @CurrentCaller() caller: Caller,
    @Param('id') id: string,
    @Param('activityId') activityId: string,
    @Body() body: ActivityDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const version = parseIfMatch(ifMatch, 'an activity version');
    const activity = await this.relationships.editActivity(caller, id, activityId, version, { ...body });
    response.setHeader('ETag', etagOf(activity.version));
    return activity;
  }

  @Delete('crm/activities/:activityId')
  @HttpCode(204)
  @ApiHeader(IF_MATCH)
  @ApiProblems([404, 410, 412], { 403: 'forbidden: only its author or an admin deletes an activity' })
  @ApiResponse(MOVED)
  @ApiResponse({ status: 204, description: 'deleted' })
  @ApiOperation({ summary: 'Delete an activity (its author or an admin)' })
  async deleteActivity(
    @CurrentCaller() caller: Caller,
    @Param('id') id: string,
    @Param('activityId') activityId: string,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<void> {
    await this.relationships.deleteActivity(
      caller,
      id,
      activityId,
      parseIfMatch(ifMatch, 'an activity version'),
    );
  }

  @Post('crm/reviews')
  @HttpCode(201)
  @ApiProblems([404, 410, 413])
  @ApiResponse(MOVED)
  @ApiResponse({
    status: 201,
    description: 'the review: { id, clientId, text, rating, author, createdAt, updatedAt, version }',
  })
  @ApiOperation({ summary: 'Write a review (atsiliepimas) of the client' })
  async writeReview(
    @CurrentCaller() caller: Caller,
    @Param('id') id: string,
    @Body() body: ReviewDto,
    @Res({ passthrough: true }) response: Response,
  ) {
    const review = await this.relationships.writeReview(caller, id, { ...body });
    response.setHeader('ETag', etagOf(review.version));
    return review;
  }

  @Patch('crm/reviews/:reviewId')
  @ApiHeader(ifMatch('review'))
  @ApiProblems([404, 410, 412, 413], { 403: 'forbidden: only its author or an admin changes a review' })
  @ApiResponse(MOVED)
  @ApiResponse({ status: 200, description: 'the review after the change (rating null clears it)' })
  @ApiOperation({ summary: 'Change a review (its author or an admin)' })
  async editReview(
    @CurrentCaller() caller: Caller,
    @Param('id') id: string,
    @Param('reviewId') reviewId: string,
    @Body() body: ReviewPatchDto,
    @Headers('if-match') ifMatchHeader: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const version = parseIfMatch(ifMatchHeader, 'a review version');
    const review = await this.relationships.editReview(caller, id, reviewId, version, { ...body });
    response.setHeader('ETag', etagOf(review.version));
    return review;
  }

  @Delete('crm/reviews/:reviewId')
  @HttpCode(204)
  @ApiHeader(ifMatch('review'))
  @ApiProblems([404, 410, 412], { 403: 'forbidden: only its author or an admin deletes a review' })
  @ApiResponse(MOVED)
  @ApiResponse({ status: 204, description: 'deleted' })
  @ApiOperation({ summary: 'Delete a review (its author or an admin)' })
  async deleteReview(
    @CurrentCaller() caller: Caller,
    @Param('id') id: string,
    @Param('reviewId') reviewId: string,
    @Headers('if-match') ifMatchHeader: string | undefined,
  ): Promise<void> {
    await this.relationships.deleteReview(
      caller,
      id,
      reviewId,
      parseIfMatch(ifMatchHeader, 'a review version'),
    );
  }

  @Post('crm/tasks')
  @HttpCode(201)
  @ApiProblems([404, 410, 413])
  @ApiResponse(MOVED)
  @ApiResponse({
    status: 201,
    description:
      'the task: { id, clientId, title, dueAt, assignee, priority, notes, status: "open", completedAt, overdue, author, createdAt, updatedAt, version }',
  })
  @ApiOperation({ summary: 'Create a follow-up task with the client' })
  async createTask(
    @CurrentCaller() caller: Caller,
    @Param('id') id: string,
    @Body() body: TaskDto,
    @Res({ passthrough: true }) response: Response,
  ) {
    const task = await this.relationships.createTask(caller, id, { ...body });
    response.setHeader('ETag', etagOf(task.version));
    return task;
  }

  @Patch('crm/tasks/:taskId')
  @ApiHeader(ifMatch('task'))
  @ApiProblems([404, 410, 412, 413])
  @ApiResponse(MOVED)
  @ApiResponse({
    status: 200,
    description: 'the task after the change: status done or cancelled sets completedAt, open clears it',
  })
  @ApiOperation({ summary: 'Change a task, or mark it done or cancelled (any writer)' })
  async changeTask(
    @CurrentCaller() caller: Caller,
    @Param('id') id: string,
    @Param('taskId') taskId: string,
    @Body() body: TaskPatchDto,
    @Headers('if-match') ifMatchHeader: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const version = parseIfMatch(ifMatchHeader, 'a task version');
    const task = await this.relationships.changeTask(caller, id, taskId, version, { ...body });
    response.setHeader('ETag', etagOf(task.version));
    return task;
  }
}
