/**
 * The published support offering (issue #15): a plan declares its scope (es/en), its contact points
 * with their hours, its price in minor units and its targets; a customer reads its own plan, in its
 * language, and no other; every change is audited.
 */
import { bearer, createCustomer, createPlan, planBody, startTestApi, TestApi, ticketBody } from '../support';

const SCOPE = {
  es: { included: 'Incidencias de Azure y Microsoft 365; dudas de facturación', excluded: 'Desarrollo a medida; visitas presenciales' },
  en: { included: 'Azure and Microsoft 365 incidents; billing questions', excluded: 'Custom development; on-site visits' },
};
const weekdays = (start: string, end: string) => [1, 2, 3, 4, 5].map((day) => ({ day, start, end }));
const CONTACT_POINTS = [
  { channel: 'email', address: 'soporte@partner.example', timezone: 'Europe/Madrid', hours: [] },
  { channel: 'phone', address: '+34911234567', timezone: 'Europe/Madrid', hours: weekdays('09:00', '14:00') },
  { channel: 'portal', address: 'https://support.partner.example/portal/', timezone: 'UTC', hours: [] },
];

describe('the published support offering', () => {
  let api: TestApi;
  const count = async () => (await api.dataSource.query(`SELECT count(*)::int AS n FROM support_plans`))[0].n as number;

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api.close();
  });

  it('keeps scope, contact points and price in minor units; audits the change with before and after', async () => {
    const created = await api.http.post('/api/v1/support-plans').set(bearer(api.adminToken)).send(planBody({ scope: SCOPE, contactPoints: CONTACT_POINTS, price: { amountMinor: 4990, currency: 'EUR', period: 'month' } }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ scope: SCOPE, contactPoints: CONTACT_POINTS, price: { amountMinor: 4990, currency: 'EUR', period: 'month' } });

    const patched = await api.http
      .patch(`/api/v1/support-plans/${created.body.id}`)
      .set(bearer(api.adminToken))
      .send({ contactPoints: [{ ...CONTACT_POINTS[1], hours: [{ day: 2, start: '15:00', end: '18:00' }, { day: 1, start: '09:00', end: '14:00' }] }] });
    expect(patched.status).toBe(200);
    // Hours are kept in day order.
    expect(patched.body.contactPoints).toEqual([{ ...CONTACT_POINTS[1], hours: [{ day: 1, start: '09:00', end: '14:00' }, { day: 2, start: '15:00', end: '18:00' }] }]);

    const audit = await api.http.get('/api/v1/audit').query({ entity: 'support_plan', entityId: created.body.id }).set(bearer(api.adminToken));
    expect(audit.status).toBe(200);
    const actions = (audit.body.items as Array<{ action: string; before: { contactPoints: unknown[] } | null; after: { contactPoints: unknown[]; scope: unknown } }>).sort((a) => (a.action === 'created' ? -1 : 1));
    expect(actions.map((e) => e.action)).toEqual(['created', 'updated']);
    expect(actions[0].after.scope).toEqual(SCOPE);
    expect(actions[1].before!.contactPoints).toHaveLength(3);
    expect(actions[1].after.contactPoints).toHaveLength(1);
  });

  it.each([
    ['scope without English', { scope: { es: SCOPE.es } }, 'scope.en'],
    ['empty included text', { scope: { ...SCOPE, en: { included: '  ', excluded: 'x' } } }, 'scope.en.included'],
    ['contact point channel', { contactPoints: [{ ...CONTACT_POINTS[0], channel: 'fax' }] }, 'contactPoints.0.channel'],
    ['e-mail address', { contactPoints: [{ ...CONTACT_POINTS[0], address: 'not-an-address' }] }, 'contactPoints.0.address'],
    ['phone number', { contactPoints: [{ ...CONTACT_POINTS[1], address: '91 123 45 67' }] }, 'contactPoints.0.address'],
    ['portal URL', { contactPoints: [{ ...CONTACT_POINTS[2], address: 'http://support.partner.example' }] }, 'contactPoints.0.address'],
    ['contact point time zone', { contactPoints: [{ ...CONTACT_POINTS[0], timezone: 'Madrid' }] }, 'contactPoints.0.timezone'],
    ['contact point hours', { contactPoints: [{ ...CONTACT_POINTS[1], hours: [{ day: 1, start: '14:00', end: '09:00' }] }] }, 'contactPoints.0.hours.0.end'],
    ['overlapping hours', { contactPoints: [{ ...CONTACT_POINTS[1], hours: [{ day: 1, start: '09:00', end: '14:00' }, { day: 1, start: '13:00', end: '15:00' }] }] }, 'contactPoints.0.hours.1'],
    ['channel the plan does not offer', { contactMethods: ['email', 'portal'], contactPoints: CONTACT_POINTS }, 'contactPoints.1.channel'],
  ])('refuses a bad %s naming %s, writing nothing', async (_case, override, field) => {
    const before = await count();
    const res = await api.http.post('/api/v1/support-plans').set(bearer(api.adminToken)).send(planBody(override));
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await count()).toBe(before);
  });

  it('a customer reads its own offering in Spanish or English, and no other plan', async () => {
    const plan = await createPlan(api, { name: 'Oro', scope: SCOPE, contactPoints: CONTACT_POINTS });
    const other = await createPlan(api, { name: 'Plata' });
    const customer = await createCustomer(api, plan.id);

    const es = await api.http.get('/api/v1/me/support-offering').set(bearer(customer.token)).set('Accept-Language', 'es-ES,es;q=0.9,en;q=0.5');
    expect(es.status).toBe(200);
    expect(es.body).toMatchObject({ planId: plan.id, name: 'Oro', locale: 'es', scope: SCOPE.es, contactPoints: CONTACT_POINTS, price: { amountMinor: 4990, currency: 'EUR', period: 'month' } });
    expect(es.body.targets.P1).toEqual({ firstResponseMinutes: 30, resolutionMinutes: 240 });

    const en = await api.http.get('/api/v1/me/support-offering').set(bearer(customer.token)).set('Accept-Language', 'es-ES').query({ locale: 'en' });
    expect(en.body).toMatchObject({ locale: 'en', scope: SCOPE.en });
    expect((await api.http.get('/api/v1/me/support-offering').set(bearer(customer.token)).query({ locale: 'fr' })).body.errors[0].field).toBe('locale');

    // The plan by id: its own, fully; another is a 404, as if it did not exist; the list is staff's.
    const own = await api.http.get(`/api/v1/support-plans/${plan.id}`).set(bearer(customer.token));
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ id: plan.id, scope: SCOPE });
    const foreign = await api.http.get(`/api/v1/support-plans/${other.id}`).set(bearer(customer.token));
    expect(foreign.status).toBe(404);
    expect(foreign.body.detail).not.toContain('Plata');
    expect((await api.http.get('/api/v1/support-plans').set(bearer(customer.token))).status).toBe(403);
    expect((await api.http.get('/api/v1/me/support-offering').set(bearer(api.adminToken))).status).toBe(403);
  });

  it('flags a ticket that came by a channel the plan does not include, on the ticket and its timeline, to staff only', async () => {
    const plan = await createPlan(api, { contactMethods: ['email'] });
    const customer = await createCustomer(api, plan.id);
    const byPhone = await api.http.post('/api/v1/tickets').set(bearer(api.adminToken)).send(ticketBody(customer.id, { channel: 'phone' }));
    expect(byPhone.status).toBe(201);
    expect(byPhone.body.channelNotInPlan).toBe(true);
    const events = await api.http.get(`/api/v1/tickets/${byPhone.body.id}/events`).set(bearer(api.adminToken));
    expect(events.body.items ?? events.body).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'channel_not_in_plan', data: { channel: 'phone' } })]));
    const types = ((events.body.items ?? events.body) as Array<{ type: string }>).map((e) => e.type);
    expect(types.indexOf('created')).toBeLessThan(types.indexOf('channel_not_in_plan'));

    // The portal is not in this plan either; the customer's view and public timeline do not show the flag.
    const byPortal = await api.http.post('/api/v1/tickets').set(bearer(customer.token)).send(ticketBody(undefined));
    expect(byPortal.status).toBe(201);
    expect(byPortal.body.channelNotInPlan).toBeUndefined();
    expect((await api.http.get(`/api/v1/tickets/${byPortal.body.id}`).set(bearer(api.adminToken))).body.channelNotInPlan).toBe(true);
    const publicEvents = await api.http.get(`/api/v1/tickets/${byPortal.body.id}/events`).set(bearer(customer.token));
    expect(JSON.stringify(publicEvents.body)).not.toContain('channel_not_in_plan');

    // A channel the plan has, and the partner's own API, are not flagged.
    const byMail = await api.http.post('/api/v1/tickets').set(bearer(api.adminToken)).send(ticketBody(customer.id, { channel: 'email' }));
    expect(byMail.body.channelNotInPlan).toBe(false);
    const byApi = await api.http.post('/api/v1/tickets').set(bearer(api.adminToken)).send(ticketBody(customer.id, { channel: 'api' }));
    expect(byApi.body.channelNotInPlan).toBe(false);
    const flagged = await api.dataSource.query(`SELECT count(*)::int AS n FROM ticket_events WHERE ticket_id = ANY($1) AND type = 'channel_not_in_plan'`, [[byMail.body.id, byApi.body.id]]);
    expect(flagged[0].n).toBe(0);
  });
});
