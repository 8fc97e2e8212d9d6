import { Module } from '@nestjs/common';
import { IntakeModule } from '@helpdesk/intake';
import { TriageModule } from '@helpdesk/triage';
import { ChannelsModule } from './channels.module';
import { InboundEmailProcessor } from './inbound/inbound-email.processor';
import { InboundMailProcessing } from './inbound/inbound-mail-processing.service';
import { InboundSmtpServer } from './inbound/inbound-smtp.server';
import { NotificationSender } from './outbound/notification-sender.service';
import { NotificationsProcessor } from './outbound/notifications.processor';
import { StaffNotificationsService } from './outbound/staff-notifications.service';

/**
 * The worker's side of channels: the inbound SMTP listener and the job that makes tickets of mail,
 * the sending of notifications, and the staff's mail about SLA breaches (the SLA monitor runs here).
 */
@Module({
  imports: [IntakeModule, TriageModule, ChannelsModule],
  providers: [InboundMailProcessing, InboundEmailProcessor, InboundSmtpServer, NotificationSender, NotificationsProcessor, StaffNotificationsService],
})
export class ChannelsJobsModule {}
