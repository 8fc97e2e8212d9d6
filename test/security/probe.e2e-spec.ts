/**
 * The security probe (issue #17, "Done means"): every route the API serves — enumerated from the
 * app itself, so that a route added later is probed without touching this file — called as each
 * kind of caller, and with hostile input. Expected outcomes come from what each route declares
 * (@Public, @CustomersAllowed, @Roles). Never a 500, never a stack or SQL in a body.
 *
 * Slow clients and the body read before authentication: edge.e2e-spec.ts; rate limits:
 * rate-limits.e2e-spec.ts; the queue board's writes: board-writes.e2e-spec.ts.
 */
import type { Response } from 'supertest';
import { SSE_METADATA } from '@nestjs/common/constants';
import { StaffRole } from '@helpdesk/auth';
import { RecordedRoute, routeTable } from '../../apps/api/src/edge/route-access';
import { bearer, createAgent, createCustomer, createPlan, startTestApi, TestApi } from '../support';

const LEAK = /\bat .*\.(js|ts):\d|node_modules|QueryFailedError|TypeError|RangeError|\bSELECT\b|\bINSERT INTO\b|\bUPDATE \w+ SET\b|\bFROM \w+ WHERE\b/;
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const A_UUID = '00000000-0000-4000-8000-000000000000';

/** A concrete path for a route pattern: ids are a UUID nothing has, a tier is `commercial`. */
const pathOf = (url: string, param?: string) =>
  url.replace(/:(\w+)/g, (_m, name: string) => param ?? (name === 'tier' ? 'commercial' : A_UUID));

