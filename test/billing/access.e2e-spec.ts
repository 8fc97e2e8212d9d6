import { randomUUID } from 'node:crypto';
import { bearer, createAgent } from '../support';
import { addSubscription, billedCustomer, BillingStack, caller, Call, expectStatus, POLICY, putWarnedInvoice, settled, startBilling } from './support';

interface Operation {
  method: 'get' | 'put' | 'post' | 'patch' | 'delete';
  path: string;
  roles: string[];
}

// openapi-roles.ts documents customer tokens as `customer`; the services keep them to their own records.
const CUSTOMER = 'customer';

describe('billing access: roles on every route (and in the OpenAPI document), customers see only their own records', () => {
  let stack: BillingStack;
  let call: Call;
  let operations: Operation[];
  let mine: { id: string; token: string };
  let theirs: { id: string; token: string };
  const own: Record<string, string> = {};
  const other: Record<string, string> = {};

  beforeAll(async () => {
    stack = await startBilling();
    call = caller(stack);
    stack.setClock('2026-12-10T12:00:00Z');
    await expectStatus(call('put', '/collections-policy', POLICY), 200);
    const doc = (await stack.api.http.get('/api/docs-json')).body as { paths: Record<string, Record<string, { tags?: string[]; 'x-roles'?: string[]; description?: string }>> };
    operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([, op]) => op.tags?.includes('billing'))
        .map(([method, op]) => ({ method: method as Operation['method'], path, roles: op['x-roles'] ?? [] })),
    );
    mine = await billedCustomer(stack, { locale: 'en' });
    theirs = await billedCustomer(stack);
    for (const [customer, ids] of [
      [mine, own],
      [theirs, other],
    ] as const) {
      ids.customer = customer.id;
      ids.subscription = (await addSubscription(stack, customer.id, 'azure')).id;
      ids.invoice = (await putWarnedInvoice(stack, customer.id, '2026-11-01', '50.00')).number;
    }
    await settled(stack);
    for (const ids of [own, other]) {
      const [suspension] = await expectStatus(call('get', `/customers/${ids.customer}/suspensions`), 200);
      ids.suspension = suspension.id;
    }
  });
  afterAll(async () => {
    await stack?.close();
  });

  const pathFor = (op: Operation, ids: Record<string, string>) =>
    op.path
      .replace('/api/v1', '')
      .replace('{number}', ids.invoice)
      .replace(/^\/customers\/\{id\}/, `/customers/${ids.customer}`)
      .replace(/^\/subscriptions\/\{id\}/, `/subscriptions/${ids.subscription}`)
      .replace(/^\/suspensions\/\{id\}/, `/suspensions/${ids.suspension}`)
      .replace('{id}', randomUUID());

  it('documents the roles of every billing route', () => {
    expect(operations.length).toBeGreaterThanOrEqual(28);
    for (const op of operations) {
      expect([op.method, op.path, op.roles.slice(0, 2)]).toEqual([op.method, op.path, ['global_admin', 'billing_admin']]);
    }
    const customerRoutes = operations.filter((op) => op.roles.includes(CUSTOMER)).map((op) => `${op.method.toUpperCase()} ${op.path.replace('/api/v1', '')}`);
    expect(customerRoutes.sort()).toEqual(
      [
        'GET /collections-policy',
        'GET /customers/{id}/billing',
        'GET /customers/{id}/billing/notices',
        'GET /customers/{id}/subscriptions',
        'GET /customers/{id}/suspensions',
        'GET /invoices',
        'GET /invoices/{number}',
        'GET /subscriptions/{id}',
        'GET /suspensions/{id}',
      ].sort(),
    );
  });

  it('answers a customer token with its own records, 404 for another customer’s, and 403 on every other billing route', async () => {
    for (const op of operations) {
      const asCustomer = (ids: Record<string, string>) => call(op.method, pathFor(op, ids), op.method === 'get' ? undefined : {}, mine.token);
      if (!op.roles.includes(CUSTOMER)) {
        const refused = await asCustomer(own);
        expect([op.method, op.path, refused.status]).toEqual([op.method, op.path, 403]);
        continue;
      }
      const ok = await asCustomer(own);
      expect([op.method, op.path, ok.status]).toEqual([op.method, op.path, 200]);
      if (op.path.includes('{')) {
        const hidden = await asCustomer(other);
        expect([op.method, op.path, hidden.status, hidden.headers['content-type']]).toEqual([op.method, op.path, 404, expect.stringMatching(/problem\+json/)]);
        // Nothing says whose it is, unless the caller named the customer itself.
        if (!pathFor(op, other).includes(other.customer)) expect(JSON.stringify(hidden.body)).not.toContain(other.customer);
      }
    }
    const list = await expectStatus(call('get', '/invoices', undefined, mine.token), 200);
    expect(list.items.map((i: { customerId: string }) => i.customerId)).toEqual([mine.id]);
    expect((await call('get', `/invoices?customerId=${theirs.id}`, undefined, mine.token)).status).toBe(404);
    const policy = await expectStatus(call('get', '/collections-policy', undefined, mine.token), 200);
    expect(policy).toMatchObject({ version: 1, locale: 'en', title: 'Collections policy (version 1)' });
    expect((await expectStatus(call('get', '/collections-policy', undefined, theirs.token), 200)).locale).toBe('es');
    expect((await expectStatus(call('get', '/collections-policy?locale=es', undefined, mine.token), 200)).paragraphs[1]).toMatch(/recordatorio/);
  });

  it('lets sales_agent read and refuses it every write; refuses other staff roles everything', async () => {
    const [helpdesk, adminAgent] = await Promise.all([createAgent(stack.api, ['helpdesk_agent']), createAgent(stack.api, ['admin_agent'])]);
    for (const op of operations) {
      const path = pathFor(op, own);
      const body = op.method === 'get' ? undefined : {};
      for (const agent of [helpdesk, adminAgent]) {
        expect([op.method, op.path, (await call(op.method, path, body, agent.token)).status]).toEqual([op.method, op.path, 403]);
      }
      const sales = await call(op.method, path, body, stack.sales.token);
      if (op.roles.includes('sales_agent')) expect([op.method, op.path, sales.status === 403]).toEqual([op.method, op.path, false]);
      else expect([op.method, op.path, sales.status]).toEqual([op.method, op.path, 403]);
      const anonymous = await stack.api.http[op.method](path.startsWith('/') ? `/api/v1${path}` : path);
      expect([op.method, op.path, anonymous.status]).toEqual([op.method, op.path, 401]);
    }
    expect((await stack.api.http.get(`/api/v1/customers/${own.customer}/billing`).set(bearer(stack.sales.token))).status).toBe(200);
  });
});
