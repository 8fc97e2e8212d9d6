/**
 * Customers (issue #12): PATCH /customers/:id (name, domains, plan — a plan change moves the open
 * tickets' SLA clocks onto the new plan from the change on), contacts, and the customer's tokens.
 */
import { ContactsService, CustomersService } from '@helpdesk/intake';
import { bearer, createAgent, createCustomer, createPlan, startTestApi, TestApi, ticketBody } from '../support';

const MINUTE = 60_000;
/** Around the clock, so business minutes are wall-clock minutes. */
const allDay = (targets: Record<string, { firstResponseMinutes: number; resolutionMinutes: number }>) => ({ businessHours: [], holidays: [], targets });

describe('customers: details, plan, contacts, tokens', () => {
  let api: TestApi;
  let planA: { id: string };
  let planB: { id: string };
  let sales: { id: string; token: string };
  let helpdesk: { id: string; token: string };

  const asAdmin = () => bearer(api.adminToken);
  const patchCustomer = (id: string, body: Record<string, unknown>, token = api.adminToken) => api.http.patch(`/api/v1/customers/${id}`).set(bearer(token)).send(body);
  const ticket = async (id: string) => (await api.dataSource.query(`SELECT * FROM tickets WHERE id = $1`, [id]))[0];
  const near = (actual: Date | string, expected: number, slackMs = 15_000) => {
    expect(Math.abs(new Date(actual).getTime() - expected)).toBeLessThan(slackMs);
  };

  beforeAll(async () => {
    api = await startTestApi();
    planA = await createPlan(api, { name: 'Standard', ...allDay({
      P1: { firstResponseMinutes: 30, resolutionMinutes: 240 },
      P2: { firstResponseMinutes: 60, resolutionMinutes: 480 },
      P3: { firstResponseMinutes: 240, resolutionMinutes: 1440 },
      P4: { firstResponseMinutes: 480, resolutionMinutes: 2880 },
    }) });
    planB = await createPlan(api, { name: 'Premium', ...allDay({
      P1: { firstResponseMinutes: 15, resolutionMinutes: 120 },
      P2: { firstResponseMinutes: 30, resolutionMinutes: 300 },
      P3: { firstResponseMinutes: 60, resolutionMinutes: 600 },
      P4: { firstResponseMinutes: 120, resolutionMinutes: 1200 },
    }) });
    [sales, helpdesk] = await Promise.all([createAgent(api, ['sales_agent']), createAgent(api, ['helpdesk_agent'])]);
  });
  afterAll(async () => {
    await api.close();
  });

  describe('PATCH /customers/:id', () => {
    it('renames and replaces the domains (the first is the primary), audited with before and after', async () => {
      const customer = await createCustomer(api, planA.id, 'Fabrikam Patch');
      const res = await patchCustomer(customer.id, { name: '  Fabrikam Ltd ', domains: ['Fabrikam.com', 'fabrikam.es', 'fabrikam.com'] }, sales.token);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: customer.id, name: 'Fabrikam Ltd', domain: 'fabrikam.com', domains: ['fabrikam.com', 'fabrikam.es'], supportPlanId: planA.id });
      expect((await api.http.get(`/api/v1/customers/${customer.id}`).set(bearer(helpdesk.token))).body.domains).toEqual(['fabrikam.com', 'fabrikam.es']);
      expect((await api.app.get(CustomersService).findByDomain('FABRIKAM.ES'))?.id).toBe(customer.id);
      expect(await api.app.get(CustomersService).findByDomain('nobody.example')).toBeNull();
      const [audit] = await api.dataSource.query(`SELECT actor_id, before, after FROM audit_log WHERE entity = 'customer' AND entity_id = $1 AND action = 'updated'`, [customer.id]);
      expect(audit.actor_id).toBe(sales.id);
      expect(audit.before).toMatchObject({ name: 'Fabrikam Patch', domains: [customer.domain] });
      expect(audit.after).toMatchObject({ name: 'Fabrikam Ltd', domains: ['fabrikam.com', 'fabrikam.es'] });
      // The old domain is free again.
      const reuse = await api.http.post('/api/v1/customers').set(asAdmin()).send({ name: 'Reuse', domain: customer.domain, supportPlanId: planA.id });
      expect(reuse.status).toBe(201);
    });

    it("refuses another customer's domain with a 409 naming domains, and changes nothing", async () => {
      const a = await createCustomer(api, planA.id, 'Alpha Domains');
      const b = await createCustomer(api, planA.id, 'Beta Domains');
      await patchCustomer(b.id, { domains: [b.domain, 'beta-extra.example'] });
      for (const domains of [[b.domain], ['alpha-new.example', 'beta-extra.example']]) {
        const res = await patchCustomer(a.id, { name: 'Alpha renamed', domains });
        expect(res.status).toBe(409);
        expect(res.body.errors).toEqual([{ field: 'domains', message: expect.stringContaining('already belong(s) to another customer'), code: 'taken', params: {} }]);
      }
      const created = await api.http.post('/api/v1/customers').set(asAdmin()).send({ name: 'Gamma', domain: 'gamma.example', domains: ['beta-extra.example'], supportPlanId: planA.id });
      expect(created.status).toBe(409);
      expect(created.body.errors[0].field).toBe('domains');
      expect((await api.http.get(`/api/v1/customers/${a.id}`).set(asAdmin())).body).toMatchObject({ name: 'Alpha Domains', domains: [a.domain] });
    });

    it.each([
      [{ name: '' }, 'name'],
      [{ name: null }, 'name'],
      [{ domains: [] }, 'domains'],
      [{ domains: ['not a domain'] }, 'domains'],
      [{ domains: 'contoso.com' }, 'domains'],
      [{ supportPlanId: 'plan-b' }, 'supportPlanId'],
      [{ supportPlanId: '6f1c1f32-3c1f-4c52-9d55-8f5e1c2b7a10' }, 'supportPlanId'],
      [{ domain: 'x.example' }, 'domain'],
    ])('refuses %j with a 400 naming %s', async (body, field) => {
      const customer = await createCustomer(api, planA.id);
      const res = await patchCustomer(customer.id, body);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('is for customer managers only, and 404s an unknown customer', async () => {
      const customer = await createCustomer(api, planA.id);
      expect((await patchCustomer(customer.id, { name: 'X' }, helpdesk.token)).status).toBe(403);
      expect((await patchCustomer(customer.id, { name: 'X' }, customer.token)).status).toBe(403);
      expect((await patchCustomer('6f1c1f32-3c1f-4c52-9d55-8f5e1c2b7a10', { name: 'X' })).status).toBe(404);
    });
  });

  describe('a plan change', () => {
    it("moves the open tickets' SLA clocks onto the new plan from the change on, each with an event", async () => {
      const customer = await createCustomer(api, planA.id, 'Replan Co');
      const file = async () => (await api.http.post('/api/v1/tickets').set(asAdmin()).send(ticketBody(customer.id, { severity: 'P3' }))).body.id as string;
      const [running, paused, resolved, untriaged] = [await file(), await file(), await file(), await file()];
      // 100 minutes of the clock have run on each (created 100 minutes ago, triaged).
      await api.dataSource.query(`UPDATE tickets SET created_at = now() - interval '100 minutes' WHERE id = ANY($1::uuid[])`, [[running, paused, resolved, untriaged]]);
      for (const id of [running, paused, resolved]) {
        expect((await api.http.post(`/api/v1/tickets/${id}/retriage`).set(asAdmin())).status).toBe(200);
        expect((await api.http.patch(`/api/v1/tickets/${id}`).set(asAdmin()).send({ status: 'in_progress' })).status).toBe(200);
      }
      expect((await api.http.patch(`/api/v1/tickets/${resolved}`).set(asAdmin()).send({ status: 'resolved' })).status).toBe(200);
      // Waiting on the customer for the last 30 of those minutes.
      expect((await api.http.patch(`/api/v1/tickets/${paused}`).set(asAdmin()).send({ status: 'waiting_on_customer' })).status).toBe(200);
      await api.dataSource.query(`UPDATE tickets SET sla_paused_since = now() - interval '30 minutes' WHERE id = $1`, [paused]);
      const resolvedBefore = await ticket(resolved);
      const untriagedBefore = await ticket(untriaged);
      near((await ticket(running)).resolution_due_at, Date.now() + (1440 - 100) * MINUTE);

      const changedAt = Date.now();
      const res = await patchCustomer(customer.id, { supportPlanId: planB.id }, sales.token);
      expect(res.status).toBe(200);
      expect(res.body.supportPlanId).toBe(planB.id);

      // Running: 100 minutes used; the new plan's P3 has 600 − 100 left for the resolution and
      // nothing left for the first response (60 < 100): due at the change.
      const r = await ticket(running);
      near(r.resolution_due_at, changedAt + 500 * MINUTE);
      near(r.first_response_due_at, changedAt);
      near(r.resolution_warn_at, changedAt + (600 * 0.75 - 100) * MINUTE);
      expect(Math.round(r.sla_used_minutes)).toBe(100);
      // Paused: only the 70 minutes before the pause were used; the clock stays paused.
      const p = await ticket(paused);
      expect(Math.round(p.sla_used_minutes)).toBe(70);
      near(p.sla_clock_start_at, changedAt - 30 * MINUTE);
      expect(p.sla_paused_since).not.toBeNull();
      // Not open, or no clock yet: untouched (triage reads the new plan when it runs).
      expect(await ticket(resolved)).toEqual(resolvedBefore);
      expect(await ticket(untriaged)).toEqual(untriagedBefore);

      const events = await api.http.get(`/api/v1/tickets/${running}/events`).set(asAdmin());
      expect(events.body.at(-1)).toMatchObject({
        type: 'sla_replanned',
        actor: { kind: 'staff', id: sales.id },
        data: { fromPlanId: planA.id, toPlanId: planB.id, usedBusinessMinutes: expect.any(Number), resolutionDueAt: new Date(r.resolution_due_at).toISOString() },
      });
      const view = await api.http.get(`/api/v1/tickets/${running}`).set(asAdmin());
      expect(view.body.sla.resolutionDueAt).toBe(new Date(r.resolution_due_at).toISOString());

      // The clock goes on from the change: the customer replies 30 paused minutes later, a priority
      // change recomputes with the new plan without going back to creation.
      const resumedAt = Date.now();
      expect((await api.http.patch(`/api/v1/tickets/${paused}`).set(asAdmin()).send({ status: 'in_progress' })).status).toBe(200);
      near((await ticket(paused)).resolution_due_at, resumedAt + (600 - 70) * MINUTE);
      expect((await api.http.patch(`/api/v1/tickets/${running}`).set(asAdmin()).send({ priority: 'P2' })).status).toBe(200);
      near((await ticket(running)).resolution_due_at, changedAt + (300 - 100) * MINUTE);
      // A retriage keeps the clock's base too (and goes back to P3, the customer's severity).
      expect((await api.http.post(`/api/v1/tickets/${running}/retriage`).set(asAdmin())).status).toBe(200);
      expect((await ticket(running)).priority).toBe('P3');
      near((await ticket(running)).resolution_due_at, changedAt + (600 - 100) * MINUTE);
    });

    it('rolls the whole change back when it fails: no plan change, no clock moved, no audit entry', async () => {
      const customer = await createCustomer(api, planA.id, 'Rollback Co');
      const other = await createCustomer(api, planA.id, 'Rollback Other');
      const id = (await api.http.post('/api/v1/tickets').set(asAdmin()).send(ticketBody(customer.id))).body.id;
      await api.http.post(`/api/v1/tickets/${id}/retriage`).set(asAdmin());
      const before = await ticket(id);
      const res = await patchCustomer(customer.id, { supportPlanId: planB.id, domains: [other.domain] });
      expect(res.status).toBe(409);
      expect((await api.http.get(`/api/v1/customers/${customer.id}`).set(asAdmin())).body.supportPlanId).toBe(planA.id);
      expect(await ticket(id)).toEqual(before);
      const [{ n }] = await api.dataSource.query(`SELECT count(*)::int AS n FROM audit_log WHERE entity_id = $1 AND action = 'updated'`, [customer.id]);
      expect(n).toBe(0);
    });
  });

  describe('contacts', () => {
    it('creates (the first is primary), lists, changes the primary, updates and deletes, each audited', async () => {
      const customer = await createCustomer(api, planA.id, 'Contacts Co');
      const base = `/api/v1/customers/${customer.id}/contacts`;
      const marta = await api.http.post(base).set(bearer(sales.token)).send({ name: 'Marta López', email: 'Marta@Contoso.example', phone: '+34 600 000 000', locale: 'es' });
      expect(marta.status).toBe(201);
      expect(marta.body).toEqual({
        id: expect.any(String),
        customerId: customer.id,
        name: 'Marta López',
        email: 'marta@contoso.example',
        phone: '+34 600 000 000',
        locale: 'es',
        primary: true,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const john = await api.http.post(base).set(asAdmin()).send({ name: 'John Smith', email: 'john@contoso.example', locale: 'en', primary: true });
      expect(john.body).toMatchObject({ primary: true, phone: null });
      const list = await api.http.get(base).set(bearer(helpdesk.token));
      expect(list.body.map((c: { name: string; primary: boolean }) => [c.name, c.primary])).toEqual([
        ['John Smith', true],
        ['Marta López', false],
      ]);

      const patched = await api.http.patch(`${base}/${marta.body.id}`).set(asAdmin()).send({ locale: 'en', phone: null, primary: true });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ locale: 'en', phone: null, primary: true });
      expect((await api.http.get(`${base}/${john.body.id}`).set(asAdmin())).body.primary).toBe(false);

      expect((await api.http.delete(`${base}/${john.body.id}`).set(asAdmin())).status).toBe(204);
      expect((await api.http.get(`${base}/${john.body.id}`).set(asAdmin())).status).toBe(404);
      const audit = await api.dataSource.query(`SELECT entity_id, action FROM audit_log WHERE entity = 'customer_contact' AND entity_id = ANY($1::text[]) ORDER BY id`, [[marta.body.id, john.body.id]]);
      expect(audit).toEqual([
        { entity_id: marta.body.id, action: 'created' },
        { entity_id: john.body.id, action: 'created' },
        { entity_id: marta.body.id, action: 'updated' },
        { entity_id: john.body.id, action: 'deleted' },
      ]);
    });

    it('keeps e-mails unique per customer (409 naming email), and finds a sender among every customer', async () => {
      const a = await createCustomer(api, planA.id, 'Unique A');
      const b = await createCustomer(api, planA.id, 'Unique B');
      const add = (customerId: string, body: Record<string, unknown>) => api.http.post(`/api/v1/customers/${customerId}/contacts`).set(asAdmin()).send(body);
      const first = await add(a.id, { name: 'Pat', email: 'pat@shared.example', locale: 'en' });
      const dup = await add(a.id, { name: 'Pat again', email: 'PAT@shared.example', locale: 'es' });
      expect(dup.status).toBe(409);
      expect(dup.body.errors).toEqual([{ field: 'email', message: 'is already used by another contact of this customer', code: 'taken', params: {} }]);
      expect((await add(b.id, { name: 'Pat at B', email: 'pat@shared.example', locale: 'es' })).status).toBe(201);
      const other = await add(a.id, { name: 'Lee', email: 'lee@shared.example', locale: 'en' });
      const clash = await api.http.patch(`/api/v1/customers/${a.id}/contacts/${other.body.id}`).set(asAdmin()).send({ email: 'pat@shared.example' });
      expect(clash.status).toBe(409);
      expect(clash.body.errors[0].field).toBe('email');

      const found = await api.app.get(ContactsService).findByEmail(' Pat@Shared.example ');
      expect(found.map((c) => [c.customerId, c.locale]).sort()).toEqual([[a.id, 'en'], [b.id, 'es']].sort());
      expect(found.find((c) => c.customerId === a.id)?.id).toBe(first.body.id);
      expect(await api.app.get(ContactsService).findByEmail('nobody@shared.example')).toEqual([]);
    });

    it.each([
      [{ email: 'pat@x.example', locale: 'en' }, 'name'],
      [{ name: 'Pat', locale: 'en' }, 'email'],
      [{ name: 'Pat', email: 'not-an-email', locale: 'en' }, 'email'],
      [{ name: 'Pat', email: 'pat@x.example', locale: 'fr' }, 'locale'],
      [{ name: 'Pat', email: 'pat@x.example' }, 'locale'],
      [{ name: 'Pat', email: 'pat@x.example', locale: 'en', phone: 'call me' }, 'phone'],
      [{ name: 'Pat', email: 'pat@x.example', locale: 'en', primary: 'yes' }, 'primary'],
      [{ name: 'Pat', email: 'pat@x.example', locale: 'en', role: 'boss' }, 'role'],
    ])('refuses the contact %j with a 400 naming %s', async (body, field) => {
      const customer = await createCustomer(api, planA.id);
      const res = await api.http.post(`/api/v1/customers/${customer.id}/contacts`).set(asAdmin()).send(body);
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it("is managed by customer managers, 404s a contact of another customer, and is not for customers' tokens", async () => {
      const a = await createCustomer(api, planA.id);
      const b = await createCustomer(api, planA.id);
      const contact = await api.http.post(`/api/v1/customers/${a.id}/contacts`).set(asAdmin()).send({ name: 'Pat', email: 'pat@a.example', locale: 'en' });
      expect((await api.http.post(`/api/v1/customers/${a.id}/contacts`).set(bearer(helpdesk.token)).send({ name: 'X', email: 'x@a.example', locale: 'en' })).status).toBe(403);
      expect((await api.http.get(`/api/v1/customers/${a.id}/contacts`).set(bearer(a.token))).status).toBe(403);
      for (const method of ['get', 'patch', 'delete'] as const) {
        expect((await api.http[method](`/api/v1/customers/${b.id}/contacts/${contact.body.id}`).set(asAdmin()).send({ name: 'Y' })).status).toBe(404);
      }
      expect((await api.http.get('/api/v1/customers/6f1c1f32-3c1f-4c52-9d55-8f5e1c2b7a10/contacts').set(asAdmin())).status).toBe(404);
    });
  });

  describe("the customer's tokens", () => {
    it('are listed, issued and rotated by admins, revoked by every customer manager, at once', async () => {
      const customer = await createCustomer(api, planA.id, 'Tokens Co');
      const base = `/api/v1/customers/${customer.id}/tokens`;
      const list = await api.http.get(base).set(bearer(sales.token));
      expect(list.status).toBe(200);
      expect(list.body).toEqual([expect.objectContaining({ kind: 'customer', customerId: customer.id, agentId: null, prefix: customer.token.slice(0, 12), revokedAt: null })]);

      expect((await api.http.post(base).set(bearer(sales.token))).status).toBe(403);
      const issued = await api.http.post(base).set(asAdmin());
      expect(issued.status).toBe(201);
      expect(issued.body.token).toMatch(/^hdc_/);
      expect((await api.http.post(`${base}/${issued.body.id}/rotate`).set(bearer(sales.token))).status).toBe(403);
      const rotated = await api.http.post(`${base}/${issued.body.id}/rotate`).set(asAdmin());
      expect(rotated.status).toBe(201);
      expect((await api.http.get('/api/v1/tickets').set(bearer(issued.body.token))).status).toBe(401);

      expect((await api.http.get('/api/v1/tickets').set(bearer(customer.token))).status).toBe(200);
      const revoked = await api.http.delete(`${base}/${list.body[0].id}`).set(bearer(sales.token));
      expect(revoked.status).toBe(200);
      expect((await api.http.get('/api/v1/tickets').set(bearer(customer.token))).status).toBe(401);
      expect((await api.http.get('/api/v1/tickets').set(bearer(rotated.body.token))).status).toBe(200);

      expect((await api.http.delete(`${base}/${list.body[0].id}`).set(bearer(helpdesk.token))).status).toBe(403);
      expect((await api.http.get(base).set(bearer(rotated.body.token))).status).toBe(403);
      const elsewhere = await createCustomer(api, planA.id);
      expect((await api.http.delete(`/api/v1/customers/${elsewhere.id}/tokens/${rotated.body.id}`).set(asAdmin())).status).toBe(404);
    });
  });
});
