import { DataSource } from 'typeorm';
import { SlaBreachHooks } from '@helpdesk/triage';
import { bearer, createAgent, createCustomer, createPlan, startTestApi, TestApi, ticketBody } from '../support';
import { contract, escalate, LOCAL_RECEIVER_ENV, NO_CONTRACT, putEntitlements, workedTicket } from './support';

const PREMIER_SECRET = `whsec_${Buffer.from('premier-secret-0123456789-abcdef').toString('base64')}`;

describe('escalation: entitlements, tiers, routing and the one-transaction hand-off', () => {
  let api: TestApi;
  let customer: { id: string; token: string };
  let helpdesk: { id: string; token: string };
  let sales: { id: string; token: string };
  let adminAgent: { id: string; token: string };

  beforeAll(async () => {
    // The webhook URLs below are on this machine (nothing is delivered: no worker runs here).
    api = await startTestApi({ env: LOCAL_RECEIVER_ENV });
    customer = await createCustomer(api, (await createPlan(api)).id);
    [helpdesk, sales, adminAgent] = await Promise.all([
      createAgent(api, ['helpdesk_agent']),
      createAgent(api, ['sales_agent']),
      createAgent(api, ['admin_agent']),
    ]);
  });
  afterAll(async () => {
    await api.close();
  });

  const db = (): DataSource => api.dataSource;

  describe('entitlements (global_admin)', () => {
    it('starts with nothing but commercial support and explains every tier', async () => {
      const res = await api.http.get('/api/v1/entitlements').set(bearer(api.adminToken));
      expect(res.status).toBe(200);
      expect(res.body.competency).toBe('none');
      expect(res.body.tiers.map((t: { tier: string; eligible: boolean }) => [t.tier, t.eligible])).toEqual([
        ['commercial', true],
        ['premier', false],
        ['advanced', false],
        ['signature_cloud', false],
      ]);
      expect(res.body.tiers[1].reason).toMatch(/no active Premier contract/);
      expect(res.body.tiers[3].reason).toMatch(/Gold or Silver/);
    });

    it('stores contracts and says why each is or is not usable today', async () => {
      const body = await putEntitlements(api, 'silver', contract(0), { active: true, hoursRemaining: 40, expiresOn: '2020-01-31' });
      const why = Object.fromEntries(body.tiers.map((t: { tier: string; eligible: boolean; reason: string }) => [t.tier, [t.eligible, t.reason]]));
      expect(why.premier).toEqual([false, 'the Premier contract has no hours left']);
      expect(why.advanced).toEqual([false, 'the Advanced contract expired on 2020-01-31']);
      expect(why.signature_cloud).toEqual([true, 'Silver competency']);
      expect(body.advanced).toEqual({ active: true, hoursRemaining: 40, hoursPurchased: 40, expiresOn: '2020-01-31' });
      const again = await api.http.get('/api/v1/entitlements').set(bearer(api.adminToken));
      expect(again.body.advanced.expiresOn).toBe('2020-01-31');
    });

    it('keeps a contract\'s purchased hours (the base of the 10 % warning) when the same contract is sent again without them', async () => {
      const bought = await putEntitlements(api, 'none', contract(100, { hoursPurchased: 100, expiresOn: '2099-06-30' }), NO_CONTRACT);
      expect(bought.premier).toMatchObject({ hoursRemaining: 100, hoursPurchased: 100 });
      // Only the competency and the remaining hours change: still the contract bought with 100 hours.
      const resent = await putEntitlements(api, 'gold', contract(40, { expiresOn: '2099-06-30' }), NO_CONTRACT);
      expect(resent.premier).toMatchObject({ hoursRemaining: 40, hoursPurchased: 100 });
      // A top-up above what it was bought with, or a new contract (another expiry), starts a new base.
      const toppedUp = await putEntitlements(api, 'gold', contract(120, { expiresOn: '2099-06-30' }), NO_CONTRACT);
      expect(toppedUp.premier).toMatchObject({ hoursRemaining: 120, hoursPurchased: 120 });
      const renewed = await putEntitlements(api, 'gold', contract(50, { expiresOn: '2100-06-30' }), NO_CONTRACT);
      expect(renewed.premier).toMatchObject({ hoursRemaining: 50, hoursPurchased: 50 });
      await putEntitlements(api, 'none', NO_CONTRACT, NO_CONTRACT);
    });

    it('is for global_admin only, and validates every field', async () => {
      for (const token of [adminAgent.token, helpdesk.token, sales.token, customer.token]) {
        expect((await api.http.get('/api/v1/entitlements').set(bearer(token))).status).toBe(403);
        expect((await api.http.put('/api/v1/entitlements').set(bearer(token)).send({})).status).toBe(403);
      }
      const bad = [
        { competency: 'platinum', premier: NO_CONTRACT, advanced: NO_CONTRACT },
        { competency: 'gold', premier: { ...NO_CONTRACT, hoursRemaining: -1 }, advanced: NO_CONTRACT },
        { competency: 'gold', premier: contract(10, { expiresOn: '2026-02-30' }), advanced: NO_CONTRACT },
        { competency: 'gold', premier: contract(10, { hoursPurchased: 5 }), advanced: NO_CONTRACT },
        { competency: 'gold', premier: NO_CONTRACT },
        { competency: 'gold', premier: NO_CONTRACT, advanced: NO_CONTRACT, extra: 1 },
      ];
      for (const body of bad) {
        const res = await api.http.put('/api/v1/entitlements').set(bearer(api.adminToken)).send(body);
        expect([JSON.stringify(body), res.status]).toEqual([JSON.stringify(body), 400]);
      }
    });
  });

  describe('tiers', () => {
    it('never returns a secret, keeps it when not resent, and refuses incomplete settings', async () => {
      const put = await api.http
        .put('/api/v1/escalation-tiers/premier')
        .set(bearer(adminAgent.token))
        .send({ delivery: 'webhook', webhookUrl: 'http://127.0.0.1:9/cases', secret: PREMIER_SECRET, timeoutMs: 5000, maxPerMinute: 60 });
      expect(put.status).toBe(200);
      expect(put.body).toMatchObject({ tier: 'premier', delivery: 'webhook', hasSecret: true, timeoutMs: 5000, maxPerMinute: 60 });
      expect(JSON.stringify(put.body)).not.toContain(PREMIER_SECRET.slice(6, 20));

      const keep = await api.http.put('/api/v1/escalation-tiers/premier').set(bearer(adminAgent.token)).send({ delivery: 'webhook', webhookUrl: 'http://127.0.0.1:9/v2' });
      expect(keep.status).toBe(200);
      expect(keep.body.hasSecret).toBe(true);
      const [stored] = await db().query(`SELECT secret FROM escalation_tiers WHERE tier = 'premier'`);
      expect(stored.secret).toBe(PREMIER_SECRET);

      const list = await api.http.get('/api/v1/escalation-tiers').set(bearer(adminAgent.token));
      expect(list.status).toBe(200);
      expect(list.body.map((t: { tier: string }) => t.tier)).toEqual(['commercial', 'premier', 'advanced', 'signature_cloud']);
      expect(JSON.stringify(list.body)).not.toContain(PREMIER_SECRET.slice(6, 20));
      expect(list.body[0].configured).toBe(false);

      const refusals: Array<[string, Record<string, unknown>, number]> = [
        ['advanced', { delivery: 'webhook' }, 400],
        ['advanced', { delivery: 'webhook', webhookUrl: 'http://127.0.0.1:9/x' }, 400], // no secret yet
        ['advanced', { delivery: 'webhook', webhookUrl: 'ftp://vendor.example', secret: PREMIER_SECRET }, 400],
        ['advanced', { delivery: 'webhook', webhookUrl: 'http://127.0.0.1:9/x', secret: 'short' }, 400],
        ['advanced', { delivery: 'manual', secret: PREMIER_SECRET }, 400],
        ['advanced', { delivery: 'carrier-pigeon' }, 400],
        ['advanced', { delivery: 'manual', maxPerMinute: 0 }, 400],
        ['platinum', { delivery: 'manual' }, 404],
      ];
      for (const [tier, body, status] of refusals) {
        const res = await api.http.put(`/api/v1/escalation-tiers/${tier}`).set(bearer(adminAgent.token)).send(body);
        expect([tier, JSON.stringify(body), res.status]).toEqual([tier, JSON.stringify(body), status]);
      }
      expect((await api.http.put('/api/v1/escalation-tiers/advanced').set(bearer(helpdesk.token)).send({ delivery: 'manual' })).status).toBe(403);
    });
  });

  describe('routing', () => {
    type Ents = [competency: 'gold' | 'silver' | 'none', premier: ReturnType<typeof contract>, advanced: ReturnType<typeof contract>];
    const ALL: Ents = ['gold', contract(100), contract(50)];
    const ADVANCED_ONLY: Ents = ['none', NO_CONTRACT, contract(20)];
    const PREMIER_ONLY: Ents = ['none', contract(5, { expiresOn: null }), NO_CONTRACT];
    const SILVER_ONLY: Ents = ['silver', NO_CONTRACT, NO_CONTRACT];
    const PAID_UNUSABLE: Ents = ['gold', contract(100, { expiresOn: '2021-06-30' }), contract(0)];
    const PREMIER_AND_SILVER: Ents = ['silver', contract(10), NO_CONTRACT];
    const NOTHING: Ents = ['none', NO_CONTRACT, { active: true, hoursRemaining: 12, expiresOn: '2000-01-01' }];

    const table: Array<[string, Ents, string, string, string | null]> = [
      // [label, entitlements, category, priority, chosen tier (null = 422)]
      ['all, billing P1', ALL, 'billing', 'P1', 'commercial'],
      ['nothing, subscription P4', NOTHING, 'subscription_management', 'P4', 'commercial'],
      ['all, technical P1', ALL, 'technical', 'P1', 'premier'],
      ['all, technical P2', ALL, 'technical', 'P2', 'premier'],
      ['all, technical P3', ALL, 'technical', 'P3', 'signature_cloud'],
      ['all, technical P4', ALL, 'technical', 'P4', 'signature_cloud'],
      ['advanced only, P1', ADVANCED_ONLY, 'technical', 'P1', 'advanced'],
      ['advanced only, P4', ADVANCED_ONLY, 'technical', 'P4', 'advanced'],
      ['premier only, P3', PREMIER_ONLY, 'technical', 'P3', 'premier'],
      ['silver only, P1', SILVER_ONLY, 'technical', 'P1', 'signature_cloud'],
      ['paid expired/empty, P1', PAID_UNUSABLE, 'technical', 'P1', 'signature_cloud'],
      ['premier + silver, P2', PREMIER_AND_SILVER, 'technical', 'P2', 'premier'],
      ['premier + silver, P3', PREMIER_AND_SILVER, 'technical', 'P3', 'signature_cloud'],
      ['nothing, technical P1', NOTHING, 'technical', 'P1', null],
      ['nothing, technical P4', NOTHING, 'technical', 'P4', null],
    ];

    const cases = table.map(([label, ents, category, priority, chosen]) => ({ label, ents, category, priority, chosen: chosen ?? '422' }));

    it.each(cases)('$label: $category $priority → $chosen', async ({ ents, category, priority, chosen: expected }) => {
      const chosen = expected === '422' ? null : expected;
      await putEntitlements(api, ...ents);
      const ticketId = await workedTicket(api, customer.id, { category, priority });
      const res = await escalate(api, ticketId, { reason: 'The partner cannot resolve it' }, helpdesk.token);
      const ticket = await api.http.get(`/api/v1/tickets/${ticketId}`).set(bearer(api.adminToken));
      if (chosen === null) {
        expect(res.status).toBe(422);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(res.body.reason).toBe('no_eligible_tier');
        expect(res.body.detail).toMatch(/premier: no active Premier contract/);
        expect(res.body.detail).toMatch(/advanced: the Advanced contract expired on 2000-01-01/);
        expect(res.body.detail).toMatch(/signature_cloud: needs a Gold or Silver competency/);
        // The tiers considered, each with its reason as a code, for a screen in Spanish or English.
        expect(res.body.routing.considered).toContainEqual(expect.objectContaining({ tier: 'signature_cloud', eligible: false, why: { code: 'competency_missing', params: {} } }));
        expect(ticket.body.status).toBe('in_progress');
        const [{ n }] = await db().query(`SELECT count(*)::int AS n FROM escalations WHERE ticket_id = $1`, [ticketId]);
        expect(n).toBe(0);
        return;
      }
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({ ticketId, tier: chosen, status: 'queued', routing: { chosen } });
      expect(res.body.routing.considered.length).toBe(category === 'technical' ? 3 : 1);
      expect(ticket.body.status).toBe('escalated');
      // One transaction: the row, the ticket change, the timeline and the outbox hand-off.
      const outbox = await db().query(`SELECT queue, job_id, payload FROM outbox WHERE job_id = $1`, [res.body.id]);
      expect(outbox).toEqual([{ queue: `escalation.${chosen}`, job_id: res.body.id, payload: { escalationId: res.body.id } }]);
      const events = await api.http.get(`/api/v1/tickets/${ticketId}/events`).set(bearer(api.adminToken));
      const escalated = events.body.filter((e: { type: string }) => e.type === 'escalated');
      expect(escalated).toHaveLength(1);
      expect(escalated[0]).toMatchObject({ actor: { kind: 'staff', id: helpdesk.id }, data: { escalationId: res.body.id, tier: chosen, routing: res.body.routing } });
      expect(events.body.map((e: { type: string; data: { to?: string } }) => `${e.type}${e.data.to ? `:${e.data.to}` : ''}`)).toContain('status_changed:escalated');
    });

    it('takes an explicitly requested tier only when it is eligible and applicable', async () => {
      await putEntitlements(api, 'gold', NO_CONTRACT, contract(8));
      const t1 = await workedTicket(api, customer.id, { category: 'technical', priority: 'P1' });
      const notEligible = await escalate(api, t1, { reason: 'r', tier: 'premier' });
      expect(notEligible.status).toBe(422);
      expect(notEligible.body.reason).toBe('tier_not_eligible');
      expect(notEligible.body.detail).toMatch(/premier tier cannot take this case: no active Premier contract/);
      const wrongFamily = await escalate(api, t1, { reason: 'r', tier: 'commercial' });
      expect(wrongFamily.status).toBe(422);
      expect(wrongFamily.body.reason).toBe('tier_not_applicable');
      const ok = await escalate(api, t1, { reason: 'r', tier: 'signature_cloud' });
      expect(ok.status).toBe(202);
      expect(ok.body.tier).toBe('signature_cloud');

      const billing = await workedTicket(api, customer.id, { category: 'billing', priority: 'P2' });
      const technicalTierForBilling = await escalate(api, billing, { reason: 'r', tier: 'advanced' });
      expect(technicalTierForBilling.status).toBe(422);
      expect(technicalTierForBilling.body.reason).toBe('tier_not_applicable');
      expect((await api.http.get(`/api/v1/tickets/${billing}`).set(bearer(api.adminToken))).body.status).toBe('in_progress');
    });

    it('escalates from triaged and waiting_on_customer too, but a ticket without a category is 422', async () => {
      await putEntitlements(api, 'gold', NO_CONTRACT, NO_CONTRACT);
      for (const status of ['triaged', 'waiting_on_customer'] as const) {
        const id = await workedTicket(api, customer.id, { category: 'technical', priority: 'P3', status });
        expect((await escalate(api, id)).status).toBe(202);
      }
      const created = await api.http.post('/api/v1/tickets').set(bearer(api.adminToken)).send(ticketBody(customer.id));
      await api.http.patch(`/api/v1/tickets/${created.body.id}`).set(bearer(api.adminToken)).send({ status: 'triaged' });
      const [row] = await db().query(`SELECT category FROM tickets WHERE id = $1`, [created.body.id]);
      expect(row.category).toBeNull();
      const res = await escalate(api, created.body.id);
      expect(res.status).toBe(422);
      expect(res.body.detail).toMatch(/no category/);
    });
  });

  describe('409 and refusals', () => {
    beforeAll(async () => {
      await putEntitlements(api, 'gold', contract(10), contract(10));
    });

    it('refuses a second open escalation, and a resolved or closed ticket', async () => {
      const id = await workedTicket(api, customer.id, { category: 'technical', priority: 'P2' });
      expect((await escalate(api, id)).status).toBe(202);
      const again = await escalate(api, id);
      expect(again.status).toBe(409);
      expect(again.body.detail).toMatch(/already has an open escalation/);

      const resolved = await workedTicket(api, customer.id, { category: 'billing', priority: 'P3' });
      await api.http.patch(`/api/v1/tickets/${resolved}`).set(bearer(api.adminToken)).send({ status: 'resolved' });
      const r = await escalate(api, resolved);
      expect(r.status).toBe(409);
      expect(r.body.detail).toMatch(/resolved/);
      await api.http.patch(`/api/v1/tickets/${resolved}`).set(bearer(api.adminToken)).send({ status: 'closed' });
      expect((await escalate(api, resolved)).status).toBe(409);

      const fresh = await api.http.post('/api/v1/tickets').set(bearer(api.adminToken)).send(ticketBody(customer.id, { category: 'billing' }));
      const [state] = await db().query(`SELECT status FROM tickets WHERE id = $1`, [fresh.body.id]);
      expect(state.status).toBe('new'); // no worker runs in this file: nothing triages it
      const fromNew = await escalate(api, fresh.body.id);
      expect(fromNew.status).toBe(409);
      expect(fromNew.body.detail).toMatch(/cannot go from new to escalated/);
      const [{ n }] = await db().query(`SELECT count(*)::int AS n FROM escalations WHERE ticket_id = ANY($1::uuid[])`, [[resolved, fresh.body.id]]);
      expect(n).toBe(0);
    });

    it('lets exactly one of many simultaneous escalations of a ticket through', async () => {
      const id = await workedTicket(api, customer.id, { category: 'technical', priority: 'P1' });
      const results = await Promise.all(Array.from({ length: 8 }, () => escalate(api, id)));
      expect(results.map((r) => r.status).sort()).toEqual([202, 409, 409, 409, 409, 409, 409, 409]);
      const [{ n }] = await db().query(`SELECT count(*)::int AS n FROM escalations WHERE ticket_id = $1`, [id]);
      expect(n).toBe(1);
      const [{ o }] = await db().query(`SELECT count(*)::int AS o FROM outbox o JOIN escalations e ON e.id::text = o.job_id WHERE e.ticket_id = $1`, [id]);
      expect(o).toBe(1);
    });

    it('checks roles, ids and the body', async () => {
      const id = await workedTicket(api, customer.id, { category: 'technical', priority: 'P1' });
      expect((await escalate(api, id, { reason: 'r' }, sales.token)).status).toBe(403);
      expect((await escalate(api, id, { reason: 'r' }, customer.token)).status).toBe(403);
      expect((await api.http.post(`/api/v1/tickets/${id}/escalations`).send({ reason: 'r' })).status).toBe(401);
      expect((await escalate(api, '6f1c1f32-3c1f-4c52-9d55-8f5e1c2b7a10', { reason: 'r' })).status).toBe(404);
      expect((await escalate(api, 'not-a-uuid', { reason: 'r' })).status).toBe(404);
      for (const body of [{}, { reason: '' }, { reason: '   ' }, { reason: 'x'.repeat(5001) }, { reason: 'r', tier: 'gold' }, { reason: 'r', tier: null }, { reason: 'r', extra: true }]) {
        const res = await escalate(api, id, body);
        expect([JSON.stringify(body).slice(0, 40), res.status]).toEqual([JSON.stringify(body).slice(0, 40), 400]);
      }
      expect((await escalate(api, id, { reason: 'x'.repeat(5000) }, adminAgent.token)).status).toBe(202);
    });
  });

  describe('lists', () => {
    it('filters by tier and status and pages with a cursor', async () => {
      const all = await api.http.get('/api/v1/escalations?limit=200').set(bearer(helpdesk.token));
      expect(all.status).toBe(200);
      // Vendor details are internal: sales reads customers and their tickets, not escalations (test/people/ticket-reach).
      expect((await api.http.get('/api/v1/escalations').set(bearer(sales.token))).status).toBe(403);
      const total = all.body.items.length;
      expect(total).toBeGreaterThan(5);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: Array<{ id: string }>; nextCursor: string | null } } = await api.http
          .get(`/api/v1/escalations?limit=4${cursor ? `&cursor=${cursor}` : ''}`)
          .set(bearer(api.adminToken));
        seen.push(...page.body.items.map((i) => i.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(all.body.items.map((i: { id: string }) => i.id));
      const premier = await api.http.get('/api/v1/escalations?tier=premier&status=queued').set(bearer(api.adminToken));
      expect(premier.body.items.length).toBeGreaterThan(0);
      expect(premier.body.items.every((i: { tier: string; status: string }) => i.tier === 'premier' && i.status === 'queued')).toBe(true);
      expect((await api.http.get('/api/v1/escalations?tier=gold').set(bearer(api.adminToken))).status).toBe(400);
      expect((await api.http.get('/api/v1/escalations?cursor=bogus').set(bearer(api.adminToken))).status).toBe(400);
      expect((await api.http.get('/api/v1/escalations').set(bearer(customer.token))).status).toBe(403);
      const one = await api.http.get(`/api/v1/escalations/${seen[0]}`).set(bearer(api.adminToken));
      expect(one.status).toBe(200);
      expect(one.body.attempts).toEqual([]);
      expect((await api.http.get('/api/v1/escalations/6f1c1f32-3c1f-4c52-9d55-8f5e1c2b7a10').set(bearer(api.adminToken))).status).toBe(404);
    });
  });

  describe('auto-escalation on a resolution breach', () => {
    const breach = async (ticketId: string, priority: 'P1' | 'P2' | 'P3' | 'P4', inScope: boolean | null) =>
      db().transaction((manager) =>
        api.app.get(SlaBreachHooks).resolutionBreached(manager, { ticketId, priority, category: 'technical', inScope, at: new Date() }),
      );
    const escalationsOf = (ticketId: string) => db().query(`SELECT tier, trigger, actor_kind, status FROM escalations WHERE ticket_id = $1`, [ticketId]);

    it('escalates a matching ticket once, as the system, and leaves the others alone', async () => {
      await putEntitlements(api, 'gold', contract(10), NO_CONTRACT);
      const p1 = await workedTicket(api, customer.id, { category: 'technical', priority: 'P1' });
      // Policy off: nothing happens.
      await breach(p1, 'P1', false);
      expect(await escalationsOf(p1)).toEqual([]);

      const policy = await api.http
        .put('/api/v1/escalation-policy')
        .set(bearer(adminAgent.token))
        .send({ autoEscalateOnResolutionBreach: true, priorities: ['P1', 'P2'], onlyOutOfScope: true });
      expect(policy.status).toBe(200);
      expect(policy.body).toMatchObject({ autoEscalateOnResolutionBreach: true, priorities: ['P1', 'P2'], onlyOutOfScope: true });
      expect((await api.http.put('/api/v1/escalation-policy').set(bearer(adminAgent.token)).send({ autoEscalateOnResolutionBreach: true, priorities: ['P5'], onlyOutOfScope: true })).status).toBe(400);
      expect((await api.http.put('/api/v1/escalation-policy').set(bearer(helpdesk.token)).send(policy.body)).status).toBe(403);

      await breach(p1, 'P1', true); // in scope: the partner should solve it
      await breach(p1, 'P1', null);
      expect(await escalationsOf(p1)).toEqual([]);
      const p3 = await workedTicket(api, customer.id, { category: 'technical', priority: 'P3' });
      await breach(p3, 'P3', false); // priority not in the policy
      expect(await escalationsOf(p3)).toEqual([]);

      await breach(p1, 'P1', false);
      expect(await escalationsOf(p1)).toEqual([{ tier: 'premier', trigger: 'sla_breach', actor_kind: 'system', status: 'queued' }]);
      const events = await api.http.get(`/api/v1/tickets/${p1}/events`).set(bearer(api.adminToken));
      expect(events.body.filter((e: { type: string; actor: { kind: string } }) => e.type === 'escalated' && e.actor.kind === 'system')).toHaveLength(1);

      // Never twice: not while it is open, and not after the case is closed either.
      await breach(p1, 'P1', false);
      await db().query(`UPDATE escalations SET status = 'rejected' WHERE ticket_id = $1`, [p1]);
      await db().query(`UPDATE tickets SET status = 'in_progress' WHERE id = $1`, [p1]);
      await breach(p1, 'P1', false);
      expect(await escalationsOf(p1)).toHaveLength(1);
    });

    it('does not escalate a ticket that already has an open escalation, and notes an unroutable one without failing the breach', async () => {
      await putEntitlements(api, 'none', NO_CONTRACT, NO_CONTRACT);
      const manual = await workedTicket(api, customer.id, { category: 'billing', priority: 'P2' });
      expect((await escalate(api, manual)).status).toBe(202);
      await breach(manual, 'P2', false);
      expect(await escalationsOf(manual)).toEqual([{ tier: 'commercial', trigger: 'manual', actor_kind: 'staff', status: 'queued' }]);

      const unroutable = await workedTicket(api, customer.id, { category: 'technical', priority: 'P2' });
      await breach(unroutable, 'P2', false);
      expect(await escalationsOf(unroutable)).toEqual([]);
      const events = await api.http.get(`/api/v1/tickets/${unroutable}/events`).set(bearer(api.adminToken));
      const skipped = events.body.filter((e: { type: string }) => e.type === 'auto_escalation_skipped');
      expect(skipped).toHaveLength(1);
      expect(skipped[0].data.detail).toMatch(/No vendor tier can take this technical case/);
    });
  });
});
