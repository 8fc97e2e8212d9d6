import { Module } from '@nestjs/common';
import { AuthModule } from '@helpdesk/auth';
import { IntakeModule } from '@helpdesk/intake';
import { InboundMailStore } from './inbound/inbound-mail-store.service';
import { InboundMailboxService } from './inbound/inbound-mailbox.service';
import { InboundWebhookService } from './inbound/inbound-webhook.service';
import { NotificationsService } from './outbound/notifications.service';
import { PortalSignInService } from './portal/portal-sign-in.service';

const EXPORTED = [InboundMailStore, InboundWebhookService, InboundMailboxService, NotificationsService, PortalSignInService];

/** Customer channels for both apps: storing what arrives, the unmatched queue, notifications, portal sign-in links. */
@Module({
  imports: [AuthModule, IntakeModule],
  providers: EXPORTED,
  exports: EXPORTED,
})
export class ChannelsModule {}
