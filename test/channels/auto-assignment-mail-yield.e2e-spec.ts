/**
 * The "assigned to you" job gives way to a triage backlog (issue #16): while more than
 * AUTO_ASSIGNMENT_MAIL_YIELD_ABOVE tickets wait in the triage queue (a job of an arrival batch of
 * mail counting each of its tickets) its runs are skipped, so the mail
 * waits and is sent once the backlog drains; but never longer than AUTO_ASSIGNMENT_MAIL_MAX_DEFER_MS
 * since its last run, backlog or not. Real PostgreSQL, Redis and SMTP; the backlog is real triage
 * jobs held in the paused triage queue. The schedule is an hour (one run as the worker starts), so
 * each test runs the job as the scheduler does (`runUnlessTriageBusy`) when it wants to.
 */
import { INestApplicationContext } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { randomBytes, randomUUID } from 'node:crypto';
import { AutoAssignmentMail } from '@helpdesk/channels/jobs';
import { QueueName } from '@helpdesk/queue';
import { freePort } from '../../libs/devstack/src/free-port';
import { bearer, createAgent, createCustomer, createPlan, eventually, startTestApi, startTestWorker, TestApi, testStack, ticketBody } from '../support';
import { MAIL_DOMAIN, ReceivingSmtp } from './support';

const YIELD_ABOVE = 2;
const BACKLOG = 4;

