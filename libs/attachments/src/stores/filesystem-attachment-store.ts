import { Injectable } from '@nestjs/common';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppConfig } from '@helpdesk/config';
import { DomainError } from '@helpdesk/http';
import type { FileContent } from '../file-content';
import { AttachmentStore } from './attachment-store';

/**
 * Contents as files under ATTACHMENT_DIR, named by the attachment's id (`ab/abcdef…`), written
 * completely (as `.part`, then renamed) before the transaction commits; a rolled-back transaction
 * discards them. A process killed between the write and the commit leaves a file no row names,
 * which is harmless (no one can reach it) and may be deleted.
 */
@Injectable()
export class FilesystemAttachmentStore extends AttachmentStore {
  readonly kind = 'filesystem' as const;
  private readonly root: string;

  constructor(config: AppConfig) {
    super();
    this.root = resolve(config.ATTACHMENT_DIR);
  }

  async put(_manager: unknown, attachmentId: string, content: FileContent): Promise<void> {
    const path = this.pathOf(attachmentId);
    await mkdir(join(path, '..'), { recursive: true });
    await pipeline(Readable.from(content.chunks()), createWriteStream(`${path}.part`, { flags: 'w' }));
    await rename(`${path}.part`, path);
  }

  async open(attachmentId: string): Promise<Readable> {
    const stream = createReadStream(this.pathOf(attachmentId));
    await new Promise<void>((ok, fail) => stream.once('open', () => ok()).once('error', fail)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') throw DomainError.notFound('Attachment content', attachmentId);
      throw error;
    });
    return stream;
  }

  async discard(attachmentIds: readonly string[]): Promise<void> {
    for (const id of attachmentIds) {
      await unlink(this.pathOf(id)).catch(() => undefined);
      await unlink(`${this.pathOf(id)}.part`).catch(() => undefined);
    }
  }

  private pathOf(attachmentId: string): string {
    if (!/^[0-9a-f-]{36}$/.test(attachmentId)) throw DomainError.notFound('Attachment', attachmentId);
    return join(this.root, attachmentId.slice(0, 2), attachmentId);
  }
}
