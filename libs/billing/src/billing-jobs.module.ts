import { Module } from '@nestjs/common';
import { WebhooksModule } from '@helpdesk/webhooks';
import { BillingModule } from './billing.module';
import { DunningDeadlines } from './dunning/dunning-deadlines.service';
import { DunningDeadlineProcessor, DunningRunProcessor } from './dunning/dunning.processors';
import { ProvisioningDeliveryService } from './provisioning/provisioning-delivery.service';
import { ProvisioningProcessor } from './provisioning/provisioning.processor';
import { ReceivablesCompactor } from './reports/receivables-compactor.service';

/**
 * The worker's side of billing: the daily and requested dunning runs, customer deadlines,
 * subscription.suspend/resume deliveries, and folding the receivables' per-day deltas. The `notifications` queue has no consumer here: the
 * e-mail channel adds it.
 */
@Module({
  imports: [BillingModule, WebhooksModule],
  providers: [DunningDeadlines, DunningRunProcessor, DunningDeadlineProcessor, ProvisioningDeliveryService, ProvisioningProcessor, ReceivablesCompactor],
  exports: [DunningDeadlines, ReceivablesCompactor],
})
export class BillingJobsModule {}
