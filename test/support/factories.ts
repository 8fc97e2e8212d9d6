import { randomBytes } from 'node:crypto';
import { bearer, TestApi } from './test-api';

const suffix = () => randomBytes(4).toString('hex');

export const planBody = (overrides: Record<string, unknown> = {}) => ({
  name: 'Business hours Spain',
  timezone: 'Europe/Madrid',
  businessHours: [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '18:00' })),
  holidays: ['2026-12-25', '2027-01-01'],
  contactMethods: ['email', 'portal', 'phone'],
  price: { amountMinor: 4990, currency: 'EUR', period: 'month' },
  targets: {
    P1: { firstResponseMinutes: 30, resolutionMinutes: 240 },
    P2: { firstResponseMinutes: 60, resolutionMinutes: 480 },
    P3: { firstResponseMinutes: 240, resolutionMinutes: 1440 },
    P4: { firstResponseMinutes: 480, resolutionMinutes: 2880 },
  },
  ...overrides,
});

export async function createPlan(api: TestApi, overrides: Record<string, unknown> = {}): Promise<{ id: string }> {
  const res = await api.http.post('/api/v1/support-plans').set(bearer(api.adminToken)).send(planBody(overrides));
  if (res.status !== 201) throw new Error(`plan: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function createCustomer(api: TestApi, supportPlanId: string, name = `Contoso ${suffix()}`): Promise<{ id: string; domain: string; token: string }> {
  const domain = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.example`;
  const res = await api.http.post('/api/v1/customers').set(bearer(api.adminToken)).send({ name, domain, supportPlanId });
  if (res.status !== 201) throw new Error(`customer: ${res.status} ${JSON.stringify(res.body)}`);
  const token = await api.http.post(`/api/v1/customers/${res.body.id}/tokens`).set(bearer(api.adminToken));
  return { ...res.body, token: token.body.token };
}

export async function createAgent(api: TestApi, roles: string[], extra: Record<string, unknown> = {}): Promise<{ id: string; token: string }> {
  const res = await api.http
    .post('/api/v1/agents')
    .set(bearer(api.adminToken))
    .send({ name: `Agent ${suffix()}`, email: `agent-${suffix()}@partner.example`, roles, ...extra });
  if (res.status !== 201) throw new Error(`agent: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export const ticketBody = (customerId: string | undefined, overrides: Record<string, unknown> = {}) => ({
  ...(customerId ? { customerId } : {}),
  subject: 'Cannot sign in to Outlook',
  description: 'Since this morning nobody in accounting can open Outlook on the web.',
  requester: { name: 'Marta López', email: 'marta@contoso.example' },
  ...overrides,
});
