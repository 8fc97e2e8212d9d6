import { Module } from '@nestjs/common';
import { IntakeModule } from '@helpdesk/intake';
import { InboundMailStore } from './inbound/inbound-mail-store.service';
import { InboundMailboxService } from './inbound/inbound-mailbox.service';
import { InboundWebhookService } from './inbound/inbound-webhook.service';
import { NotificationsService } from './outbound/notifications.service';

const EXPORTED = [InboundMailStore, InboundWebhookService, InboundMailboxService, NotificationsService];

/** Customer channels (e-mail in) for both apps: storing what arrives, the unmatched queue. */
@Module({
  imports: [IntakeModule],
  providers: EXPORTED,
  exports: EXPORTED,
})
export class ChannelsModule {}
