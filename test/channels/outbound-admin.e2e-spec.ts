/**
 * Outgoing mail for admins (issue #15): the list of what was sent, is pending or failed, and
 * sending a failed one again once its cause is fixed — here a receiving SMTP server that was down
 * until every attempt had failed, then came back. Real SMTP, PostgreSQL, Redis; NOTIFICATION_ATTEMPTS=2
 * so that "every attempt" is quick.
 */
import { bearer, createAgent, createCustomer, createPlan, eventually, TestApi } from '../support';
import { addContact, MAIL_DOMAIN, MailStack, ReceivingSmtp, startMailStack } from './support';

const ATTEMPTS = 2;

describe('outgoing mail: list and retry', () => {
  let stack: MailStack;
  let api: TestApi;
  let receiving: ReceivingSmtp;
  let adminAgent: string;
  const list = (query: Record<string, string | number>, token = api.adminToken) => api.http.get('/api/v1/outbound-messages').query(query).set(bearer(token));
  const retry = (id: string, token = api.adminToken) => api.http.post(`/api/v1/outbound-messages/${id}/retry`).set(bearer(token));
  const comment = (ticketId: string, body: string) => api.http.post(`/api/v1/tickets/${ticketId}/comments`).set(bearer(api.adminToken)).send({ body, visibility: 'public' });
  const rowOf = async (mid: string) => (await api.dataSource.query(`SELECT * FROM outbound_messages WHERE message_id = $1`, [mid]))[0] as Record<string, unknown> | undefined;

  beforeAll(async () => {
    stack = await startMailStack({ NOTIFICATION_ATTEMPTS: String(ATTEMPTS) });
    ({ api, receiving } = stack);
    const customer = await createCustomer(api, (await createPlan(api)).id, 'Fabrikam Out');
    await addContact(api, customer.id, { name: 'Ana Ruiz', email: 'Ana.Ruiz@fabrikam-out.example', locale: 'es' });
    await addContact(api, customer.id, { name: 'Tom Lee', email: 'tom@fabrikam-out.example', locale: 'en' });
    adminAgent = (await createAgent(api, ['admin_agent'])).token;
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('lets global_admin and admin_agent read it, and no one else', async () => {
    const ticket = await stack.mailIn('tom@fabrikam-out.example', 'Printer', 'It jams.');
    await stack.delivered(`<hd.${ticket.id}.received@${MAIL_DOMAIN}>`);
    for (const token of [api.adminToken, adminAgent]) {
      const res = await list({ ticketId: ticket.id }, token);
      expect(res.status).toBe(200);
      expect(res.body.items).toHaveLength(1);
    }
    const customer = await createCustomer(api, (await createPlan(api)).id);
    for (const roles of [['helpdesk_agent'], ['billing_admin'], ['sales_agent']]) {
      const { token } = await createAgent(api, roles);
      expect((await list({}, token)).status).toBe(403);
      expect((await api.http.get(`/api/v1/outbound-messages/${ticket.id}`).set(bearer(token))).status).toBe(403);
      expect((await retry(ticket.id, token)).status).toBe(403);
    }
    expect((await list({}, customer.token)).status).toBe(403);
    expect((await api.http.get('/api/v1/outbound-messages')).status).toBe(401);
  });

  it('refuses a filter it does not understand as a problem naming the field', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ status: 'bounced' }, 'status'],
      [{ ticketId: 'HD-1' }, 'ticketId'],
      [{ from: 'yesterday' }, 'from'],
      [{ to: '2026-13-45T00:00:00Z' }, 'to'],
      [{ from: '2026-12-06T10:00:00Z', to: '2026-12-06T09:00:00Z' }, 'to'],
      [{ limit: '0' }, 'limit'],
      [{ cursor: 'not-a-cursor' }, 'cursor'],
      [{ colour: 'red' }, 'colour'],
    ];
    for (const [query, field] of cases) {
      const res = await list(query);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    // The end of the range before its start is said by its code, for the console to say in its own words.
    const order = await list({ from: '2026-12-06T10:00:00Z', to: '2026-12-06T09:00:00Z' });
    expect(order.body.errors).toEqual([{ field: 'to', message: 'must be later than from', code: 'rangeOrder', params: { other: 'from' } }]);
    // A path id that is not a UUID names nothing (the API's convention: 404, never a database error).
    expect((await retry('not-a-uuid')).status).toBe(404);
    expect((await retry('00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('fails a mail whose every attempt found the SMTP server down, shows why, and sends it once when retried after it is back', async () => {
    const ticket = await stack.mailIn('Ana Ruiz <ana.ruiz@fabrikam-out.example>', 'Correo caído', 'No llega nada.');
    const ackId = `<hd.${ticket.id}.received@${MAIL_DOMAIN}>`;
    await stack.delivered(ackId);
    await receiving.stop();
    const first = await comment(ticket.id, 'Estamos reiniciando el servidor.');
    const second = await comment(ticket.id, 'Sigue en marcha la reparación.');
    expect([first.status, second.status]).toEqual([201, 201]);
    const firstId = `<hd.${ticket.id}.comment-${first.body.id}@${MAIL_DOMAIN}>`;
    const secondId = `<hd.${ticket.id}.comment-${second.body.id}@${MAIL_DOMAIN}>`;
    for (const mid of [firstId, secondId]) await eventually(() => rowOf(mid), (r) => r?.status === 'failed', 30_000, `${mid} failed`);

    // What an admin sees: failed, every attempt made, why (one line, no stack), when.
    const failed = await list({ status: 'failed', ticketId: ticket.id });
    expect(failed.status).toBe(200);
    expect(failed.body.items.map((m: { messageId: string }) => m.messageId).sort()).toEqual([firstId, secondId].sort());
    for (const m of failed.body.items) {
      expect(m).toMatchObject({ kind: 'public_reply', ticketId: ticket.id, ticketNumber: Number(ticket.number), recipient: 'ana.ruiz@fabrikam-out.example', locale: 'es', status: 'failed', attempts: ATTEMPTS, retries: 0, sentAt: null });
      expect(m.subject).toContain('Correo caído');
      expect(m.lastError).toMatch(/ECONNREFUSED|connect/i);
      expect(m.lastError).not.toMatch(/\n|\bat .+\(.+:\d+:\d+\)|SELECT|UPDATE/);
      expect(Date.parse(m.failedAt)).toBeGreaterThanOrEqual(Date.parse(m.createdAt));
      expect(m).not.toHaveProperty('body');
    }
    // Nothing tries again on its own.
    expect(receiving.byMessageId(firstId)).toHaveLength(0);

    // The server is back; the admin retries the first one, then clicks again before it is sent.
    await receiving.start();
    const firstRow = failed.body.items.find((m: { messageId: string }) => m.messageId === firstId);
    const retried = await retry(firstRow.id, adminAgent);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ id: firstRow.id, status: 'pending', retries: 1, messageId: firstId });
    const again = await retry(firstRow.id, adminAgent);
    expect(again.status).toBe(409);
    expect(again.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(['not_failed', 'already_sent']).toContain(again.body.reason);
    const [resent] = await stack.delivered(firstId);
    expect(resent.mail.subject).toBe(firstRow.subject);
    expect(resent.mail.messageId).toBe(firstId);
    const sent = await eventually(() => rowOf(firstId), (r) => r?.status === 'sent', 15_000, 'resent marked sent');
    expect(sent).toMatchObject({ send_round: 1, last_error: null, failed_at: null });
    expect(Number(sent!.attempts)).toBe(ATTEMPTS + 1);

    // A sent mail is never sent again.
    const sentAgain = await retry(firstRow.id);
    expect(sentAgain.status).toBe(409);
    expect(sentAgain.body.reason).toBe('already_sent');
    expect(sentAgain.body).toMatchObject({ code: 'mailNotFailed', params: { status: 'sent' } });

    // Two admins (or two tabs) retry the second one at the same moment: one of them does.
    const secondRow = failed.body.items.find((m: { messageId: string }) => m.messageId === secondId);
    const both = await Promise.all([retry(secondRow.id), retry(secondRow.id, adminAgent)]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    await stack.delivered(secondId);
    await eventually(() => rowOf(secondId), (r) => r?.status === 'sent', 15_000, 'second resent');

    // Exactly once each, whatever was clicked; the job of the failed round was not run again.
    for (const mid of [firstId, secondId, ackId]) expect(receiving.byMessageId(mid)).toHaveLength(1);
    const outbox = await api.dataSource.query(`SELECT count(*)::int AS n FROM outbox WHERE job_id LIKE $1`, [`${firstRow.id}%`]);
    expect(outbox[0].n).toBe(0);

    // Each retry is audited with who did it, before and after.
    const audit = await api.http.get('/api/v1/audit').query({ entity: 'outbound_message', entityId: firstRow.id }).set(bearer(api.adminToken));
    expect(audit.status).toBe(200);
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({
      action: 'retried',
      actor: { kind: 'staff' },
      before: { status: 'failed', retries: 0, messageId: firstId },
      after: { status: 'pending', retries: 1, messageId: firstId },
    });
    const secondAudit = await api.http.get('/api/v1/audit').query({ entity: 'outbound_message', entityId: secondRow.id }).set(bearer(api.adminToken));
    expect(secondAudit.body.items).toHaveLength(1);
  });

  it('filters by state, recipient, ticket and time, newest first, in keyset pages', async () => {
    const a = await stack.mailIn('tom@fabrikam-out.example', 'Scanner', 'Scans nothing.');
    const b = await stack.mailIn('ana.ruiz@fabrikam-out.example', 'Escáner', 'No escanea.');
    await stack.delivered(`<hd.${a.id}.received@${MAIL_DOMAIN}>`);
    await stack.delivered(`<hd.${b.id}.received@${MAIL_DOMAIN}>`);
    await eventually(() => rowOf(`<hd.${b.id}.received@${MAIL_DOMAIN}>`), (r) => r?.status === 'sent', 15_000, 'b sent');

    const byRecipient = await list({ recipient: 'ANA.RUIZ@', status: 'sent' });
    expect(byRecipient.status).toBe(200);
    expect(byRecipient.body.items.length).toBeGreaterThanOrEqual(3);
    expect(byRecipient.body.items.every((m: { recipient: string; status: string }) => m.recipient === 'ana.ruiz@fabrikam-out.example' && m.status === 'sent')).toBe(true);
    // A LIKE wildcard in the filter is a character, not a wildcard.
    expect((await list({ recipient: '%' })).body.items).toEqual([]);

    expect((await list({ ticketId: a.id })).body.items.map((m: { ticketId: string }) => m.ticketId)).toEqual([a.id]);
    expect((await list({ status: 'pending', ticketId: a.id })).body.items).toEqual([]);

    const createdB = Date.parse((await list({ ticketId: b.id })).body.items[0].createdAt);
    const after = await list({ from: new Date(createdB).toISOString() });
    expect(after.body.items.map((m: { ticketId: string }) => m.ticketId)).toContain(b.id);
    expect(after.body.items.map((m: { ticketId: string }) => m.ticketId)).not.toContain(a.id);
    const before = await list({ to: new Date(createdB).toISOString() });
    expect(before.body.items.map((m: { ticketId: string }) => m.ticketId)).not.toContain(b.id);

    // Every mail, one per page, newest first, none twice, none missed.
    const all = (await list({ limit: 200 })).body.items.map((m: { id: string }) => m.id);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await list({ limit: 2, ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      paged.push(...res.body.items.map((m: { id: string }) => m.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all);
    const times = (await list({ limit: 200 })).body.items.map((m: { createdAt: string }) => Date.parse(m.createdAt));
    expect(times).toEqual([...times].sort((x, y) => y - x));
  });
});
