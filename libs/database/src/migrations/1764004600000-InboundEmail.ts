import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * E-mail in (channels): every message received by SMTP or by the inbound webhook is kept here, raw,
 * committed before the sender is told it was accepted; a job then records what it became (a
 * ticket, a comment, nothing: an auto-reply, a bounce, a loop, malformed) or that it waits for an
 * agent (`unmatched`). A webhook id is accepted once (`webhook_id` unique).
 */
export class InboundEmail1764004600000 implements MigrationInterface {
  name = 'InboundEmail1764004600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE inbound_messages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        source text NOT NULL CHECK (source IN ('smtp', 'webhook')),
        webhook_id text,
        envelope_from text,
        envelope_to text[] NOT NULL DEFAULT '{}',
        raw bytea NOT NULL,
        size integer NOT NULL,
        status text NOT NULL DEFAULT 'received'
          CHECK (status IN ('received', 'ticket', 'comment', 'duplicate', 'unmatched', 'auto_reply', 'bounce', 'loop', 'malformed')),
        message_id text,
        from_address text,
        subject text,
        customer_id uuid,
        ticket_id uuid,
        comment_id uuid,
        note text,
        received_at timestamptz NOT NULL DEFAULT now(),
        processed_at timestamptz,
        CONSTRAINT inbound_messages_webhook_id_key UNIQUE (webhook_id)
      )`);
    await q.query(`CREATE INDEX inbound_messages_status_idx ON inbound_messages (status, received_at)`);
    await q.query(`CREATE INDEX inbound_messages_message_id_idx ON inbound_messages (message_id) WHERE message_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE inbound_messages`);
  }
}
