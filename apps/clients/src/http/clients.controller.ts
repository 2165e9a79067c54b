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
import { ClientCommand, ClientError } from '../domain';
import type { ClientSnapshot } from '../infrastructure/client-cards';
import { toApiClient } from '../infrastructure/client-cards';
import {
  AddressDto,
  BankAccountDto,
  BulkUpdateDto,
  CreateClientDto,
  DeleteClientQueryDto,
  ListClientsQueryDto,
  registerCommand,
  UpdateClientDto,
} from './client.dto';
import { etagOf, parseIfMatch } from './if-match';

const IF_MATCH = {
  name: 'If-Match',
  required: false,
  description: 'the client version ("3"): the write happens only on it, else 412',
};

function present(snapshot: ClientSnapshot, response: Response) {
  if (!snapshot.client) throw new ClientError('not_found', 'no such client');
  response.setHeader('ETag', etagOf(snapshot.version));
  return toApiClient({ ...snapshot, client: snapshot.client });
}

@ApiTags('clients')
@ApiBearerAuth()
@Controller('v1')
export class ClientsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  private run(
    caller: Caller,
    clientId: string,
    command: ClientCommand,
    ifMatch: string | undefined = undefined,
  ): Promise<ClientSnapshot> {
    return this.commands.execute(new ExecuteClientCommand(caller, clientId, command, parseIfMatch(ifMatch)));
  }

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
    return present(snapshot, response);
  }

  @Get('clients')
  @ApiOperation({ summary: 'List and search clients (reflects writes within 1 s)' })
  async list(@CurrentCaller() caller: Caller, @Query() query: ListClientsQueryDto) {
    const page: ClientPage = await this.queries.execute(new ListClientsQuery(caller, query));
    const items = page.items.flatMap((s) => (s.client ? [toApiClient({ ...s, client: s.client })] : []));
    return { items, nextCursor: page.nextCursor };
  }

  @Post('clients/bulk-update')
  @ApiProblems([413])
  @ApiResponse({
    status: 200,
    description: '{ updated: [ids], failed: [{ id, code, message }] }, in the order asked',
  })
  @HttpCode(200)
  @ApiOperation({
    summary: 'Set residency, add or remove roles on 1–1000 clients; one bad id does not stop the others',
  })
  async bulkUpdate(@CurrentCaller() caller: Caller, @Body() body: BulkUpdateDto) {
    const updated: string[] = [];
    const failed: { id: string; code: string; message: string }[] = [];
    const ids = [...new Set(body.ids)];
    let next = 0;
    // A few at a time: each is a full command with its own retries.
    await Promise.all(
      Array.from({ length: Math.min(8, ids.length) }, async () => {
        while (next < ids.length) {
          const id = ids[next++];
          try {
            await this.run(caller, id, { type: 'ChangeResidencyAndRoles', data: body.set });
            updated.push(id);
          } catch (error) {
            if (!(error instanceof ClientError)) throw error;
            failed.push({ id, code: error.code, message: error.message });
          }
        }
      }),
    );
    const order = new Map(ids.map((id, i) => [id, i]));
    const byRequest = (a: string, b: string) => (order.get(a) ?? 0) - (order.get(b) ?? 0);
    return { updated: updated.sort(byRequest), failed: failed.sort((a, b) => byRequest(a.id, b.id)) };
  }

  @Get('company')
  @ApiOperation({ summary: 'The own company card' })
  async company(@CurrentCaller() caller: Caller, @Res({ passthrough: true }) response: Response) {
    return present(
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
    response.status(200).json(present(snapshot, response));
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
    return present(
      await this.run(caller, id, { type: 'ChangeClientDetails', data: { patch: body } }, ifMatch),
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
    await this.run(caller, id, { type: 'DeleteClient', data: { reason: query.reason ?? null } }, ifMatch);
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

  @Post('clients/:id/addresses')
  @ApiResponse({ status: 201, description: 'the new address (its client’s ETag)' })
  @ApiProblems([404, 409, 410, 412, 413], { 409: 'client_not_active (merged, or a merge under way)' })
  @HttpCode(201)
  @ApiHeader(IF_MATCH)
  async addAddress(
    @CurrentCaller() caller: Caller,
    @Param('id') id: string,
    @Body() body: AddressDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const addressId = randomUUID();
    const snapshot = await this.run(
      caller,
      id,
      { type: 'AddAddress', data: { address: { ...body, id: addressId } } },
      ifMatch,
    );
    response
      .setHeader('Location', `/v1/clients/${id}/addresses/${addressId}`)
      .setHeader('ETag', etagOf(snapshot.version));
    return snapshot.client?.addresses.find((a) => a.id === addressId);
  }

  @Patch('clients/:id/addresses/:addressId')
  @ApiResponse({ status: 200, description: 'the address after the change' })
  @ApiProblems([404, 409, 410, 412, 413], { 409: 'client_not_active (merged, or a merge under way)' })
  @ApiHeader(IF_MATCH)
  async changeAddress(
    @CurrentCaller() caller: Caller,
    @Param('id') id: string,
    @Param('addressId') addressId: string,
    @Body() body: AddressDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const snapshot = await this.run(
      caller,
      id,
      { type: 'ChangeAddress', data: { addressId, patch: body } },
      ifMatch,
    );
    response.setHeader('ETag', etagOf(snapshot.version));
    return snapshot.client?.addresses.find((a) => a.id === addressId);
  }

  @Delete('clients/:id/addresses/:addressId')
  @ApiResponse({ status: 204, description: 'removed' })
  @ApiProblems([404, 409, 410, 412], { 409: 'client_not_active (merged, or a merge under way)' })
  @HttpCode(204)
  @ApiHeader(IF_MATCH)
  async removeAddress(
    @CurrentCaller() caller: Caller,
    @Param('id') id: string,
    @Param('addressId') addressId: string,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<void> {
    await this.run(caller, id, { type: 'RemoveAddress', data: { addressId } }, ifMatch);
  }

  @Post('clients/:id/bank-accounts')
  @ApiResponse({ status: 201, description: 'the new bank account (its client’s ETag)' })
  @ApiProblems([404, 409, 410, 412, 413], { 409: 'client_not_active (merged, or a merge under way)' })
  @HttpCode(201)
  @ApiHeader(IF_MATCH)
  async addBankAccount(
    @CurrentCaller() caller: Caller,
    @Param('id') id: string,
    @Body() body: BankAccountDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const bankAccountId = randomUUID();
    const snapshot = await this.run(
      caller,
      id,
      { type: 'AddBankAccount', data: { bankAccount: { ...body, id: bankAccountId } } },
      ifMatch,
    );
    response
      .setHeader('Location', `/v1/clients/${id}/bank-accounts/${bankAccountId}`)
      .setHeader('ETag', etagOf(snapshot.version));
    return snapshot.client?.bankAccounts.find((b) => b.id === bankAccountId);
  }

  @Patch('clients/:id/bank-accounts/:accountId')
  @ApiResponse({ status: 200, description: 'the bank account after the change' })
  @ApiProblems([404, 409, 410, 412, 413], { 409: 'client_not_active (merged, or a merge under way)' })
  @ApiHeader(IF_MATCH)
  async changeBankAccount(
    @CurrentCaller() caller: Caller,
    @Param('id') id: string,
    @Param('accountId') bankAccountId: string,
    @Body() body: BankAccountDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const snapshot = await this.run(
      caller,
      id,
      { type: 'ChangeBankAccount', data: { bankAccountId, patch: body } },
      ifMatch,
    );
    response.setHeader('ETag', etagOf(snapshot.version));
    return snapshot.client?.bankAccounts.find((b) => b.id === bankAccountId);
  }

  @Delete('clients/:id/bank-accounts/:accountId')
  @ApiResponse({ status: 204, description: 'removed' })
  @ApiProblems([404, 409, 410, 412], { 409: 'client_not_active (merged, or a merge under way)' })
  @HttpCode(204)
  @ApiHeader(IF_MATCH)
  async removeBankAccount(
    @CurrentCaller() caller: Caller,
    @Param('id') id: string,
    @Param('accountId') bankAccountId: string,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<void> {
    await this.run(caller, id, { type: 'RemoveBankAccount', data: { bankAccountId } }, ifMatch);
  }
}
