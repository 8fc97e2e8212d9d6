import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { bearer, createCustomer, createPlan, startTestApi, TestApi, ticketBody } from '../support';

const BUDGETS = { RATE_LIMIT_CUSTOMER: '10', RATE_LIMIT_STAFF: '1000', RATE_LIMIT_ANONYMOUS: '10', RATE_LIMIT_WINDOW_MS: '60000' };
const HIGH = '1000000000';

/**
 * Rate limits per token (customers and staff with budgets of their own) and per client address
 * without a valid token, counted in Redis for every API process: a flooding customer gets 429s while
 * others keep filing tickets.
 */
describe('rate limits', () => {
  let api: TestApi;
  let second: TestApi;
  let planId: string;

  beforeAll(async () => {
    api = await startTestApi({ env: BUDGETS });
    // A second API process on the same database and Redis (same key prefix): the budget is shared.
    second = await startTestApi({ database: api.database, env: { ...BUDGETS, QUEUE_PREFIX: api.queuePrefix, BOOTSTRAP_ADMIN_TOKEN: api.adminToken } });
    planId = (await createPlan(api)).id;
  });
  afterAll(async () => {
    await second?.close({ keepDatabase: true });
    await api?.close();
    Object.assign(process.env, { RATE_LIMIT_CUSTOMER: HIGH, RATE_LIMIT_STAFF: HIGH, RATE_LIMIT_ANONYMOUS: HIGH });
    delete process.env.RATE_LIMIT_WINDOW_MS;
  });

  const file = (on: TestApi, token: string, subject: string) => on.http.post('/api/v1/tickets').set(bearer(token)).send(ticketBody(undefined, { subject }));

  it('answers a flooding customer 429 with Retry-After while another customer and the staff carry on', async () => {
    const flooder = await createCustomer(api, planId);
    const other = await createCustomer(api, planId);
    const flood = await Promise.all(Array.from({ length: 30 }, (_, i) => file(api, flooder.token, `flood ${i}`)));
    const statuses = flood.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20);
    const refused = flood.find((r) => r.status === 429)!;
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({ type: 'urn:helpdesk:problem:too-many-requests', status: 429 });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);

    // Still refused, still nothing written; the other customer's intake and the staff are not affected.
    expect((await file(api, flooder.token, 'one more')).status).toBe(429);
    const filed = await file(api, other.token, 'a ticket of its own');
    expect(filed.status).toBe(201);
    expect((await api.http.get('/api/v1/tickets').set(bearer(api.adminToken))).status).toBe(200);
    const [{ n }] = await api.dataSource.query(`SELECT count(*)::int AS n FROM tickets WHERE customer_id = $1`, [flooder.id]);
    expect(n).toBe(10);
  });

  it('counts a token in Redis for every API process', async () => {
    const customer = await createCustomer(api, planId);
    const answers = [];
    for (let i = 0; i < 6; i++) {
      answers.push((await file(api, customer.token, `first ${i}`)).status);
      answers.push((await file(second, customer.token, `second ${i}`)).status);
    }
    expect(answers.filter((s) => s === 201)).toHaveLength(10);
    expect(answers.slice(10)).toEqual([429, 429]);
  });

  it('limits requests without a valid token per client address (bad tokens, signed callbacks), before a token is even looked up', async () => {
    const customer = await createCustomer(api, planId);
    const bogus = () => bearer(`hdc_${randomBytes(32).toString('base64url')}`);
    const answers = [];
    for (let i = 0; i < 8; i++) answers.push((await api.http.get('/api/v1/tickets').set(bogus())).status);
    answers.push((await api.http.post('/api/v1/escalations/callbacks/commercial').send({ escalationId: 'x' })).status);
    answers.push((await request(api.url).get('/api/v1/tickets')).status);
    for (let i = 0; i < 4; i++) answers.push((await api.http.get('/api/v1/tickets').set(bogus())).status);
    expect(answers.slice(0, 8)).toEqual(Array(8).fill(401));
    expect(answers[8]).not.toBe(429);
    expect(answers[9]).toBe(401);
    expect(answers.slice(10)).toEqual([429, 429, 429, 429]);
    // The address is refused whatever it presents until its window ends; a token of its own does
    // not unlock it (its token is not looked up).
    const valid = await file(api, customer.token, 'from a blocked address');
    expect(valid.status).toBe(429);
  });
});
