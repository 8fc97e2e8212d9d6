import { Job } from 'bullmq';
import { deadlineJobId, DAILY_RUN_PATTERN, DAILY_RUN_SCHEDULER } from '@helpdesk/billing';
import { QueueName } from '@helpdesk/queue';
import { bearer, eventually, ticketBody } from '../support';
import {
  addSubscription,
  billedCustomer,
  BillingStack,
  caller,
  Call,
  expectStatus,
  jobFinished,
  putInvoice,
  queueOf,
  runDunning,
  settled,
  startBilling,
  timelineTypes,
} from './support';

const NEW_YORK_POLICY = {
  timezone: 'America/New_York',
  steps: [
    { action: 'remind', days: 1 },
    { action: 'final_notice', days: 3 },
    { action: 'suspend', days: 5, products: 'all', restoreRequires: 'overdue' },
  ],
  minimumAmounts: [{ currency: 'EUR', amount: '10.00' }],
};

describe('dunning: each step once, on its day in the partner time zone; deadlines; pause; minimum; dispute grace; dry runs', () => {
  let stack: BillingStack;
  let call: Call;
  beforeAll(async () => {
    stack = await startBilling();
    call = caller(stack);
    stack.setClock('2026-12-01T17:00:00Z');
    await expectStatus(call('put', '/collections-policy', NEW_YORK_POLICY), 200);
  });
  afterAll(async () => {
    await stack?.close();
  });

  const applied = async (customerId: string) =>
    (
      await stack.api.dataSource.query(`SELECT action FROM dunning_actions WHERE customer_id = $1 ORDER BY policy_version, step`, [customerId])
    ).map((r: { action: string }) => r.action);
  const outcomes = async (customerId: string) =>
    (
      await stack.api.dataSource.query(`SELECT outcome FROM dunning_actions WHERE customer_id = $1 ORDER BY policy_version, step`, [customerId])
    ).map((r: { outcome: string }) => r.outcome);
  const appliedCount = (run: { result: { applied: Record<string, number> } }) => Object.values(run.result.applied).reduce((a, b) => a + b, 0);

  it('runs daily at 00:00 in the partner time zone (a BullMQ job scheduler)', async () => {
    const scheduler = await eventually(() => queueOf(stack, QueueName.BillingDunning).getJobScheduler(DAILY_RUN_SCHEDULER), (s) => s?.tz === 'America/New_York');
    expect(scheduler).toMatchObject({ pattern: DAILY_RUN_PATTERN, tz: 'America/New_York' });
    // Its next run is the coming 00:00 in New York (real time: the schedule is BullMQ's).
    const next = new Date(scheduler!.next!);
    expect(new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(next)).toBe('00:00');
    // The daily job's run: a recorded 'schedule' run applying what is due.
    const customer = await billedCustomer(stack);
    await putInvoice(stack, customer.id, '2026-11-20', '50.00');
    await settled(stack);
    const job = await queueOf(stack, QueueName.BillingDunning).add('run-dunning', {}, { jobId: 'daily-test' });
    await jobFinished(stack, QueueName.BillingDunning, job.id!);
    const [run] = (await expectStatus(call('get', '/dunning/runs?limit=1'), 200)) as Array<{ trigger: string; status: string }>;
    expect(run).toMatchObject({ trigger: 'schedule', status: 'completed' });
  });

  it('fires each step once, at 00:00 of its day in New York — not at Madrid’s or UTC’s midnight', async () => {
    stack.setClock('2026-12-01T17:00:00Z');
    const customer = await billedCustomer(stack);
    await addSubscription(stack, customer.id, 'azure');
    await putInvoice(stack, customer.id, '2026-12-01', '100.00');
    await settled(stack);
    expect(await applied(customer.id)).toEqual([]);
    const timeline: Array<[string, string[]]> = [
      ['2026-12-01T23:30:00Z', []], // 00:30 on Dec 2 in Madrid, Dec 1 in New York
      ['2026-12-02T04:59:59Z', []],
      ['2026-12-02T05:00:00Z', ['remind']],
      ['2026-12-04T04:59:59Z', ['remind']],
      ['2026-12-04T05:00:00Z', ['remind', 'final_notice']],
      ['2026-12-06T04:59:59Z', ['remind', 'final_notice']],
      ['2026-12-06T05:00:00Z', ['remind', 'final_notice', 'suspend']],
      ['2026-12-20T12:00:00Z', ['remind', 'final_notice', 'suspend']],
    ];
    for (const [at, expected] of timeline) {
      stack.setClock(at);
      const first = await runDunning(stack);
      const again = await runDunning(stack);
      expect([at, await applied(customer.id), appliedCount(again)]).toEqual([at, expected, 0]);
      expect(first.status).toBe('completed');
    }
    const types = await timelineTypes(stack, customer.id);
    // The reminder, the final notice and the suspension's notice.
    expect(types.filter((t) => t === 'notice_sent')).toHaveLength(3);
    expect(types.filter((t) => t === 'suspension_created')).toHaveLength(1);
    const invoice = (await expectStatus(call('get', `/invoices?customerId=${customer.id}`), 200)).items[0];
    const detail = await expectStatus(call('get', `/invoices/${invoice.number}`), 200);
    expect(detail.dunning.map((d: { action: string; dueOn: string }) => [d.action, d.dueOn])).toEqual([
      ['remind', '2026-12-02'],
      ['final_notice', '2026-12-04'],
      ['suspend', '2026-12-06'],
    ]);
    await settled(stack);
  });

  it('fires a step between daily runs from the customer’s deadline job (a delayed job at the step’s instant)', async () => {
    stack.setClock('2026-12-10T17:00:00Z');
    const customer = await billedCustomer(stack);
    await putInvoice(stack, customer.id, '2026-12-10', '80.00');
    await settled(stack);
    const deadlines = queueOf(stack, QueueName.BillingDeadlines);
    const remindAt = new Date('2026-12-11T05:00:00Z');
    const job = await eventually(() => Job.fromId(deadlines, deadlineJobId(customer.id, remindAt)), (j) => j !== undefined);
    expect(await job!.getState()).toBe('delayed');
    expect(job!.data).toEqual({ customerId: customer.id });
    // 00:00 in New York comes: the delayed job is due (promoted instead of waited for).
    stack.setClock(remindAt);
    await job!.promote();
    await jobFinished(stack, QueueName.BillingDeadlines, job!.id!);
    expect(await applied(customer.id)).toEqual(['remind']);
    const [{ run_id }] = await stack.api.dataSource.query(`SELECT run_id FROM dunning_actions WHERE customer_id = $1`, [customer.id]);
    expect(run_id).toBeNull();

    // The next one, at the final notice's instant; fired an hour early (clocks differ) it applies
    // nothing and is scheduled again for the same instant.
    const finalAt = new Date('2026-12-13T05:00:00Z');
    const next = await eventually(() => Job.fromId(deadlines, deadlineJobId(customer.id, finalAt)), (j) => j !== undefined);
    stack.setClock('2026-12-13T04:00:00Z');
    await next!.promote();
    await jobFinished(stack, QueueName.BillingDeadlines, next!.id!);
    expect(await applied(customer.id)).toEqual(['remind']);
    const again = await eventually(
      async () => (await deadlines.getDelayed()).find((j) => j.id?.startsWith(`${deadlineJobId(customer.id, finalAt)}-again-`)),
      (j) => j !== undefined,
    );
    stack.setClock(finalAt);
    await again!.promote();
    await jobFinished(stack, QueueName.BillingDeadlines, again!.id!);
    expect(await applied(customer.id)).toEqual(['remind', 'final_notice']);
    await settled(stack);
  });

  it('leaves a paused customer alone until its pause ends, then applies what fell due meanwhile', async () => {
    stack.setClock('2026-12-20T12:00:00Z');
    const paused = await billedCustomer(stack);
    const other = await billedCustomer(stack);
    expect((await call('put', `/customers/${paused.id}/dunning-pause`, { reason: 'Paying next week', until: '2026-12-19' })).body.errors[0].field).toBe('until');
    const pausedView = await expectStatus(call('put', `/customers/${paused.id}/dunning-pause`, { reason: 'Agreed payment plan', until: '2026-12-24' }), 200);
    expect(pausedView.dunningPause).toEqual({ until: '2026-12-24', reason: 'Agreed payment plan' });
    await putInvoice(stack, paused.id, '2026-12-15', '60.00');
    await putInvoice(stack, other.id, '2026-12-15', '60.00');
    await settled(stack);
    const run = await runDunning(stack);
    expect(run.result.skipped.paused).toBeGreaterThanOrEqual(1);
    expect(await applied(paused.id)).toEqual([]);
    // Five days overdue when it arrives: only the final notice goes (the reminder is recorded as
    // superseded), and the suspension waits two days (5 − 3) after it.
    expect(await applied(other.id)).toEqual(['remind', 'final_notice']);
    expect(await outcomes(other.id)).toEqual(['superseded', 'applied']);
    stack.setClock('2026-12-25T04:59:00Z'); // still Dec 24 in New York
    await runDunning(stack);
    expect(await applied(paused.id)).toEqual([]);
    stack.setClock('2026-12-25T05:00:00Z');
    await runDunning(stack);
    // What fell due during the pause: the latest warning only, the suspension two days after it.
    expect(await applied(paused.id)).toEqual(['remind', 'final_notice']);
    expect(await outcomes(paused.id)).toEqual(['superseded', 'applied']);
    expect(await applied(other.id)).toEqual(['remind', 'final_notice', 'suspend']);
    stack.setClock('2026-12-27T05:00:00Z');
    await runDunning(stack);
    expect(await applied(paused.id)).toEqual(['remind', 'final_notice', 'suspend']);
    expect(await timelineTypes(stack, paused.id)).toContain('dunning_paused');

    // Ending a pause early applies what is due right away (the customer's deadline check).
    const early = await billedCustomer(stack);
    await expectStatus(call('put', `/customers/${early.id}/dunning-pause`, { reason: 'Dispute by phone', until: '2027-01-31' }), 200);
    await putInvoice(stack, early.id, '2026-12-21', '60.00');
    await settled(stack);
    expect(await applied(early.id)).toEqual([]);
    await expectStatus(call('delete', `/customers/${early.id}/dunning-pause`), 200);
    await settled(stack);
    expect(await applied(early.id)).toEqual(['remind', 'final_notice']);
    expect((await call('delete', `/customers/${early.id}/dunning-pause`)).status).toBe(409);
  });

  it('does nothing below the minimum overdue amount, and acts once more is overdue', async () => {
    stack.setClock('2026-12-28T12:00:00Z');
    const customer = await billedCustomer(stack);
    await putInvoice(stack, customer.id, '2026-12-20', '9.99');
    await settled(stack);
    const run = await runDunning(stack);
    expect(run.result.skipped.belowMinimum).toBeGreaterThanOrEqual(1);
    expect(await applied(customer.id)).toEqual([]);
    await putInvoice(stack, customer.id, '2026-12-26', '0.01');
    await settled(stack);
    // 10.00 overdue now: the older invoice gets its latest warning (the final notice; its reminder
    // superseded) and no suspension yet, the newer its reminder.
    expect((await applied(customer.id)).sort()).toEqual(['final_notice', 'remind', 'remind']);
  });

  it('holds every step of a disputed invoice and any suspension while the dispute is open (each hold recorded once), then applies each once when it ends', async () => {
    stack.setClock('2027-01-10T12:00:00Z');
    const customer = await billedCustomer(stack);
    await addSubscription(stack, customer.id, 'microsoft_365');
    const invoice = await putInvoice(stack, customer.id, '2027-01-08', '75.00');
    await settled(stack);
    // Its reminder (due 2027-01-09) went out before the dispute.
    expect(await applied(customer.id)).toEqual(['remind']);
    const ticket = await stack.api.http.post('/api/v1/tickets').set(bearer(customer.token)).send(ticketBody(undefined, { subject: 'Factura incorrecta', category: 'billing' }));
    expect(ticket.status).toBe(201);
    const disputed = await stack.api.http.patch(`/api/v1/tickets/${ticket.body.id}`).set(bearer(stack.admin.token)).send({ disputedInvoice: invoice.number });
    expect([disputed.status, disputed.body.disputedInvoice]).toEqual([200, invoice.number]);
    const other = await putInvoice(stack, customer.id, '2027-01-15', '20.00');
    await settled(stack);
    const noticesAfterDispute = async () =>
      (
        await stack.api.dataSource.query(`SELECT kind, invoice_numbers FROM billing_notices WHERE customer_id = $1 AND created_at > '2027-01-10T12:00:00Z' ORDER BY created_at, kind`, [
          customer.id,
        ])
      ).map((n: { kind: string; invoice_numbers: string[] }) => `${n.kind} ${n.invoice_numbers.join(',')}`);
    const holds = async () =>
      (
        await stack.api.dataSource.query(`SELECT invoice_number, action, reason FROM dunning_holds WHERE customer_id = $1 ORDER BY invoice_number, step`, [customer.id])
      ).map((h: { invoice_number: string; action: string; reason: string }) => `${h.invoice_number} ${h.action} ${h.reason}`);
    const heldEvents = async () => (await stack.api.dataSource.query(`SELECT count(*)::int AS n FROM billing_events WHERE customer_id = $1 AND type = 'dunning_step_held'`, [customer.id]))[0].n;

    stack.setClock('2027-01-20T12:00:00Z');
    const run = await runDunning(stack);
    expect(run.result.skipped.disputed).toBe(1);
    // The other invoice gets its final notice (its reminder superseded); the disputed one no final notice, nobody is suspended.
    expect(await noticesAfterDispute()).toEqual([`final_notice ${other.number}`]);
    expect((await holds()).sort()).toEqual([`${invoice.number} final_notice invoice_disputed`, `${invoice.number} suspend invoice_disputed`, `${other.number} suspend customer_disputes`].sort());
    expect(await heldEvents()).toBe(3);
    const view = await expectStatus(call('get', `/customers/${customer.id}/billing`), 200);
    expect(view.status).toMatchObject({ state: 'overdue', disputedInvoices: [invoice.number], suspendedProducts: [] });
    // Run again while still disputed: nothing applied, nothing held twice.
    const again = await runDunning(stack);
    expect([appliedCount(again), again.result.held]).toEqual([0, 3]);
    expect([(await holds()).length, await heldEvents()]).toEqual([3, 3]);

    // The dispute is resolved: every held step comes with the next run, once.
    await eventually(async () => (await stack.api.http.get(`/api/v1/tickets/${ticket.body.id}`).set(bearer(stack.api.adminToken))).body.status, (s) => s === 'triaged');
    for (const status of ['in_progress', 'resolved']) {
      expect((await stack.api.http.patch(`/api/v1/tickets/${ticket.body.id}`).set(bearer(stack.api.adminToken)).send({ status })).status).toBe(200);
    }
    const released = await runDunning(stack);
    // The held final notice goes out now; the suspensions wait their notice period (2 days) after the final notices.
    expect([released.result.applied, released.result.held]).toEqual([{ remind: 0, final_notice: 1, suspend: 0 }, 0]);
    expect(released.result.deferred).toBeGreaterThanOrEqual(2);
    expect(await applied(customer.id)).toEqual(['remind', 'remind', 'final_notice', 'final_notice']);
    expect(await noticesAfterDispute()).toContain(`final_notice ${invoice.number}`);
    expect((await expectStatus(call('get', `/customers/${customer.id}/billing`), 200)).status).toMatchObject({ state: 'overdue', suspendedProducts: [] });
    stack.setClock('2027-01-22T05:00:00Z');
    const suspending = await runDunning(stack);
    expect(suspending.result.applied).toMatchObject({ remind: 0, final_notice: 0 });
    expect(suspending.result.applied.suspend).toBeGreaterThanOrEqual(2);
    expect(await applied(customer.id)).toEqual(['remind', 'remind', 'final_notice', 'final_notice', 'suspend', 'suspend']);
    expect(await noticesAfterDispute()).toContain(`suspension ${invoice.number},${other.number}`);
    expect((await expectStatus(call('get', `/customers/${customer.id}/billing`), 200)).status).toMatchObject({ state: 'suspended', suspendedProducts: ['microsoft_365'] });
    expect(appliedCount(await runDunning(stack))).toBe(0);
    await settled(stack);
  });

  it('previews a run without writing; a future asOf only as a preview; an earlier asOf catches up to that date', async () => {
    stack.setClock('2027-02-01T12:00:00Z');
    const customer = await billedCustomer(stack);
    await addSubscription(stack, customer.id, 'azure');
    await addSubscription(stack, customer.id, 'microsoft_365');
    // Paused while the invoice arrives (its deadline check applies nothing), unpaused without a check.
    await stack.api.dataSource.query(`UPDATE billing_accounts SET paused_until = '2027-02-01', pause_reason = 'hold' WHERE customer_id = $1`, [customer.id]);
    await putInvoice(stack, customer.id, '2027-01-28', '40.00');
    await settled(stack);
    await stack.api.dataSource.query(`UPDATE billing_accounts SET paused_until = NULL, pause_reason = NULL WHERE customer_id = $1`, [customer.id]);
    const before = (await stack.api.dataSource.query(`SELECT count(*)::int AS n FROM dunning_actions`))[0].n;
    const preview = await call('post', '/dunning/runs', { dryRun: true });
    expect(preview.status).toBe(200);
    // As a real run decides: past its reminder and its final notice, only the final notice goes (the reminder superseded).
    expect(preview.body).toMatchObject({ dryRun: true, asOf: '2027-02-01', applied: { remind: 0, final_notice: 1 }, notices: 1, superseded: 1, suspensions: 0 });
    expect(preview.body.preview.filter((p: { customerId: string }) => p.customerId === customer.id)).toEqual([
      expect.objectContaining({ action: 'final_notice', stepDueOn: '2027-01-31', policyVersion: 1, step: 1 }),
    ]);
    const future = await call('post', '/dunning/runs', { asOf: '2027-02-10' });
    expect([future.status, future.body.errors]).toEqual([422, [{ field: 'asOf', message: 'asOf must not be after today (2027-02-01) unless dryRun is true', code: 'afterToday', params: { today: '2027-02-01' } }]]);
    // On Feb 10 its final notice would only then go out: the suspension waits 2 days after it.
    const futurePreview = await expectStatus(call('post', '/dunning/runs', { asOf: '2027-02-10', dryRun: true }), 200);
    expect(futurePreview).toMatchObject({ applied: { final_notice: 1, suspend: 0 }, deferred: 1, suspensions: 0 });
    expect((await stack.api.dataSource.query(`SELECT count(*)::int AS n FROM dunning_actions`))[0].n).toBe(before);
    for (const [body, field] of [
      [{ asOf: '2027-02-30' }, 'asOf'],
      [{ dryRun: 'yes' }, 'dryRun'],
      [{ asOf: null }, 'asOf'],
    ] as const) {
      const refused = await call('post', '/dunning/runs', body);
      expect([body, refused.status, refused.body.errors?.[0]?.field]).toEqual([body, 400, field]);
    }
    const catchUp = await runDunning(stack, { asOf: '2027-01-30' });
    expect(catchUp).toMatchObject({ trigger: 'manual', asOf: '2027-01-30', status: 'completed' });
    expect(await applied(customer.id)).toEqual(['remind']);
  });

  it("hands the notices of each dunning batch through the outbox to the notifications queue (the e-mail channel's consumer takes them)", async () => {
    const notices: Array<{ id: string }> = await stack.api.dataSource.query(`SELECT id FROM billing_notices`);
    expect(notices.length).toBeGreaterThan(5);
    const queue = queueOf(stack, QueueName.Notifications);
    // Waiting, or already taken by the channel's consumer (finished jobs are kept for a while).
    const jobs = await eventually(
      () => queue.getJobs(['waiting', 'active', 'delayed', 'completed'], 0, 1000),
      (handed) => handed.flatMap((j) => j.data.noticeIds).length === notices.length,
    );
    expect(new Set(jobs.flatMap((j) => j.data.noticeIds))).toEqual(new Set(notices.map((n) => n.id)));
    for (const job of jobs) {
      expect(job.name).toBe('send-notification');
      expect(job.data.kind).toBe('billing_notices');
      expect(job.id).toBe(`notices-${job.data.noticeIds[0]}`);
    }
    expect(await queue.getFailedCount()).toBe(0);
    // The customer reads them in its language.
    const [row] = await stack.api.dataSource.query(`SELECT customer_id FROM billing_notices WHERE kind = 'final_notice' LIMIT 1`);
    const [notice] = await expectStatus(call('get', `/customers/${row.customer_id}/billing/notices`), 200);
    expect(notice).toMatchObject({ locale: 'es', subject: expect.any(String), body: expect.stringMatching(/factura/) });
  });
});
