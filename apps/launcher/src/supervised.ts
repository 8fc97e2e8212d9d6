import type { SupervisedProcessState, SupervisedStatus } from '@helpdesk/devstack';
import { RestartPolicy } from './restart-policy';
import { describeExit, Run } from './run';

export interface SupervisionEvents {
  /** Any change of state (status, pid, restarts). */
  changed: () => void;
  crashed: (name: string, pid: number | null, how: string, restartInMs: number) => void;
  restarted: (name: string, pid: number, restarts: number) => void;
  gaveUp: (name: string, how: string, crashes: number) => void;
}

/** First line of an error, short enough for a status line. */
const brief = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0].slice(0, 200);

/**
 * One process `npm start` runs (PostgreSQL, Redis, the api, the worker): started once, then
 * restarted with backoff whenever it exits unexpectedly, until it is stopped or the restart
 * policy gives up on it. The others keep running meanwhile: each recovers from a restart of
 * another on its own (reconnecting, retrying).
 */
export class Supervised {
  private run?: Run;
  private spawning?: Promise<Run>;
  private status: SupervisedStatus = 'stopped';
  private restarts = 0;
  private lastExit: string | null = null;
  private restartsOff = false;
  private wake?: () => void;
  private readonly policy = new RestartPolicy();

  constructor(
    readonly name: string,
    private readonly spawnRun: () => Promise<Run>,
    private readonly events: SupervisionEvents,
  ) {}

  get state(): SupervisedProcessState {
    return { name: this.name, pid: this.run?.pid ?? null, status: this.status, restarts: this.restarts, lastExit: this.lastExit };
  }

  /** The first start; throws when the process does not get ready (start-up problems are not retried). */
  async start(): Promise<void> {
    const startedAt = Date.now();
    const run = await this.startRun();
    void this.supervise(run, startedAt);
  }

  /** No more restarts from now on (the launcher is stopping everything). */
  holdRestarts(): void {
    this.restartsOff = true;
    this.wake?.();
  }

  /** Stops it (a run still starting included); false when nothing was running. */
  async stop(): Promise<boolean> {
    this.holdRestarts();
    await this.spawning?.catch(() => undefined);
    const run = this.run;
    if (!run) {
      if (this.status !== 'failed') this.set('stopped');
      return false;
    }
    this.set('stopping');
    await run.stop();
    this.run = undefined;
    this.set('stopped');
    return true;
  }

  private async startRun(): Promise<Run> {
    this.set('starting');
    this.spawning = this.spawnRun().then((run) => (this.run = run));
    const run = await this.spawning;
    this.events.changed();
    try {
      await run.ready;
    } catch (error) {
      if (this.run === run) this.run = undefined;
      throw error;
    }
    this.set('running');
    return run;
  }

  private async supervise(run: Run, startedAt: number): Promise<void> {
    for (;;) {
      const exit = await run.exited;
      if (this.restartsOff) return;
      const pid = run.pid;
      this.run = undefined;
      let how = describeExit(exit);
      let crashedPid: number | null = pid;
      for (;;) {
        this.lastExit = how;
        const delay = this.policy.afterCrash(Date.now() - startedAt);
        if (delay === undefined) {
          this.set('failed');
          this.events.gaveUp(this.name, how, this.policy.crashes);
          return;
        }
        this.set('restarting');
        this.events.crashed(this.name, crashedPid, how, delay);
        await new Promise<void>((done) => {
          const timer = setTimeout(done, delay);
          this.wake = () => {
            clearTimeout(timer);
            done();
          };
        });
        if (this.restartsOff) return;
        this.restarts += 1;
        startedAt = Date.now();
        try {
          run = await this.startRun();
          break;
        } catch (error) {
          if (this.restartsOff) return;
          how = brief(error);
          crashedPid = null;
        }
      }
      this.events.restarted(this.name, run.pid, this.restarts);
    }
  }

  private set(status: SupervisedStatus): void {
    this.status = status;
    this.events.changed();
  }
}
