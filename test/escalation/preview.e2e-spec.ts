import { bearer, createAgent, createCustomer, createPlan, startTestApi, TestApi } from '../support';
import { contract, Contract, escalate, NO_CONTRACT, putEntitlements, workedTicket } from './support';

/**
 * GET /tickets/:id/escalations/preview: what POST /tickets/:id/escalations would decide now,
 * written nowhere. Each situation is previewed, then escalated for real: both must agree.
 */
describe('escalation preview: the routing decision before confirming', () => {
  let api: TestApi;
  let customerId: string;
  let helpdesk: { id: string; token: string };

  beforeAll(async () => {
    api = await startTestApi();
    customerId = (await createCustomer(api, (await createPlan(api)).id)).id;
    helpdesk = await createAgent(api, ['helpdesk_agent']);
  });
  afterAll(async () => {
    await api.close();
  });

  const preview = (ticketId: string, query: Record<string, string> = {}, token = helpdesk.token) =>
    api.http.get(`/api/v1/tickets/${ticketId}/escalations/preview`).query(query).set(bearer(token));

  /** Everything an escalation writes: its row, the ticket's events and status, the queue hand-off. */
  const written = async (ticketId: string) => {
    const [counts] = await api.dataSource.query(
      `SELECT (SELECT count(*) FROM escalations)::int AS escalations, (SELECT count(*) FROM ticket_events)::int AS events,
              (SELECT count(*) FROM outbox)::int AS outbox, (SELECT status FROM tickets WHERE id = $1) AS status,
              (SELECT updated_at FROM tickets WHERE id = $1) AS updated`,
      [ticketId],
    );
    return counts;
  };

  const PREMIER_40 = contract(40, { expiresOn: '2099-06-30' });
  const situations: Array<[string, { competency: 'gold' | 'silver' | 'none'; premier: Contract; advanced: Contract }, { category: string; priority: string }, Record<string, string>, { chosen: string | null; refusal: string | null }]> = [
    ['a billing case with nothing held', { competency: 'none', premier: NO_CONTRACT, advanced: NO_CONTRACT }, { category: 'billing', priority: 'P2' }, {}, { chosen: 'commercial', refusal: null }],
    ['an urgent technical case with a Premier contract', { competency: 'none', premier: PREMIER_40, advanced: NO_CONTRACT }, { category: 'technical', priority: 'P1' }, {}, { chosen: 'premier', refusal: null }],
    ['a routine technical case with Gold and Premier', { competency: 'gold', premier: PREMIER_40, advanced: NO_CONTRACT }, { category: 'technical', priority: 'P3' }, {}, { chosen: 'signature_cloud', refusal: null }],
    ['a technical case asking for Premier with Gold and Premier', { competency: 'gold', premier: PREMIER_40, advanced: NO_CONTRACT }, { category: 'technical', priority: 'P4' }, { tier: 'premier' }, { chosen: 'premier', refusal: null }],
    ['a technical case with nothing held', { competency: 'none', premier: NO_CONTRACT, advanced: NO_CONTRACT }, { category: 'technical', priority: 'P1' }, {}, { chosen: null, refusal: 'no_eligible_tier' }],
    ['a technical case asking for Advanced with an empty Advanced contract', { competency: 'silver', premier: NO_CONTRACT, advanced: contract(0) }, { category: 'technical', priority: 'P2' }, { tier: 'advanced' }, { chosen: null, refusal: 'tier_not_eligible' }],
    ['a billing case asking for Premier', { competency: 'gold', premier: PREMIER_40, advanced: NO_CONTRACT }, { category: 'billing', priority: 'P2' }, { tier: 'premier' }, { chosen: null, refusal: 'tier_not_applicable' }],
  ];

  it.each(situations)('%s: decides what escalating then does, and writes nothing', async (_name, held, fields, query, expected) => {
    await putEntitlements(api, held.competency, held.premier, held.advanced);
    const id = await workedTicket(api, customerId, fields);
    const before = await written(id);
    const res = await preview(id, query);
    expect(res.status).toBe(200);
    expect(await written(id)).toEqual(before);
    expect({ chosen: res.body.chosen, refusal: res.body.refusal?.code ?? null }).toEqual(expected);
    expect(res.body.premier).toMatchObject({ active: held.premier.active, hoursRemaining: held.premier.hoursRemaining });
    expect(res.body.competency).toBe(held.competency);
    for (const considered of res.body.considered) expect(considered.why.code).toEqual(expect.any(String));

    const real = await escalate(api, id, { reason: 'Needs the vendor', ...query }, helpdesk.token);
    if (expected.refusal === null) {
      expect(real.status).toBe(202);
      // The same decision, reason codes included, is what the escalation records.
      expect(real.body.routing).toEqual({ considered: res.body.considered, chosen: res.body.chosen });
    } else {
      expect([real.status, real.body.reason, real.body.detail]).toEqual([res.body.refusal.status, res.body.refusal.code, res.body.refusal.detail]);
      expect(real.body.routing).toEqual({ considered: res.body.considered, chosen: null });
    }
  });

  it('explains each tier with a code and its values next to the English reason', async () => {
    await putEntitlements(api, 'none', PREMIER_40, contract(5, { expiresOn: '2020-01-31' }));
    const id = await workedTicket(api, customerId, { category: 'technical', priority: 'P1' });
    const res = await preview(id);
    expect(res.body.considered).toEqual([
      {
        tier: 'premier',
        eligible: true,
        reason: 'active Premier contract, 40 hours left until 2099-06-30',
        why: { code: 'contract_active', params: { contract: 'premier', hoursRemaining: 40, expiresOn: '2099-06-30' } },
      },
      { tier: 'advanced', eligible: false, reason: 'the Advanced contract expired on 2020-01-31', why: { code: 'contract_expired', params: { contract: 'advanced', expiresOn: '2020-01-31' } } },
      { tier: 'signature_cloud', eligible: false, reason: 'needs a Gold or Silver competency; the partner has none', why: { code: 'competency_missing', params: {} } },
    ]);
    expect(res.body).toMatchObject({ chosen: 'premier', refusal: null, today: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
  });

  it('says an open escalation or a resolved ticket would be refused (409), like escalating does', async () => {
    await putEntitlements(api, 'none', NO_CONTRACT, NO_CONTRACT);
    const open = await workedTicket(api, customerId, { category: 'billing', priority: 'P3' });
    expect((await escalate(api, open, undefined, helpdesk.token)).status).toBe(202);
    const again = await preview(open);
    expect(again.body.refusal).toMatchObject({ code: 'open_escalation', status: 409, detail: expect.stringMatching(/already has an open escalation/) });
    expect(again.body.chosen).toBeNull();

    const resolved = await workedTicket(api, customerId, { category: 'billing', priority: 'P3' });
    expect((await api.http.patch(`/api/v1/tickets/${resolved}`).set(bearer(api.adminToken)).send({ status: 'resolved' })).status).toBe(200);
    const before = await written(resolved);
    expect((await preview(resolved)).body.refusal).toMatchObject({ code: 'ticket_closed', status: 409 });
    expect(await written(resolved)).toEqual(before);
    expect((await escalate(api, resolved, undefined, helpdesk.token)).body.reason).toBe('ticket_closed');
  });

  it('answers 404 for an unknown ticket, 403 to a role that may not escalate, 400 naming the field for bad input', async () => {
    const id = await workedTicket(api, customerId, { category: 'billing', priority: 'P3' });
    const unknown = await preview('00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/);

    const [sales, billing, admin] = await Promise.all([createAgent(api, ['sales_agent']), createAgent(api, ['billing_admin']), createAgent(api, ['admin_agent'])]);
    const customer = await createCustomer(api, (await createPlan(api)).id);
    for (const token of [sales.token, billing.token, customer.token]) expect((await preview(id, {}, token)).status).toBe(403);
    expect((await preview(id, {}, admin.token)).status).toBe(200);
    expect((await preview(id, {}, api.adminToken)).status).toBe(200);

    const badTier = await preview(id, { tier: 'platinum' });
    expect(badTier.status).toBe(400);
    expect(badTier.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(badTier.body.errors.map((e: { field: string }) => e.field)).toEqual(['tier']);
    const extra = await preview(id, { reason: 'x' });
    expect(extra.status).toBe(400);
    expect(extra.body.errors.map((e: { field: string }) => e.field)).toEqual(['reason']);
    // A path id that is not a UUID names nothing (UuidParamPipe): 404, like every route.
    expect((await preview('not-a-uuid')).status).toBe(404);
  });

  it('is in the OpenAPI document with the roles that may call it', async () => {
    const doc = (await api.http.get('/api/docs-json')).body;
    const operation = doc.paths['/api/v1/tickets/{id}/escalations/preview'].get;
    expect(operation['x-roles']).toEqual(expect.arrayContaining(['admin_agent', 'helpdesk_agent']));
    expect(operation.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['id', 'tier']));
  });
});
