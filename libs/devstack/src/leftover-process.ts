import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';

/**
 * The command line of a live process; undefined when there is none with that pid or it is a
 * zombie (already dead, waiting to be reaped), so both read as "gone".
 */
export function liveCommandLine(pid: number): string | undefined {
  let line: string;
  try {
    line = execFileSync('ps', ['-o', 'stat=,args=', '-p', String(pid)], { encoding: 'utf8' }).trim();
  } catch {
    return undefined; // ps exits 1 when there is no such process
  }
  const [stat, ...args] = line.split(/\s+/);
  return !stat || stat.startsWith('Z') ? undefined : args.join(' ');
}

/**
 * Sends `signal` to a process that is not our child (so there is no exit event: poll), then
 * `otherwise` once `timeoutMs` has passed and SIGKILL after as long again; resolves when it is gone.
 */
export async function stopProcess(pid: number, signal: NodeJS.Signals, timeoutMs: number, otherwise: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  const send = (s: NodeJS.Signals) => {
    try {
      process.kill(pid, s);
    } catch {
      // already gone
    }
  };
  send(signal);
  const escalations: Array<[number, NodeJS.Signals]> = [
    [Date.now() + timeoutMs, otherwise],
    [Date.now() + 2 * timeoutMs, 'SIGKILL'],
  ];
  while (liveCommandLine(pid) !== undefined) {
    if (escalations.length > 0 && Date.now() > escalations[0][0]) send(escalations.shift()![1]);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A server that an earlier run left running on this data directory (its launcher was SIGKILLed,
 * so nobody stopped it): the pid written in its pid file, when that process is alive and its
 * command line shows it is that server. A pid that now belongs to something else is left alone.
 */
export async function leftoverServer(pidFile: string, isTheServer: (commandLine: string) => boolean): Promise<number | undefined> {
  const text = await readFile(pidFile, 'utf8').catch(() => '');
  const pid = Number(text.split('\n')[0]?.trim());
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return undefined;
  const commandLine = liveCommandLine(pid);
  return commandLine !== undefined && isTheServer(commandLine) ? pid : undefined;
}
