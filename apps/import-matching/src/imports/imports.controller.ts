import { Body, Controller, Get, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { ApiError, Caller, CurrentCaller } from '@clientbook/platform';
import { EshopOrdersImportDto } from './eshop-orders.dto';
import { ImportJobs, ImportLine, Totals } from './import-jobs';
import { ImportWorker } from './import-worker';

const XML_TYPES = /^(application|text)\/xml\b/i;

function totalsOf(lines: readonly ImportLine[]): Totals {
  const count = (outcome: ImportLine['outcome']) => lines.filter((l) => l.outcome === outcome).length;
  return {
    lines: lines.length,
    matched: count('matched'),
    created: count('created'),
    skipped: count('skipped'),
    failed: count('failed'),
  };
}

@ApiTags('imports')
@ApiBearerAuth()
@Controller('v1/imports')
export class ImportsController {
  constructor(
    private readonly jobs: ImportJobs,
    private readonly worker: ImportWorker,
  ) {}

  @Post('bank-statements')
  @HttpCode(202)
  @ApiConsumes('application/xml')
  @ApiOperation({
    summary:
      'Import an ISO 20022 camt.053 statement (any camt.053.001.xx); answers at once, the job runs after',
  })
  @ApiResponse({ status: 202, description: '{ importId, status: "queued" }' })
  async bankStatement(
    @CurrentCaller() caller: Caller,
    @Headers('content-type') contentType: string | undefined,
    @Body() body: unknown,
  ) {
    if (!contentType || !XML_TYPES.test(contentType)) {
      throw new ApiError('unsupported_media_type', 'send the statement as application/xml');
    }
    if (typeof body !== 'string' || body.trim() === '')
      throw new ApiError('validation_failed', 'the request has no statement');
    const job = await this.jobs.create(
      caller.tenantId,
      'bank-statement',
      body,
      randomUUID(),
      caller.correlationId,
    );
    this.worker.notify();
    return { importId: job._id, status: job.status };
  }

  @Post('eshop-orders')
  @HttpCode(202)
  @ApiOperation({ summary: 'Import e-shop orders; answers at once, the job runs after' })
  @ApiResponse({ status: 202, description: '{ importId, status: "queued" }' })
  async eshopOrders(@CurrentCaller() caller: Caller, @Body() body: EshopOrdersImportDto) {
    const job = await this.jobs.create(
      caller.tenantId,
      'eshop-orders',
      JSON.stringify(body),
      randomUUID(),
      caller.correlationId,
    );
    this.worker.notify();
    return { importId: job._id, status: job.status };
  }

  @Get(':id')
  @ApiOperation({ summary: 'An import: status, totals and every line with its outcome' })
  async get(@CurrentCaller() caller: Caller, @Param('id') id: string) {
    const job = await this.jobs.find(caller.tenantId, id);
    if (!job) throw new ApiError('not_found', 'no such import');
    const lines = await this.jobs.linesOf(job);
    return {
      id: job._id,
      kind: job.kind,
      status: job.status,
      createdAt: job.createdAt,
      updatedAt: job.updatedAt,
      error: job.error,
      totals: totalsOf(lines),
      lines,
    };
  }
}
