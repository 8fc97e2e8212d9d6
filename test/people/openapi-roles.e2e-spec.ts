/** Every route in the OpenAPI document says who may call it, from the decorators the AuthGuard enforces. */
import { startTestApi, TestApi } from '../support';

describe('the OpenAPI document names the roles of every route', () => {
  let api: TestApi;
  let paths: Record<string, Record<string, { operationId: string; description?: string; 'x-roles'?: string[] }>>;

  beforeAll(async () => {
    api = await startTestApi();
    paths = (await api.http.get('/api/docs-json')).body.paths;
  });
  afterAll(async () => {
    await api.close();
  });

  it('gives each operation x-roles and a Roles line', () => {
    const operations = Object.entries(paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));
    expect(operations.length).toBeGreaterThan(50);
    const missing = operations.filter(({ op }) => !op['x-roles']?.length || !/^(Roles: .+\.|Public: no token\.)/.test(op.description ?? ''));
    expect(missing.map(({ method, path }) => `${method} ${path}`)).toEqual([]);
  });

  it.each([
    ['get', '/api/v1/audit', ['global_admin', 'admin_agent']],
    ['post', '/api/v1/agents/{id}/deactivate', ['global_admin', 'admin_agent']],
    ['get', '/api/v1/agents/{id}/tokens', ['any staff role']],
    ['patch', '/api/v1/customers/{id}', ['global_admin', 'admin_agent', 'sales_agent']],
    ['post', '/api/v1/customers/{id}/tokens', ['global_admin', 'admin_agent']],
    ['delete', '/api/v1/customers/{id}/tokens/{tokenId}', ['global_admin', 'admin_agent', 'sales_agent']],
    ['get', '/api/v1/tickets/{id}/events', ['any staff role', 'customer']],
    ['post', '/api/v1/tickets', ['global_admin', 'admin_agent', 'helpdesk_agent', 'billing_admin', 'customer']],
    ['get', '/api/v1/escalations', ['global_admin', 'admin_agent', 'helpdesk_agent', 'billing_admin']],
    ['post', '/api/v1/escalations/callbacks/{tier}', ['public']],
  ])('%s %s: %j', (method, path, roles) => {
    expect(paths[path]?.[method]?.['x-roles']).toEqual(roles);
  });
});
