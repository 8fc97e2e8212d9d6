/**
 * A notification is composed inside the transaction that records its event, and reads what it needs
 * (the recipient contact's locale, the plan) through that transaction's connection. Reading through
 * a second pool connection while the first is held deadlocks the pool as soon as as many replies are
 * in flight as it has connections: every request then holds one and waits for another until the
 * pool's timeout (503). `bench:email` found it at 200 replies/s with a pool of 20; here a pool of 2
 * shows it with a handful of concurrent replies.
 */
import { bearer, createCustomer, createPlan, startTestApi, TestApi, ticketBody } from '../support';

describe('notifications composed inside their event transaction', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi({ env: { DATABASE_POOL_SIZE: '2' } });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('takes concurrent public replies to e-mail tickets with one pool connection each, none refused', async () => {
    const plan = await createPlan(api);
    const customer = await createCustomer(api, plan.id);
    const contact = await api.http
      .post(`/api/v1/customers/${customer.id}/contacts`)
      .set(bearer(api.adminToken))
      .send({ name: 'Lucía Pérez', email: `lucia@${customer.domain}`, locale: 'es', primary: true });
    expect(contact.status).toBe(201);
    const tickets: string[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await api.http
        .post('/api/v1/tickets')
        .set(bearer(api.adminToken))
        .send(ticketBody(customer.id, { channel: 'email', requester: { name: 'Lucía Pérez', email: `lucia@${customer.domain}` } }));
      expect(res.status).toBe(201);
      tickets.push(res.body.id);
    }

    const replies = await Promise.all(
      tickets.map((id, i) => api.http.post(`/api/v1/tickets/${id}/comments`).set(bearer(api.adminToken)).send({ body: `Respuesta ${i}`, visibility: 'public' })),
    );
    expect(replies.map((r) => r.status)).toEqual(tickets.map(() => 201));
    const mails: Array<{ ticket_id: string; locale: string }> = await api.dataSource.query(
      `SELECT ticket_id, locale FROM outbound_messages WHERE kind = 'public_reply' AND ticket_id = ANY($1) ORDER BY ticket_id`,
      [tickets],
    );
    expect(mails).toHaveLength(6);
    // The contact's locale, read in the reply's own transaction.
    expect(mails.every((m) => m.locale === 'es')).toBe(true);
  });
});
