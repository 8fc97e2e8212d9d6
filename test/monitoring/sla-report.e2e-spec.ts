import { bearer, createAgent, createCustomer, createPlan, startTestApi, TestApi, ticketBody } from '../support';

const MIN = 60_000;
const at = (iso: string, minutes = 0) => new Date(new Date(iso).getTime() + minutes * MIN);

/** What one ticket's SLA columns are set to (minutes after creation; null = not set). */
interface Shape {
  customer: 'alpha' | 'beta';
  created: string;
  queue: string | null;
  priority: 'P1' | 'P2' | 'P3' | 'P4';
  frDue: number | null;
  frAt: number | null;
  frFlag: boolean;
  rsDue: number | null;
  rsAt: number | null;
  rsFlag: boolean;
}

/*
 * The period is March 2026: [2026-03-01T00:00Z, 2026-04-01T00:00Z).
 *          customer queue      prio first response                 resolution
 * T1       alpha    billing    P1   met (10 ≤ 30)                  met (200 ≤ 240)
 * T2       alpha    billing    P2   breached: late (90 > 60)       breached: flagged, open
 * T3       beta     technical  P2   pending                        pending
 * T4       beta     technical  P3   breached: flagged (30 ≤ 240)   breached: late (1500 > 1440)
 * T5       beta     (none)     P3   no SLA (responded at 5)        no SLA
 * T6       alpha    technical  P4   met at the due instant (20)    met (100 ≤ 2880)
 * T7, T8   outside the period (created at its end / just before its start)
 */
const SHAPES: Record<string, Shape> = {
  T1: { customer: 'alpha', created: '2026-03-01T00:00:00Z', queue: 'billing', priority: 'P1', frDue: 30, frAt: 10, frFlag: false, rsDue: 240, rsAt: 200, rsFlag: false },
  T2: { customer: 'alpha', created: '2026-03-02T00:00:00Z', queue: 'billing', priority: 'P2', frDue: 60, frAt: 90, frFlag: false, rsDue: 480, rsAt: null, rsFlag: true },
  T3: { customer: 'beta', created: '2026-03-03T00:00:00Z', queue: 'technical', priority: 'P2', frDue: 60, frAt: null, frFlag: false, rsDue: 480, rsAt: null, rsFlag: false },
  T4: { customer: 'beta', created: '2026-03-04T00:00:00Z', queue: 'technical', priority: 'P3', frDue: 240, frAt: 30, frFlag: true, rsDue: 1440, rsAt: 1500, rsFlag: false },
  T5: { customer: 'beta', created: '2026-03-05T00:00:00Z', queue: null, priority: 'P3', frDue: null, frAt: 5, frFlag: false, rsDue: null, rsAt: null, rsFlag: false },
  T6: { customer: 'alpha', created: '2026-03-31T23:59:59Z', queue: 'technical', priority: 'P4', frDue: 20, frAt: 20, frFlag: false, rsDue: 2880, rsAt: 100, rsFlag: false },
  T7: { customer: 'alpha', created: '2026-04-01T00:00:00Z', queue: 'billing', priority: 'P1', frDue: 30, frAt: 10, frFlag: false, rsDue: 240, rsAt: 10, rsFlag: false },
  T8: { customer: 'beta', created: '2026-02-28T23:59:59Z', queue: 'billing', priority: 'P1', frDue: 30, frAt: null, frFlag: true, rsDue: 240, rsAt: null, rsFlag: true },
};

const target = (met: number, breached: number, pending: number, medianMinutes: number | null) => ({ met, breached, pending, medianMinutes });

