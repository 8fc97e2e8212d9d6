import { Exit, Run } from './run';
import { SupervisionEvents, Supervised } from './supervised';

/** A process stand-in: ready at once, exits when told to (crash) or stopped. */
function fakeRun(pid: number): { run: Run; crash: (signal?: NodeJS.Signals) => void; stopped: () => boolean } {
  let exit!: (e: Exit) => void;
  let stopped = false;
  const exited = new Promise<Exit>((done) => (exit = done));
  const run: Run = {
    pid,
    ready: Promise.resolve(),
    exited,
    stop: async () => {
      stopped = true;
      exit({ code: null, signal: 'SIGTERM' });
    },
  };
  return { run, crash: (signal = 'SIGKILL') => exit({ code: null, signal }), stopped: () => stopped };
}

function recorder(): SupervisionEvents & { log: string[] } {
  const log: string[] = [];
  return {
    log,
    changed: () => undefined,
    crashed: (name, pid, how, ms) => log.push(`crashed ${name} ${pid} ${how} ${ms}`),
    restarted: (name, pid, n) => log.push(`restarted ${name} ${pid} ${n}`),
    gaveUp: (name, how, n) => log.push(`gave up ${name} ${how} ${n}`),
  };
}

describe('Supervised', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('restarts a process that exits unexpectedly after the backoff, and reports it', async () => {
    const runs = [fakeRun(11), fakeRun(12)];
    let next = 0;
    const events = recorder();
    const unit = new Supervised('worker', async () => runs[next++].run, events);
    await unit.start();
    expect(unit.state).toEqual({ name: 'worker', pid: 11, status: 'running', restarts: 0, lastExit: null });

    runs[0].crash();
    await jest.advanceTimersByTimeAsync(0);
    expect(unit.state).toMatchObject({ pid: null, status: 'restarting', lastExit: 'SIGKILL' });
    await jest.advanceTimersByTimeAsync(499);
    expect(next).toBe(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(unit.state).toEqual({ name: 'worker', pid: 12, status: 'running', restarts: 1, lastExit: 'SIGKILL' });
    expect(events.log).toEqual(['crashed worker 11 SIGKILL 500', 'restarted worker 12 1']);
  });

  it('counts a restart that fails to start as a crash and gives up at the fifth in a row, leaving it down', async () => {
    const first = fakeRun(21);
    let calls = 0;
    const events = recorder();
    const unit = new Supervised(
      'redis',
      async () => {
        if (calls++ === 0) return first.run;
        throw new Error('redis-server exited with code 1: Address already in use\nmore output');
      },
      events,
    );
    await unit.start();
    first.crash();
    await jest.advanceTimersByTimeAsync(60_000);
    expect(unit.state).toEqual({ name: 'redis', pid: null, status: 'failed', restarts: 4, lastExit: 'redis-server exited with code 1: Address already in use' });
    expect(events.log).toEqual([
      'crashed redis 21 SIGKILL 500',
      'crashed redis null redis-server exited with code 1: Address already in use 1000',
      'crashed redis null redis-server exited with code 1: Address already in use 2000',
      'crashed redis null redis-server exited with code 1: Address already in use 4000',
      'gave up redis redis-server exited with code 1: Address already in use 5',
    ]);
    expect(await unit.stop()).toBe(false);
    expect(unit.state.status).toBe('failed');
  });

  it('a stop during the backoff starts nothing more', async () => {
    const run = fakeRun(31);
    const spawn = jest.fn(async () => run.run);
    const unit = new Supervised('api', spawn, recorder());
    await unit.start();
    run.crash();
    await jest.advanceTimersByTimeAsync(0);
    expect(await unit.stop()).toBe(false);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(spawn).toHaveBeenCalledTimes(1);
    expect(unit.state).toMatchObject({ pid: null, status: 'stopped' });
  });

  it('a stop stops the running process and is not taken for a crash', async () => {
    const run = fakeRun(41);
    const events = recorder();
    const unit = new Supervised('postgres', async () => run.run, events);
    await unit.start();
    expect(await unit.stop()).toBe(true);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(run.stopped()).toBe(true);
    expect(unit.state).toMatchObject({ pid: null, status: 'stopped', restarts: 0 });
    expect(events.log).toEqual([]);
  });

  it('a first start that fails is reported to the caller, not retried', async () => {
    const spawn = jest.fn(async (): Promise<Run> => {
      throw new Error('exited (exit 1) before it was ready');
    });
    const unit = new Supervised('api', spawn, recorder());
    await expect(unit.start()).rejects.toThrow('before it was ready');
    await jest.advanceTimersByTimeAsync(10_000);
    expect(spawn).toHaveBeenCalledTimes(1);
  });
});
