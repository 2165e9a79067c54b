import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { ClientOperation, OPERATION_KINDS, OperationKind } from '@clientbook/contracts';
import { CallableBy, Caller, CurrentCaller } from '@clientbook/platform';
import { ExecuteClientCommand } from '../application/execute-client-command.handler';
import { RecordClientOperations } from '../application/record-operations.handler';
import { ClientError, type ClientSnapshot } from '../domain';

/** The answer per operation of `POST /internal/operations`: recorded, or the error of its client. */
type OperationRecording = {
  clientId: string;
  operationId: string;
  recorded: boolean;
  error: { code: string; message: string } | null;
};

export class RecordOperationDto {
  @IsString()
  @MaxLength(300)
  operationId!: string;

  @IsIn(OPERATION_KINDS)
  kind!: OperationKind;

  @IsString()
  @MaxLength(300)
  ref!: string;
}

export class ClientOperationDto extends RecordOperationDto {
  @IsString()
  @MaxLength(100)
  clientId!: string;
}

export class RecordOperationsDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => ClientOperationDto)
  operations!: ClientOperationDto[];
}

/**
 * Where the services that hold operations (imports now, invoices later) tell a client it has
 * one. Internal: the gateway does not route here. Recording the same operation id twice is harmless.
 */
@ApiExcludeController()
@CallableBy('services')
@Controller('internal')
export class OperationsController {
  constructor(private readonly commands: CommandBus) {}

  private record(caller: Caller, clientId: string, operations: ClientOperation[]): Promise<ClientSnapshot> {
    return this.commands.execute(
      new ExecuteClientCommand(caller, clientId, { type: 'RecordOperations', data: { operations } }),
    );
  }

  @Post('clients/:id/operations')
  @HttpCode(200)
  async recordOne(
    @CurrentCaller() caller: Caller,
    @Param('id') id: string,
    @Body() body: RecordOperationDto,
  ) {
    const { operationId, kind, ref } = body;
    const snapshot = await this.record(caller, id, [{ operationId, kind, ref }]);
    return {
      clientId: id,
      version: snapshot.version,
      hasOperations: snapshot.client?.hasOperations ?? false,
    };
  }

  /**
   * Many operations on many clients in one call (an import records a chunk of lines at once).
   * One append per client, stored together; a client that refuses (deleted, merged, unknown) fails its own
   * operations only, each named in `results`, in the order asked. Any other failure fails the
   * call, and calling again is safe.
   */
  @Post('operations')
  @HttpCode(200)
  async recordMany(
    @CurrentCaller() caller: Caller,
    @Body() body: RecordOperationsDto,
  ): Promise<{ results: OperationRecording[] }> {
    const byClient = new Map<string, ClientOperation[]>();
    for (const { clientId, operationId, kind, ref } of body.operations)
      byClient.set(clientId, [...(byClient.get(clientId) ?? []), { operationId, kind, ref }]);
    const refusals: Map<string, ClientError> = await this.commands.execute(
      new RecordClientOperations(caller, byClient),
    );
    const failures = new Map(
      [...refusals].map(([clientId, error]) => [clientId, { code: error.code, message: error.message }]),
    );
    return {
      results: body.operations.map(({ clientId, operationId }) => {
        const error = failures.get(clientId) ?? null;
        return { clientId, operationId, recorded: error === null, error };
      }),
    };
  }
}
