import type { Request } from 'express';
import { routeLabel } from './http-metrics.middleware';

const req = (route: unknown, baseUrl = '') => ({ route, baseUrl }) as unknown as Request;

describe('routeLabel', () => {
  it('is the route pattern, never the raw URL', () => {
    expect(routeLabel(req({ path: '/api/v1/tickets/:id' }))).toBe('/api/v1/tickets/:id');
    expect(routeLabel(req({ path: '/metrics' }))).toBe('/metrics');
  });

  it('prefixes the mount path of a sub-router', () => {
    expect(routeLabel(req({ path: '/api/queues' }, '/admin/queues'))).toBe('/admin/queues/api/queues');
    expect(routeLabel(req({ path: '/' }, '/admin/queues'))).toBe('/admin/queues');
  });

  it('is unmatched without a route or on a middleware wildcard', () => {
    expect(routeLabel(req(undefined))).toBe('unmatched');
    expect(routeLabel(req({ path: '/api/v1*path' }))).toBe('unmatched');
    expect(routeLabel(req({ path: '/api/v1/{*path}' }))).toBe('unmatched');
  });
});
