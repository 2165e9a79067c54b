import { Body, Controller, Get, HttpCode, Param, Post, Put, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { CallableBy, Caller, CurrentCaller } from '@clientbook/platform';
import { ExecuteClientCommand } from '../application/execute-client-command.handler';
import { GetClientQuery } from '../application/client-queries';
import { ownCompanyId } from '../application/own-company';
import { ClientError, type ClientSnapshot } from '../domain';
import { CreateClientDto, registerCommand } from './client.dto';
import { toApiClient } from './api-client';

/**
 * Registrations other services make with ids they chose, so a retry (or a second import racing
 * the first) finds the same client instead of making another: 201 when created, 200 when it existed.
 */
@ApiExcludeController()
@CallableBy('services')
@Controller('internal')
export class InternalRegistrationController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  /** The gateway registers a new tenant's own company here. */
  @Post('own-company')
  @HttpCode(201)
  ownCompany(
    @CurrentCaller() caller: Caller,
    @Body() body: CreateClientDto,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.registerIfAbsent(caller, ownCompanyId(caller.tenantId), body, true, response);
  }

  /** Imports register the clients they create under ids derived from the counterparty. */
  @Put('clients/:id')
  @HttpCode(201)
  client(
    @CurrentCaller() caller: Caller,
    @Param('id') id: string,
    @Body() body: CreateClientDto,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.registerIfAbsent(caller, id, body, false, response);
  }

  /**
   * A client as it is now, for a service that has not seen it on the topic yet (a client made a
   * moment ago): its card with its status (`active`, `merged`, `deleted`) and survivor; 404 when unknown.
   */
  @Get('clients/:id')
  async card(@CurrentCaller() caller: Caller, @Param('id') id: string) {
    const snapshot: ClientSnapshot = await this.queries.execute(new GetClientQuery(caller, id));
    if (!snapshot.client) throw new ClientError('not_found', 'no such client');
    return toApiClient({ ...snapshot, client: snapshot.client });
  }

  /** The tenant's own company as it is now (the seller on its invoices). */
  @Get('own-company')
  ownCompanyCard(@CurrentCaller() caller: Caller) {
    return this.card(caller, ownCompanyId(caller.tenantId));
  }

  private async registerIfAbsent(
    caller: Caller,
    id: string,
    body: CreateClientDto,
    isOwnCompany: boolean,
    response: Response,
  ) {
    let snapshot: ClientSnapshot;
    try {
      snapshot = await this.commands.execute(
        new ExecuteClientCommand(caller, id, registerCommand(body, isOwnCompany, randomUUID)),
      );
    } catch (error) {
      if (!(error instanceof ClientError && error.code === 'non_unique_entry' && error.errors.length === 0))
        throw error;
      snapshot = await this.queries.execute(new GetClientQuery(caller, id));
      response.status(200);
    }
    if (!snapshot.client) throw new ClientError('not_found', 'the client could not be read back');
    return toApiClient({ ...snapshot, client: snapshot.client });
  }
}
