import { Module } from '@nestjs/common';
import { EscalationModule } from '@helpdesk/escalation';
import { IntakeModule } from '@helpdesk/intake';
import { TriageModule } from '@helpdesk/triage';
import { InboundMailStore } from './inbound/inbound-mail-store.service';
import { InboundMailboxService } from './inbound/inbound-mailbox.service';
import { InboundWebhookService } from './inbound/inbound-webhook.service';
import { NotificationsService } from './outbound/notifications.service';
import { StaffNotificationsService } from './outbound/staff-notifications.service';

const EXPORTED = [InboundMailStore, InboundWebhookService, InboundMailboxService, NotificationsService];

/** Customer channels for both apps: storing what arrives, the unmatched queue, composing notifications (customers' and staff's). */
@Module({
  imports: [IntakeModule, TriageModule, EscalationModule],
  providers: [...EXPORTED, StaffNotificationsService],
  exports: EXPORTED,
})
export class ChannelsModule {}
