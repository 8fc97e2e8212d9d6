/**
 * The named statements of a batch whose size changes from call to call are planned once per
 * connection: after PostgreSQL's first five custom plans they keep the generic one, and find or write
 * exactly what a call planned for its own values does. Given their arrays as such, every call was
 * planned again (a custom plan sized to the batch looked cheaper than the generic one): the
 * known-issue search of a triage batch (3–4 ms of backend CPU a call), the e-mail listener's
 * ticket insert and its senders' contacts, triage's read of its batch's tickets, and the sender's
 * reads and sent marks of the mails in flight. The outbox relay's claim (no parameters, sent with
 * its BEGIN in one simple-protocol round trip) is prepared once per connection with SQL `PREPARE`.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { claimOutboxBatch, PreparedStatement } from '@helpdesk/database';
import { CONTACTS_BY_EMAILS, INSERT_CHANNEL_TICKETS } from '@helpdesk/intake';
import { KNOWN_ISSUES_RANK_MANY, TRIAGE_READ_MANY } from '@helpdesk/triage';
import { MARK_SENT, MARK_SENT_AND_READ_ROWS, READ_ROWS } from '../../libs/channels/src/outbound/notification-sender.service';
import { createTestDatabase, dropTestDatabase } from '../support';

/** How often PostgreSQL planned the named statement on this connection, generic and custom. */
async function plansOf(client: Client, name: string): Promise<{ generic: number; custom: number }> {
  const [row] = (await client.query<{ generic_plans: string; custom_plans: string }>(`SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = $1`, [name])).rows;
  return { generic: Number(row.generic_plans), custom: Number(row.custom_plans) };
}

jest.setTimeout(60_000);

type Search = [query: string, candidates: string, category: string | null, product: string | null];

const SEARCHES: Search[] = [
  ['outlook | web | abre | departamento', 'outlook | departamento', 'technical', 'microsoft_365'],
  ['factura | duplicada | tarjeta', 'duplicada | tarjeta', 'billing', 'azure'],
  ['licenses | missing | teams', 'licenses | teams', 'subscription_management', 'microsoft_365'],
  ['vpn | drops | hour', 'vpn', 'technical', null],
];

/** The statement's parameters for `n` searches (the batch's size changes from call to call). */
function params(n: number, offset: number): unknown[] {
  const picked = Array.from({ length: n }, (_, i) => SEARCHES[(offset + i) % SEARCHES.length]);
  return [picked.map((s) => s[0]), picked.map((s) => s[1]), picked.map((s) => s[2]), picked.map((s) => s[3]), picked.map(() => 20)];
}

