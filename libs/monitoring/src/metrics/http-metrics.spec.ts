import { routeLabel } from './http-metrics';

const request = (url: string | undefined, is404 = false) => ({ is404, routeOptions: { url } }) as Parameters<typeof routeLabel>[0];

describe('routeLabel', () => {
  it('is the route pattern, never the raw URL', () => {
    expect(routeLabel(request('/api/v1/tickets/:id'))).toBe('/api/v1/tickets/:id');
    expect(routeLabel(request('/admin/queues/api/queues'))).toBe('/admin/queues/api/queues');
  });

  it('is unmatched for a request no route took', () => {
    expect(routeLabel(request(undefined))).toBe('unmatched');
    expect(routeLabel(request('/*', true))).toBe('unmatched');
  });
});
