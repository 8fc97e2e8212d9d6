import type { ChildProcess } from 'node:child_process';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export const describeExit = (exit: Exit): string => exit.signal ?? `exit ${exit.code}`;

/** One run of a supervised process, from its spawn to its exit. */
export interface Run {
  pid: number;
  /** Resolves once it is ready for work; rejects if it exits first. */
  ready: Promise<void>;
  exited: Promise<Exit>;
  /** Asks it to stop (forcing it after a deadline); resolves once it has exited. */
  stop: () => Promise<void>;
}

export const exitOf = (child: ChildProcess): Promise<Exit> =>
  new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) done({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => done({ code, signal }));
  });

/** A server the devstack has already started and seen ready (PostgreSQL, Redis). */
export function serverRun(server: { process: ChildProcess; stop: () => Promise<void> }): Run {
  return { pid: server.process.pid!, ready: Promise.resolve(), exited: exitOf(server.process), stop: server.stop };
}
