import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Attachments of tickets and comments, owned by the attachments context. One row per file, stored
 * or refused (an e-mail's file over the limits is recorded with why, never silently dropped); the
 * bytes of a stored file are either in `attachment_chunks` (the PostgreSQL store: 256 KiB bytea
 * chunks, written in the comment's transaction and read back one chunk at a time) or in a file
 * named by the attachment's id (the filesystem store). A ticket's attachments go with it
 * (ON DELETE CASCADE); those of a ticket merged into another stay on it and are shown from the target.
 */
export class Attachments1764004700000 implements MigrationInterface {
  name = 'Attachments1764004700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ticket_attachments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ticket_id uuid NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
        comment_id uuid REFERENCES ticket_comments(id) ON DELETE CASCADE,
        visibility text NOT NULL CHECK (visibility IN ('public', 'internal')),
        file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
        declared_type text,
        content_type text,
        size_bytes bigint CHECK (size_bytes >= 0),
        sha256 text CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        store text CHECK (store IN ('postgres', 'filesystem')),
        status text NOT NULL CHECK (status IN ('stored', 'refused')),
        refused_reason text,
        source text NOT NULL CHECK (source IN ('upload', 'email')),
        uploader_kind text NOT NULL CHECK (uploader_kind IN ('staff', 'customer', 'system')),
        uploader_id uuid,
        -- The files of one upload share a transaction: clock_timestamp() keeps them in the order sent.
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CHECK (status <> 'stored' OR (content_type IS NOT NULL AND size_bytes IS NOT NULL AND sha256 IS NOT NULL AND store IS NOT NULL)),
        CHECK (status <> 'refused' OR refused_reason IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX ticket_attachments_ticket_idx ON ticket_attachments (ticket_id, created_at, id)`);
    await q.query(`CREATE INDEX ticket_attachments_comment_idx ON ticket_attachments (comment_id) WHERE comment_id IS NOT NULL`);
    await q.query(`
      CREATE TABLE attachment_chunks (
        attachment_id uuid NOT NULL REFERENCES ticket_attachments(id) ON DELETE CASCADE,
        n int NOT NULL CHECK (n >= 0),
        data bytea NOT NULL,
        PRIMARY KEY (attachment_id, n)
      )`);
    // Most attachments (images, PDFs, archives) are compressed already: PostgreSQL need not try again.
    await q.query(`ALTER TABLE attachment_chunks ALTER COLUMN data SET STORAGE EXTERNAL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE attachment_chunks`);
    await q.query(`DROP TABLE ticket_attachments`);
  }
}
