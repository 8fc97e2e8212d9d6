import { Module } from '@nestjs/common';
import { AppConfig } from '@helpdesk/config';
import { WebhookClient } from './outbound/webhook-client';
import { WebhookTargets } from './outbound/webhook-targets';

/**
 * The guarded webhook client (one connection pool per process, closed on shutdown) and the
 * save-time target check, both following WEBHOOK_ALLOW_PRIVATE. Import it where webhooks are
 * configured or sent.
 */
@Module({
  providers: [
    { provide: WebhookClient, inject: [AppConfig], useFactory: (config: AppConfig) => new WebhookClient({ allowPrivate: config.webhookAllowPrivate }) },
    WebhookTargets,
  ],
  exports: [WebhookClient, WebhookTargets],
})
export class WebhooksModule {}
