/**
 * The billing routes' documented bodies (#14: the console's client is generated from them) are
 * what the routes answer: each answer of the real stack is checked against its OpenAPI schema —
 * every required field there, no field the schema does not list, types and enums as documented.
 */
import { addSubscription, billedCustomer, BillingStack, caller, Call, expectStatus, POLICY, putWarnedInvoice, settled, startBilling } from './support';

type Schema = {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  nullable?: boolean;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  oneOf?: Schema[];
  allOf?: Schema[];
  additionalProperties?: boolean | Schema;
};
type Document = {
  paths: Record<string, Record<string, { tags?: string[]; responses: Record<string, { content?: Record<string, { schema: Schema }> }> }>>;
  components: { schemas: Record<string, Schema> };
};

/** Where `value` differs from `schema` (empty when it fits). */
function mismatches(doc: Document, schema: Schema, value: unknown, at: string): string[] {
  if (value === null && schema.nullable) return [];
  if (schema.$ref) return mismatches(doc, doc.components.schemas[schema.$ref.replace('#/components/schemas/', '')], value, at);
  if (schema.allOf) return schema.allOf.flatMap((part) => mismatches(doc, part, value, at));
  if (schema.oneOf) {
    const tries = schema.oneOf.map((option) => mismatches(doc, option, value, at));
    return tries.some((found) => found.length === 0) ? [] : [`${at}: fits none of its oneOf (${tries.map((t) => t[0]).join(' | ')})`];
  }
  if (value === null) return [`${at}: null, not documented as nullable`];
  if (schema.enum && !schema.enum.includes(value)) return [`${at}: ${JSON.stringify(value)} not in ${JSON.stringify(schema.enum)}`];
  const type = Array.isArray(value) ? 'array' : typeof value;
  if (schema.type === 'array' || schema.items) {
    if (!Array.isArray(value)) return [`${at}: ${type}, documented as an array`];
    return value.flatMap((item, i) => mismatches(doc, schema.items ?? {}, item, `${at}[${i}]`));
  }
  if (schema.type === 'object' || schema.properties) {
    if (type !== 'object') return [`${at}: ${type}, documented as an object`];
    const record = value as Record<string, unknown>;
    if (!schema.properties) return [];
    const missing = (schema.required ?? []).filter((key) => !(key in record)).map((key) => `${at}.${key}: required, missing`);
    const extra = Object.keys(record)
      .filter((key) => !(key in schema.properties!))
      .map((key) => `${at}.${key}: answered, not documented`);
    const inner = Object.entries(record).flatMap(([key, v]) => (schema.properties![key] && v !== undefined ? mismatches(doc, schema.properties![key], v, `${at}.${key}`) : []));
    return [...missing, ...extra, ...inner];
  }
  if (schema.type === 'integer' && !Number.isInteger(value)) return [`${at}: ${JSON.stringify(value)}, documented as an integer`];
  if (schema.type === 'number' && type !== 'number') return [`${at}: ${type}, documented as a number`];
  if ((schema.type === 'string' || schema.type === 'boolean') && type !== schema.type) return [`${at}: ${type}, documented as a ${schema.type}`];
  return [];
}

