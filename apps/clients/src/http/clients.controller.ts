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
  Query,
  Res,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { ApiProblems, Caller, CurrentCaller } from '@clientbook/platform';
import { ExecuteClientCommand } from '../application/execute-client-command.handler';
import {
  ClientPage,
  GetClientHistoryQuery,
  GetClientQuery,
  HistoryItem,
  ListClientsQuery,
} from '../application/client-queries';
import { ownCompanyId } from '../application/own-company';
import { ClientError, ClientSnapshot } from '../domain';
import { toApiClient } from './api-client';
import { IF_MATCH, presentClient, runClientCommand } from './client-commands';
import {
  CreateClientDto,
  DeleteClientQueryDto,
  ListClientsQueryDto,
  registerCommand,
  UpdateClientDto,
} from './client.dto';

/** Client cards: create, list and search, read, change, delete, and their history. */
@ApiTags('clients')
@ApiBearerAuth()
@Controller('v1')
export class ClientsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post('clients')
  @ApiProblems([409, 413], { 409: 'non_unique_entry: another active client holds the code' })
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a client card' })
  @ApiResponse({ status: 201, description: 'the client, with Location and ETag' })
  async create(
    @CurrentCaller() caller: Caller,
    @Body() body: CreateClientDto,
    @Res({ passthrough: true }) response: Response,
  ) {
    const id = randomUUID();
    const register = registerCommand(body, false, randomUUID);
    const snapshot: ClientSnapshot = await this.commands.execute(
      new ExecuteClientCommand(caller, id, register, null, true),
    );
    response.setHeader('Location', `/v1/clients/${id}`);
    return presentClient(snapshot, response);
  }

  @Get('clients')
  @ApiOperation({ summary: 'List and search clients (reflects writes within 1 s)' })
  async list(@CurrentCaller() caller: Caller, @Query() query: ListClientsQueryDto) {
    const page: ClientPage = await this.queries.execute(new ListClientsQuery(caller, query));
    const items = page.items.flatMap((s) => (s.client ? [toApiClient({ ...s, client: s.client })] : []));
    return { items, nextCursor: page.nextCursor };
  }

  @Get('company')
  @ApiOperation({ summary: 'The own company card' })
  async company(@CurrentCaller() caller: Caller, @Res({ passthrough: true }) response: Response) {
    return presentClient(
      await this.queries.execute(new GetClientQuery(caller, ownCompanyId(caller.tenantId))),
      response,
    );
  }

  @Get('clients/:id')
  @ApiResponse({ status: 200, description: 'the client, with ETag' })
  @ApiProblems([404, 410])
  @ApiOperation({ summary: 'A client; 308 to the survivor when merged, 410 when deleted' })
  @ApiResponse({ status: 308, description: 'merged: Location of the survivor, body { mergedInto }' })
  async get(
    @CurrentCaller() caller: Caller,
    @Param('id') id: string,
    @Res() response: Response,
  ): Promise<void> {
    const snapshot: ClientSnapshot = await this.queries.execute(new GetClientQuery(caller, id));
    if (snapshot.client?.status === 'deleted')
      throw new ClientError('client_deleted', 'the client was deleted');
    if (snapshot.client?.status === 'merged' && snapshot.client.mergedInto) {
      // The merged card lives on in the survivor; its history stays readable at /history.
      response.status(308).setHeader('Location', `/v1/clients/${snapshot.client.mergedInto}`);
      response.json({ mergedInto: snapshot.client.mergedInto });
      return;
    }
    response.status(200).json(presentClient(snapshot, response));
  }

  @Patch('clients/:id')
  @ApiResponse({ status: 200, description: 'the client after the change, with ETag' })
  @ApiProblems([404, 409, 410, 412, 413], {
    409: 'non_unique_entry (the code), or client_not_active (merged, or a merge under way)',
  })
  @ApiHeader(IF_MATCH)
  @ApiOperation({ summary: 'Change general fields (JSON merge patch; not addresses or bank accounts)' })
  async update(
    @CurrentCaller() caller: Caller,
    @Param('id') id: string,
    @Body() body: UpdateClientDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    return presentClient(
      await runClientCommand(
        this.commands,
        caller,
        id,
        { type: 'ChangeClientDetails', data: { patch: body } },
        ifMatch,
      ),
      response,
    );
  }

  @Delete('clients/:id')
  @ApiResponse({ status: 204, description: 'deleted' })
  @ApiProblems([404, 409, 410, 412], {
    409: 'client_has_operations (merge it instead), own_company, or client_not_active',
  })
  @HttpCode(204)
  @ApiHeader(IF_MATCH)
  @ApiOperation({ summary: 'Delete a client: 409 client_has_operations (merge it instead) or own_company' })
  async remove(
    @CurrentCaller() caller: Caller,
    @Param('id') id: string,
    @Query() query: DeleteClientQueryDto,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<void> {
    await runClientCommand(
      this.commands,
      caller,
      id,
      { type: 'DeleteClient', data: { reason: query.reason ?? null } },
      ifMatch,
    );
  }

  @Get('clients/:id/history')
  @ApiResponse({
    status: 200,
    description: '{ items: [{ version, type, occurredAt, actor, data }] }, oldest first',
  })
  @ApiProblems([404])
  @ApiOperation({ summary: 'Every event of the client, oldest first (merged and deleted clients too)' })
  async history(@CurrentCaller() caller: Caller, @Param('id') id: string) {
    const items: HistoryItem[] = await this.queries.execute(new GetClientHistoryQuery(caller, id));
    return { items };
  }
}