describe('security probe: every route × caller, and hostile input', () => {
  let api: TestApi;
  let routes: RecordedRoute[];
  const tokens: Partial<Record<StaffRole | 'customer', string>> = {};

  beforeAll(async () => {
    api = await startTestApi();
    routes = routeTable(api.app.getHttpAdapter().getInstance()).filter((r) => r.method !== 'HEAD' && r.method !== 'OPTIONS');
    for (const role of [StaffRole.AdminAgent, StaffRole.HelpdeskAgent, StaffRole.BillingAdmin, StaffRole.SalesAgent]) tokens[role] = (await createAgent(api, [role])).token;
    tokens.customer = (await createCustomer(api, (await createPlan(api)).id)).token;
  });
  afterAll(async () => {
    await api?.close();
  });

  const call = (route: RecordedRoute, headers: Record<string, string>, options: { path?: string; body?: string; contentType?: string } = {}): Promise<Response> => {
    const path = options.path ?? pathOf(route.url);
    let req = api.http[route.method.toLowerCase() as 'get'](path).set(headers);
    if (WRITES.has(route.method)) req = req.set('Content-Type', options.contentType ?? 'application/json').send(options.body ?? '{}');
    return req;
  };
  /** Every answer: no 5xx, a problem+json when refused, nothing of the internals. */
  const sane = (route: RecordedRoute, res: Response, what: string) => {
    const text = res.text ?? '';
    expect([what, route.method, route.url, res.status < 500, LEAK.test(text) ? text.slice(0, 300) : 'no leak']).toEqual([what, route.method, route.url, true, 'no leak']);
    if (res.status >= 400) expect([route.method, route.url, res.headers['content-type']]).toEqual([route.method, route.url, expect.stringMatching(/^application\/problem\+json/)]);
  };
  /** A staff role the route does not accept (global_admin always is), or undefined when every staff role is. */
  const wrongRole = (route: RecordedRoute) => {
    const roles = route.access.roles;
    if (!roles) return undefined;
    return [StaffRole.SalesAgent, StaffRole.BillingAdmin, StaffRole.HelpdeskAgent, StaffRole.AdminAgent].find((r) => !roles.includes(r));
  };
  /** Streams (SSE) never end by themselves: only refused callers are probed there. */
  const streams = (route: RecordedRoute) => Reflect.getMetadata(SSE_METADATA, route.access.handler) === true;

  it('finds the routes from the app itself, with what each declares', () => {
    expect(routes.length).toBeGreaterThan(40);
    const find = (method: string, url: string) => routes.find((r) => r.method === method && r.url === url)?.access;
    expect(find('POST', '/api/v1/tickets')).toMatchObject({ public: false, customers: true });
    expect(find('GET', '/health/ready')).toMatchObject({ public: true });
    expect(find('POST', '/api/v1/escalations/callbacks/:tier')).toMatchObject({ public: true });
    expect(find('GET', '/api/v1/queues/stats')?.roles).toEqual([StaffRole.AdminAgent]);
    // People's routes (agents' tokens, the audit log) are probed like every other.
    expect(find('DELETE', '/api/v1/agents/:id/tokens/:tokenId')).toMatchObject({ public: false });
    expect(find('GET', '/api/v1/audit')?.roles).toEqual([StaffRole.AdminAgent]);
    expect(find('GET', '/api/v1/me/support-offering')).toMatchObject({ customers: true, customersOnly: true });
  });

  it('answers a caller without a token 401 on every route that needs one, and never a 5xx', async () => {
    for (const route of routes) {
      if (route.access.public && streams(route)) continue;
      const res = await call(route, {});
      sane(route, res, 'no token');
      if (!route.access.public) expect([route.method, route.url, res.status, res.headers['www-authenticate']]).toEqual([route.method, route.url, 401, 'Bearer']);
      const bad = await call(route, bearer('hds_made_up_token_0123456789abcdef'));
      sane(route, bad, 'bad token');
      if (!route.access.public) expect([route.method, route.url, bad.status]).toEqual([route.method, route.url, 401]);
    }
  });

  it('answers a customer token 403 on every staff route, and lets it reach what customers may use', async () => {
    for (const route of routes) {
      if (route.access.public) continue;
      const res = await call(route, bearer(tokens.customer!));
      sane(route, res, 'customer');
      if (route.access.customers) expect([route.method, route.url, [401, 403].includes(res.status)]).toEqual([route.method, route.url, false]);
      else expect([route.method, route.url, res.status]).toEqual([route.method, route.url, 403]);
    }
  });

  it('answers a staff role a route does not name 403, and the roles it names anything but 401/403/5xx', async () => {
    for (const route of routes) {
      if (route.access.public) continue;
      if (route.access.customersOnly) {
        for (const role of [StaffRole.SalesAgent, StaffRole.BillingAdmin, StaffRole.HelpdeskAgent, StaffRole.AdminAgent]) {
          const res = await call(route, bearer(tokens[role]!));
          sane(route, res, role);
          expect([route.method, route.url, role, res.status]).toEqual([route.method, route.url, role, 403]);
        }
        const admin = await call(route, bearer(api.adminToken));
        expect([route.method, route.url, admin.status]).toEqual([route.method, route.url, 403]);
        continue;
      }
      const wrong = wrongRole(route);
      if (wrong) {
        const res = await call(route, bearer(tokens[wrong]!));
        sane(route, res, wrong);
        expect([route.method, route.url, wrong, res.status]).toEqual([route.method, route.url, wrong, 403]);
      }
      if (streams(route)) continue;
      for (const role of route.access.roles ?? [StaffRole.HelpdeskAgent]) {
        const res = await call(route, bearer(role === StaffRole.GlobalAdmin ? api.adminToken : tokens[role]!));
        sane(route, res, role);
        expect([route.method, route.url, role, [401, 403].includes(res.status)]).toEqual([route.method, route.url, role, false]);
      }
      const admin = await call(route, bearer(api.adminToken));
      sane(route, admin, 'global_admin');
      expect([route.method, route.url, [401, 403].includes(admin.status)]).toEqual([route.method, route.url, false]);
    }
  });

  it('answers hostile bodies on every route that reads one with a 4xx: nested, NUL, prototype keys, oversize, not JSON', async () => {
    const admin = bearer(api.adminToken);
    const bodies: Array<[string, string, number, string?]> = [
      ['10,000 levels of nesting', '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000), 400],
      ['a NUL character', '{"name":"a\\u0000b","subject":"\\u0000"}', 400],
      ['a __proto__ key', '{"__proto__":{"polluted":true}}', 400],
      ['a constructor.prototype key', '{"constructor":{"prototype":{"polluted":true}}}', 400],
      ['a body over 1 MiB', JSON.stringify({ name: 'x'.repeat(1024 * 1024) }), 413],
      ['a form', 'name=x', 415, 'application/x-www-form-urlencoded'],
    ];
    for (const route of routes.filter((r) => WRITES.has(r.method) && r.method !== 'DELETE')) {
      for (const [what, body, status, contentType] of bodies) {
        const res = await call(route, route.access.public ? {} : admin, { body, contentType });
        sane(route, res, what);
        // A signed callback takes its bytes whatever their type: an unsigned form is read, then refused 401.
        const expected = contentType && route.config.anyContentType === true ? 401 : status;
        expect([route.method, route.url, what, res.status]).toEqual([route.method, route.url, what, expected]);
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('answers NUL characters and prototype keys in query strings and path parameters with a 400 naming them', async () => {
    const admin = bearer(api.adminToken);
    for (const route of routes) {
      const headers = route.access.public ? {} : admin;
      for (const [query, field] of [['q=a%00b', 'q'], ['__proto__=x', '__proto__'], ['constructor=x', 'constructor']]) {
        const res = await call(route, headers, { path: `${pathOf(route.url)}?${query}` });
        sane(route, res, query);
        expect([route.method, route.url, query, res.status, res.body.errors?.[0]?.field]).toEqual([route.method, route.url, query, 400, field]);
      }
      const param = /:(\w+)/.exec(route.url)?.[1];
      if (param) {
        const res = await call(route, headers, { path: pathOf(route.url, 'a%00b') });
        sane(route, res, 'NUL in a path parameter');
        expect([route.method, route.url, res.status, res.body.errors?.[0]?.field]).toEqual([route.method, route.url, 400, param]);
      }
    }
  });

  // Signed callbacks replayed as captured or under a new id, and webhook targets on private,
  // loopback, link-local or metadata addresses (SSRF): webhooks.e2e-spec.ts.
});
