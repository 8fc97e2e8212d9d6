import { Module } from '@nestjs/common';
import { AuditModule } from '@helpdesk/audit';
import { IntakeModule } from '@helpdesk/intake';
import { WebhooksModule } from '@helpdesk/webhooks';
import { BillingAccountsService } from './accounts/billing-accounts.service';
import { BillingStatusService } from './accounts/billing-status';
import { BillingClock } from './clock/billing-clock';
import { DisputeCheck } from './disputes/dispute-check';
import { DISPUTE_LOOKUP, TicketDisputeLookup } from './disputes/dispute-lookup';
import { DunningEngine } from './dunning/dunning-engine.service';
import { DunningRunsService } from './dunning/dunning-runs.service';
import { DunningSchedule } from './dunning/dunning-schedule';
import { InvoiceImportService } from './invoices/invoice-import.service';
import { InvoicesService } from './invoices/invoices.service';
import { PaymentsService } from './invoices/payments.service';
import { NoticeMails } from './notices/notice-mail';
import { CollectionsPolicyService } from './policy/collections-policy.service';
import { ProvisioningActionsService } from './provisioning/provisioning-actions.service';
import { ProvisioningSettingsService } from './provisioning/provisioning-settings.service';
import { ReceivablesService } from './reports/receivables.service';
import { SubscriptionsService } from './subscriptions/subscriptions.service';
import { SuspensionsService } from './suspensions/suspensions.service';
import { SuspendedProducts } from './tickets/suspended-products';
import { TicketBillingStatus } from './tickets/ticket-billing-status';
import { BillingTimeline } from './timeline/billing-timeline.service';

const SERVICES = [
  BillingClock,
  BillingTimeline,
  CollectionsPolicyService,
  DunningSchedule,
  BillingStatusService,
  BillingAccountsService,
  SubscriptionsService,
  SuspensionsService,
  InvoicesService,
  PaymentsService,
  DunningEngine,
  DunningRunsService,
  InvoiceImportService,
  ProvisioningSettingsService,
  ProvisioningActionsService,
  ReceivablesService,
  SuspendedProducts,
  NoticeMails,
];

/** Billing and collections (both apps): accounts, subscriptions, invoices, the policy, dunning, suspensions. */
@Module({
  imports: [AuditModule, IntakeModule, WebhooksModule],
  providers: [...SERVICES, TicketBillingStatus, DisputeCheck, { provide: DISPUTE_LOOKUP, useClass: TicketDisputeLookup }],
  exports: [...SERVICES, DISPUTE_LOOKUP],
})
export class BillingModule {}
