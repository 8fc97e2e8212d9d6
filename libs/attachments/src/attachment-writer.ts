import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import type { Actor } from '@helpdesk/auth';
import { TimelineService } from '@helpdesk/intake';
import type { FileContent } from './file-content';
import { AttachmentStore } from './stores/attachment-store';
import type { AttachmentRow } from './attachment.view';

/** Where new attachments go: a ticket, or one of its comments (with the comment's visibility). */
export interface AttachmentTarget {
  ticketId: string;
  commentId: string | null;
  visibility: 'public' | 'internal';
}

export type NewAttachment =
  | { fileName: string; declaredType: string | null; content: FileContent }
  | { fileName: string; declaredType: string | null; refusedReason: string };

const INSERT_ATTACHMENT = `
  INSERT INTO ticket_attachments (id, ticket_id, comment_id, visibility, file_name, declared_type, content_type, size_bytes, sha256, store,
                                  status, refused_reason, source, uploader_kind, uploader_id)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
  RETURNING *`;

/**
 * The one writer of `ticket_attachments` (and, through the store, of the contents): rows, contents
 * and the ticket's `attached` timeline event, all inside the caller's transaction. `written` collects
 * the ids whose contents the store wrote, so that the caller can discard them if it rolls back.
 */
@Injectable()
export class AttachmentWriter {
  constructor(
    private readonly store: AttachmentStore,
    private readonly timeline: TimelineService,
  ) {}

  async write(manager: EntityManager, target: AttachmentTarget, uploader: Actor, source: 'upload' | 'email', files: NewAttachment[], written: string[] = []): Promise<AttachmentRow[]> {
    const rows: AttachmentRow[] = [];
    for (const file of files) {
      const id = randomUUID();
      const stored = 'content' in file;
      const [row]: AttachmentRow[] = await manager.query(INSERT_ATTACHMENT, [
        id,
        target.ticketId,
        target.commentId,
        target.visibility,
        file.fileName,
        file.declaredType?.slice(0, 255) ?? null,
        stored ? file.content.contentType : null,
        stored ? file.content.size : null,
        stored ? file.content.sha256 : null,
        stored ? this.store.kind : null,
        stored ? 'stored' : 'refused',
        stored ? null : file.refusedReason,
        source,
        uploader.kind,
        uploader.id,
      ]);
      if (stored) {
        written.push(id);
        await this.store.put(manager, id, file.content);
      }
      rows.push(row);
    }
    if (rows.length > 0) {
      await this.timeline.record(manager, target.ticketId, 'attached', uploader, {
        commentId: target.commentId,
        visibility: target.visibility,
        attachments: rows.map((r) => ({ id: r.id, fileName: r.file_name, size: r.size_bytes === null ? null : Number(r.size_bytes), status: r.status })),
      });
    }
    return rows;
  }
}
