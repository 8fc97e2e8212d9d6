import type { Actor } from '@helpdesk/auth';

/** One attachment as a caller sees it: customers see staff by name, never by id. */
export interface AttachmentView {
  id: string;
  ticketId: string;
  commentId: string | null;
  fileName: string;
  /** What the content is (sniffed); null for a refused file. */
  contentType: string | null;
  /** What the sender said it was (never used to serve it). */
  declaredType: string | null;
  size: number | null;
  sha256: string | null;
  visibility: 'public' | 'internal';
  status: 'stored' | 'refused';
  refusedReason: string | null;
  source: 'upload' | 'email';
  uploadedBy: { kind: Actor['kind']; id?: string | null; name: string | null };
  createdAt: string;
}

export interface AttachmentRow {
  id: string;
  ticket_id: string;
  comment_id: string | null;
  visibility: 'public' | 'internal';
  file_name: string;
  declared_type: string | null;
  content_type: string | null;
  size_bytes: string | null;
  sha256: string | null;
  store: 'postgres' | 'filesystem' | null;
  status: 'stored' | 'refused';
  refused_reason: string | null;
  source: 'upload' | 'email';
  uploader_kind: Actor['kind'];
  uploader_id: string | null;
  uploader_name?: string | null;
  created_at: Date;
}

export function attachmentView(audience: 'staff' | 'customer', r: AttachmentRow): AttachmentView {
  const name = r.uploader_kind === 'staff' ? (r.uploader_name ?? null) : null;
  return {
    id: r.id,
    ticketId: r.ticket_id,
    commentId: r.comment_id,
    fileName: r.file_name,
    contentType: r.content_type,
    declaredType: r.declared_type,
    size: r.size_bytes === null ? null : Number(r.size_bytes),
    sha256: r.sha256,
    visibility: r.visibility,
    status: r.status,
    refusedReason: r.refused_reason,
    source: r.source,
    uploadedBy: audience === 'customer' ? { kind: r.uploader_kind, name } : { kind: r.uploader_kind, id: r.uploader_id, name },
    createdAt: new Date(r.created_at).toISOString(),
  };
}
