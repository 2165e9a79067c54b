import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiOperation,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { ApiError, ApiProblems, Caller, CurrentCaller } from '@clientbook/platform';
import { CHARSETS, parseMapping } from '../client-files/client-file.parser';
import { EshopOrdersImportDto } from '../eshop-orders/eshop-orders.dto';
import { ImportJobs } from './import-jobs';
import { ImportWorker } from './import-worker';
import { totalsOf } from '../matching/import-line';

const XML_TYPES = /^(application|text)\/xml\b/i;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

@ApiTags('imports')
@ApiBearerAuth()
@Controller('v1/imports')
export class ImportsController {
  constructor(
    private readonly jobs: ImportJobs,
    private readonly worker: ImportWorker,
  ) {}

  @Post('bank-statements')
  @ApiBody({
    required: true,
    description: 'an ISO 20022 camt.053 statement, decoded as its XML declaration says',
    schema: { type: 'string' },
  })
  @ApiProblems([413, 415])
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
    if (!Buffer.isBuffer(body) || body.length === 0)
      throw new ApiError('validation_failed', 'the request has no statement');
    // Kept as bytes: the statement is decoded as its own XML declaration says, when it is read.
    const job = await this.jobs.create(
      caller.tenantId,
      'bank-statement',
      body.toString('base64'),
      randomUUID(),
      caller.correlationId,
      { contentEncoding: 'base64' },
    );
    this.worker.notify();
    return { importId: job._id, status: job.status };
  }

  @Post('eshop-orders')
  @ApiProblems([413])
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

  @Post('clients')
  @ApiBody({
    required: true,
    description:
      'a CSV file (UTF-8 by default; `charset=windows-1257` or `iso-8859-13`) or an .xlsx workbook',
    schema: { type: 'string', format: 'binary', minLength: 1 },
  })
  @ApiProblems([413, 415])
  @HttpCode(202)
  @ApiConsumes('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiQuery({
    name: 'mapping',
    required: false,
    description: 'JSON object { "<their header>": "<our field>" }',
  })
  @ApiOperation({
    summary: 'Import client cards from another application: CSV (UTF-8, windows-1257, ISO-8859-13) or XLSX',
  })
  @ApiResponse({ status: 202, description: '{ importId, status: "queued" }' })
  async clientFile(
    @CurrentCaller() caller: Caller,
    @Headers('content-type') contentType: string | undefined,
    @Query('mapping') mappingJson: string | undefined,
    @Body() body: unknown,
  ) {
    const type = (contentType ?? '').toLowerCase();
    const format = type.startsWith(XLSX_TYPE) ? 'xlsx' : type.startsWith('text/csv') ? 'csv' : null;
    if (!format) throw new ApiError('unsupported_media_type', `send text/csv or ${XLSX_TYPE}`);
    const charset = /charset=([\w-]+)/.exec(type)?.[1] ?? 'utf-8';
    if (format === 'csv' && !(CHARSETS as readonly string[]).includes(charset)) {
      throw new ApiError('unsupported_media_type', `charset ${charset} is not one of ${CHARSETS.join(', ')}`);
    }
    if (!Buffer.isBuffer(body) || body.length === 0)
      throw new ApiError('validation_failed', 'the request has no file');
    parseMapping(mappingJson); // refused here with 400, before a job exists
    const job = await this.jobs.create(
      caller.tenantId,
      'clients',
      body.toString('base64'),
      randomUUID(),
      caller.correlationId,
      {
        format,
        charset,
        mappingJson,
      },
    );
    this.worker.notify();
    return { importId: job._id, status: job.status };
  }

  @Get(':id')
  @ApiResponse({ status: 200, description: '{ id, kind, status, totals, lines, error }' })
  @ApiProblems([404])
  @ApiOperation({
    summary: 'An import: status, totals and every line with its outcome',
    description:
      'Lines appear as they are processed (the first ten at once, then a hundred at a time). A job ' +
      'fails as a whole only when its file cannot be read: `error.code` is `unparseable_file` (the ' +
      'message names the line and column, or the element) or `payload_too_large` (more than ' +
      '100,000 lines or rows); no line of such a file is applied.',
  })
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
