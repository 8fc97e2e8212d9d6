import type { Readable } from 'node:stream';
import type { EntityManager } from 'typeorm';
import type { FileContent } from '../file-content';

/**
 * Where the bytes of stored attachments live (ATTACHMENT_STORE). `put` runs inside the transaction
 * that writes the attachment's row; `discard` undoes a `put` whose transaction rolled back.
 */
export abstract class AttachmentStore {
  abstract readonly kind: 'postgres' | 'filesystem';
  abstract put(manager: EntityManager, attachmentId: string, content: FileContent): Promise<void>;
  abstract open(attachmentId: string): Promise<Readable>;
  abstract discard(attachmentIds: readonly string[]): Promise<void>;
}