describe('billing responses: every answer fits the schema the OpenAPI document gives it', () => {
  let stack: BillingStack;
  let call: Call;
  let doc: Document;
  const ids: Record<string, string> = {};

  /** The body of `method path` checked against the documented schema of the status it answered. */
  const fits = async (method: 'get' | 'put' | 'post' | 'patch', route: string, path: string, body?: unknown) => {
    const res = await call(method, path, body);
    expect([route, res.status < 300]).toEqual([route, true]);
    const schema = doc.paths[`/api/v1${route}`]?.[method]?.responses[String(res.status)]?.content?.['application/json']?.schema;
    expect([route, res.status, schema !== undefined]).toEqual([route, res.status, true]);
    expect(mismatches(doc, schema!, res.body, `${method.toUpperCase()} ${route}`)).toEqual([]);
    return res.body;
  };

  beforeAll(async () => {
    stack = await startBilling();
    call = caller(stack);
    stack.setClock('2026-12-10T12:00:00Z');
    await expectStatus(call('put', '/collections-policy', POLICY), 200);
    doc = (await stack.api.http.get('/api/docs-json')).body as Document;
    const customer = await billedCustomer(stack, { locale: 'en' });
    ids.customer = customer.id;
    ids.subscription = (await addSubscription(stack, customer.id, 'azure')).id;
    // Overdue long enough for the policy's steps: a reminder, a notice and a suspension follow.
    ids.invoice = (await putWarnedInvoice(stack, customer.id, '2026-10-01', '50.00')).number;
    await settled(stack);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('answers the billing reads as documented, nested records included', async () => {
    await fits('get', '/customers/{id}/billing', `/customers/${ids.customer}/billing`);
    const timeline = await fits('get', '/customers/{id}/billing/timeline', `/customers/${ids.customer}/billing/timeline`);
    expect(timeline.items.length).toBeGreaterThan(0);
    const notices = await fits('get', '/customers/{id}/billing/notices', `/customers/${ids.customer}/billing/notices`);
    expect(notices.length).toBeGreaterThan(0);
    await fits('get', '/customers/{id}/subscriptions', `/customers/${ids.customer}/subscriptions`);
    const suspensions = await fits('get', '/customers/{id}/suspensions', `/customers/${ids.customer}/suspensions`);
    expect(suspensions.length).toBeGreaterThan(0);
    await fits('get', '/suspensions/{id}', `/suspensions/${suspensions[0].id}`);
    await fits('get', '/subscriptions/{id}', `/subscriptions/${ids.subscription}`);
    await fits('get', '/invoices', '/invoices');
    await fits('get', '/invoices/{number}', `/invoices/${ids.invoice}`);
    await fits('get', '/collections-policy', '/collections-policy');
    await fits('get', '/collections-policy', '/collections-policy?locale=es');
    await fits('get', '/collections-policy/versions', '/collections-policy/versions');
    const actions = await fits('get', '/provisioning-actions', '/provisioning-actions');
    expect(actions.items.length).toBeGreaterThan(0);
    await fits('get', '/provisioning-actions/{id}', `/provisioning-actions/${actions.items[0].id}`);
    await fits('get', '/billing/provisioning', '/billing/provisioning');
    await fits('get', '/reports/receivables', '/reports/receivables');
  });

  it('answers the billing writes as documented, for each status they answer with', async () => {
    const number = `INV-SCHEMA-${Date.now()}`;
    const invoice = { customerId: ids.customer, issuedOn: '2026-12-01', dueOn: '2026-12-31', currency: 'EUR', lines: [{ description: 'Azure', amount: '20.00' }] };
    await fits('put', '/invoices/{number}', `/invoices/${number}`, invoice);
    await fits('put', '/invoices/{number}', `/invoices/${number}`, invoice);
    await fits('post', '/invoices/{number}/payments', `/invoices/${number}/payments`, { amount: '5.00', currency: 'EUR', paidOn: '2026-12-10', reference: 'TRX-1' });
    await fits('post', '/invoices/{number}/payments', `/invoices/${number}/payments`, { amount: '5.00', currency: 'EUR', paidOn: '2026-12-10', reference: 'TRX-1' });
    await fits('post', '/dunning/runs', '/dunning/runs', { dryRun: true });
    const queued = await fits('post', '/dunning/runs', '/dunning/runs', {});
    await fits('get', '/dunning/runs/{id}', `/dunning/runs/${queued.id}`);
    expect((await fits('get', '/dunning/runs', '/dunning/runs')).length).toBeGreaterThan(0);
    await fits('put', '/customers/{id}/dunning-pause', `/customers/${ids.customer}/dunning-pause`, { until: '2026-12-20', reason: 'Paying by transfer' });
    await fits('patch', '/subscriptions/{id}', `/subscriptions/${ids.subscription}`, { quantity: 3 });
  });
});
