/**
 * E-mail out to staff (issue #15): "assigned to you" for the tickets triage itself assigns, mailed by
 * the worker's scheduled job outside triage's write — once per (assignment, agent), in the agent's
 * language, through the real sender to a real SMTP server; nothing lost across a stopped worker,
 * nothing twice on a second run; a hand assignment still mailed once, by its own change.
 *
 * The job's schedule is an hour here (it runs once as the worker starts), so each test runs it
 * when it wants to (`AutoAssignmentMail.run`), as the scheduler would.
 */
import { INestApplicationContext } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { AutoAssignmentMail } from '@helpdesk/channels/jobs';
import { freePort } from '../../libs/devstack/src/free-port';
import { bearer, createAgent, createCustomer, createPlan, eventually, startTestApi, startTestWorker, TestApi, testStack, ticketBody } from '../support';
import { MAIL_DOMAIN, ReceivingSmtp } from './support';

describe('staff mail: "assigned to you" for the tickets triage assigns', () => {
  let api: TestApi;
  let worker: INestApplicationContext | undefined;
  let receiving: ReceivingSmtp;
  let customerId: string;
  const rules: string[] = [];

  const env = () => ({ MAIL_DOMAIN, SMTP_URL: receiving.url, MAIL_FROM: `Soporte <support@${MAIL_DOMAIN}>`, AUTO_ASSIGNMENT_MAIL_EVERY_MS: '3600000' });
  const startWorker = async (extra: Record<string, string> = {}) => {
    worker = await startTestWorker({ DATABASE_URL: api.database.url, REDIS_URL: testStack().redisUrl, QUEUE_PREFIX: api.queuePrefix, ...env(), ...extra });
    return worker;
  };
  const stopWorker = async () => {
    await worker?.close();
    worker = undefined;
  };
  const runJob = () => worker!.get(AutoAssignmentMail).run();
  const newQueue = () => `q-${randomBytes(4).toString('hex')}`;
  const assignedMail = (ticketId: string) =>
    api.dataSource.query(`SELECT * FROM outbound_messages WHERE ticket_id = $1 AND kind = 'assigned' ORDER BY created_at, recipient`, [ticketId]) as Promise<Array<Record<string, string>>>;
  const sent = (ticketId: string, count: number) =>
    eventually(() => assignedMail(ticketId), (rows) => rows.length === count && rows.every((r) => r.status === 'sent'), 20_000, `${count} assigned sent`);
  const agent = async (queues: string[], extra: Record<string, unknown> = {}) => {
    const created = await createAgent(api, ['helpdesk_agent'], extra);
    expect((await api.http.patch(`/api/v1/agents/${created.id}`).set(bearer(api.adminToken)).send({ queues })).status).toBe(200);
    const [row] = await api.dataSource.query(`SELECT email, name, locale FROM agents WHERE id = $1`, [created.id]);
    return { ...created, email: row.email as string, name: row.name as string, locale: row.locale as string | null };
  };
  /** A triage rule sending tickets that say `word` to `queue`. */
  const route = async (word: string, queue: string) => {
    const rule = await api.http.post('/api/v1/triage-rules').set(bearer(api.adminToken)).send({
      name: `route ${word}`, position: 1, enabled: true, stopOnMatch: true, conditions: { anyKeywords: [word] }, actions: { queue },
    });
    expect(rule.status).toBe(201);
    rules.push(rule.body.id);
  };
  /**
   * A ticket filed through the API that triage (the running worker) routes by `word`, and (unless
   * `assigned` is false: nobody works that queue) has assigned, in its batch or just after.
   */
  const triaged = async (word: string, subject: string, assigned = true) => {
    const created = await api.http.post('/api/v1/tickets').set(bearer(api.adminToken)).send(ticketBody(customerId, { subject: `${subject} ${word}`, description: `It says ${word}` }));
    expect(created.status).toBe(201);
    type Ticket = { id: string; number: string; subject: string; priority: string; status: string; triagedAt: string | null; assigneeId: string | null };
    const done = (t: Ticket) => t.triagedAt !== null && t.status !== 'new' && (!assigned || t.assigneeId !== null);
    return eventually(async () => (await api.http.get(`/api/v1/tickets/${created.body.id}`).set(bearer(api.adminToken))).body as Ticket, done, 20_000, 'triaged');
  };
  const assignedEventKey = async (ticketId: string, email: string) => {
    const [event] = await api.dataSource.query(`SELECT at FROM ticket_events WHERE ticket_id = $1 AND type = 'assigned' AND actor_kind = 'system'`, [ticketId]);
    return `${ticketId}:assigned-${new Date(event.at).getTime()}:${email}`;
  };

  beforeAll(async () => {
    receiving = new ReceivingSmtp(await freePort());
    await receiving.start();
    api = await startTestApi({ env: env() });
    customerId = (await createCustomer(api, (await createPlan(api)).id, 'Fabrikam Routing')).id;
    await startWorker();
  });
  afterAll(async () => {
    for (const id of rules) await api.http.delete(`/api/v1/triage-rules/${id}`).set(bearer(api.adminToken));
    await stopWorker();
    await api?.close();
    await receiving?.stop();
  });

  it('mails the agent triage picks, once, in their language (es, en), and a second run sends nothing new', async () => {
    const [qEs, qEn] = [newQueue(), newQueue()];
    const [wordEs, wordEn] = [`alcotan${randomBytes(3).toString('hex')}`, `kestrel${randomBytes(3).toString('hex')}`];
    const ana = await agent([qEs], { locale: 'es' });
    const bob = await agent([qEn], { locale: 'en' });
    expect([ana.locale, bob.locale]).toEqual(['es', 'en']);
    await route(wordEs, qEs);
    await route(wordEn, qEn);
    const forAna = await triaged(wordEs, 'Portal caído');
    const forBob = await triaged(wordEn, 'Portal down');
    expect([forAna.assigneeId, forBob.assigneeId]).toEqual([ana.id, bob.id]);
    // Triage's write stored no mail: the job does, when it runs.
    expect(await assignedMail(forAna.id)).toEqual([]);

    const first = await runJob();
    expect(first).toMatchObject({ ran: true });
    expect(first.stored).toBeGreaterThanOrEqual(2);
    const [toAna] = await sent(forAna.id, 1);
    const [toBob] = await sent(forBob.id, 1);
    expect(toAna).toMatchObject({ recipient: ana.email, locale: 'es', event_key: await assignedEventKey(forAna.id, ana.email) });
    expect(toBob).toMatchObject({ recipient: bob.email, locale: 'en', event_key: await assignedEventKey(forBob.id, bob.email) });
    // The Message-ID derives from the assignment and the agent, as the hand assignment's does.
    const [{ at }] = await api.dataSource.query(`SELECT at FROM ticket_events WHERE ticket_id = $1 AND type = 'assigned'`, [forAna.id]);
    expect(toAna.message_id).toBe(`<hd.${forAna.id}.assigned-${new Date(at).getTime()}-${ana.id}@${MAIL_DOMAIN}>`);

    const [mailEs] = receiving.byMessageId(toAna.message_id);
    expect(mailEs.mail.subject).toBe(`[${forAna.number}] Asignada a usted: ${forAna.subject}`);
    expect(mailEs.mail.text).toContain(`de Fabrikam Routing (prioridad ${forAna.priority}) es ahora suya: el servicio de soporte se la ha asignado al enviarla a su cola.`);
    expect(mailEs.mail.text).not.toContain('is now yours');
    expect(mailEs.mail.to).toMatchObject({ value: [{ address: ana.email }] });
    expect(mailEs.mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mailEs.mail.headers.get('x-helpdesk-notification')).toBe('assigned');
    const [mailEn] = receiving.byMessageId(toBob.message_id);
    expect(mailEn.mail.subject).toBe(`[${forBob.number}] Assigned to you: ${forBob.subject}`);
    expect(mailEn.mail.text).toContain(`of Fabrikam Routing (priority ${forBob.priority}) is now yours: the helpdesk assigned it to you when it routed it to your queue.`);
    expect(mailEn.mail.text).not.toContain('es ahora suya');

    // Again: nothing new stored, nothing sent again.
    const again = await runJob();
    expect(again).toMatchObject({ ran: true, stored: 0 });
    expect(await assignedMail(forAna.id)).toHaveLength(1);
    expect(await assignedMail(forBob.id)).toHaveLength(1);
    expect(receiving.byMessageId(toAna.message_id)).toHaveLength(1);
    expect(receiving.byMessageId(toBob.message_id)).toHaveLength(1);

    // An agent who chose no language reads it in English, then Spanish.
    const q = newQueue();
    const word = `merlin${randomBytes(3).toString('hex')}`;
    const carla = await agent([q]);
    expect(carla.locale).toBeNull();
    await route(word, q);
    const forCarla = await triaged(word, 'VPN');
    expect(forCarla.assigneeId).toBe(carla.id);
    await runJob();
    const [toCarla] = await sent(forCarla.id, 1);
    const [mail] = receiving.byMessageId(toCarla.message_id);
    expect(mail.mail.subject).toBe(`[${forCarla.number}] Assigned to you / Asignada a usted: ${forCarla.subject}`);
    expect(mail.mail.text).toContain('is now yours');
    expect(mail.mail.text).toContain('es ahora suya');
  });

  it('mails a hand assignment once (by the change), which the job does not mail again, and not one the agent made themselves', async () => {
    const q = newQueue();
    const word = `osprey${randomBytes(3).toString('hex')}`;
    const picked = await agent([q], { locale: 'en' });
    const other = await agent([q], { locale: 'es' });
    await route(word, q);
    const ticket = await triaged(word, 'Mailbox full');
    expect([picked.id, other.id]).toContain(ticket.assigneeId);
    const first = ticket.assigneeId === picked.id ? picked : other;
    const second = first === picked ? other : picked;
    await runJob();
    await sent(ticket.id, 1);

    // An admin gives it to the other agent: the change mails them, in their language.
    const res = await api.http.patch(`/api/v1/tickets/${ticket.id}`).set(bearer(api.adminToken)).send({ assigneeId: second.id });
    expect(res.status).toBe(200);
    const rows = await sent(ticket.id, 2);
    const byHand = rows.find((r) => r.recipient === second.email)!;
    expect(byHand.locale).toBe(second.locale);
    expect(await runJob()).toMatchObject({ stored: 0 });
    expect(await assignedMail(ticket.id)).toHaveLength(2);
    expect(receiving.byMessageId(byHand.message_id)).toHaveLength(1);

    // The first agent takes it back themselves: no news to them.
    const back = await api.http.patch(`/api/v1/tickets/${ticket.id}`).set(bearer(first.token)).send({ assigneeId: first.id });
    expect(back.status).toBe(200);
    expect(await runJob()).toMatchObject({ stored: 0 });
    expect(await assignedMail(ticket.id)).toHaveLength(2);
  });

  it('mails nobody for an assignment taken away, an agent deactivated, or an agent without an address, before the job runs', async () => {
    const [qA, qB, qC] = [newQueue(), newQueue(), newQueue()];
    const [wA, wB, wC] = ['falcon', 'harrier', 'buzzard'].map((w) => `${w}${randomBytes(3).toString('hex')}`);
    const [dora, eli, fran] = [await agent([qA]), await agent([qB]), await agent([qC])];
    await route(wA, qA);
    await route(wB, qB);
    await route(wC, qC);
    const taken = await triaged(wA, 'Licences');
    const ofDeactivated = await triaged(wB, 'Invoice');
    const noAddress = await triaged(wC, 'Tenant');
    expect([taken.assigneeId, ofDeactivated.assigneeId, noAddress.assigneeId]).toEqual([dora.id, eli.id, fran.id]);

    // Decided: the mail says the ticket "is now yours"; once it is not, it is not sent.
    expect((await api.http.patch(`/api/v1/tickets/${taken.id}`).set(bearer(api.adminToken)).send({ assigneeId: null })).status).toBe(200);
    expect((await api.http.post(`/api/v1/agents/${eli.id}/deactivate`).set(bearer(api.adminToken))).status).toBe(200);
    // The API refuses an agent without an address (IsEmail); one stored without a usable one is skipped, not an error.
    await api.dataSource.query(`UPDATE agents SET email = $2 WHERE id = $1`, [fran.id, `no-address-${fran.id}`]);

    const run = await runJob();
    expect(run).toMatchObject({ ran: true, stored: 0 });
    for (const t of [taken, ofDeactivated, noAddress]) expect(await assignedMail(t.id)).toEqual([]);
  });

  it('loses nothing across a stopped worker: assignments made while no job ran, and mail stored but not yet sent', async () => {
    const q = newQueue();
    const word = `kite${randomBytes(3).toString('hex')}`;
    const gus = await agent([q], { locale: 'es' });
    await route(word, q);

    // A worker whose mail server is unreachable triages and stores the mail, then stops before sending it.
    await stopWorker();
    await startWorker({ SMTP_URL: `smtp://127.0.0.1:${await freePort()}` });
    const stored = await triaged(word, 'Teams');
    expect(stored.assigneeId).toBe(gus.id);
    expect((await runJob()).stored).toBeGreaterThanOrEqual(1);
    const [pending] = await assignedMail(stored.id);
    expect(pending.status).toBe('pending');
    // One more ticket triaged after the last run, then the worker stops.
    const unread = await triaged(word, 'OneDrive');
    expect(unread.assigneeId).toBe(gus.id);
    await stopWorker();
    expect(await assignedMail(unread.id)).toEqual([]);

    // The next worker sends the stored mail and mails the assignment no run had read, once each.
    await startWorker();
    await runJob();
    const [sentStored] = await sent(stored.id, 1);
    const [sentUnread] = await sent(unread.id, 1);
    expect(sentStored.message_id).toBe(pending.message_id);
    expect(await runJob()).toMatchObject({ stored: 0 });
    expect(receiving.byMessageId(sentStored.message_id)).toHaveLength(1);
    expect(receiving.byMessageId(sentUnread.message_id)).toHaveLength(1);
  });

  it('mails an assignment whose transaction commits after a later one was read, once it commits', async () => {
    const qIdle = newQueue();
    const q = newQueue();
    const [wIdle, w] = [`ibis${randomBytes(3).toString('hex')}`, `heron${randomBytes(3).toString('hex')}`];
    const hana = await agent([q], { locale: 'en' });
    // The slow writer's agent is another one: its open transaction holds that agent's row (the
    // ticket's foreign key), which triage's pick would skip.
    const ivan = await agent([], { locale: 'es' });
    await route(wIdle, qIdle); // nobody works qIdle: triage leaves the ticket unassigned
    await route(w, q);
    const slow = await triaged(wIdle, 'Slow assignment', false);
    expect(slow.assigneeId).toBeNull();

    // A system assignment whose event takes its seq now but commits later (as a slow writer's would).
    const writer = new Client({ connectionString: api.database.url });
    await writer.connect();
    try {
      await writer.query('BEGIN');
      await writer.query(`UPDATE tickets SET assignee_id = $2, updated_at = now() WHERE id = $1`, [slow.id, ivan.id]);
      await writer.query(
        `INSERT INTO ticket_events (ticket_id, type, actor_kind, actor_id, data, at)
         VALUES ($1, 'assigned', 'system', NULL, jsonb_build_object('from', NULL, 'to', $2::uuid), date_trunc('milliseconds', now()))`,
        [slow.id, ivan.id],
      );
      // Meanwhile triage assigns another ticket (a higher seq) and the job runs, twice.
      const fast = await triaged(w, 'Fast assignment');
      expect(fast.assigneeId).toBe(hana.id);
      await runJob();
      await runJob();
      await sent(fast.id, 1);
      expect(await assignedMail(slow.id)).toEqual([]);
      // The mark has not moved past the uncommitted event: the runs read it again until it commits.
      const { rows: [{ seq }] } = await writer.query(`SELECT seq FROM ticket_events WHERE ticket_id = $1 AND type = 'assigned'`, [slow.id]);
      const [{ settled_seq }] = await api.dataSource.query(`SELECT settled_seq FROM auto_assignment_mail_cursor`);
      expect(BigInt(settled_seq)).toBeLessThan(BigInt(seq));
      await writer.query('COMMIT');
    } finally {
      await writer.end();
    }
    await runJob();
    const [late] = await sent(slow.id, 1);
    expect(late).toMatchObject({ recipient: ivan.email, locale: 'es', event_key: await assignedEventKey(slow.id, ivan.email) });
    expect(receiving.byMessageId(late.message_id)).toHaveLength(1);
  });
});
