import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { AppName, appRuntimeEnv } from '@helpdesk/devstack';
import { describeExit, exitOf, Run } from './run';

export interface AppRun extends Run {
  child: ChildProcess;
}

/** Loaded into each app before its own code: see exit-with-launcher.ts. */
const EXIT_WITH_LAUNCHER = join(__dirname, 'exit-with-launcher.js');

/**
 * Runs a built app (api, worker) in a process group of its own: a terminal's Ctrl-C goes to the
 * whole foreground group, and reaches only the launcher, which then stops the apps one by one in
 * its order. The app tells it is ready with an IPC message `{ type: 'ready' }`.
 */
export function forkApp(app: AppName, entry: string, env: NodeJS.ProcessEnv, stopDeadlineMs: number, onForcedStop: () => void): AppRun {
  const child = fork(entry, [], {
    env: appRuntimeEnv(env, app),
    detached: true,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: [...process.execArgv, '--require', EXIT_WITH_LAUNCHER],
  });
  const exited = exitOf(child);
  const ready = new Promise<void>((resolve, reject) => {
    const onMessage = (message: { type?: string }) => {
      if (message?.type !== 'ready') return;
      child.off('message', onMessage);
      resolve();
    };
    child.on('message', onMessage);
    void exited.then((exit) => reject(new Error(`exited (${describeExit(exit)}) before it was ready`)));
  });
  // A run stopped while starting rejects `ready` with nobody left waiting for it.
  ready.catch(() => undefined);

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => {
      onForcedStop();
      try {
        // The whole group: an API with API_PROCESSES > 1 has processes of its own.
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // exited meanwhile
      }
    }, stopDeadlineMs);
    await exited;
    clearTimeout(timer);
  };
  return { pid: child.pid!, child, ready, exited, stop };
}
