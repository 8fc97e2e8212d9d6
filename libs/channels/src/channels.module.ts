import { Module } from '@nestjs/common';
import { AuditModule } from '@helpdesk/audit';
import { AuthModule } from '@helpdesk/auth';
import { EscalationModule } from '@helpdesk/escalation';
import { IntakeModule } from '@helpdesk/intake';
import { TriageModule } from '@helpdesk/triage';
import { InboundMailStore } from './inbound/inbound-mail-store.service';
import { InboundMailboxService } from './inbound/inbound-mailbox.service';
import { InboundWebhookService } from './inbound/inbound-webhook.service';
import { NotificationsService } from './outbound/notifications.service';
import { OutboundMailAdminService } from './outbound/outbound-mail-admin.service';
import { StaffNotificationsService } from './outbound/staff-notifications.service';
import { PortalSignInService } from './portal/portal-sign-in.service';
import { MailTemplates } from './templates/mail-templates.service';

const EXPORTED = [InboundMailStore, InboundWebhookService, InboundMailboxService, NotificationsService, OutboundMailAdminService, PortalSignInService, MailTemplates];

/** Customer channels for both apps: storing what arrives, the unmatched queue, notifications (customers' and staff's) and their list and retry for admins, portal sign-in links. */
@Module({
  imports: [AuditModule, AuthModule, IntakeModule, TriageModule, EscalationModule],
  providers: [...EXPORTED, StaffNotificationsService],
  exports: EXPORTED,
})
export class ChannelsModule {}
