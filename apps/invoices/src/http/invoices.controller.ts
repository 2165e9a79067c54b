import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiProblems, Caller, CurrentCaller } from '@clientbook/platform';
import { Invoices } from '../application/invoices.service';
import { renderInvoices } from '../pdf/invoice-pdf';
import {
  CancelInvoiceDto,
  InvoiceDto,
  InvoiceListQueryDto,
  PdfQueryDto,
  PeriodQueryDto,
} from './invoice.dto';

/** The most invoices, and lines in all, one PDF of a period holds; a longer period is printed in parts. */
export const MAX_PER_PDF = { invoices: 1_000, lines: 20_000 };

const PDF_RESPONSE = {
  status: 200,
  description: 'an A4 PDF with Noto Sans embedded (Lithuanian letters print as themselves)',
  content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
};

function sendPdf(response: Response, bytes: Buffer, filename: string): void {
  response.setHeader('Content-Type', 'application/pdf');
  response.setHeader(
    'Content-Disposition',
    `inline; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
  );
  response.status(200).end(bytes);
}

@ApiTags('invoices')
@ApiBearerAuth()
@Controller('v1')
export class InvoicesController {
  constructor(private readonly invoices: Invoices) {}

  @Post('invoices')
  @HttpCode(201)
  @ApiProblems([404, 409, 413], {
    404: 'not_found: no such client',
    409: 'non_unique_entry (this series and number are recorded already) or client_not_active (merged, deleted)',
  })
  @ApiResponse({
    status: 201,
    description: 'the invoice as recorded: totals, amount in words, seller and buyer as printed',
  })
  @ApiOperation({
    summary: 'Record an invoice the sales module issued (posting it again answers 409 and changes nothing)',
  })
  async record(
    @CurrentCaller() caller: Caller,
    @Body() body: InvoiceDto,
    @Res({ passthrough: true }) response: Response,
  ) {
    const invoice = await this.invoices.record(caller, body);
    response.setHeader('Location', `/v1/invoices/${invoice.id}`);
    return invoice;
  }

  @Get('invoices/:id')
  @ApiProblems([404])
  @ApiResponse({ status: 200, description: 'the invoice' })
  @ApiOperation({ summary: 'An invoice' })
  get(@CurrentCaller() caller: Caller, @Param('id') id: string) {
    return this.invoices.get(caller, id);
  }

  @Post('invoices/:id/cancel')
  @HttpCode(200)
  @ApiProblems([404, 413])
  @ApiResponse({
    status: 200,
    description: 'the invoice, cancelled (kept, printable, marked; cancelling again changes nothing)',
  })
  @ApiOperation({ summary: 'Cancel an invoice' })
  cancel(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() body: CancelInvoiceDto) {
    return this.invoices.cancel(caller, id, body.reason);
  }

  @Get('invoices/:id/pdf')
  @ApiProduces('application/pdf')
  @ApiProblems([404])
  @ApiResponse(PDF_RESPONSE)
  @ApiOperation({ summary: 'An invoice as a PDF (Lithuanian by default, or English)' })
  async pdf(
    @CurrentCaller() caller: Caller,
    @Param('id') id: string,
    @Query() query: PdfQueryDto,
    @Res() response: Response,
  ): Promise<void> {
    const invoice = await this.invoices.get(caller, id);
    const bytes = await renderInvoices([invoice], query.lang ?? 'lt');
    sendPdf(response, bytes, `${invoice.series}-${invoice.number}.pdf`);
  }

  @Get('clients/:id/invoices')
  @ApiProblems([404])
  @ApiResponse({
    status: 200,
    description:
      '{ items: [{ id, version, series, number, issueDate, dueDate, clientId, buyer: { clientId, name }, status, currency, totals }], nextCursor, summary: { count, gross } } — newest first; the summary is of the whole filtered set; GET /v1/invoices/{id} has the whole invoice',
  })
  @ApiOperation({ summary: 'The invoices issued to a client (and to the clients merged into it)' })
  list(@CurrentCaller() caller: Caller, @Param('id') clientId: string, @Query() query: InvoiceListQueryDto) {
    return this.invoices.list(
      caller,
      { clientId, from: query.from, to: query.to, status: query.status },
      { limit: query.limit ?? 50, cursor: query.cursor },
    );
  }

  @Get('clients/:id/invoices/pdf')
  @ApiProduces('application/pdf')
  @ApiProblems([404])
  @ApiResponse(PDF_RESPONSE)
  @ApiOperation({
    summary: `A client's invoices of a period in one PDF, in date order (at most ${MAX_PER_PDF.invoices} invoices, ${MAX_PER_PDF.lines} lines)`,
  })
  async periodPdf(
    @CurrentCaller() caller: Caller,
    @Param('id') clientId: string,
    @Query() query: PeriodQueryDto,
    @Res() response: Response,
  ): Promise<void> {
    const invoices = await this.invoices.forPrinting(
      caller,
      { clientId, from: query.from, to: query.to },
      MAX_PER_PDF,
    );
    const bytes = await renderInvoices(invoices, query.lang ?? 'lt');
    sendPdf(response, bytes, `invoices-${query.from ?? 'start'}-${query.to ?? 'now'}.pdf`);
  }
}
