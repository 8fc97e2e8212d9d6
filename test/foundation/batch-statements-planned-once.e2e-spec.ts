/**
 * The named statements of a batch whose size changes from call to call are planned once per
 * connection: after PostgreSQL's first five custom plans they keep the generic one, and find or write
 * exactly what a call planned for its own values does. Given their arrays as such, every call was
 * planned again (a custom plan sized to the batch looked cheaper than the generic one): the
 * known-issue search of a triage batch (3–4 ms of backend CPU a call) and the e-mail listener's
 * ticket insert.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { INSERT_CHANNEL_TICKETS } from '@helpdesk/intake';
import { KNOWN_ISSUES_RANK_MANY } from '@helpdesk/triage';
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
});
