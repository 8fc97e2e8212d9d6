/**
 * `triage_write` reaches its batch's tickets by their keys on every call, however the table has grown
 * since the connection first called it. Each connection plans the function's statements once and
 * keeps the plans: made while `tickets` was small (here: three tickets, analyzed), its lock joined
 * the batch to a scan of the whole table and went on scanning it as the table grew
 * (bench/README.md, "triage_write's lock", r17-mailpg). The tickets here are written with SQL; the
 * counts are this transaction's own (pg_stat_xact_user_tables).
 */
import { Client } from 'pg';
import { createTestDatabase, dropTestDatabase } from '../support';

jest.setTimeout(120_000);

describe("triage_write's lock: by key, whatever the table's size", () => {
  let database: { name: string; url: string };
  let client: Client;
  let customerId: string;

  const newTickets = async (n: number): Promise<string[]> => {
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO tickets (id, customer_id, subject, description, priority, channel, requester_name, requester_email)
       SELECT gen_random_uuid(), $1, 'VPN drops every hour ' || i, 'The VPN drops every hour for remote staff, ticket ' || i, 'P3', 'api', 'Marta López', 'marta@contoso.example'
         FROM generate_series(1, $2::int) AS i
       RETURNING id`,
      [customerId, n],
    );
    return rows.map((r) => r.id);
  };
  /** One decision per ticket, with the row version read now unless `stale`. */
  const decisions = async (ids: string[], status: string, stale: string[] = []) => {
    const { rows } = await client.query<{ id: string; v: string }>(`SELECT id, xmin::text AS v FROM tickets WHERE id = ANY($1::uuid[]) ORDER BY id`, [ids]);
    const at = new Date();
    const later = (h: number) => new Date(at.getTime() + h * 3_600_000);
    return rows.map((r) => ({
      id: r.id,
      row_version: stale.includes(r.id) ? String(Number(r.v) - 1) : r.v,
      status,
      category: 'technical',
      product: 'azure',
      priority: 'P3',
      queue: 'technical',
      tags: [],
      at,
      diagnosis: {},
      in_scope: true,
      priority_suggestion: null,
      first_response_due_at: later(24),
      first_response_warn_at: later(20),
      resolution_due_at: later(72),
      resolution_warn_at: later(48),
      sla_start: at,
      events: [{ type: 'triaged', actorKind: 'system', actorId: null, data: {} }],
      assign: false,
    }));
  };
  const triageWrite = async (batch: unknown[]) =>
    (await client.query<{ ticket_id: string; written: boolean }>(`SELECT ticket_id, written FROM triage_write($1::jsonb)`, [JSON.stringify(batch)])).rows;

  beforeAll(async () => {
    database = await createTestDatabase();
    client = new Client({ connectionString: database.url });
    await client.connect();
    const plan = (await client.query<{ id: string }>(`INSERT INTO support_plans (name, timezone, contact_methods, targets) VALUES ('Plan', 'Europe/Madrid', '{email}', '{}') RETURNING id`)).rows[0].id;
    customerId = (await client.query<{ id: string }>(`INSERT INTO customers (name, domain, support_plan_id) VALUES ('Northwind', 'northwind.example', $1) RETURNING id`, [plan])).rows[0].id;
    // No autovacuum or autoanalyze here: either would make every plan of the connection anew, and hide a kept one.
    await client.query(`ALTER TABLE tickets SET (autovacuum_enabled = false)`);
  });

  afterAll(async () => {
    await client?.end();
    await dropTestDatabase(database.name);
  });

  it('reads no ticket but its batch, after the table grew from a few tickets to thousands', async () => {
    // A few tickets, analyzed, and more than five calls: the connection keeps what it planned for them.
    const few = await newTickets(3);
    await client.query(`ANALYZE tickets`);
    for (let i = 0; i < 8; i++) {
      const written = await triageWrite(await decisions(few.slice(0, 1 + (i % 3)), i % 2 ? 'triaged' : 'new'));
      expect(written.every((w) => w.written)).toBe(true);
    }
    await newTickets(6_000);
    const batch = few.slice(0, 2);
    const stale = few[2];

    const batchDecisions = await decisions([...batch, stale], 'new', [stale]);
    // The backend's counts not yet flushed (at most once a second) still hold the earlier calls' scans (and
    // decisions()'s own, of three rows): what triage_write adds is the difference.
    const seqScans = async () => {
      const [row] = (
        await client.query<{ seq_scan: string; seq_tup_read: string }>(`SELECT seq_scan, seq_tup_read FROM pg_stat_xact_user_tables WHERE relname = 'tickets'`)
      ).rows;
      return { seq_scan: Number(row.seq_scan), seq_tup_read: Number(row.seq_tup_read) };
    };
    await client.query('BEGIN');
    try {
      const before = await seqScans();
      const written = await triageWrite(batchDecisions);
      const after = await seqScans();
      expect({ seq_scan: after.seq_scan - before.seq_scan, seq_tup_read: after.seq_tup_read - before.seq_tup_read }).toEqual({ seq_scan: 0, seq_tup_read: 0 });
      // The same answer as before: the batch's current rows written, the one read before a change not.
      expect(new Map(written.map((w) => [w.ticket_id, w.written]))).toEqual(new Map([...batch.map((id) => [id, true] as const), [stale, false]]));
      const { rows } = await client.query<{ id: string; status: string }>(`SELECT id, status FROM tickets WHERE id = ANY($1::uuid[])`, [few]);
      expect(Object.fromEntries(rows.map((r) => [r.id, r.status]))).toEqual({ [batch[0]]: 'new', [batch[1]]: 'new', [stale]: 'triaged' });
    } finally {
      await client.query('ROLLBACK');
    }
  });
});
