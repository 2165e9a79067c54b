import pMap from 'p-map';
import { Body, Controller, HttpCode, Logger, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, Caller, CurrentCaller, unexpectedItemError } from '@clientbook/platform';
import { ClientError } from '../domain';
import { runClientCommand } from './client-commands';
import { BulkUpdateDto } from './client.dto';

/** One change of residency and roles applied to many clients, each on its own. */
@ApiTags('clients')
@ApiBearerAuth()
@Controller('v1')
export class BulkUpdateController {
  private readonly logger = new Logger(BulkUpdateController.name);

  constructor(private readonly commands: CommandBus) {}

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
    // A few at a time, each a full command with its own retries; results in the order asked.
    const outcomes = await pMap(
      [...new Set(body.ids)],
      async (id) => {
        try {
          await runClientCommand(this.commands, caller, id, {
            type: 'ChangeResidencyAndRoles',
            data: body.set,
          });
          return { id, error: null };
        } catch (error) {
          if (!(error instanceof ClientError))
            return { id, error: unexpectedItemError(this.logger, id, error) };
          return { id, error: { id, code: error.code, message: error.message } };
        }
      },
      { concurrency: 8 },
    );
    return {
      updated: outcomes.filter((o) => o.error === null).map((o) => o.id),
      failed: outcomes.flatMap((o) => (o.error ? [o.error] : [])),
    };
  }
}
