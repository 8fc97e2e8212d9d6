import { metricsScrapeAllowed } from './metrics-token';

describe('metricsScrapeAllowed', () => {
  const token = 'metrics-token-0123456789';

  it('lets every scrape in when no token is configured', () => {
    expect(metricsScrapeAllowed(undefined, undefined)).toBe(true);
    expect(metricsScrapeAllowed(undefined, 'Bearer anything')).toBe(true);
  });

  it('needs the configured token as a bearer token', () => {
    expect(metricsScrapeAllowed(token, undefined)).toBe(false);
    expect(metricsScrapeAllowed(token, '')).toBe(false);
    expect(metricsScrapeAllowed(token, `Basic ${Buffer.from(`x:${token}`).toString('base64')}`)).toBe(false);
    expect(metricsScrapeAllowed(token, 'Bearer wrong-token-0123456789')).toBe(false);
    expect(metricsScrapeAllowed(token, `Bearer ${token}x`)).toBe(false);
    expect(metricsScrapeAllowed(token, `Bearer ${token}`)).toBe(true);
    expect(metricsScrapeAllowed(token, `bearer ${token}`)).toBe(true);
    expect(metricsScrapeAllowed(token, [`Bearer ${token}`])).toBe(true);
  });
});
