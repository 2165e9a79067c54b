import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsObject,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { Type } from 'class-transformer';
import pMap from 'p-map';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { CallableBy, Caller, CurrentCaller, validateItem } from '@clientbook/platform';
import { ExecuteClientCommand } from '../application/execute-client-command.handler';
import { GetClientQuery } from '../application/client-queries';
import { ownCompanyId } from '../application/own-company';
import { ClientError, type ClientSnapshot } from '../domain';
import { CreateClientDto, registerCommand } from './client.dto';
import { toApiClient } from './api-client';

export class RegistrationDto {
  @IsString()
  @MaxLength(100)
  id!: string;

  /** A create body (`POST /v1/clients`), checked on its own: an invalid one fails only itself. */
  @IsObject()
  card!: Record<string, unknown>;
}

export class RegistrationsDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => RegistrationDto)
  clients!: RegistrationDto[];
}

/** What became of one registration of a batch: created, there already, or refused with its reason. */
type Registration = {
  id: string;
  outcome: 'created' | 'existed' | 'refused';
  error: { code: string; detail: string; errors: { field: string; message: string }[] } | null;
};

/** Registrations of one batch run this many at a time (their appends are stored together). */
const REGISTRATIONS_IN_FLIGHT = 32;

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

  /**
   * Imports register the clients they create under ids derived from the counterparty, many in
   * one call (an import's new clients of a chunk): per client, in the order
   * asked, created, existed, or refused (an invalid card, with its errors by field). Any other
   * failure fails the call, and calling again is safe (what was created then exists).
   */
  @Post('clients/registrations')
  @HttpCode(200)
  async clientsAtOnce(
    @CurrentCaller() caller: Caller,
    @Body() body: RegistrationsDto,
  ): Promise<{ results: Registration[] }> {
    const results = await pMap(
      body.clients,
      async ({ id, card }): Promise<Registration> => {
        try {
          const checked = await validateItem(CreateClientDto, card);
          if (!checked.item) throw ClientError.validation(checked.errors);
          const { created } = await this.register(caller, id, checked.item, false);
          return { id, outcome: created ? 'created' : 'existed', error: null };
        } catch (error) {
          if (!(error instanceof ClientError)) throw error;
          const { code, message: detail, errors } = error;
          return { id, outcome: 'refused', error: { code, detail, errors: [...errors] } };
        }
      },
      { concurrency: REGISTRATIONS_IN_FLIGHT },
    );
    return { results };
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
    const { snapshot, created } = await this.register(caller, id, body, isOwnCompany);
    if (!created) response.status(200);
    if (!snapshot.client) throw new ClientError('not_found', 'the client could not be read back');
    return toApiClient({ ...snapshot, client: snapshot.client });
  }

  /** Registers the client under `id` unless it exists: the client, and whether this call made it. */
  private async register(
    caller: Caller,
    id: string,
    body: CreateClientDto,
    isOwnCompany: boolean,
  ): Promise<{ snapshot: ClientSnapshot; created: boolean }> {
    try {
      const snapshot: ClientSnapshot = await this.commands.execute(
        new ExecuteClientCommand(caller, id, registerCommand(body, isOwnCompany, randomUUID)),
      );
      return { snapshot, created: true };
    } catch (error) {
      if (!(error instanceof ClientError && error.code === 'non_unique_entry' && error.errors.length === 0))
        throw error;
      return { snapshot: await this.queries.execute(new GetClientQuery(caller, id)), created: false };
    }
  }
}