describe('staff mail: the "assigned to you" job gives way to a triage backlog', () => {
  let api: TestApi;
  let worker: INestApplicationContext | undefined;
  let receiving: ReceivingSmtp;
  let customerId: string;
  let triageQueue: Queue;

  const env = () => ({
    MAIL_DOMAIN, SMTP_URL: receiving.url, MAIL_FROM: `Soporte <support@${MAIL_DOMAIN}>`,
    AUTO_ASSIGNMENT_MAIL_EVERY_MS: '3600000', AUTO_ASSIGNMENT_MAIL_YIELD_ABOVE: String(YIELD_ABOVE),
  });
  const startWorker = async (maxDeferMs: number) => {
    worker = await startTestWorker({
      DATABASE_URL: api.database.url, REDIS_URL: testStack().redisUrl, QUEUE_PREFIX: api.queuePrefix, ...env(),
      AUTO_ASSIGNMENT_MAIL_MAX_DEFER_MS: String(maxDeferMs),
    });
    // The run the scheduler makes as the worker starts: wait until it has ended (the cursor is free).
    await eventually(() => worker!.get(AutoAssignmentMail).run(), (r) => r.ran, 20_000, 'a run of the job');
  };
  const stopWorker = async () => {
    await worker?.close();
    worker = undefined;
  };
  const scheduledRun = () => worker!.get(AutoAssignmentMail).runUnlessTriageBusy();
  const assignedMail = (ticketId: string) =>
    api.dataSource.query(`SELECT * FROM outbound_messages WHERE ticket_id = $1 AND kind = 'assigned'`, [ticketId]) as Promise<Array<Record<string, string>>>;
  const sent = (ticketId: string) =>
    eventually(() => assignedMail(ticketId), (rows) => rows.length === 1 && rows[0].status === 'sent', 20_000, 'assigned mail sent');
  const cursor = async () => (await api.dataSource.query(`SELECT settled_seq, pending_seq, pending_at FROM auto_assignment_mail_cursor`))[0];
  const file = async (subject: string) => {
    const created = await api.http.post('/api/v1/tickets').set(bearer(api.adminToken)).send(ticketBody(customerId, { subject, description: subject }));
    expect(created.status).toBe(201);
    return created.body.id as string;
  };
  const status = async (id: string) => (await api.dataSource.query(`SELECT status FROM tickets WHERE id = $1`, [id]))[0].status as string;
  /** A ticket routed by a new rule to a new queue whose one agent triage assigns it to. */
  const assignedTicket = async () => {
    const queue = `q-${randomBytes(4).toString('hex')}`;
    const word = `plover${randomBytes(3).toString('hex')}`;
    const agent = await createAgent(api, ['helpdesk_agent'], { locale: 'es' });
    expect((await api.http.patch(`/api/v1/agents/${agent.id}`).set(bearer(api.adminToken)).send({ queues: [queue] })).status).toBe(200);
    const rule = await api.http.post('/api/v1/triage-rules').set(bearer(api.adminToken)).send({
      name: `route ${word}`, position: 1, enabled: true, stopOnMatch: true, conditions: { anyKeywords: [word] }, actions: { queue },
    });
    expect(rule.status).toBe(201);
    const id = await file(`Portal caído ${word}`);
    await eventually(
      async () => (await api.dataSource.query(`SELECT assignee_id FROM tickets WHERE id = $1`, [id]))[0].assignee_id as string | null,
      (assignee) => assignee === agent.id, 20_000, 'triaged and assigned',
    );
    return id;
  };
  /** BACKLOG tickets whose triage jobs wait in the paused triage queue. */
  const backlog = async () => {
    await triageQueue.pause();
    const ids: string[] = [];
    for (let i = 0; i < BACKLOG; i++) ids.push(await file(`Backlog ${i}`));
    await eventually(() => triageQueue.getWaitingCount(), (n) => n >= BACKLOG, 20_000, 'the backlog waiting');
    return ids;
  };

  beforeAll(async () => {
    receiving = new ReceivingSmtp(await freePort());
    await receiving.start();
    api = await startTestApi({ env: env() });
    customerId = (await createCustomer(api, (await createPlan(api)).id, 'Fabrikam Burst')).id;
    triageQueue = api.app.get<Queue>(getQueueToken(QueueName.Triage), { strict: false });
  });
  afterEach(async () => {
    await triageQueue.resume();
    await stopWorker();
  });
  afterAll(async () => {
    await api?.close();
    await receiving?.stop();
  });

  it('skips its runs while the backlog lasts, reading nothing and moving no mark, and mails once it has drained', async () => {
    await startWorker(600_000);
    const ticketId = await assignedTicket();
    const waiting = await backlog();
    const before = await cursor();

    const skipped = await scheduledRun();
    expect(skipped).toMatchObject({ ran: false, stored: 0, batches: 0 });
    expect(skipped.yielded!.triageWaiting).toBeGreaterThanOrEqual(BACKLOG);
    expect(skipped.yielded!.sinceLastRunMs).toBeLessThan(600_000);
    expect(await scheduledRun()).toMatchObject({ ran: false, stored: 0 });
    expect(await cursor()).toEqual(before);
    expect(await assignedMail(ticketId)).toEqual([]);
    // The backlog is still there: triage had not been let run.
    for (const id of waiting) expect(await status(id)).toBe('new');

    // The backlog drains: the next run mails the assignment, once.
    await triageQueue.resume();
    await eventually(() => Promise.all(waiting.map(status)), (s) => s.every((x) => x !== 'new'), 20_000, 'the backlog triaged');
    await eventually(() => triageQueue.getWaitingCount(), (n) => n <= YIELD_ABOVE, 20_000, 'the queue drained');
    const run = await scheduledRun();
    expect(run).toMatchObject({ ran: true });
    expect(run.yielded).toBeUndefined();
    expect(run.stored).toBeGreaterThanOrEqual(1);
    const [mail] = await sent(ticketId);
    expect(receiving.byMessageId(mail.message_id)).toHaveLength(1);
    expect(await scheduledRun()).toMatchObject({ ran: true, stored: 0 });
    expect(receiving.byMessageId(mail.message_id)).toHaveLength(1);
  });

  it("counts each ticket of a waiting arrival-batch job: fewer jobs than the threshold, more tickets, is a backlog", async () => {
    await startWorker(600_000);
    await triageQueue.pause();
    // Two jobs (≤ YIELD_ABOVE) of an arrival batch each, BACKLOG tickets in all (not filed: their triage will skip them).
    const ids = Array.from({ length: BACKLOG }, () => randomUUID());
    const jobs = [ids.slice(0, BACKLOG / 2), ids.slice(BACKLOG / 2)];
    for (const ticketIds of jobs) await triageQueue.add('triage-ticket', { ticketIds }, { jobId: `batch.${ticketIds[0]}` });
    expect(await triageQueue.getWaitingCount()).toBe(jobs.length);
    expect(jobs.length).toBeLessThanOrEqual(YIELD_ABOVE);

    const skipped = await scheduledRun();
    expect(skipped).toMatchObject({ ran: false, stored: 0, batches: 0, yielded: { triageWaiting: BACKLOG } });

    // One of them left: its tickets alone are no backlog.
    await (await triageQueue.getJob(`batch.${jobs[0][0]}`))!.remove();
    expect(await scheduledRun()).toMatchObject({ ran: true });
  });

  it('runs once its last run is the maximum deferral ago, though the backlog has not drained', async () => {
    const maxDeferMs = 5_000;
    await startWorker(maxDeferMs);
    const waiting = await backlog();
    // A run now (nothing to mail), then an assignment as triage's write makes it (the ticket, then
    // its system `assigned` event), while the backlog waits.
    expect(await worker!.get(AutoAssignmentMail).run()).toMatchObject({ ran: true });
    const lastRunAt = new Date((await cursor()).pending_at).getTime();
    const agent = await createAgent(api, ['helpdesk_agent'], { locale: 'en' });
    const ticketId = waiting[0];
    await api.dataSource.transaction(async (m) => {
      await m.query(`UPDATE tickets SET assignee_id = $2, updated_at = now() WHERE id = $1`, [ticketId, agent.id]);
      await m.query(
        `INSERT INTO ticket_events (ticket_id, type, actor_kind, actor_id, data, at)
         VALUES ($1, 'assigned', 'system', NULL, jsonb_build_object('from', NULL, 'to', $2::uuid), date_trunc('milliseconds', now()))`,
        [ticketId, agent.id],
      );
    });

    const skipped = await scheduledRun();
    expect(skipped).toMatchObject({ ran: false, stored: 0 });
    expect(skipped.yielded!.sinceLastRunMs).toBeLessThan(maxDeferMs);
    expect(await assignedMail(ticketId)).toEqual([]);
    // The scheduler's runs (here as often as `eventually` polls) until one does not give way.
    const run = await eventually(scheduledRun, (r) => r.ran, 20_000, 'a run past the maximum deferral');
    const [{ now }] = await api.dataSource.query(`SELECT (extract(epoch FROM now()) * 1000)::float8 AS now`);
    expect(now - lastRunAt).toBeGreaterThanOrEqual(maxDeferMs);
    expect(run.yielded).toBeUndefined();
    expect(run.stored).toBe(1);
    // The backlog is still there.
    expect(await triageQueue.getWaitingCount()).toBeGreaterThan(YIELD_ABOVE);
    for (const id of waiting) expect(await status(id)).toBe('new');
    const [mail] = await sent(ticketId);
    expect(mail).toMatchObject({ recipient: (await api.dataSource.query(`SELECT email FROM agents WHERE id = $1`, [agent.id]))[0].email, locale: 'en' });
    expect(receiving.byMessageId(mail.message_id)).toHaveLength(1);
    // That run started the clock again: the backlog is still there, so the next run gives way again.
    expect(await scheduledRun()).toMatchObject({ ran: false, stored: 0 });
    expect(receiving.byMessageId(mail.message_id)).toHaveLength(1);
  });
});
