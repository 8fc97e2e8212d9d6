/**
 * `inbound_earlier_outcomes`: what earlier copies of a batch's Message-IDs made, each found by its key
 * however `inbound_messages` has grown since the connection first asked. Each connection plans the
 * lookup once and keeps the plan: made while the table was small (here: a few rows, analyzed), the
 * statement it replaced scanned the whole table on every arrival batch as the table grew
 * (bench/README.md, "the earlier-outcomes lookup", r18-mailin). The rows are written with SQL; the
 * counts are this transaction's own (pg_stat_xact_user_tables).
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { EARLIER_OUTCOMES } from '../../libs/channels/src/inbound/inbound-mail-processing.service';
import { createTestDatabase, dropTestDatabase } from '../support';

jest.setTimeout(120_000);

describe("e-mail in's earlier-outcomes lookup: by key, whatever the table's size", () => {
  let database: { name: string; url: string };
  let client: Client;

  /** `n` stored messages, each with its own Message-ID (`<prefix-i@test>`) and `status`, the outcome's ids with them. */
  const stored = async (prefix: string, n: number, status: string): Promise<void> => {
    await client.query(
      `INSERT INTO inbound_messages (source, raw, size, status, message_id, customer_id, ticket_id, processed_at)
       SELECT 'smtp', convert_to('Subject: hello ' || i, 'UTF8'), 16, $2,  '<' || $1 || '-' || i || '@test>',
              CASE WHEN $2 IN ('ticket', 'comment') THEN gen_random_uuid() END, CASE WHEN $2 IN ('ticket', 'comment') THEN gen_random_uuid() END, now()
         FROM generate_series(1, $3::int) AS i`,
      [prefix, status, n],
    );
  };
  /** The listener's statement, named as it runs it (so the connection keeps its plan). */
  const earlier = async (messageIds: string[]) =>
    (await client.query<{ message_id: string; ticket_id: string | null; customer_id: string | null }>({ name: EARLIER_OUTCOMES.name, text: EARLIER_OUTCOMES.text, values: [messageIds] })).rows;

  beforeAll(async () => {
    database = await createTestDatabase();
    client = new Client({ connectionString: database.url });
    await client.connect();
    // No autovacuum or autoanalyze here: either would make every plan of the connection anew, and hide a kept one.
    await client.query(`ALTER TABLE inbound_messages SET (autovacuum_enabled = false)`);
  });

  afterAll(async () => {
    await client?.end();
    await dropTestDatabase(database.name);
  });

  it('answers only for Message-IDs that made a ticket or a comment, one row each, the ids they made', async () => {
    const ticketId = randomUUID();
    const customerId = randomUUID();
    await client.query(
      `INSERT INTO inbound_messages (source, raw, size, status, message_id, customer_id, ticket_id, processed_at)
       VALUES ('smtp', '\\x00', 1, 'ticket', '<made@test>', $1, $2, now()),
              ('smtp', '\\x00', 1, 'duplicate', '<made@test>', $1, $2, now()),
              ('webhook', '\\x00', 1, 'duplicate', '<made@test>', $1, $2, now()),
              ('smtp', '\\x00', 1, 'unmatched', '<unmatched@test>', NULL, NULL, now()),
              ('smtp', '\\x00', 1, 'auto_reply', '<auto@test>', NULL, NULL, now()),
              ('smtp', '\\x00', 1, 'received', '<waiting@test>', NULL, NULL, NULL)`,
      [customerId, ticketId],
    );
    expect(await earlier(['<made@test>', '<unmatched@test>', '<auto@test>', '<waiting@test>', '<never@test>'])).toEqual([
      { message_id: '<made@test>', ticket_id: ticketId, customer_id: customerId },
    ]);
    expect(await earlier([])).toEqual([]);
  });

  it('reads no message but those asked for, after the table grew from a few messages to thousands', async () => {
    // A few messages, analyzed, and more than five calls: the connection keeps what it planned for them.
    await stored('few', 3, 'ticket');
    await client.query(`ANALYZE inbound_messages`);
    for (let i = 0; i < 8; i++) expect(await earlier([`<few-${1 + (i % 3)}@test>`, `<new-${i}@test>`])).toHaveLength(1);
    await stored('many', 6_000, 'ticket');
    await stored('lost', 500, 'unmatched');

    const scans = async () => {
      const [row] = (
        await client.query<{ seq_scan: string; seq_tup_read: string; idx_tup_fetch: string }>(
          `SELECT seq_scan, seq_tup_read, idx_tup_fetch FROM pg_stat_xact_user_tables WHERE relname = 'inbound_messages'`,
        )
      ).rows;
      return { seq_scan: Number(row.seq_scan), seq_tup_read: Number(row.seq_tup_read), idx_tup_fetch: Number(row.idx_tup_fetch) };
    };
    await client.query('BEGIN');
    try {
      const before = await scans();
      const found = await earlier(['<few-2@test>', '<many-4000@test>', '<lost-7@test>', '<not-yet@test>']);
      const after = await scans();
      expect(found.map((r) => r.message_id).sort()).toEqual(['<few-2@test>', '<many-4000@test>']);
      expect(found.every((r) => r.ticket_id && r.customer_id)).toBe(true);
      // The three stored messages asked for, each fetched by its key; no scan of the table.
      expect({ seq_scan: after.seq_scan - before.seq_scan, seq_tup_read: after.seq_tup_read - before.seq_tup_read, idx_tup_fetch: after.idx_tup_fetch - before.idx_tup_fetch }).toEqual({
        seq_scan: 0,
        seq_tup_read: 0,
        idx_tup_fetch: 3,
      });
    } finally {
      await client.query('ROLLBACK');
    }
  });
});
