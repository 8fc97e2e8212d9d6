import { DunningRunsService } from '@helpdesk/billing';
import { QueueName } from '@helpdesk/queue';
import { eventually } from '../support';
import { addSubscription, billedCustomer, BillingStack, caller, dunningActionCounts, expectStatus, POLICY, putInvoice, queueOf, runDunning, settled, startBilling } from './support';

const CUSTOMERS = 40;

describe('dunning exactly once: concurrent runs on two workers, a repeated run, a run executed twice at once', () => {
  let stack: BillingStack;
  beforeAll(async () => {
    stack = await startBilling({ workers: 2 });
    stack.setClock('2026-12-10T12:00:00Z');
    // Invoices first, policy after: nothing is applied until the runs below.
    for (let i = 0; i < CUSTOMERS; i++) {
      const customer = await billedCustomer(stack);
      await addSubscription(stack, customer.id, 'azure');
      await addSubscription(stack, customer.id, 'microsoft_365');
      await putInvoice(stack, customer.id, '2026-10-01', '120.00'); // 55 days on Nov 25 (final notice), 70 on Dec 10 (suspend)
      await putInvoice(stack, customer.id, '2026-11-20', '80.00'); // 5 days on Nov 25 (remind), 20 on Dec 10 (final notice)
    }
    await settled(stack);
    await expectStatus(caller(stack)('put', '/collections-policy', POLICY), 200);
  }, 240_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('applies every (invoice, step) once however many runs race, on however many workers', async () => {
    expect((await dunningActionCounts(stack)).rows).toBe(0);
    const total = (r: { result: { applied: Record<string, number>; superseded: number } }) => r.result.applied.remind + r.result.applied.final_notice + r.result.applied.suspend + r.result.superseded;
    // Four racing runs as of Nov 25 (the warnings: the older invoice's final notice, its reminder
    // superseded; the newer one's reminder), then four as of today (the suspension, 15 days after
    // that final notice, and the newer invoice's final notice).
    const warned = await Promise.all(Array.from({ length: 4 }, () => runDunning(stack, { asOf: '2026-11-25' })));
    const runs = await Promise.all(Array.from({ length: 4 }, () => runDunning(stack)));
    expect([...warned, ...runs].map((r) => r.status)).toEqual(Array(8).fill('completed'));
    expect(warned.reduce((sum, r) => sum + total(r), 0)).toBe(CUSTOMERS * 3);
    expect(runs.reduce((sum, r) => sum + total(r), 0)).toBe(CUSTOMERS * 2);

    const counts = await dunningActionCounts(stack);
    expect(counts).toEqual({ rows: CUSTOMERS * 5, distinct: CUSTOMERS * 5, byAction: { remind: CUSTOMERS * 2, final_notice: CUSTOMERS * 2, suspend: CUSTOMERS } });
    const [facts] = await stack.api.dataSource.query(
      `SELECT (SELECT count(*)::int FROM billing_notices) AS notices,
              (SELECT count(*)::int FROM billing_suspensions) AS suspensions,
              (SELECT count(DISTINCT customer_id)::int FROM billing_suspensions) AS suspended_customers,
              (SELECT count(*)::int FROM subscriptions WHERE status = 'suspended') AS suspended_subscriptions,
              (SELECT count(*)::int FROM provisioning_actions) AS provisioning,
              (SELECT count(*)::int FROM billing_events WHERE type = 'notice_sent') AS notice_events`,
    );
    // One notice per customer, step and run (final notice and reminder on Nov 25, final notice and
    // the suspension's notice today), one suspension per customer.
    expect(facts).toEqual({
      notices: CUSTOMERS * 4,
      suspensions: CUSTOMERS,
      suspended_customers: CUSTOMERS,
      suspended_subscriptions: CUSTOMERS * 2,
      provisioning: CUSTOMERS,
      notice_events: CUSTOMERS * 4,
    });
    // Every notice handed over once: one notifications job per dunning batch that made notices.
    // Waiting, or already taken by the e-mail channel's consumer (finished jobs are kept for a while).
    const handed = await eventually(
      () => queueOf(stack, QueueName.Notifications).getJobs(['waiting', 'active', 'delayed', 'completed'], 0, 1000),
      (jobs) => jobs.flatMap((j) => j.data.noticeIds).length === CUSTOMERS * 4,
    );
    expect(new Set(handed.flatMap((j) => j.data.noticeIds)).size).toBe(CUSTOMERS * 4);

    const repeat = await runDunning(stack);
    expect(total(repeat)).toBe(0);
    expect((await dunningActionCounts(stack)).rows).toBe(CUSTOMERS * 5);
  });

  it('runs the same recorded run twice at once (a stalled job taken over) without applying anything twice', async () => {
    stack.setClock('2026-12-11T12:00:00Z');
    const extra = await billedCustomer(stack);
    await stack.api.dataSource.query(`UPDATE billing_accounts SET paused_until = '2026-12-11', pause_reason = 'setup' WHERE customer_id = $1`, [extra.id]);
    for (const due of ['2026-11-01', '2026-11-02', '2026-11-03']) await putInvoice(stack, extra.id, due, '30.00');
    await settled(stack);
    await stack.api.dataSource.query(`UPDATE billing_accounts SET paused_until = NULL, pause_reason = NULL WHERE customer_id = $1`, [extra.id]);
    const [{ id }] = await stack.api.dataSource.query(
      `INSERT INTO dunning_runs (id, trigger, status, actor_kind) VALUES (gen_random_uuid(), 'manual', 'queued', 'system') RETURNING id`,
    );
    const [a, b] = await Promise.all(stack.workers.map((w) => w.get(DunningRunsService, { strict: false }).execute(id)));
    expect([a.status, b.status]).toEqual(['completed', 'completed']);
    const counts = await dunningActionCounts(stack);
    expect(counts.rows).toBe(counts.distinct);
    const mine = await stack.api.dataSource.query(`SELECT action, count(*)::int AS n FROM dunning_actions WHERE customer_id = $1 GROUP BY action ORDER BY action`, [extra.id]);
    // Each invoice 38–40 days overdue and never warned: its final notice (the reminder superseded), no suspension yet.
    expect(mine).toEqual([
      { action: 'final_notice', n: 3 },
      { action: 'remind', n: 3 },
    ]);
    // Three invoices, one notice for the step.
    const [{ notices }] = await stack.api.dataSource.query(`SELECT count(*)::int AS notices FROM billing_notices WHERE customer_id = $1`, [extra.id]);
    expect(notices).toBe(1);
    // Run again after the notice period: the suspend step, with no subscription to suspend (recorded as such).
    stack.setClock('2026-12-26T12:00:00Z');
    const later = await runDunning(stack);
    expect(later.status).toBe('completed');
    const [{ n }] = await stack.api.dataSource.query(`SELECT count(*)::int AS n FROM billing_events WHERE customer_id = $1 AND type = 'suspend_step_without_subscriptions'`, [extra.id]);
    expect(n).toBe(1);
  });
});
