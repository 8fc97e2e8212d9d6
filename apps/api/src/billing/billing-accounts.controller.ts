import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '@helpdesk/auth';
import type { Principal } from '@helpdesk/auth';
import { BillingAccountsService, SubscriptionsService, SuspensionsService } from '@helpdesk/billing';
import { UuidParamPipe } from '@helpdesk/http';
import { PageQueryDto } from '../pagination/page-query.dto';
import { BillingRead, BillingWrite } from './billing-access';
import { BillingAccountDto, BillingEventPageDto, NoticeDto, SubscriptionDto, SubscriptionWithHistoryDto, SuspensionDto } from './billing-responses.dto';
import { CreateSubscriptionDto, ManualSuspensionDto, NoticesQueryDto, PauseDunningDto, PutBillingAccountDto, ReasonDto, UpdateSubscriptionDto } from './billing-account.dto';

/** Anything with `status(code)`: the HTTP response, whatever the platform. */
export type StatusResponse = { status(code: number): unknown };

@ApiTags('billing')
@ApiBearerAuth()
@Controller('customers/:id')
export class BillingAccountsController {
  constructor(
    private readonly accounts: BillingAccountsService,
    private readonly subscriptions: SubscriptionsService,
    private readonly suspensions: SuspensionsService,
  ) {}

  /** 201 when the account is new, 200 when it replaced the settings. */
  @Put('billing-account')
  @BillingWrite("Create or replace the customer's billing account", [
    { status: 201, type: BillingAccountDto, description: 'Created' },
    { status: 200, type: BillingAccountDto, description: 'Replaced the settings' },
  ])
  async put(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string, @Body() body: PutBillingAccountDto, @Res({ passthrough: true }) res: StatusResponse) {
    const { account, created } = await this.accounts.put(principal, id, body);
    res.status(created ? 201 : 200);
    return account;
  }

  @Get('billing')
  @BillingRead('The billing account view: status, subscriptions, open invoices, suspensions', BillingAccountDto, { customers: true })
  view(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string) {
    return this.accounts.view(principal, id);
  }

  @Get('billing/timeline')
  @BillingRead("Every billing action on the customer's timeline, oldest first", BillingEventPageDto)
  timeline(@Param('id', UuidParamPipe) id: string, @Query() page: PageQueryDto) {
    return this.accounts.timelineOf(id, page);
  }

  @Get('billing/notices')
  @BillingRead("Reminders, final notices, suspension and restoration notices sent to the customer, in the account's language or in `locale`", [NoticeDto], { customers: true })
  notices(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string, @Query() query: NoticesQueryDto) {
    return this.accounts.notices(principal, id, query.locale);
  }

  @Put('dunning-pause')
  @BillingWrite('Pause dunning for the customer until a date, with a reason', BillingAccountDto)
  pause(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string, @Body() body: PauseDunningDto) {
    return this.accounts.pause(principal, id, body);
  }

  @Delete('dunning-pause')
  @BillingWrite('End a dunning pause now', BillingAccountDto)
  resume(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string) {
    return this.accounts.resume(principal, id);
  }

  @Post('subscriptions')
  @BillingWrite('Add a subscription to the customer’s inventory', [{ status: 201, type: SubscriptionDto, description: 'Created' }])
  addSubscription(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string, @Body() body: CreateSubscriptionDto) {
    return this.subscriptions.create(principal, id, body);
  }

  @Get('subscriptions')
  @BillingRead("The customer's subscriptions", [SubscriptionDto], { customers: true })
  listSubscriptions(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string) {
    return this.subscriptions.list(principal, id);
  }

  @Post('suspensions')
  @BillingWrite('Suspend subscriptions by hand, with a reason (never restored by a payment)', [{ status: 201, type: SuspensionDto, description: 'Created' }])
  suspend(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string, @Body() body: ManualSuspensionDto) {
    return this.suspensions.suspend(principal, id, body);
  }

  @Get('suspensions')
  @BillingRead("The customer's suspensions, oldest first", [SuspensionDto], { customers: true })
  listSuspensions(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string) {
    return this.suspensions.list(principal, id);
  }
}

@ApiTags('billing')
@ApiBearerAuth()
@Controller()
export class SubscriptionsAndSuspensionsController {
  constructor(
    private readonly subscriptions: SubscriptionsService,
    private readonly suspensions: SuspensionsService,
  ) {}

  @Get('subscriptions/:id')
  @BillingRead('A subscription with its status history', SubscriptionWithHistoryDto, { customers: true })
  getSubscription(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string) {
    return this.subscriptions.get(principal, id);
  }

  @Patch('subscriptions/:id')
  @BillingWrite('Change a subscription (offer, quantity, price) or cancel it with a reason', SubscriptionWithHistoryDto)
  updateSubscription(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string, @Body() body: UpdateSubscriptionDto) {
    return this.subscriptions.update(principal, id, body);
  }

  @Get('suspensions/:id')
  @BillingRead('A suspension with its provisioning deliveries and their attempts', SuspensionDto, { customers: true })
  getSuspension(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string) {
    return this.suspensions.get(principal, id);
  }

  @Post('suspensions/:id/restore')
  @HttpCode(200)
  @BillingWrite('Restore (or cancel, if never applied) a suspension by hand, with a reason', SuspensionDto)
  restore(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string, @Body() body: ReasonDto) {
    return this.suspensions.restore(principal, id, body.reason);
  }
}
