import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentPrincipal } from '@helpdesk/auth';
import type { Principal } from '@helpdesk/auth';
import { CSV_COLUMNS, InvoiceImportService, InvoicesService, OPTIONAL_CSV_COLUMNS, PaymentsService } from '@helpdesk/billing';
import { AppConfig } from '@helpdesk/config';
import { BillingRead, BillingWrite } from './billing-access';
import { ImportResultDto, InvoiceDto, InvoicePageDto } from './billing-responses.dto';
import type { StatusResponse } from './billing-accounts.controller';
import { readCsvBody } from './csv-body';
import { InvoiceNumberPipe } from './invoice-number.pipe';
import { ListInvoicesQueryDto, PaymentDto, PutInvoiceDto } from './invoice.dto';

@ApiTags('billing')
@ApiBearerAuth()
@Controller('invoices')
export class InvoicesController {
  constructor(
    private readonly invoices: InvoicesService,
    private readonly payments: PaymentsService,
    private readonly imports: InvoiceImportService,
    private readonly config: AppConfig,
  ) {}

  /** 201 when created; 200 when the same invoice came again (nothing written) or it changed. */
  @Put(':number')
  @BillingWrite('Store an invoice by its number (idempotent; a changed total on a paid invoice is a 409)', [
    { status: 201, type: InvoiceDto, description: 'Created' },
    { status: 200, type: InvoiceDto, description: 'The same invoice again (nothing written), or changed' },
  ])
  async put(@CurrentPrincipal() principal: Principal, @Param('number', InvoiceNumberPipe) number: string, @Body() body: PutInvoiceDto, @Res({ passthrough: true }) res: StatusResponse) {
    const { invoice, created } = await this.invoices.put(principal, number, body);
    res.status(created ? 201 : 200);
    return invoice;
  }

  @Get()
  @BillingRead('Invoices, newest first (customer tokens: their own)', InvoicePageDto, { customers: true })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListInvoicesQueryDto) {
    return this.invoices.list(principal, { ...query, overdue: query.overdue === undefined ? undefined : query.overdue === 'true' });
  }

  @Get(':number')
  @BillingRead('An invoice with its lines, payments and the collections steps applied to it', InvoiceDto, { customers: true })
  get(@CurrentPrincipal() principal: Principal, @Param('number', InvoiceNumberPipe) number: string) {
    return this.invoices.get(principal, number);
  }

  /** 201 for a new payment; 200 for the same reference and amount again (nothing written). */
  @Post(':number/payments')
  @BillingWrite('Record a payment (partial allowed; more than the balance or another currency is a 422)', [
    { status: 201, type: InvoiceDto, description: 'A new payment: the invoice after it' },
    { status: 200, type: InvoiceDto, description: 'The same reference and amount again (nothing written)' },
  ])
  async pay(@CurrentPrincipal() principal: Principal, @Param('number', InvoiceNumberPipe) number: string, @Body() body: PaymentDto, @Res({ passthrough: true }) res: StatusResponse) {
    const { invoice, created } = await this.payments.record(principal, number, body);
    res.status(created ? 201 : 200);
    return invoice;
  }

  @Post('import')
  @HttpCode(200)
  @BillingWrite('Import invoices from a CSV body: all rows or none, every bad row listed', ImportResultDto)
  @ApiConsumes('text/csv')
  @ApiBody({
    description: `One row per invoice line (rows sharing a number are one invoice). Header: ${[...CSV_COLUMNS, ...OPTIONAL_CSV_COLUMNS].join(',')} (the last two optional). Up to BILLING_IMPORT_MAX_BYTES (64 MiB by default).`,
    schema: { type: 'string', example: 'number,customerId,issuedOn,dueOn,currency,description,amount\nINV-1,6f1c…,2026-11-30,2026-12-30,EUR,Azure,1250.00' },
  })
  async import(@CurrentPrincipal() principal: Principal, @Req() req: FastifyRequest) {
    return this.imports.import(principal, await readCsvBody(req, this.config.BILLING_IMPORT_MAX_BYTES));
  }
}
