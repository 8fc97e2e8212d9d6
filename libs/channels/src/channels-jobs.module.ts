import { Module } from '@nestjs/common';
import { AttachmentsModule } from '@helpdesk/attachments';
import { IntakeModule } from '@helpdesk/intake';
import { ChannelsModule } from './channels.module';
import { InboundEmailProcessor } from './inbound/inbound-email.processor';
import { InboundMailProcessing } from './inbound/inbound-mail-processing.service';
import { InboundSmtpServer } from './inbound/inbound-smtp.server';
import { NotificationSender } from './outbound/notification-sender.service';
import { NotificationsProcessor } from './outbound/notifications.processor';

/** The worker's side of channels: the inbound SMTP listener and the job that makes tickets of mail, the sending of notifications. */
@Module({
  imports: [IntakeModule, ChannelsModule, AttachmentsModule],
  providers: [InboundMailProcessing, InboundEmailProcessor, InboundSmtpServer, NotificationSender, NotificationsProcessor],
})
export class ChannelsJobsModule {}
