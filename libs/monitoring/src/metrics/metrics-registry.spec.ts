import { Gauge, Registry } from 'prom-client';
import { exposition } from './metrics-registry';

describe('exposition', () => {
  it('spells NaN as the text format does', async () => {
    const registry = new Registry();
    new Gauge({ name: 'lag', help: 'h', registers: [registry] }).set(NaN);
    new Gauge({ name: 'ok', help: 'h', registers: [registry] }).set(1.5);
    const text = await exposition(registry);
    expect(text).toContain('\nlag NaN\n');
    expect(text).toContain('\nok 1.5\n');
  });
});
