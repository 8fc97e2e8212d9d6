import { bearer, createAgent, planBody, startTestApi, TestApi } from '../support';

describe('support plans and customers', () => {
  let api: TestApi;
  const count = async (table: string) => (await api.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n as number;

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api.close();
  });

  it('creates, reads, lists and patches a support plan', async () => {
    const created = await api.http.post('/api/v1/support-plans').set(bearer(api.adminToken)).send(planBody({ holidays: ['2027-01-01', '2026-12-25', '2026-12-25'] }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'Business hours Spain',
      timezone: 'Europe/Madrid',
      holidays: ['2026-12-25', '2027-01-01'],
      price: { amountMinor: 4990, currency: 'EUR', period: 'month' },
    });
    expect(created.body.businessHours).toHaveLength(5);
    const got = await api.http.get(`/api/v1/support-plans/${created.body.id}`).set(bearer(api.adminToken));
    expect(got.body).toEqual(created.body);
    const patched = await api.http
      .patch(`/api/v1/support-plans/${created.body.id}`)
      .set(bearer(api.adminToken))
      .send({ businessHours: [], price: null, name: '24x7 Premium' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ businessHours: [], price: null, name: '24x7 Premium', timezone: 'Europe/Madrid' });
    const list = await api.http.get('/api/v1/support-plans').set(bearer(api.adminToken));
    expect(list.body.map((p: { id: string }) => p.id)).toContain(created.body.id);
  });

  it.each([
    ['timezone', { timezone: 'Mars/Olympus' }, 'timezone'],
    ['end before start', { businessHours: [{ day: 1, start: '18:00', end: '09:00' }] }, 'businessHours.0.end'],
    ['end equal to start', { businessHours: [{ day: 1, start: '09:00', end: '09:00' }] }, 'businessHours.0.end'],
    ['bad clock', { businessHours: [{ day: 1, start: '9am', end: '18:00' }] }, 'businessHours.0.start'],
    ['day out of range', { businessHours: [{ day: 8, start: '09:00', end: '18:00' }] }, 'businessHours.0.day'],
    ['overlap', { businessHours: [{ day: 2, start: '09:00', end: '14:00' }, { day: 2, start: '13:00', end: '18:00' }] }, 'businessHours.1'],
    ['holiday', { holidays: ['2026-02-30'] }, 'holidays'],
    ['contact method', { contactMethods: ['fax'] }, 'contactMethods'],
    ['price amount', { price: { amountMinor: 12.5, currency: 'EUR', period: 'month' } }, 'price.amountMinor'],
    ['price amount as text', { price: { amountMinor: '1250', currency: 'EUR', period: 'month' } }, 'price.amountMinor'],
    ['negative price', { price: { amountMinor: -1, currency: 'EUR', period: 'month' } }, 'price.amountMinor'],
    ['currency', { price: { amountMinor: 1250, currency: 'EURO', period: 'month' } }, 'price.currency'],
    ['period', { price: { amountMinor: 1250, currency: 'EUR', period: 'week' } }, 'price.period'],
    ['missing priority target', { targets: { P1: { firstResponseMinutes: 1, resolutionMinutes: 2 }, P2: { firstResponseMinutes: 1, resolutionMinutes: 2 }, P3: { firstResponseMinutes: 1, resolutionMinutes: 2 } } }, 'targets.P4'],
    ['target minutes', { targets: { ...planBody().targets, P2: { firstResponseMinutes: 0, resolutionMinutes: 2 } } }, 'targets.P2.firstResponseMinutes'],
    ['first response after resolution', { targets: { ...planBody().targets, P3: { firstResponseMinutes: 500, resolutionMinutes: 100 } } }, 'targets.P3.firstResponseMinutes'],
  ])('rejects a plan with a bad %s naming %s, writing nothing', async (_case, override, field) => {
    const before = await count('support_plans');
    const res = await api.http.post('/api/v1/support-plans').set(bearer(api.adminToken)).send(planBody(override));
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await count('support_plans')).toBe(before);
  });

  it('validates a patch against the merged plan and keeps the plan unchanged on error', async () => {
    const plan = await api.http.post('/api/v1/support-plans').set(bearer(api.adminToken)).send(planBody());
    const bad = await api.http
      .patch(`/api/v1/support-plans/${plan.body.id}`)
      .set(bearer(api.adminToken))
      .send({ businessHours: [{ day: 1, start: '09:00', end: '12:00' }, { day: 1, start: '11:00', end: '13:00' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('businessHours.1');
    const after = await api.http.get(`/api/v1/support-plans/${plan.body.id}`).set(bearer(api.adminToken));
    expect(after.body.businessHours).toEqual(plan.body.businessHours);
    expect((await api.http.patch('/api/v1/support-plans/00000000-0000-4000-8000-000000000000').set(bearer(api.adminToken)).send({ name: 'x' })).status).toBe(404);
  });

  it.each(['name', 'timezone', 'businessHours', 'holidays', 'contactMethods', 'targets'])('refuses %s: null in a plan patch with 400, keeping the plan', async (field) => {
    const plan = await api.http.post('/api/v1/support-plans').set(bearer(api.adminToken)).send(planBody());
    const res = await api.http.patch(`/api/v1/support-plans/${plan.body.id}`).set(bearer(api.adminToken)).send({ [field]: null });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect((await api.http.get(`/api/v1/support-plans/${plan.body.id}`).set(bearer(api.adminToken))).body).toEqual(plan.body);
  });

  it('only lets admins manage plans', async () => {
    const agent = await createAgent(api, ['helpdesk_agent']);
    expect((await api.http.post('/api/v1/support-plans').set(bearer(agent.token)).send(planBody())).status).toBe(403);
    expect((await api.http.get('/api/v1/support-plans').set(bearer(agent.token))).status).toBe(200);
  });

  it('creates customers, refuses a duplicate domain with 409, and issues customer tokens', async () => {
    const plan = await api.http.post('/api/v1/support-plans').set(bearer(api.adminToken)).send(planBody());
    const sales = await createAgent(api, ['sales_agent']);
    const created = await api.http
      .post('/api/v1/customers')
      .set(bearer(sales.token))
      .send({ name: 'Fabrikam', domain: 'Fabrikam.example', supportPlanId: plan.body.id });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Fabrikam', domain: 'fabrikam.example', supportPlanId: plan.body.id });

    const dup = await api.http.post('/api/v1/customers').set(bearer(api.adminToken)).send({ name: 'Other', domain: 'fabrikam.example', supportPlanId: plan.body.id });
    expect(dup.status).toBe(409);
    expect(dup.body.errors).toEqual([{ field: 'domain', message: 'is already used by another customer', code: 'taken', params: {} }]);

    const badPlan = await api.http.post('/api/v1/customers').set(bearer(api.adminToken)).send({ name: 'X', domain: 'x.example', supportPlanId: '00000000-0000-4000-8000-000000000000' });
    expect(badPlan.status).toBe(400);
    expect(badPlan.body.errors[0].field).toBe('supportPlanId');
    const badDomain = await api.http.post('/api/v1/customers').set(bearer(api.adminToken)).send({ name: 'X', domain: 'not a domain', supportPlanId: plan.body.id });
    expect(badDomain.body.errors[0].field).toBe('domain');

    // Sales may create customers but not tokens.
    expect((await api.http.post(`/api/v1/customers/${created.body.id}/tokens`).set(bearer(sales.token))).status).toBe(403);
    const token = await api.http.post(`/api/v1/customers/${created.body.id}/tokens`).set(bearer(api.adminToken));
    expect(token.status).toBe(201);
    expect(token.body.token).toMatch(/^hdc_/);
    // A customer token cannot read the customer list or manage anything.
    expect((await api.http.get('/api/v1/customers').set(bearer(token.body.token))).status).toBe(403);
    expect((await api.http.post(`/api/v1/customers/${created.body.id}/tokens`).set(bearer(api.adminToken)).then(() => api.http.get(`/api/v1/customers/${created.body.id}`).set(bearer(api.adminToken)))).status).toBe(200);
    expect((await api.http.post('/api/v1/customers/00000000-0000-4000-8000-000000000000/tokens').set(bearer(api.adminToken))).status).toBe(404);
  });
});
