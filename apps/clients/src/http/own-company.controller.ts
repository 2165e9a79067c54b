import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { Caller, CurrentCaller } from '@clientbook/platform';
import { ExecuteClientCommand } from '../application/execute-client-command.handler';
import { GetClientQuery } from '../application/client-queries';
import { ownCompanyId } from '../application/own-company';
import { ClientError } from '../domain';
import { toApiClient } from '../infrastructure/client-cards';
import type { ClientSnapshot } from '../infrastructure/client-cards';
import { CreateClientDto, registerCommand } from './client.dto';

/** The gateway registers a new tenant's own company here; a retry returns the same card. */
@ApiExcludeController()
@Controller('internal/own-company')
export class OwnCompanyController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @HttpCode(201)
  async register(
    @CurrentCaller() caller: Caller,
    @Body() body: CreateClientDto,
    @Res({ passthrough: true }) response: Response,
  ) {
    const id = ownCompanyId(caller.tenantId);
    let snapshot: ClientSnapshot;
    try {
      snapshot = await this.commands.execute(
        new ExecuteClientCommand(caller, id, registerCommand(body, true, randomUUID)),
      );
    } catch (error) {
      if (!(error instanceof ClientError && error.code === 'non_unique_entry' && error.errors.length === 0))
        throw error;
      snapshot = await this.queries.execute(new GetClientQuery(caller, id));
      response.status(200);
    }
    if (!snapshot.client) throw new ClientError('not_found', 'the own company could not be read back');
    return toApiClient({ ...snapshot, client: snapshot.client });
  }
}
