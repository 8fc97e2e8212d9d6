/**
 * E-mail out (issue #15), beyond replies: the acknowledgement carries the customer's plan (hours of
 * service, holidays ahead, the targets for the ticket's priority) in the contact's language, and a
 * customer hears, once each and threaded, that their e-mail ticket waits on them or is resolved.
 */
import { INestApplicationContext } from '@nestjs/common';
import { SlaMonitorService } from '@helpdesk/triage';
import { bearer, createAgent, createCustomer, createPlan, eventually, TestApi, ticketBody } from '../support';
import { addContact, hd, MAIL_DOMAIN, MailStack, ReceivingSmtp, startMailStack } from './support';

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** How a customer reads a plan date in `locale` (what Intl makes of it, not our own wording). */
const longDate = (iso: string, locale: string) => new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`));

describe('e-mail out: the plan in the acknowledgement, waiting on you, resolved', () => {
  let stack: MailStack;
  let api: TestApi;
  let worker: INestApplicationContext;
  let receiving: ReceivingSmtp;
  // A holiday ten days ahead is told; one more than a year ahead is not.
  const soon = isoDay(Date.now() + 10 * DAY);
  const far = isoDay(Date.now() + 400 * DAY);
  const same = { firstResponseMinutes: 90, resolutionMinutes: 1590 };
  const outbound = (ticketId: string) => stack.outbound(ticketId);
  const delivered = (id: string) => stack.delivered(id);
  const mailIn = (from: string, subject: string) => stack.mailIn(from, subject);

  const patch = (id: string, body: Record<string, unknown>, token = api.adminToken) => api.http.patch(`/api/v1/tickets/${id}`).set(bearer(token)).send(body);
  async function worked(id: string): Promise<void> {
    await eventually(async () => (await api.http.get(`/api/v1/tickets/${id}`).set(bearer(api.adminToken))).body.status, (s) => s === 'triaged', 20_000, 'triaged');
    expect((await patch(id, { status: 'in_progress' })).status).toBe(200);
  }

  const agent = async (roles: string[], queues: string[]) => {
    const { id } = await createAgent(api, roles);
    expect((await api.http.patch(`/api/v1/agents/${id}`).set(bearer(api.adminToken)).send({ queues })).status).toBe(200);
    const [row] = await api.dataSource.query(`SELECT email FROM agents WHERE id = $1`, [id]);
    return { id, email: row.email as string };
  };

  beforeAll(async () => {
    stack = await startMailStack();
    ({ api, worker, receiving } = stack);
    const plan = await createPlan(api, { name: 'Oro / Gold', holidays: [far, soon], targets: { P1: same, P2: same, P3: same, P4: same } });
    const customer = await createCustomer(api, plan.id, 'Contoso Status');
    await addContact(api, customer.id, { name: 'Marta López', email: 'marta@contoso-status.example', locale: 'es' });
    await addContact(api, customer.id, { name: 'John Smith', email: 'john@contoso-status.example', locale: 'en' });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('tells the plan’s hours, the holidays ahead and the targets for the ticket’s priority, in Spanish and in English', async () => {
    const es = await mailIn('marta@contoso-status.example', 'Correo caído');
    const [ackEs] = await delivered(`<hd.${es.id}.received@${MAIL_DOMAIN}>`);
    const [{ priority }] = await api.dataSource.query(`SELECT priority FROM tickets WHERE id = $1`, [es.id]);
    expect(ackEs.mail.text).toContain('Su plan de soporte (Oro / Gold):');
    expect(ackEs.mail.text).toContain('Horario de atención: lun–vie 09:00–18:00 (Europe/Madrid)');
    expect(ackEs.mail.text).toContain(`Cerrado los días: ${longDate(soon, 'es')}\n`);
    expect(ackEs.mail.text).toContain(`Primera respuesta para la prioridad ${priority}: en un plazo de 1 hora y 30 minutos`);
    expect(ackEs.mail.text).toContain(`Resolución para la prioridad ${priority}: en un plazo de 26 horas y 30 minutos`);
    expect(ackEs.mail.text).toContain('Los plazos cuentan solo el horario de atención.');

    const en = await mailIn('john@contoso-status.example', 'Mail down');
    const [ackEn] = await delivered(`<hd.${en.id}.received@${MAIL_DOMAIN}>`);
    expect(ackEn.mail.text).toContain('Your support plan (Oro / Gold):');
    expect(ackEn.mail.text).toContain('Hours of service: Mon–Fri 09:00–18:00 (Europe/Madrid)');
    expect(ackEn.mail.text).toContain(`Closed on: ${longDate(soon, 'en')}\n`);
    expect(ackEn.mail.text).toContain(`First response for priority ${priority}: within 1 hour and 30 minutes`);
    expect(ackEn.mail.text).toContain(`Resolution for priority ${priority}: within 26 hours and 30 minutes`);
    expect(ackEn.mail.text).not.toContain(longDate(far, 'en'));
  });

  it('tells a customer once, in their language and in the thread, that the ticket waits on them and then that it is resolved', async () => {
    const ticket = await mailIn('Marta López <marta@contoso-status.example>', 'VPN no conecta');
    const ackId = `<hd.${ticket.id}.received@${MAIL_DOMAIN}>`;
    await delivered(ackId);
    await worked(ticket.id);
    expect((await patch(ticket.id, { status: 'waiting_on_customer' })).status).toBe(200);
    const [waiting] = await eventually(
      async () => (await outbound(ticket.id)).filter((r) => r.kind === 'waiting_on_customer'),
      (rows) => rows.length === 1,
      10_000,
      'waiting row',
    );
    const [waitingMail] = await delivered(String(waiting.message_id));
    expect(waitingMail.mail.subject).toBe(`[${hd(ticket.number)}] Necesitamos su respuesta: VPN no conecta`);
    expect(waitingMail.mail.text).toContain('Hola, Marta López:');
    expect(waitingMail.mail.inReplyTo).toBe(ackId);
    expect(waitingMail.mail.references).toEqual([ticket.mid, ackId]);
    expect(waitingMail.mail.headers.get('x-helpdesk-notification')).toBe('waiting_on_customer');
    expect(waitingMail.mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(waitingMail.mail.to).toMatchObject({ value: [{ address: 'marta@contoso-status.example' }] });

    // Back to work and resolved: one "resolved" mail; moving to in_progress tells the customer nothing.
    expect((await patch(ticket.id, { status: 'in_progress' })).status).toBe(200);
    expect((await patch(ticket.id, { status: 'resolved' })).status).toBe(200);
    const resolvedRows = await eventually(
      async () => (await outbound(ticket.id)).filter((r) => r.kind === 'resolved'),
      (rows) => rows.length === 1 && rows[0].status === 'sent',
      20_000,
      'resolved sent',
    );
    const [resolvedMail] = await delivered(String(resolvedRows[0].message_id));
    expect(resolvedMail.mail.subject).toBe(`[${hd(ticket.number)}] Solicitud resuelta: VPN no conecta`);
    expect(resolvedMail.mail.references).toEqual([ticket.mid, ackId]);
    expect((await outbound(ticket.id)).map((r) => r.kind)).toEqual(['ticket_received', 'waiting_on_customer', 'resolved']);
    for (const row of await outbound(ticket.id)) expect(receiving.byMessageId(String(row.message_id))).toHaveLength(1);

    // Reopened and resolved again: the second resolution is a new event, told again under its own Message-ID.
    expect((await patch(ticket.id, { status: 'in_progress' })).status).toBe(200);
    expect((await patch(ticket.id, { status: 'resolved' })).status).toBe(200);
    const twice = await eventually(
      async () => (await outbound(ticket.id)).filter((r) => r.kind === 'resolved'),
      (rows) => rows.length === 2 && rows.every((r) => r.status === 'sent'),
      20_000,
      'second resolution sent',
    );
    expect(twice[0].message_id).not.toBe(twice[1].message_id);
  });

  it('writes in English to an English contact, and not at all for a refused change or a ticket filed elsewhere', async () => {
    const ticket = await mailIn('John Smith <john@contoso-status.example>', 'Printer jam');
    await delivered(`<hd.${ticket.id}.received@${MAIL_DOMAIN}>`);
    // new → closed is not a transition: 409, and no notification written.
    expect((await patch(ticket.id, { status: 'closed' })).status).toBe(409);
    await worked(ticket.id);
    expect((await patch(ticket.id, { status: 'resolved' })).status).toBe(200);
    const [row] = await eventually(async () => (await outbound(ticket.id)).filter((r) => r.kind === 'resolved'), (rows) => rows.length === 1, 10_000, 'resolved row');
    const [mail] = await delivered(String(row.message_id));
    expect(mail.mail.subject).toBe(`[${hd(ticket.number)}] Request resolved: Printer jam`);
    expect(mail.mail.text).toContain('Hello John Smith,');
    expect(row.locale).toBe('en');
    expect((await outbound(ticket.id)).map((r) => r.kind)).toEqual(['ticket_received', 'resolved']);

    // A ticket filed through the API (channel portal/api) is followed there: resolving it mails nothing.
    const [customer] = await api.dataSource.query(`SELECT customer_id FROM tickets WHERE id = $1`, [ticket.id]);
    const other = await api.http
      .post('/api/v1/tickets')
      .set(bearer(api.adminToken))
      .send(ticketBody(customer.customer_id, { requester: { name: 'John Smith', email: 'john@contoso-status.example' } }));
    expect(other.status).toBe(201);
    await worked(other.body.id);
    expect((await patch(other.body.id, { status: 'resolved' })).status).toBe(200);
    expect(await outbound(other.body.id)).toEqual([]);
  });

  it('mails a resolution breach to the managers of the ticket’s queue (English, then Spanish), once, and to nobody else', async () => {
    const ticket = await mailIn('john@contoso-status.example', 'Server room too hot');
    await eventually(async () => (await api.http.get(`/api/v1/tickets/${ticket.id}`).set(bearer(api.adminToken))).body, (t) => t.status === 'triaged' && !!t.queue, 20_000, 'queued');
    const [{ queue, resolution_due_at: dueAt }] = await api.dataSource.query(`SELECT queue, resolution_due_at FROM tickets WHERE id = $1`, [ticket.id]);
    const managerA = await agent(['admin_agent'], [queue]);
    const managerB = await agent(['global_admin'], [queue, 'elsewhere']);
    const otherQueue = await agent(['admin_agent'], ['elsewhere']);
    const worksIt = await agent(['helpdesk_agent'], [queue]);
    const gone = await agent(['admin_agent'], [queue]);
    expect((await api.http.post(`/api/v1/agents/${gone.id}/deactivate`).set(bearer(api.adminToken))).status).toBeLessThan(300);

    const monitor = worker.get(SlaMonitorService);
    await monitor.scan(new Date(new Date(dueAt).getTime() + 60_000));
    await monitor.scan(new Date(new Date(dueAt).getTime() + 120_000));
    const rows = await eventually(
      async () => (await outbound(ticket.id)).filter((r) => r.kind === 'sla_breach' && String(r.event_key).includes(':sla-breach-resolution:')),
      (r) => r.length === 2 && r.every((m) => m.status === 'sent'),
      20_000,
      'breach mails sent',
    );
    expect(rows.map((r) => r.recipient).sort()).toEqual([managerA.email, managerB.email].sort());
    for (const row of rows) {
      const [mail] = receiving.byMessageId(String(row.message_id));
      expect(mail.mail.to).toMatchObject({ value: [{ address: row.recipient }] });
      expect(mail.mail.subject).toBe(`[${hd(ticket.number)}] SLA breached / SLA incumplido: Server room too hot`);
      expect(mail.mail.text).toContain(`missed its resolution target`);
      expect(mail.mail.text).toContain(`ha incumplido su plazo de resolución`);
      expect(mail.mail.text).toContain(`queue ${queue}`);
      expect(mail.mail.headers.get('x-helpdesk-notification')).toBe('sla_breach');
      expect(mail.mail.headers.get('auto-submitted')).toBe('auto-generated');
      expect(mail.mail.inReplyTo).toBeUndefined();
    }
    const addressed = receiving.received.flatMap((r) => (Array.isArray(r.mail.to) ? r.mail.to : r.mail.to ? [r.mail.to] : []).flatMap((a) => a.value.map((v) => v.address)));
    for (const nobody of [otherQueue, worksIt, gone]) expect(addressed).not.toContain(nobody.email);
  });

  it('mails a first-response breach to the queue’s managers once, naming the target, before the resolution target passes', async () => {
    const ticket = await mailIn('john@contoso-status.example', 'Nobody answered yet');
    await eventually(async () => (await api.http.get(`/api/v1/tickets/${ticket.id}`).set(bearer(api.adminToken))).body, (t) => t.status === 'triaged' && !!t.queue, 20_000, 'queued');
    // A queue of its own, so its managers are exactly the ones made here.
    const queue = `first-response-${ticket.number}`;
    expect((await patch(ticket.id, { queue })).status).toBe(200);
    const manager = await agent(['admin_agent'], [queue]);
    const worksIt = await agent(['helpdesk_agent'], [queue]);
    const [{ first_response_due_at: dueAt, resolution_due_at: resolutionDueAt }] = await api.dataSource.query(
      `SELECT first_response_due_at, resolution_due_at FROM tickets WHERE id = $1`,
      [ticket.id],
    );
    const at = new Date(dueAt).getTime() + 60_000;
    expect(at).toBeLessThan(new Date(resolutionDueAt).getTime());

    const monitor = worker.get(SlaMonitorService);
    await monitor.scan(new Date(at));
    await monitor.scan(new Date(at + 60_000));
    const rows = await eventually(
      async () => (await outbound(ticket.id)).filter((r) => r.kind === 'sla_breach'),
      (r) => r.length === 1 && r[0].status === 'sent',
      20_000,
      'first-response breach mail sent',
    );
    expect(rows[0].recipient).toBe(manager.email);
    expect(String(rows[0].event_key)).toContain(':sla-breach-first-response:');
    const [mail] = receiving.byMessageId(String(rows[0].message_id));
    expect(mail.mail.subject).toBe(`[${hd(ticket.number)}] SLA breached / SLA incumplido: Nobody answered yet`);
    expect(mail.mail.text).toContain('missed its first response target');
    expect(mail.mail.text).toContain('ha incumplido su plazo de primera respuesta');
    expect(mail.mail.text).not.toContain('resolution target');
    expect(receiving.received.some((r) => JSON.stringify(r.mail.to).includes(worksIt.email))).toBe(false);

    // Once the resolution target passes too, that breach is told separately, and the first one not again.
    await monitor.scan(new Date(new Date(resolutionDueAt).getTime() + 60_000));
    const both = await eventually(
      async () => (await outbound(ticket.id)).filter((r) => r.kind === 'sla_breach'),
      (r) => r.length === 2,
      20_000,
      'resolution breach mail stored',
    );
    expect(both.map((r) => String(r.event_key).split(':')[1]).sort()).toEqual(['sla-breach-first-response', 'sla-breach-resolution']);
  });
});
