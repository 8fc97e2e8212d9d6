/**
 * The audit log (issue #12): every configuration change recorded with actor, time, request id,
 * entity, before and after, in the change's own transaction; `GET /audit` for global_admin and
 * admin_agent; no route, and not even the application's database role, changes or deletes an entry.
 */
import { bearer, createAgent, createCustomer, createPlan, planBody, startTestApi, TestApi } from '../support';

interface Entry {
  id: string;
  at: string;
  actor: { kind: string; id: string | null };
  requestId: string | null;
  entity: string;
  entityId: string;
  action: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

describe('the audit log', () => {
  let api: TestApi;
  let adminAgent: { id: string; token: string };
  let customer: { id: string; token: string };
  let rootId: string;

  const audit = async (query = '', token = adminAgent.token) => api.http.get(`/api/v1/audit${query}`).set(bearer(token));
  const entriesOf = async (entity: string, entityId: string): Promise<Entry[]> =>
    ((await audit(`?entity=${entity}&entityId=${entityId}&limit=200`)).body.items as Entry[]).reverse();
  const as = (token: string, requestId: string) => ({ ...bearer(token), 'X-Request-Id': requestId });

  beforeAll(async () => {
    api = await startTestApi();
    adminAgent = await createAgent(api, ['admin_agent']);
    customer = await createCustomer(api, (await createPlan(api)).id);
    [{ id: rootId }] = await api.dataSource.query(`SELECT id FROM agents WHERE 'global_admin' = ANY(roles) ORDER BY created_at LIMIT 1`);
  });
  afterAll(async () => {
    await api.close();
  });

  it('records triage rules and known issues created, updated and deleted, with actor, request id, before and after', async () => {
    const created = await api.http
      .post('/api/v1/triage-rules')
      .set(as(adminAgent.token, 'req-rule-create'))
      .send({ name: 'facturas', position: 1, enabled: true, stopOnMatch: false, conditions: { anyKeywords: ['factura'] }, actions: { queue: 'billing' } });
    expect(created.status).toBe(201);
    await api.http.patch(`/api/v1/triage-rules/${created.body.id}`).set(as(api.adminToken, 'req-rule-update')).send({ actions: { queue: 'billing-es' } });
    await api.http.delete(`/api/v1/triage-rules/${created.body.id}`).set(as(adminAgent.token, 'req-rule-delete'));

    const entries = await entriesOf('triage_rule', created.body.id);
    expect(entries.map((e) => [e.action, e.actor, e.requestId])).toEqual([
      ['created', { kind: 'staff', id: adminAgent.id }, 'req-rule-create'],
      ['updated', { kind: 'staff', id: rootId }, 'req-rule-update'],
      ['deleted', { kind: 'staff', id: adminAgent.id }, 'req-rule-delete'],
    ]);
    expect(entries[0].before).toBeNull();
    expect(entries[0].after).toMatchObject({ name: 'facturas', actions: { queue: 'billing' } });
    expect(entries[1].before).toMatchObject({ actions: { queue: 'billing' } });
    expect(entries[1].after).toMatchObject({ actions: { queue: 'billing-es' } });
    expect(entries[2].before).toMatchObject({ actions: { queue: 'billing-es' } });
    expect(entries[2].after).toBeNull();
    for (const e of entries) expect(Math.abs(Date.parse(e.at) - Date.now())).toBeLessThan(120_000);

    const issue = await api.http.post('/api/v1/known-issues').set(bearer(adminAgent.token)).send({ title: 'Teams audio drops', symptoms: 'Meetings lose audio after ten minutes', resolution: 'Reset the media policy', inScope: true });
    expect(issue.status).toBe(201);
    await api.http.patch(`/api/v1/known-issues/${issue.body.id}`).set(bearer(adminAgent.token)).send({ title: 'Teams audio drops (tenant policy)' });
    await api.http.delete(`/api/v1/known-issues/${issue.body.id}`).set(bearer(adminAgent.token));
    expect((await entriesOf('known_issue', issue.body.id)).map((e) => e.action)).toEqual(['created', 'updated', 'deleted']);
  });

  it('records plans, tiers (never their secret), entitlements and the escalation policy', async () => {
    const plan = await api.http.post('/api/v1/support-plans').set(bearer(adminAgent.token)).send(planBody({ name: 'Audited plan' }));
    await api.http.patch(`/api/v1/support-plans/${plan.body.id}`).set(bearer(adminAgent.token)).send({ name: 'Audited plan v2' });
    expect((await entriesOf('support_plan', plan.body.id)).map((e) => [e.action, e.after?.name])).toEqual([
      ['created', 'Audited plan'],
      ['updated', 'Audited plan v2'],
    ]);

    const secret = 'whsec_YS12ZXJ5LXNlY3JldC1zaWduaW5nLWtleS0wMTIzNDU2Nzg5';
    expect((await api.http.put('/api/v1/escalation-tiers/premier').set(bearer(adminAgent.token)).send({ delivery: 'webhook', webhookUrl: 'https://vendor.example/hook', secret })).status).toBe(200);
    expect((await api.http.put('/api/v1/escalation-tiers/premier').set(bearer(adminAgent.token)).send({ delivery: 'manual' })).status).toBe(200);
    const tier = await entriesOf('escalation_tier', 'premier');
    expect(tier.map((e) => [e.action, e.after?.delivery, e.after?.hasSecret])).toEqual([
      ['created', 'webhook', true],
      ['updated', 'manual', false],
    ]);
    const [{ raw }] = await api.dataSource.query(`SELECT string_agg(before::text || after::text, '') AS raw FROM audit_log`);
    expect(raw).not.toContain(secret);

    const contract = { active: true, hoursRemaining: 10, expiresOn: '2099-12-31' };
    expect((await api.http.put('/api/v1/entitlements').set(bearer(api.adminToken)).send({ competency: 'gold', premier: contract, advanced: { active: false, hoursRemaining: 0 } })).status).toBe(200);
    const [entitlements] = await entriesOf('entitlements', '1');
    expect(entitlements.before).toMatchObject({ competency: 'none' });
    expect(entitlements.after).toMatchObject({ competency: 'gold', premier: { hoursRemaining: 10 } });

    expect((await api.http.put('/api/v1/escalation-policy').set(bearer(adminAgent.token)).send({ autoEscalateOnResolutionBreach: true, priorities: ['P1'], onlyOutOfScope: false })).status).toBe(200);
    const [policy] = await entriesOf('escalation_policy', '1');
    expect(policy.before).toMatchObject({ autoEscalateOnResolutionBreach: false });
    expect(policy.after).toMatchObject({ autoEscalateOnResolutionBreach: true, priorities: ['P1'] });
  });

  it('records agents and customers (those tests check the details) and writes nothing for a refused change', async () => {
    const agent = await createAgent(api, ['helpdesk_agent']);
    expect((await entriesOf('agent', agent.id)).map((e) => e.action)).toEqual(['created']);
    expect((await entriesOf('customer', customer.id)).map((e) => e.action)).toEqual(['created']);

    const rule = await api.http.post('/api/v1/triage-rules').set(bearer(adminAgent.token)).send({ name: 'r', position: 5, enabled: true, stopOnMatch: false, conditions: { anyKeywords: ['x'] }, actions: { queue: 'q' } });
    const before = (await entriesOf('triage_rule', rule.body.id)).length;
    // Refused by the service after it read the rule in its transaction: no entry.
    const refused = await api.http.patch(`/api/v1/triage-rules/${rule.body.id}`).set(bearer(adminAgent.token)).send({ conditions: { anyKeywords: [] } });
    expect(refused.status).toBe(400);
    expect((await api.http.patch(`/api/v1/agents/${rootId}`).set(bearer(adminAgent.token)).send({ name: 'x' })).status).toBe(403);
    expect((await entriesOf('triage_rule', rule.body.id)).length).toBe(before);
    expect((await entriesOf('agent', rootId)).filter((e) => e.action === 'updated')).toEqual([]);
  });

  it('filters by entity, actor and time, newest first, and pages with a keyset cursor', async () => {
    const mark = new Date().toISOString();
    for (let i = 0; i < 5; i++) await api.http.post('/api/v1/known-issues').set(bearer(api.adminToken)).send({ title: `Paged ${i}`, symptoms: 'Something happens', resolution: 'Do this', inScope: true });

    const byActor = await audit(`?actor=${rootId}&from=${mark}`);
    expect(byActor.status).toBe(200);
    expect(byActor.body.items.map((e: Entry) => e.after?.title)).toEqual(['Paged 4', 'Paged 3', 'Paged 2', 'Paged 1', 'Paged 0']);
    expect((await audit(`?actor=${adminAgent.id}&from=${mark}`)).body.items).toEqual([]);
    expect((await audit(`?entity=known_issue&to=${mark}`)).body.items.every((e: Entry) => e.at < mark)).toBe(true);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: Entry[]; nextCursor: string | null } } = await audit(`?entity=known_issue&from=${mark}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((e) => e.after?.title as string));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['Paged 4', 'Paged 3', 'Paged 2', 'Paged 1', 'Paged 0']);
  });

  it.each([
    ['?entity=Triage Rule!', 'entity'],
    ['?actor=ana', 'actor'],
    ['?from=yesterday', 'from'],
    ['?to=2026-13-45', 'to'],
    ['?from=2026-05-02T00:00:00Z&to=2026-05-01T00:00:00Z', 'to'],
    ['?cursor=bogus', 'cursor'],
    ['?limit=0', 'limit'],
    ['?limit=201', 'limit'],
    ['?what=ever', 'what'],
  ])('refuses %s with a 400 naming %s', async (query, field) => {
    const res = await audit(query);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    if (query.includes('from=') && query.includes('to=')) expect(res.body.errors).toEqual([{ field: 'to', message: 'must be later than from', code: 'rangeOrder', params: { other: 'from' } }]);
  });

  it('is read by global_admin and admin_agent only', async () => {
    expect((await audit('', api.adminToken)).status).toBe(200);
    for (const role of ['helpdesk_agent', 'billing_admin', 'sales_agent']) {
      const agent = await createAgent(api, [role]);
      expect((await audit('', agent.token)).status).toBe(403);
    }
    expect((await audit('', customer.token)).status).toBe(403);
    expect((await api.http.get('/api/v1/audit')).status).toBe(401);
  });

  it('has no route that changes or deletes it, and the database refuses to', async () => {
    const [entry] = (await audit('?limit=1')).body.items as Entry[];
    for (const method of ['post', 'put', 'patch', 'delete'] as const) {
      expect((await api.http[method]('/api/v1/audit').set(bearer(api.adminToken)).send({})).status).toBe(404);
      expect((await api.http[method](`/api/v1/audit/${entry.id}`).set(bearer(api.adminToken)).send({})).status).toBe(404);
    }
    await expect(api.dataSource.query(`UPDATE audit_log SET action = 'nothing' WHERE id = $1`, [entry.id])).rejects.toThrow(/append-only/);
    await expect(api.dataSource.query(`DELETE FROM audit_log WHERE id = $1`, [entry.id])).rejects.toThrow(/append-only/);
    await expect(api.dataSource.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
    expect((await audit('?limit=1')).body.items[0]).toEqual(entry);
  });
});
