import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '@helpdesk/auth';
import type { Principal } from '@helpdesk/auth';
import { BillingAccountsService, CollectionsPolicyService, DunningRunsService, ProvisioningActionsService, ProvisioningSettingsService, ReceivablesService } from '@helpdesk/billing';
import { UuidParamPipe } from '@helpdesk/http';
import { BillingRead, BillingWrite } from './billing-access';
import { CollectionsPolicyDto, DunningDryRunDto, PartnerCalendarDto, DunningRunViewDto, ProvisioningActionDto, ProvisioningActionPageDto, ProvisioningSettingsDto, PublishedPolicyDto, ReceivablesReportDto } from './billing-responses.dto';
import type { StatusResponse } from './billing-accounts.controller';
import { ConfirmProvisioningDto, DunningRunDto, ListProvisioningQueryDto, ListRunsQueryDto, PolicyQueryDto, PutCollectionsPolicyDto, PutProvisioningDto } from './collections.dto';

@ApiTags('billing')
@ApiBearerAuth()
@Controller('collections-policy')
export class CollectionsPolicyController {
  constructor(
    private readonly policy: CollectionsPolicyService,
    private readonly accounts: BillingAccountsService,
  ) {}

  @Put()
  @BillingWrite('Publish a new version of the collections policy', CollectionsPolicyDto)
  put(@CurrentPrincipal() principal: Principal, @Body() body: PutCollectionsPolicyDto) {
    return this.policy.put(principal, body);
  }

  /** Customers get the policy in force written out in their language; staff get it as data (and written out with `locale`). */
  @Get()
  @BillingRead('The collections policy in force (customers, or with `locale`: also written out in that language)', { oneOf: [CollectionsPolicyDto, PublishedPolicyDto] }, { customers: true })
  async get(@CurrentPrincipal() principal: Principal, @Query() query: PolicyQueryDto) {
    if (principal.kind === 'customer') return this.policy.published(query.locale ?? (await this.accounts.localeOf(principal.customerId)));
    return query.locale ? this.policy.published(query.locale) : this.policy.current();
  }

  @Get('calendar')
  @BillingRead("The partner's calendar: today in the policy's time zone (a screen's default and latest date for a dunning run)", PartnerCalendarDto)
  calendar() {
    return this.policy.calendar();
  }

  @Get('versions')
  @BillingRead('Every version of the collections policy, oldest first', [CollectionsPolicyDto])
  versions() {
    return this.policy.list();
  }
}

@ApiTags('billing')
@ApiBearerAuth()
@Controller('dunning/runs')
export class DunningRunsController {
  constructor(private readonly runs: DunningRunsService) {}

  /** 202 with the queued run; 200 with the preview for a dry run. */
  @Post()
  @BillingWrite('Run dunning now (as of today or an earlier date), or preview it with dryRun', [
    { status: 202, type: DunningRunViewDto, description: 'The run, queued' },
    { status: 200, type: DunningDryRunDto, description: 'dryRun: what it would do, nothing written' },
  ])
  async run(@CurrentPrincipal() principal: Principal, @Body() body: DunningRunDto, @Res({ passthrough: true }) res: StatusResponse) {
    const answer = await this.runs.request(principal, body);
    res.status(answer.dryRun ? 200 : 202);
    return answer.dryRun ? { dryRun: true, ...answer.outcome } : answer.run;
  }

  @Get()
  @BillingRead('Recent dunning runs, newest first', [DunningRunViewDto])
  list(@Query() query: ListRunsQueryDto) {
    return this.runs.list(query.limit);
  }

  @Get(':id')
  @BillingRead('A dunning run and what it applied', DunningRunViewDto)
  get(@Param('id', UuidParamPipe) id: string) {
    return this.runs.get(id);
  }
}

@ApiTags('billing')
@ApiBearerAuth()
@Controller()
export class ProvisioningController {
  constructor(
    private readonly settings: ProvisioningSettingsService,
    private readonly actions: ProvisioningActionsService,
  ) {}

  @Put('billing/provisioning')
  @BillingWrite('How provisioning hears about suspensions: signed webhook (Standard Webhooks) or manual tasks', ProvisioningSettingsDto)
  putSettings(@Body() body: PutProvisioningDto) {
    return this.settings.put(body);
  }

  @Get('billing/provisioning')
  @BillingWrite('The provisioning delivery settings (the secret is never shown)', ProvisioningSettingsDto)
  getSettings() {
    return this.settings.get();
  }

  @Get('provisioning-actions')
  @BillingRead('subscription.suspend / subscription.resume deliveries and manual tasks, newest first', ProvisioningActionPageDto)
  list(@Query() query: ListProvisioningQueryDto) {
    return this.actions.list(query);
  }

  @Get('provisioning-actions/:id')
  @BillingRead('A provisioning delivery with its attempts', ProvisioningActionDto)
  get(@Param('id', UuidParamPipe) id: string) {
    return this.actions.get(id);
  }

  @Post('provisioning-actions/:id/confirm')
  @HttpCode(200)
  @BillingWrite('Confirm a manual task was done in the vendor portal', ProvisioningActionDto)
  confirm(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string, @Body() body: ConfirmProvisioningDto) {
    return this.actions.confirm(principal, id, body.note);
  }

  @Post('provisioning-actions/:id/retry')
  @HttpCode(202)
  @BillingWrite('Deliver a failed webhook again from its first attempt', [{ status: 202, type: ProvisioningActionDto, description: 'Queued again' }])
  retry(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string) {
    return this.actions.retry(principal, id);
  }
}

@ApiTags('billing')
@ApiBearerAuth()
@Controller('reports')
export class ReceivablesController {
  constructor(private readonly receivables: ReceivablesService) {}

  @Get('receivables')
  @BillingRead('Receivables: aging per currency, DSO, recovered after suspension, customers suspended', ReceivablesReportDto)
  report() {
    return this.receivables.report();
  }
}
