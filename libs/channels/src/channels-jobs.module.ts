import { Module } from '@nestjs/common';
import { AttachmentsModule } from '@helpdesk/attachments';
import { BillingModule } from '@helpdesk/billing';
import { IntakeModule } from '@helpdesk/intake';
import { ChannelsModule } from './channels.module';
import { InboundEmailProcessor } from './inbound/inbound-email.processor';
import { InboundMailProcessing } from './inbound/inbound-mail-processing.service';
import { AutoAssignmentMail } from './outbound/auto-assignment-mail.service';
import { BillingNoticeMail } from './outbound/billing-notice-mail.service';
import { BillingNoticesProcessor } from './outbound/billing-notices.processor';
import { ChannelsHousekeepingProcessor } from './outbound/channels-housekeeping.processor';
import { NotificationSender } from './outbound/notification-sender.service';
import { NotificationsProcessor } from './outbound/notifications.processor';

/** The worker's side of channels: the job that makes tickets of stored mail (webhooks', and what the listener of the `mail-in` app could not make on arrival), the sending of notifications (billing's dunning notices too), the "assigned to you" mail of triage's own assignments. */
@Module({
  imports: [IntakeModule, BillingModule, ChannelsModule, AttachmentsModule],
  providers: [InboundMailProcessing, InboundEmailProcessor, NotificationSender, NotificationsProcessor, BillingNoticeMail, BillingNoticesProcessor, AutoAssignmentMail, ChannelsHousekeepingProcessor],
})
export class ChannelsJobsModule {}
