import { Body, Controller, Delete, Headers, HttpCode, Param, Patch, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { ApiProblems, Caller, CurrentCaller } from '@clientbook/platform';
import { IF_MATCH, runClientCommand } from './client-commands';
import { etagOf } from './if-match';
import { AddressDto } from './client.dto';

/** A client's addresses, each changed on its own. */
@ApiTags('clients')
@ApiBearerAuth()
@Controller('v1')
export class ClientAddressesController {
  constructor(private readonly commands: CommandBus) {}

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
    const snapshot = await runClientCommand(
      this.commands,
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
    const snapshot = await runClientCommand(
      this.commands,
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
    await runClientCommand(
      this.commands,
      caller,
      id,
      { type: 'RemoveAddress', data: { addressId } },
      ifMatch,
    );
  }
}
