import { Module } from '@nestjs/common';
import { AttachmentsModule } from '@helpdesk/attachments';
import { AttachmentsController } from './attachments.controller';

/** Attachment routes: upload (multipart, registered by configure-app), list, download. */
@Module({
  imports: [AttachmentsModule],
  controllers: [AttachmentsController],
})
export class AttachmentsApiModule {}