describe('monitoring: SLA compliance report', () => {
  let api: TestApi;
  let alpha: { id: string; token: string };
  let beta: { id: string; token: string };
  const report = (query: string, token = api.adminToken) => api.http.get(`/api/v1/reports/sla${query}`).set(bearer(token));
  const MARCH = '?from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z';

  beforeAll(async () => {
    api = await startTestApi();
    const plan = await createPlan(api);
    alpha = await createCustomer(api, plan.id, 'Alpha Reseller');
    beta = await createCustomer(api, plan.id, 'Beta Cloud');
    for (const shape of Object.values(SHAPES)) {
      const customer = shape.customer === 'alpha' ? alpha : beta;
      const res = await api.http.post('/api/v1/tickets').set(bearer(customer.token)).send(ticketBody(undefined));
      expect(res.status).toBe(201);
      const c = shape.created;
      const rel = (m: number | null) => (m === null ? null : at(c, m));
      await api.dataSource.query(
        `UPDATE tickets SET created_at = $2, queue = $3, priority = $4,
                first_response_due_at = $5, first_responded_at = $6, sla_first_response_breached = $7,
                resolution_due_at = $8, resolved_at = $9, sla_resolution_breached = $10
          WHERE id = $1`,
        [res.body.id, at(c), shape.queue, shape.priority, rel(shape.frDue), rel(shape.frAt), shape.frFlag, rel(shape.rsDue), rel(shape.rsAt), shape.rsFlag],
      );
    }
  });
  afterAll(async () => {
    await api?.close();
  });

  const TOTALS = { tickets: 6, firstResponse: target(2, 2, 1, 25), resolution: target(2, 2, 1, 200) };

  it('groups by queue (untriaged last), with totals over the whole period', async () => {
    const res = await report(`${MARCH}&groupBy=queue`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      from: '2026-03-01T00:00:00.000Z',
      to: '2026-04-01T00:00:00.000Z',
      groupBy: 'queue',
      groups: [
        { key: 'billing', tickets: 2, firstResponse: target(1, 1, 0, 50), resolution: target(1, 1, 0, 200) },
        { key: 'technical', tickets: 3, firstResponse: target(1, 1, 1, 25), resolution: target(1, 1, 1, 800) },
        { key: null, tickets: 1, firstResponse: target(0, 0, 0, null), resolution: target(0, 0, 0, null) },
      ],
      totals: TOTALS,
    });
    // groupBy defaults to queue.
    expect((await report(MARCH)).body).toEqual(res.body);
  });

  it('groups by priority', async () => {
    const res = await report(`${MARCH}&groupBy=priority`);
    expect(res.status).toBe(200);
    expect(res.body.groups).toEqual([
      { key: 'P1', tickets: 1, firstResponse: target(1, 0, 0, 10), resolution: target(1, 0, 0, 200) },
      { key: 'P2', tickets: 2, firstResponse: target(0, 1, 1, 90), resolution: target(0, 1, 1, null) },
      { key: 'P3', tickets: 2, firstResponse: target(0, 1, 0, 30), resolution: target(0, 1, 0, 1500) },
      { key: 'P4', tickets: 1, firstResponse: target(1, 0, 0, 20), resolution: target(1, 0, 0, 100) },
    ]);
    expect(res.body.totals).toEqual(TOTALS);
  });

  it('groups by customer, showing id and name', async () => {
    const res = await report(`${MARCH}&groupBy=customer`);
    expect(res.status).toBe(200);
    expect(res.body.groups).toEqual([
      { key: alpha.id, name: 'Alpha Reseller', tickets: 3, firstResponse: target(2, 1, 0, 20), resolution: target(2, 1, 0, 150) },
      { key: beta.id, name: 'Beta Cloud', tickets: 3, firstResponse: target(0, 1, 1, 30), resolution: target(0, 1, 1, 1500) },
    ]);
    expect(res.body.totals).toEqual(TOTALS);
  });

  it('selects by creation time, [from, to), in any offset', async () => {
    // T6 alone: created 23:59:59Z on 31 March = 01:59:59 on 1 April in +02:00.
    const res = await report('?from=2026-04-01T01:00:00%2B02:00&to=2026-04-01T02:00:00%2B02:00&groupBy=priority');
    expect(res.status).toBe(200);
    expect(res.body.from).toBe('2026-03-31T23:00:00.000Z');
    expect(res.body.groups).toEqual([{ key: 'P4', tickets: 1, firstResponse: target(1, 0, 0, 20), resolution: target(1, 0, 0, 100) }]);
    // Nothing in the period: no groups, zero totals.
    const empty = await report('?from=2025-01-01&to=2025-02-01');
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({ groups: [], totals: { tickets: 0, firstResponse: target(0, 0, 0, null), resolution: target(0, 0, 0, null) } });
    // Exactly 366 days is allowed.
    expect((await report('?from=2025-06-01T00:00:00Z&to=2026-06-02T00:00:00Z')).body.totals.tickets).toBe(8);
  });

  it.each([
    ['from missing', '?to=2026-04-01T00:00:00Z', 'from'],
    ['to missing', '?from=2026-03-01T00:00:00Z', 'to'],
    ['from not ISO 8601', '?from=yesterday&to=2026-04-01T00:00:00Z', 'from'],
    ['to not ISO 8601', '?from=2026-03-01T00:00:00Z&to=2026-13-45', 'to'],
    ['to before from', '?from=2026-04-01T00:00:00Z&to=2026-03-01T00:00:00Z', 'to'],
    ['to equal to from', '?from=2026-03-01T00:00:00Z&to=2026-03-01T00:00:00Z', 'to'],
    ['a range over 366 days', '?from=2025-01-01T00:00:00Z&to=2026-01-02T00:00:01Z', 'to'],
    ['an unknown groupBy', `${MARCH}&groupBy=agent`, 'groupBy'],
    ['an unknown parameter', `${MARCH}&status=open`, 'status'],
  ])('400 for %s, naming the field', async (_, query, field) => {
    const res = await report(query);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('says a range out of order or too long by its code (rangeOrder, rangeTooLong {maxDays}), for the console to say in its own words', async () => {
    expect((await report('?from=2026-04-01T00:00:00Z&to=2026-03-01T00:00:00Z')).body.errors).toEqual([{ field: 'to', message: 'must be after from', code: 'rangeOrder', params: { other: 'from' } }]);
    expect((await report('?from=2025-01-01T00:00:00Z&to=2026-01-02T00:00:01Z')).body.errors).toEqual([{ field: 'to', message: expect.stringContaining('366'), code: 'rangeTooLong', params: { maxDays: 366 } }]);
  });

  it('is for global_admin and admin_agent only', async () => {
    const manager = await createAgent(api, ['admin_agent']);
    const agent = await createAgent(api, ['helpdesk_agent']);
    expect((await report(MARCH, manager.token)).status).toBe(200);
    expect((await report(MARCH, agent.token)).status).toBe(403);
    expect((await report(MARCH, alpha.token)).status).toBe(403);
    expect((await api.http.get(`/api/v1/reports/sla${MARCH}`)).status).toBe(401);
  });
});