describe('the named statements of batches: planned once per connection', () => {
  let database: { name: string; url: string };
  let named: Client;
  let custom: Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    named = new Client({ connectionString: database.url });
    custom = new Client({ connectionString: database.url });
    await Promise.all([named.connect(), custom.connect()]);
    await named.query(
      `INSERT INTO known_issues (title, symptoms, product, category, resolution, in_scope) VALUES
         ('Outlook en la web no abre', 'Outlook en la web no abre para todo un departamento', 'microsoft_365', 'technical', 'Borrar la caché', true),
         ('Outlook on the web does not open', 'Outlook on the web does not open for a whole department', 'microsoft_365', NULL, 'Clear the cache', true),
         ('Factura duplicada', 'Nos han cobrado dos veces la factura con la misma tarjeta', 'azure', 'billing', 'Abonar la duplicada', true),
         ('Teams licenses missing', 'Licenses for Teams are missing after the renewal', 'microsoft_365', 'subscription_management', 'Assign them again', false),
         ('VPN drops every hour', 'The VPN drops every hour for remote staff', NULL, 'technical', 'Renew the certificate', false)`,
    );
    // The answer as before: every call planned for its own values.
    await custom.query(`SET plan_cache_mode = force_custom_plan`);
  });
  afterAll(async () => {
    await named?.end();
    await custom?.end();
    if (database) await dropTestDatabase(database.name);
  });

  it('keeps the generic plan of the known-issue search of a triage batch after five calls, for batches of any size, and finds what a plan for each call finds', async () => {
    for (let call = 0; call < 12; call++) {
      const values = params(1 + (call % 4), call);
      const generic = await named.query({ name: KNOWN_ISSUES_RANK_MANY.name, text: KNOWN_ISSUES_RANK_MANY.text, values });
      const planned = await custom.query({ text: KNOWN_ISSUES_RANK_MANY.text, values });
      expect(generic.rows).toEqual(planned.rows);
      // Every search finds its issue (the fixtures match each), so the comparison is not of two empty answers.
      expect(new Set(generic.rows.map((r: { search_no: number }) => r.search_no)).size).toBe(1 + (call % 4));
    }
    // PostgreSQL's first five executions are custom plans; every later one reuses the generic plan.
    expect(await plansOf(named, KNOWN_ISSUES_RANK_MANY.name)).toEqual({ generic: 7, custom: 5 });
  });

  it("keeps the generic plan of the e-mail listener's ticket insert, for batches of any size, each ticket written with its own values", async () => {
    const plan = (await named.query<{ id: string }>(`INSERT INTO support_plans (name, timezone, contact_methods, targets) VALUES ('Plan', 'Europe/Madrid', '{email}', '{}') RETURNING id`)).rows[0].id;
    const customers = await Promise.all(
      ['a', 'b'].map(async (tag) => (await named.query<{ id: string }>(`INSERT INTO customers (name, domain, support_plan_id) VALUES ($1, $2, $3) RETURNING id`, [`Customer ${tag}`, `${tag}.planned.example`, plan])).rows[0].id),
    );
    await named.query('BEGIN');
    try {
      for (let call = 0; call < 9; call++) {
        const n = 1 + (call % 4);
        const tickets = Array.from({ length: n }, (_, i) => ({ id: randomUUID(), customer: customers[i % 2], subject: `Call ${call} ticket ${i}`, externalId: `<planned-${call}-${i}@example.com>` }));
        const { rows } = await named.query<{ id: string; customer_id: string; subject: string; external_id: string; channel: string; priority: string }>({
          name: INSERT_CHANNEL_TICKETS.name,
          text: INSERT_CHANNEL_TICKETS.text,
          values: [
            tickets.map((t) => t.id),
            tickets.map((t) => t.customer),
            tickets.map((t) => t.subject),
            tickets.map(() => 'Body'),
            tickets.map(() => 'email'),
            tickets.map(() => 'Requester'),
            tickets.map(() => 'requester@a.planned.example'),
            tickets.map((t) => t.externalId),
            'triage',
            'triage',
          ],
        });
        expect(rows.map((r) => [r.id, r.customer_id, r.subject, r.external_id, r.channel, r.priority])).toEqual(tickets.map((t) => [t.id, t.customer, t.subject, t.externalId, 'email', 'P3']));
      }
      expect(await plansOf(named, INSERT_CHANNEL_TICKETS.name)).toEqual({ generic: 4, custom: 5 });
    } finally {
      await named.query('ROLLBACK');
    }
  });
  /** `n` of `ids`, starting at `offset` (the batch's size changes from call to call). */
  const some = (ids: readonly string[], n: number, offset: number) => Array.from({ length: n }, (_, i) => ids[(offset + i) % ids.length]);

  /** 12 calls of 1–4 values: each answer equal to a custom-planned one; then PostgreSQL's 5 custom plans and 7 generic ones. */
  async function plannedOnce(statement: PreparedStatement, values: readonly string[], sortKey: (row: Record<string, unknown>) => string): Promise<void> {
    for (let call = 0; call < 12; call++) {
      const wanted = some(values, 1 + (call % 4), call);
      const generic = await named.query({ name: statement.name, text: statement.text, values: [wanted] });
      const planned = await custom.query({ text: statement.text, values: [wanted] });
      const sorted = (rows: Array<Record<string, unknown>>) => [...rows].sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
      expect(sorted(generic.rows)).toEqual(sorted(planned.rows));
      // Each value finds its row, so the comparison is not of two empty answers.
      expect(new Set(generic.rows.map(sortKey)).size).toBe(new Set(wanted).size);
    }
    expect(await plansOf(named, statement.name)).toEqual({ generic: 7, custom: 5 });
  }

  describe('the e-mail pipeline: contacts, triage, the sender, the relay', () => {
    const tickets: string[] = [];
    const emails: string[] = [];
    const mails: string[] = [];

    beforeAll(async () => {
      const plan = (await named.query<{ id: string }>(`INSERT INTO support_plans (name, timezone, contact_methods, targets) VALUES ('Mail plan', 'Europe/Madrid', '{email}', '{}') RETURNING id`)).rows[0].id;
      const customer = (await named.query<{ id: string }>(`INSERT INTO customers (name, domain, support_plan_id) VALUES ('Mail customer', 'mail.planned.example', $1) RETURNING id`, [plan])).rows[0].id;
      for (let i = 0; i < 5; i++) {
        const email = `contact-${i}@mail.planned.example`;
        await named.query(`INSERT INTO customer_contacts (customer_id, name, email, locale, is_primary) VALUES ($1, $2, $3, $4, $5)`, [customer, `Contact ${i}`, email, i % 2 ? 'es' : 'en', i === 0]);
        emails.push(email);
      }
      const ids = Array.from({ length: 5 }, () => randomUUID());
      await named.query({
        text: INSERT_CHANNEL_TICKETS.text,
        values: [ids, ids.map(() => customer), ids.map((_, i) => `Mail ticket ${i}`), ids.map(() => 'Body'), ids.map(() => 'email'), ids.map(() => 'Requester'), ids.map(() => emails[0]), ids.map((id) => `<${id}@mail.planned.example>`), 'triage', 'triage'],
      });
      tickets.push(...ids);
      // Tables of a running helpdesk's size, analysed: on a handful of rows every plan is a sequential scan and
      // PostgreSQL keeps the generic one whatever the statement's form; on these it chose custom plans sized to each call.
      const filler = Array.from({ length: 2_000 }, () => randomUUID());
      await named.query({
        text: INSERT_CHANNEL_TICKETS.text,
        values: [filler, filler.map(() => customer), filler.map((_, i) => `Filler ${i}`), filler.map(() => 'Body'), filler.map(() => 'email'), filler.map(() => 'Requester'), filler.map(() => emails[1]), filler.map((id) => `<${id}@mail.planned.example>`), 'triage', 'triage'],
      });
      await named.query(`INSERT INTO customer_contacts (customer_id, name, email, locale, is_primary) SELECT $1, 'Filler ' || i, 'filler-' || i || '@mail.planned.example', 'en', false FROM generate_series(1, 2000) AS i`, [customer]);
      await named.query(
        `INSERT INTO outbound_messages (event_key, kind, ticket_id, recipient, locale, message_id, subject, body, auto_submitted)
         SELECT 'received:' || id, 'ticket_received', id, $2, 'en', '<hd.' || id || '.received@mail.planned.example>', 'Received', 'We have it', true FROM unnest($1::uuid[]) AS id`,
        [filler, emails[1]],
      );
      for (const [i, ticket] of tickets.entries()) {
        const { rows } = await named.query<{ id: string }>(
          `INSERT INTO outbound_messages (event_key, kind, ticket_id, recipient, locale, message_id, subject, body, auto_submitted)
           VALUES ($1, 'ticket_received', $2, $3, 'en', $4, 'Received', 'We have it', true) RETURNING id`,
          [`received:${ticket}`, ticket, emails[i], `<hd.${ticket}.received@mail.planned.example>`],
        );
        mails.push(rows[0].id);
      }
      await named.query(`ANALYZE tickets, customer_contacts, outbound_messages`);
    });

    it("keeps the generic plan of the listener's read of its senders' contacts, for batches of any size", async () => {
      await plannedOnce(CONTACTS_BY_EMAILS, emails, (r) => String(r.email));
    });

    it("keeps the generic plan of triage's read of its batch's tickets", async () => {
      await plannedOnce(TRIAGE_READ_MANY, tickets, (r) => String(r.id));
    });

    it("keeps the generic plan of the sender's read of the mails in flight", async () => {
      await plannedOnce(READ_ROWS, mails, (r) => String(r.id));
    });

    it("keeps the generic plans of the sender's sent marks, alone and with the reads, each marking exactly its mails", async () => {
      await named.query('BEGIN');
      try {
        for (let call = 0; call < 12; call++) {
          const sent = some(mails, 1 + (call % 4), call);
          const read = some(mails, 1 + ((call + 1) % 4), call + 2);
          await named.query(`UPDATE outbound_messages SET status = 'pending', attempts = 0, sent_at = NULL WHERE id = ANY($1::uuid[])`, [mails]);
          const marked = await named.query({ name: MARK_SENT.name, text: MARK_SENT.text, values: [sent] });
          expect(marked.rowCount).toBe(new Set(sent).size);
          await named.query(`UPDATE outbound_messages SET status = 'pending', attempts = 0, sent_at = NULL WHERE id = ANY($1::uuid[])`, [mails]);
          const both = await named.query<{ id: string; status: string }>({ name: MARK_SENT_AND_READ_ROWS.name, text: MARK_SENT_AND_READ_ROWS.text, values: [sent, read] });
          // The read sees the rows as they were before the statement's marks.
          expect(both.rows.map((r) => [r.id, r.status]).sort()).toEqual([...new Set(read)].map((id) => [id, 'pending']).sort());
          const { rows } = await named.query<{ id: string }>(`SELECT id FROM outbound_messages WHERE status = 'sent' AND attempts = 1 AND sent_at IS NOT NULL`);
          expect(rows.map((r) => r.id).sort()).toEqual([...new Set(sent)].sort());
        }
        expect(await plansOf(named, MARK_SENT.name)).toEqual({ generic: 7, custom: 5 });
        expect(await plansOf(named, MARK_SENT_AND_READ_ROWS.name)).toEqual({ generic: 7, custom: 5 });
      } finally {
        await named.query('ROLLBACK');
      }
    });

    it("prepares the relay's claim once per connection, takes the rows in its transaction, and recovers when the connection lost or already had it", async () => {
      const client = new Client({ connectionString: database.url });
      await client.connect();
      try {
        await client.query(`DELETE FROM outbox`);
        await client.query(`INSERT INTO outbox (queue, job_name, job_id, payload) SELECT 'triage', 'triage', 'claim-' || i, '{}' FROM generate_series(1, 3) AS i`);
        const preparedOn = new WeakSet<object>();
        const claimed = async () => (await claimOutboxBatch(client as never, preparedOn)).map((r) => r.job_id).sort();

        // Taken inside the claim's transaction: a rollback puts them back, the next claim (prepared already) takes them again.
        expect(await claimed()).toEqual(['claim-1', 'claim-2', 'claim-3']);
        await client.query('ROLLBACK');
        expect(await claimed()).toEqual(['claim-1', 'claim-2', 'claim-3']);
        await client.query('COMMIT');
        expect((await client.query(`SELECT count(*)::int AS n FROM outbox`)).rows[0].n).toBe(0);
        expect(await claimed()).toEqual([]);
        await client.query('COMMIT');
        expect(await plansOf(client, 'outbox_relay_claim')).toEqual({ generic: 3, custom: 0 });

        // The connection lost it (DEALLOCATE, DISCARD): one failed claim, then it is prepared again.
        await client.query('DEALLOCATE ALL');
        await expect(claimed()).rejects.toMatchObject({ code: '26000' });
        await client.query('ROLLBACK');
        expect(await claimed()).toEqual([]);
        await client.query('COMMIT');

        // The connection had it already, unknown to this process's set: one failed claim, then it is used.
        await expect(claimOutboxBatch(client as never, new WeakSet<object>())).rejects.toMatchObject({ code: '42P05' });
        await client.query('ROLLBACK');
        await client.query(`INSERT INTO outbox (queue, job_name, job_id, payload) VALUES ('triage', 'triage', 'claim-4', '{}')`);
        expect(await claimed()).toEqual(['claim-4']);
        await client.query('ROLLBACK');
      } finally {
        await client.end();
      }
    });
  });
});
