import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { CrmEvent } from '@clientbook/contracts';
import { ApiProblems, CallableBy, Caller, CurrentCaller } from '@clientbook/platform';
import { ClientRelationships } from '../application/client-relationships.service';
import { CrmDefinitions } from '../application/crm-definitions.service';
import { CrmError, orderedStatuses } from '../domain';
import {
  AttributeDto,
  AttributePatchDto,
  CallOutcomeDto,
  CrmBulkUpdateDto,
  StatusDto,
  StatusPatchDto,
} from './crm.dto';

const found = <T extends { id: string }>(items: readonly T[], id: string): T => {
  const item = items.find((i) => i.id === id);
  if (!item) throw new CrmError('not_found', `no ${id}`);
  return item;
};
/** What a definition's change made, from its event (not a fresh read another admin may have changed). */
function made<T>(events: readonly CrmEvent[], pick: (event: CrmEvent) => T | undefined): T {
  for (const event of events) {
    const found = pick(event);
    if (found !== undefined) return found;
  }
  throw new Error('the change made no definition');
}

/** The tenant's CRM vocabulary: every key reads it, admins change it. */
@ApiTags('crm')
@ApiBearerAuth()
@Controller('v1/crm')
export class DefinitionsController {
  constructor(
    private readonly definitions: CrmDefinitions,
    private readonly relationships: ClientRelationships,
  ) {}

  @Post('bulk-update')
  @HttpCode(200)
  @ApiProblems([413])
  @ApiResponse({
    status: 200,
    description:
      '{ updated: [ids], failed: [{ id, code, message }] }, in the order asked; one bad id stops no other',
  })
  @ApiOperation({ summary: 'Set the status and add or remove attributes of 1–1000 clients' })
  bulkUpdate(@CurrentCaller() caller: Caller, @Body() body: CrmBulkUpdateDto) {
    return this.relationships.bulkUpdate(caller, body.ids, body.set);
  }

  @Get('statuses')
  @ApiOperation({ summary: 'The tenant’s client statuses, in their order' })
  async statuses(@CurrentCaller() caller: Caller) {
    return orderedStatuses(await this.definitions.get(caller));
  }

  @Post('statuses')
  @HttpCode(201)
  @CallableBy('admin')
  @ApiProblems([413])
  @ApiResponse({ status: 201, description: 'the new status; its id is made of its name' })
  @ApiOperation({ summary: 'Add a status (admin)' })
  async addStatus(@CurrentCaller() caller: Caller, @Body() body: StatusDto) {
    const { events } = await this.definitions.change(caller, { type: 'DefineStatus', data: body });
    return made(events, (e) => (e.type === 'StatusDefined' ? e.data.status : undefined));
  }

  @Patch('statuses/:statusId')
  @CallableBy('admin')
  @ApiProblems([404, 413])
  @ApiResponse({ status: 200, description: 'the status after the change' })
  @ApiOperation({ summary: 'Rename, recolour, reorder or close a status (admin)' })
  async changeStatus(
    @CurrentCaller() caller: Caller,
    @Param('statusId') statusId: string,
    @Body() body: StatusPatchDto,
  ) {
    const after = await this.definitions.change(caller, {
      type: 'UpdateStatus',
      data: { statusId, patch: body },
    });
    return found(after.state.statuses, statusId);
  }

  @Delete('statuses/:statusId')
  @HttpCode(204)
  @CallableBy('admin')
  @ApiProblems([404, 409], { 409: 'status_in_use: a client holds the status; give it another first' })
  @ApiResponse({ status: 204, description: 'removed' })
  @ApiOperation({ summary: 'Remove a status no client holds (admin)' })
  async removeStatus(@CurrentCaller() caller: Caller, @Param('statusId') statusId: string): Promise<void> {
    await this.definitions.change(caller, { type: 'RemoveStatus', data: { statusId, clientsHoldingIt: 0 } });
  }

  @Get('attributes')
  @ApiOperation({ summary: 'The tenant’s client attributes (požymiai)' })
  async attributes(@CurrentCaller() caller: Caller) {
    return (await this.definitions.get(caller)).attributes;
  }

  @Post('attributes')
  @HttpCode(201)
  @CallableBy('admin')
  @ApiProblems([413])
  @ApiResponse({ status: 201, description: 'the new attribute; its id is made of its name' })
  @ApiOperation({ summary: 'Add an attribute (admin)' })
  async addAttribute(@CurrentCaller() caller: Caller, @Body() body: AttributeDto) {
    const { events } = await this.definitions.change(caller, { type: 'DefineAttribute', data: body });
    return made(events, (e) => (e.type === 'AttributeDefined' ? e.data.attribute : undefined));
  }

  @Patch('attributes/:attributeId')
  @CallableBy('admin')
  @ApiProblems([404, 413])
  @ApiResponse({ status: 200, description: 'the attribute after the change' })
  @ApiOperation({ summary: 'Rename or recolour an attribute (admin)' })
  async changeAttribute(
    @CurrentCaller() caller: Caller,
    @Param('attributeId') attributeId: string,
    @Body() body: AttributePatchDto,
  ) {
    const after = await this.definitions.change(caller, {
      type: 'UpdateAttribute',
      data: { attributeId, patch: body },
    });
    return found(after.state.attributes, attributeId);
  }

  @Delete('attributes/:attributeId')
  @HttpCode(204)
  @CallableBy('admin')
  @ApiProblems([404])
  @ApiResponse({ status: 204, description: 'removed, and taken off every client that had it' })
  @ApiOperation({ summary: 'Remove an attribute, from every client too (admin)' })
  async removeAttribute(
    @CurrentCaller() caller: Caller,
    @Param('attributeId') attributeId: string,
  ): Promise<void> {
    await this.definitions.change(caller, { type: 'RemoveAttribute', data: { attributeId } });
  }

  @Get('call-outcomes')
  @ApiOperation({ summary: 'The tenant’s call outcomes' })
  async callOutcomes(@CurrentCaller() caller: Caller) {
    return (await this.definitions.get(caller)).callOutcomes;
  }

  @Post('call-outcomes')
  @HttpCode(201)
  @CallableBy('admin')
  @ApiProblems([413])
  @ApiResponse({ status: 201, description: 'the new call outcome' })
  @ApiOperation({ summary: 'Add a call outcome (admin)' })
  async addCallOutcome(@CurrentCaller() caller: Caller, @Body() body: CallOutcomeDto) {
    const { events } = await this.definitions.change(caller, { type: 'DefineCallOutcome', data: body });
    return made(events, (e) => (e.type === 'CallOutcomeDefined' ? e.data.outcome : undefined));
  }
}
