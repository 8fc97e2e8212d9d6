/**
 * E-mail out to staff (issue #15): "assigned to you" to the agent someone else gives a ticket,
 * "SLA at risk" to the managers of the ticket's queue when the monitor flags it, and "escalation
 * failed" to them when a delivery fails for good — once per (event, recipient), English then Spanish,
 * through the real sender to a real SMTP server.
 */
import { INestApplicationContext } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { generateWebhookSecret } from '@helpdesk/webhooks';
import { SlaMonitorService } from '@helpdesk/triage';
import { freePort } from '../../libs/devstack/src/free-port';
import { contract, escalate, LOCAL_RECEIVER_ENV, putEntitlements, putWebhookTier, Receiver, workedTicket } from '../escalation/support';
import { bearer, createAgent, createCustomer, createPlan, eventually, startTestApi, startTestWorker, TestApi, testStack, ticketBody } from '../support';
import { MAIL_DOMAIN, ReceivingSmtp } from './support';

const SECRET = generateWebhookSecret();

describe('staff mail: assigned to you, SLA at risk, escalation failed', () => {
  let api: TestApi;
  let worker: INestApplicationContext;
  let receiving: ReceivingSmtp;
  let vendor: Receiver;
  let customerId: string;

  const hd = (n: string | number) => `HD-${String(n).padStart(6, '0')}`;
  const newQueue = () => `q-${randomBytes(4).toString('hex')}`;
  const outbound = (ticketId: string, kind: string) =>
    api.dataSource.query(`SELECT * FROM outbound_messages WHERE ticket_id = $1 AND kind = $2 ORDER BY created_at, recipient`, [ticketId, kind]) as Promise<Array<Record<string, string>>>;
  const sent = (ticketId: string, kind: string, count: number) =>
    eventually(() => outbound(ticketId, kind), (rows) => rows.length === count && rows.every((r) => r.status === 'sent'), 20_000, `${count} ${kind} sent`);
  const patch = async (id: string, body: Record<string, unknown>, token = api.adminToken) => {
    const res = await api.http.patch(`/api/v1/tickets/${id}`).set(bearer(token)).send(body);
    expect([res.status, res.body.detail]).toEqual([200, undefined]);
  };
  const agent = async (roles: string[], queues: string[]) => {
    const created = await createAgent(api, roles);
    expect((await api.http.patch(`/api/v1/agents/${created.id}`).set(bearer(api.adminToken)).send({ queues })).status).toBe(200);
    const [row] = await api.dataSource.query(`SELECT email, name FROM agents WHERE id = $1`, [created.id]);
    return { ...created, email: row.email as string, name: row.name as string };
  };
  const addressees = () => receiving.received.flatMap((r) => (Array.isArray(r.mail.to) ? r.mail.to : r.mail.to ? [r.mail.to] : []).flatMap((a) => a.value.map((v) => v.address)));
  /** A ticket filed through the API, triaged by the worker, then put in `queue`. */
  async function triagedIn(queue: string, subject: string): Promise<{ id: string; number: number }> {
    const created = await api.http.post('/api/v1/tickets').set(bearer(api.adminToken)).send(ticketBody(customerId, { subject }));
    expect(created.status).toBe(201);
    await eventually(async () => (await api.http.get(`/api/v1/tickets/${created.body.id}`).set(bearer(api.adminToken))).body.status, (s) => s === 'triaged', 20_000, 'triaged');
    await patch(created.body.id, { queue, category: 'technical' });
    const [row] = await api.dataSource.query(`SELECT id, number FROM tickets WHERE id = $1`, [created.body.id]);
    return row;
  }

  beforeAll(async () => {
    receiving = new ReceivingSmtp(await freePort());
    await receiving.start();
    vendor = await new Receiver(SECRET).start();
    const env = { MAIL_DOMAIN, SMTP_URL: receiving.url, MAIL_FROM: `Soporte <support@${MAIL_DOMAIN}>`, ...LOCAL_RECEIVER_ENV };
    api = await startTestApi({ env });
    customerId = (await createCustomer(api, (await createPlan(api)).id, 'Fabrikam Staff Mail')).id;
    await putEntitlements(api, 'gold', contract(100, { hoursPurchased: 100 }), contract(20, { hoursPurchased: 40 }));
    await putWebhookTier(api, 'commercial', vendor, SECRET, { timeoutMs: 2000 });
    worker = await startTestWorker({ DATABASE_URL: api.database.url, REDIS_URL: testStack().redisUrl, QUEUE_PREFIX: api.queuePrefix, ESCALATION_ATTEMPTS: '1', ESCALATION_BACKOFF_MS: '50', ...env });
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await receiving?.stop();
    await vendor?.stop();
  });

  it('mails the agent someone else assigns a ticket to, once per assignment, and not an agent who takes a ticket themselves', async () => {
    const queue = newQueue();
    const [assigner, assignee] = await Promise.all([agent(['admin_agent'], [queue]), agent(['admin_agent'], [queue])]);
    const ticket = await triagedIn(queue, 'Exchange mailbox full');
    await patch(ticket.id, { assigneeId: assignee.id }, assigner.token);
    const [row] = await sent(ticket.id, 'assigned', 1);
    expect(row.recipient).toBe(assignee.email);
    const [mail] = receiving.byMessageId(row.message_id);
    expect(mail.mail.to).toMatchObject({ value: [{ address: assignee.email }] });
    expect(mail.mail.subject).toBe(`[${hd(ticket.number)}] Assigned to you / Asignada a usted: Exchange mailbox full`);
    expect(mail.mail.text).toContain(`is now yours: ${assigner.name} assigned it to you`);
    expect(mail.mail.text).toContain(`es ahora suya: ${assigner.name} se la ha asignado`);
    expect(mail.mail.headers.get('x-helpdesk-notification')).toBe('assigned');
    expect(mail.mail.headers.get('auto-submitted')).toBe('auto-generated');

    // Another change of the ticket that leaves the assignee alone mails nobody.
    await patch(ticket.id, { priority: 'P2' }, assigner.token);
    // Unassigned, then assigned again: a new assignment, a new mail under its own Message-ID.
    await patch(ticket.id, { assigneeId: null }, assigner.token);
    await patch(ticket.id, { assigneeId: assignee.id }, assigner.token);
    const twice = await sent(ticket.id, 'assigned', 2);
    expect(twice[0].message_id).not.toBe(twice[1].message_id);
    for (const r of twice) expect(receiving.byMessageId(r.message_id)).toHaveLength(1);

    // Taking a ticket oneself is no news to oneself.
    const own = await triagedIn(queue, 'Teams call drops');
    await patch(own.id, { assigneeId: assignee.id }, assignee.token);
    // The same transaction would have stored it: the change is committed, so nothing is coming.
    expect(await outbound(own.id, 'assigned')).toEqual([]);
    expect((await api.dataSource.query(`SELECT assignee_id FROM tickets WHERE id = $1`, [own.id]))[0].assignee_id).toBe(assignee.id);
  });

  it('mails the queue’s managers once when a target is at risk, and nobody else', async () => {
    const queue = newQueue();
    const [managerA, managerB, otherQueue, worksIt] = await Promise.all([
      agent(['admin_agent'], [queue]),
      agent(['global_admin'], [queue, 'elsewhere']),
      agent(['admin_agent'], ['elsewhere']),
      agent(['helpdesk_agent'], [queue]),
    ]);
    const ticket = await triagedIn(queue, 'Server room too hot');
    const [clock] = await api.dataSource.query(`SELECT first_responded_at, first_response_warn_at, first_response_due_at, resolution_warn_at FROM tickets WHERE id = $1`, [ticket.id]);
    expect(clock.first_responded_at).toBeNull();
    const at = new Date(new Date(clock.first_response_warn_at).getTime() + 1000);
    expect(at.getTime()).toBeLessThan(new Date(clock.first_response_due_at).getTime());
    expect(at.getTime()).toBeLessThan(new Date(clock.resolution_warn_at).getTime());

    const monitor = worker.get(SlaMonitorService);
    await monitor.scan(at);
    await monitor.scan(new Date(at.getTime() + 1000));
    const rows = await sent(ticket.id, 'sla_warning', 2);
    expect(rows.map((r) => r.recipient).sort()).toEqual([managerA.email, managerB.email].sort());
    for (const row of rows) {
      const [mail] = receiving.byMessageId(row.message_id);
      expect(mail.mail.subject).toBe(`[${hd(ticket.number)}] SLA at risk / SLA en riesgo: Server room too hot`);
      expect(mail.mail.text).toContain('has used most of the time for its first response target');
      expect(mail.mail.text).toContain('ha consumido la mayor parte del plazo de primera respuesta');
      expect(mail.mail.text).toContain(`queue ${queue}`);
    }
    expect(addressees()).not.toContain(otherQueue.email);
    expect(addressees()).not.toContain(worksIt.email);
  });

  it('mails the ticket’s queue managers once when an escalation fails for good, and nothing when one is delivered', async () => {
    const queue = newQueue();
    const [manager, otherQueue] = await Promise.all([agent(['admin_agent'], [queue]), agent(['admin_agent'], ['elsewhere'])]);
    const escalated = async () => {
      const id = await workedTicket(api, customerId, { category: 'billing', priority: 'P3' });
      await patch(id, { queue });
      const res = await escalate(api, id);
      expect(res.status).toBe(202);
      return { ticketId: id, escalationId: res.body.id as string };
    };
    const settled = (escalationId: string, status: string) =>
      eventually(async () => (await api.http.get(`/api/v1/escalations/${escalationId}`).set(bearer(api.adminToken))).body, (e) => e.status === status, 20_000, status);

    vendor.plan({ status: 502 });
    const failed = await escalated();
    await settled(failed.escalationId, 'failed');
    const [row] = await sent(failed.ticketId, 'escalation_failed', 1);
    expect(row.recipient).toBe(manager.email);
    const [{ number }] = await api.dataSource.query(`SELECT number FROM tickets WHERE id = $1`, [failed.ticketId]);
    const [mail] = receiving.byMessageId(row.message_id);
    expect(mail.mail.subject).toMatch(new RegExp(`^\\[${hd(number)}\\] Escalation failed / Escalado fallido: `));
    expect(mail.mail.text).toContain('to commercial could not be delivered after 1 attempt(s): HTTP 502');
    expect(mail.mail.text).toContain(`a commercial no se ha podido entregar tras 1 intento(s)`);
    expect(mail.mail.text).toContain(`manager of the queue ${queue}`);
    expect(addressees()).not.toContain(otherQueue.email);

    const delivered = await escalated();
    await settled(delivered.escalationId, 'submitted');
    expect(await outbound(delivered.ticketId, 'escalation_failed')).toEqual([]);
    // The failure's mail was stored once, however often the sender ran.
    expect(await outbound(failed.ticketId, 'escalation_failed')).toHaveLength(1);
  });
});
