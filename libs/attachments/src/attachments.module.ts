import { Module } from '@nestjs/common';
import { AppConfig } from '@helpdesk/config';
import { IntakeModule } from '@helpdesk/intake';
import { AttachmentWriter } from './attachment-writer';
import { AttachmentsService } from './attachments.service';
import { MailAttachments } from './mail-attachments.service';
import { AttachmentStore } from './stores/attachment-store';
import { FilesystemAttachmentStore } from './stores/filesystem-attachment-store';
import { PostgresAttachmentStore } from './stores/postgres-attachment-store';

/** Attachments of tickets and comments, for both apps: uploads and downloads (api), e-mail's files (worker). */
@Module({
  imports: [IntakeModule],
  providers: [
    PostgresAttachmentStore,
    FilesystemAttachmentStore,
    {
      provide: AttachmentStore,
      inject: [AppConfig, PostgresAttachmentStore, FilesystemAttachmentStore],
      useFactory: (config: AppConfig, postgres: PostgresAttachmentStore, filesystem: FilesystemAttachmentStore) =>
        config.ATTACHMENT_STORE === 'filesystem' ? filesystem : postgres,
    },
    AttachmentWriter,
    AttachmentsService,
    MailAttachments,
  ],
  exports: [AttachmentsService, MailAttachments],
})
export class AttachmentsModule {}
