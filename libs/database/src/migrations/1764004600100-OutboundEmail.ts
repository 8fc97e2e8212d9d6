import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * E-mail out (channels): each notification to a customer is one row, composed (subject, text,
 * threading headers, locale) in the transaction of the change it tells of, with its outbox hand-off
 * to the `notifications` queue; `event_key` (the event and the recipient) makes it once per event,
 * and its Message-ID, derived from the event, is the same on every retry.
 */
export class OutboundEmail1764004600100 implements MigrationInterface {
  name = 'OutboundEmail1764004600100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE outbound_messages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        event_key text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('ticket_received', 'public_reply')),
        ticket_id uuid NOT NULL,
        recipient text NOT NULL,
        locale text NOT NULL CHECK (locale IN ('es', 'en')),
        message_id text NOT NULL,
        in_reply_to text,
        "references" text[] NOT NULL DEFAULT '{}',
        subject text NOT NULL,
        body text NOT NULL,
        auto_submitted boolean NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent')),
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        CONSTRAINT outbound_messages_event_key UNIQUE (event_key),
        CONSTRAINT outbound_messages_message_id_key UNIQUE (message_id)
      )`);
    await q.query(`CREATE INDEX outbound_messages_ticket_idx ON outbound_messages (ticket_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE outbound_messages`);
  }
}
