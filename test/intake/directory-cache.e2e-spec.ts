/**
 * The customers' and support plans' lists kept in each api process (DirectoryCache): a change through the
 * API in one process shows in the very next list of another (the same database and Redis prefix: one
 * deployment), for every staff role alike; a refused or failed change drops nothing it should not.
 */
import { DirectoryCache } from '@helpdesk/intake';
import { bearer, createAgent, createCustomer, createPlan, eventually, startTestApi, TestApi } from '../support';

describe('the customers and plans every staff page reads, kept per api process until one changes anywhere', () => {
  let first: TestApi;
  let second: TestApi;
  let plan: { id: string };
  let customer: { id: string; domain: string };
  let salesToken: string;

  const list = async (api: TestApi, path: '/api/v1/customers' | '/api/v1/support-plans', token = api.adminToken) => {
    const res = await api.http.get(path).set(bearer(token));
    expect(res.status).toBe(200);
    return res.body as Array<{ id: string; name: string; supportPlanId?: string }>;
  };
  const nameIn = async (api: TestApi, path: '/api/v1/customers' | '/api/v1/support-plans', id: string, token?: string) => (await list(api, path, token)).find((row) => row.id === id)?.name;

  beforeAll(async () => {
    first = await startTestApi();
    second = await startTestApi({ database: first.database, env: { QUEUE_PREFIX: first.queuePrefix, BOOTSTRAP_ADMIN_TOKEN: first.adminToken } });
    plan = await createPlan(first, { name: 'Standard' });
    customer = await createCustomer(first, plan.id, 'Northwind');
    salesToken = (await createAgent(first, ['sales_agent'])).token;
  });
  afterAll(async () => {
    await second?.close({ keepDatabase: true });
    await first?.close();
  });

  it('keeps a list in the process: a row written past the services is not read again until a change', async () => {
    // Each process subscribes on its first list; until then it keeps nothing.
    for (const api of [first, second]) await eventually(async () => (await list(api, '/api/v1/customers'), api.app.get(DirectoryCache).live), (live) => live, 10_000, 'subscribed to the changes');
    expect(await nameIn(second, '/api/v1/customers', customer.id)).toBe('Northwind');
    await first.dataSource.query(`UPDATE customers SET name = 'Written past the service' WHERE id = $1`, [customer.id]);
    expect(await nameIn(second, '/api/v1/customers', customer.id)).toBe('Northwind');
    // A change through the API drops the list: the next one reads the table as it is.
    expect((await first.http.patch(`/api/v1/customers/${customer.id}`).set(bearer(first.adminToken)).send({ name: 'Northwind Traders' })).status).toBe(200);
    expect(await nameIn(second, '/api/v1/customers', customer.id)).toBe('Northwind Traders');
  });

  it('shows a change made in one api process in the next list of the other, both ways, for any staff role', async () => {
    for (const api of [first, second]) expect(await nameIn(api, '/api/v1/support-plans', plan.id, salesToken)).toBe('Standard');
    expect((await second.http.patch(`/api/v1/support-plans/${plan.id}`).set(bearer(second.adminToken)).send({ name: 'Standard Plus' })).status).toBe(200);
    for (const api of [first, second]) expect(await nameIn(api, '/api/v1/support-plans', plan.id, salesToken)).toBe('Standard Plus');

    const before = (await list(second, '/api/v1/customers', salesToken)).length;
    const added = await createCustomer(first, plan.id, 'Tailspin');
    expect((await list(second, '/api/v1/customers', salesToken)).map((c) => c.id)).toContain(added.id);
    expect((await list(second, '/api/v1/customers')).length).toBe(before + 1);
    const other = await createPlan(second, { name: 'Premier' });
    expect((await first.http.patch(`/api/v1/customers/${added.id}`).set(bearer(first.adminToken)).send({ supportPlanId: other.id })).status).toBe(200);
    expect((await list(second, '/api/v1/customers')).find((c) => c.id === added.id)?.supportPlanId).toBe(other.id);
    expect((await list(first, '/api/v1/support-plans')).map((p) => p.name)).toContain('Premier');
  });

  it('changes nothing on a refused or failed change, and keeps a customer token away from the lists', async () => {
    const names = await list(second, '/api/v1/customers');
    // Another customer's domain: 409, nothing written.
    const taken = await first.http.patch(`/api/v1/customers/${customer.id}`).set(bearer(first.adminToken)).send({ name: 'Never', domains: [customer.domain, 'tailspin.example'] });
    expect(taken.status).toBe(409);
    // A helpdesk_agent may not change a plan.
    const agent = await createAgent(first, ['helpdesk_agent']);
    expect((await second.http.patch(`/api/v1/support-plans/${plan.id}`).set(bearer(agent.token)).send({ name: 'Hijacked' })).status).toBe(403);
    expect(await list(second, '/api/v1/customers')).toEqual(names);
    expect(await nameIn(first, '/api/v1/support-plans', plan.id)).toBe('Standard Plus');
    const customerToken = (await createCustomer(first, plan.id, 'Litware')).token;
    for (const api of [first, second]) expect((await api.http.get('/api/v1/customers').set(bearer(customerToken))).status).toBe(403);
  });
});
