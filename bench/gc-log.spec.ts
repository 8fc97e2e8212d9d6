import { summariseGcLog } from './gc-log';

describe('summariseGcLog', () => {
  const text = ['gc 1000 2.50 scavenge', 'gc 1500 30.00 markCompact', 'stall 1600 40.0', 'gc 1700 1.50 scavenge', 'gc 5000 9.00 markCompact', 'stall 900 99.0', ''].join('\n');

  it('counts the collections by kind and the stalls that began in the window', () => {
    const s = summariseGcLog('api-1.log', text, 1000, 2000);
    expect(s.gc).toEqual({ scavenge: { count: 2, totalMs: 4, maxMs: 2.5 }, markCompact: { count: 1, totalMs: 30, maxMs: 30 } });
    expect(s.stalls).toEqual({ count: 1, totalMs: 40, maxMs: 40 });
  });

  it('is empty for a window with nothing in it', () => {
    expect(summariseGcLog('worker-2.log', text, 6000, 7000)).toEqual({ file: 'worker-2.log', gc: {}, stalls: { count: 0, totalMs: 0, maxMs: 0 } });
  });
});
