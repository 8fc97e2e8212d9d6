import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Actor } from '@helpdesk/auth';
import { AppConfig } from '@helpdesk/config';
import { AttachmentTarget, AttachmentWriter, NewAttachment } from './attachment-writer';
import { safeFileName } from './content-type';
import { bufferContent } from './file-content';

/** A file of an e-mail, as mailparser decoded it. */
export interface MailFile {
  filename?: string;
  contentType?: string;
  content: Buffer;
}

/**
 * Keeps an e-mail's files with the ticket or comment the mail became, in that transaction, under
 * the limits of uploads: a file over ATTACHMENT_MAX_BYTES, or past ATTACHMENT_MAX_FILES, is
 * recorded as refused with the reason (the mail itself is never lost for it).
 */
@Injectable()
export class MailAttachments {
  constructor(
    private readonly config: AppConfig,
    private readonly writer: AttachmentWriter,
  ) {}

  async keep(manager: EntityManager, target: AttachmentTarget, sender: Actor, files: readonly MailFile[]): Promise<void> {
    const prepared: NewAttachment[] = [];
    for (const [index, file] of files.entries()) {
      const fileName = safeFileName(file.filename);
      const declaredType = file.contentType ?? null;
      if (index >= this.config.ATTACHMENT_MAX_FILES) {
        prepared.push({ fileName, declaredType, refusedReason: `more than ${this.config.ATTACHMENT_MAX_FILES} files in one message (ATTACHMENT_MAX_FILES)` });
      } else if (file.content.length > this.config.ATTACHMENT_MAX_BYTES) {
        prepared.push({ fileName, declaredType, refusedReason: `${file.content.length} bytes, larger than ${this.config.ATTACHMENT_MAX_BYTES} (ATTACHMENT_MAX_BYTES)` });
      } else {
        prepared.push({ fileName, declaredType, content: await bufferContent(file.content) });
      }
    }
    await this.writer.write(manager, target, sender, 'email', prepared);
  }
}
