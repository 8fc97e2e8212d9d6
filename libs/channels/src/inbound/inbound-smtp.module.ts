import { Module } from '@nestjs/common';
import { AttachmentsModule } from '@helpdesk/attachments';
import { IntakeModule } from '@helpdesk/intake';
import { ChannelsModule } from '../channels.module';
import { InboundMailProcessing } from './inbound-mail-processing.service';
import { InboundSmtpServer } from './inbound-smtp.server';

/**
 * The inbound SMTP listener and what it writes on arrival (tickets, comments, attachments, the
 * acknowledgements' outbox rows): the `mail-in` app's only work. It runs no processor: the
 * worker's relays hand what it commits to triage and to the sender.
 */
@Module({
  imports: [IntakeModule, ChannelsModule, AttachmentsModule],
  providers: [InboundMailProcessing, InboundSmtpServer],
  exports: [InboundMailProcessing, InboundSmtpServer],
})
export class InboundSmtpModule {}
