import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength } from 'class-validator';
import { Caller, CurrentCaller } from '@clientbook/platform';
import { ExecuteClientCommand } from '../application/execute-client-command.handler';
import type { ClientSnapshot } from '../infrastructure/client-cards';

export class RecordOperationDto {
  @IsString()
  @MaxLength(300)
  operationId!: string;

  @IsIn(['bank_payment', 'eshop_order', 'invoice'])
  kind!: 'bank_payment' | 'eshop_order' | 'invoice';

  @IsString()
  @MaxLength(300)
  ref!: string;
}

/**
 * Where the services that hold operations (imports now, invoices later) tell a client it has
 * one. Internal: the gateway does not route here. Recording the same operation id twice is harmless.
 */
@ApiExcludeController()
@Controller('internal/clients')
export class OperationsController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/operations')
  @HttpCode(200)
  async record(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() body: RecordOperationDto) {
    const snapshot: ClientSnapshot = await this.commands.execute(
      new ExecuteClientCommand(caller, id, {
        type: 'RecordOperation',
        data: { operationId: body.operationId, kind: body.kind, ref: body.ref },
      }),
    );
    return {
      clientId: id,
      version: snapshot.version,
      hasOperations: snapshot.client?.hasOperations ?? false,
    };
  }
}
