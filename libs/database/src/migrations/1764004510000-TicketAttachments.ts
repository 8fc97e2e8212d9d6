import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Files attached to a ticket (`comment_id` null: staff-only) or to one of its comments, owned by
 * intake. `store` says where the bytes are: `postgres` (in `ticket_attachment_chunks`, 1 MiB per
 * row, written in the transaction of the comment, read back one chunk at a time) or `filesystem`
 * (ATTACHMENT_DIR). Chunks are stored uncompressed (EXTERNAL): most uploads (images, PDFs,
 * archives) are compressed already, and PostgreSQL's attempt would only cost CPU.
 */
export class TicketAttachments1764004510000 implements MigrationInterface {
  name = 'TicketAttachments1764004510000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ticket_attachments (
        id uuid PRIMARY KEY,
        ticket_id uuid NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
        comment_id uuid REFERENCES ticket_comments(id) ON DELETE CASCADE,
        filename text NOT NULL,
        content_type text NOT NULL,
        size bigint NOT NULL CHECK (size >= 0),
        sha256 char(64) NOT NULL,
        store text NOT NULL CHECK (store IN ('postgres', 'filesystem')),
        uploader_kind text NOT NULL CHECK (uploader_kind IN ('staff', 'customer', 'system')),
        uploader_id uuid,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ticket_attachments_ticket_idx ON ticket_attachments (ticket_id, created_at)`);
    await q.query(`CREATE INDEX ticket_attachments_comment_idx ON ticket_attachments (comment_id) WHERE comment_id IS NOT NULL`);
    await q.query(`
      CREATE TABLE ticket_attachment_chunks (
        attachment_id uuid NOT NULL REFERENCES ticket_attachments(id) ON DELETE CASCADE,
        seq int NOT NULL,
        data bytea NOT NULL,
        PRIMARY KEY (attachment_id, seq)
      )`);
    await q.query(`ALTER TABLE ticket_attachment_chunks ALTER COLUMN data SET STORAGE EXTERNAL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ticket_attachment_chunks`);
    await q.query(`DROP TABLE ticket_attachments`);
  }
}
