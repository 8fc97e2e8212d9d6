/**
 * A staff reply (POST /tickets/:id/comments) prepares its statements on the transaction's
 * connection — the ticket's lock, the comment with its events, and for an e-mail ticket the
 * recipient's read and the mail's row — so PostgreSQL plans them once per connection, not per
 * reply. A migration run by another process (rolling deploy) that adds a column to `tickets` makes
 * PostgreSQL refuse the prepared lock ("cached plan must not change result type"): the reply is then
 * written again unprepared, once, instead of failing. Two pooled connections, both used by
 * concurrent replies before the change, so the next reply meets a prepared statement.
 */
import { Client } from 'pg';
import { bearer, createCustomer, createPlan, startTestApi, TestApi, ticketBody } from '../support';

describe('a reply with its statements prepared on the connection', () => {
  let api: TestApi;
  let customerId: string;

  /** An e-mail ticket (its public staff replies are mailed to the requester). */
  const emailTicket = async (subject: string) => {
    const res = await api.http
      .post('/api/v1/tickets')
      .set(bearer(api.adminToken))
      .send(ticketBody(customerId, { channel: 'email', subject, requester: { name: 'Marta López', email: 'marta@contoso-prepared.example' } }));
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const reply = (ticketId: string, body: string) => api.http.post(`/api/v1/tickets/${ticketId}/comments`).set(bearer(api.adminToken)).send({ body, visibility: 'public' });
  /** What one reply wrote: its comments, `commented` events, mails and whether the search finds its word. */
  const written = async (ticketId: string, word: string) =>
    (
      await api.dataSource.query(
        `SELECT (SELECT count(*)::int FROM ticket_comments WHERE ticket_id = $1) AS comments,
                (SELECT count(*)::int FROM ticket_events WHERE ticket_id = $1 AND type = 'commented') AS events,
                (SELECT count(*)::int FROM outbound_messages WHERE ticket_id = $1 AND kind = 'public_reply') AS mails,
                (SELECT count(*)::int FROM outbox o JOIN outbound_messages m ON o.job_id = m.id::text WHERE m.ticket_id = $1 AND m.kind = 'public_reply') AS handoffs,
                (SELECT count(*)::int FROM ticket_search WHERE ticket_id = $1 AND staff_doc @@ ticket_search_query($2) AND public_doc @@ ticket_search_query($2)) AS found`,
        [ticketId, word],
      )
    )[0];

  beforeAll(async () => {
    api = await startTestApi({ env: { DATABASE_POOL_SIZE: '2' } });
    customerId = (await createCustomer(api, (await createPlan(api)).id, 'Contoso Prepared')).id;
  });
  afterAll(async () => {
    await api?.close();
  });

  it('names the lock, the comment, the recipient’s read and the mail’s row, all in the reply’s one transaction', async () => {
    const ticketId = await emailTicket('Factura duplicada');
    // Every statement the API sends while it answers (the API runs in this process), at the driver.
    const sent: Array<{ text: string; name?: string }> = [];
    const original = Client.prototype.query as (...args: unknown[]) => unknown;
    const spy = jest.spyOn(Client.prototype, 'query').mockImplementation(function (this: Client, ...args: unknown[]) {
      const [config] = args as [string | { text: string; name?: string }];
      sent.push(typeof config === 'string' ? { text: config } : { text: config.text, name: config.name });
      return original.apply(this, args) as ReturnType<Client['query']>;
    } as unknown as Client['query']);
    let res;
    try {
      res = await reply(ticketId, 'Anulamos la factura repetida.');
    } finally {
      spy.mockRestore();
    }
    expect(res.status).toBe(201);
    const begin = sent.findIndex((s) => s.text === 'START TRANSACTION');
    const transaction = sent.slice(begin, sent.findIndex((s, i) => i > begin && s.text === 'COMMIT') + 1);
    expect(transaction.map((s) => s.name ?? s.text)).toEqual(['START TRANSACTION', 'tickets_lock', 'comment_add', 'mail_recipient_and_templates', 'outbound_message_store', 'COMMIT']);
    expect(await written(ticketId, 'repetida')).toEqual({ comments: 1, events: 1, mails: 1, handoffs: 1, found: 1 });
  });

  it('still answers 201 once tickets has a new column, with one comment, event, mail and hand-off, found by the search', async () => {
    const tickets: string[] = [];
    for (let i = 0; i < 5; i++) tickets.push(await emailTicket(`Licencias ${i}`));
    const after = tickets.pop()!;
    // Concurrent: each transaction holds its own connection, so both prepare the statements.
    expect((await Promise.all(tickets.map((t, i) => reply(t, `Renovamos la licencia ${i}.`)))).map((r) => r.status)).toEqual([201, 201, 201, 201]);
    await api.dataSource.query(`ALTER TABLE tickets ADD COLUMN rolling_deploy_probe text`);
    try {
      const res = await reply(after, 'The subscription was reactivated overnight.');
      expect([res.status, res.body.body]).toEqual([201, 'The subscription was reactivated overnight.']);
      expect(await written(after, 'reactivated')).toEqual({ comments: 1, events: 1, mails: 1, handoffs: 1, found: 1 });
      // And the next reply on the same connections too (its prepared lock is still the stale one).
      expect((await Promise.all(tickets.map((t) => reply(t, 'Second reply.')))).map((r) => r.status)).toEqual([201, 201, 201, 201]);
      for (const t of tickets) expect((await written(t, 'second')).comments).toBe(2);
    } finally {
      await api.dataSource.query(`ALTER TABLE tickets DROP COLUMN rolling_deploy_probe`);
    }
  });

  it('refuses a reply to an unknown or closed ticket as before, writing nothing', async () => {
    const unknown = await reply('6f1c1f32-3c1f-4c52-9d55-8f5e1c2b7a10', 'Hello?');
    expect([unknown.status, unknown.headers['content-type']]).toEqual([404, expect.stringMatching(/^application\/problem\+json/)]);
    const ticketId = await emailTicket('Cerrado');
    for (const status of ['triaged', 'in_progress', 'resolved', 'closed']) {
      expect((await api.http.patch(`/api/v1/tickets/${ticketId}`).set(bearer(api.adminToken)).send({ status })).status).toBe(200);
    }
    const closed = await reply(ticketId, 'Too late.');
    expect([closed.status, closed.headers['content-type']]).toEqual([409, expect.stringMatching(/^application\/problem\+json/)]);
    expect(await written(ticketId, 'late')).toEqual({ comments: 0, events: 0, mails: 0, handoffs: 0, found: 0 });
  });
});
