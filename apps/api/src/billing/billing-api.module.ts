import { Module } from '@nestjs/common';
import { BillingGauges, BillingModule } from '@helpdesk/billing';
import { MetricsModule } from '@helpdesk/monitoring';
import { BillingAccountsController, SubscriptionsAndSuspensionsController } from './billing-accounts.controller';
import { CollectionsPolicyController, DunningRunsController, ProvisioningController, ReceivablesController } from './collections.controller';
import { CsvBodyParser } from './csv-body';
import { InvoicesController } from './invoices.controller';

/** Billing's routes and its Prometheus gauges on the api's /metrics. */
@Module({
  imports: [BillingModule, MetricsModule],
  controllers: [
    BillingAccountsController,
    SubscriptionsAndSuspensionsController,
    InvoicesController,
    CollectionsPolicyController,
    DunningRunsController,
    ProvisioningController,
    ReceivablesController,
  ],
  providers: [BillingGauges, CsvBodyParser],
})
export class BillingApiModule {}
