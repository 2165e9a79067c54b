import { Body, Controller, Delete, Headers, HttpCode, Param, Patch, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { ApiProblems, Caller, CurrentCaller } from '@clientbook/platform';
import { IF_MATCH, runClientCommand } from './client-commands';
import { etagOf } from './if-match';
import { BankAccountDto } from './client.dto';

/** A client's bank accounts, each changed on its own. */
@ApiTags('clients')
@ApiBearerAuth()
@Controller('v1')
export class ClientBankAccountsController {
  constructor(private readonly commands: CommandBus) {}

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
    const snapshot = await runClientCommand(
      this.commands,
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
    const snapshot = await runClientCommand(
      this.commands,
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
    await runClientCommand(
      this.commands,
      caller,
      id,
      { type: 'RemoveBankAccount', data: { bankAccountId } },
      ifMatch,
    );
  }
}
