/**
 * Who sends Redis its commands (`BENCH_REDIS_MONITOR=1`): Redis's MONITOR stream tallied by client
 * (its CLIENT SETNAME, else its address), command (a BullMQ script by its name) and the queue its
 * keys name, with the commands a script runs counted under that script. MONITOR costs Redis CPU:
 * a run with it gives counts, not times.
 */
import { createHash } from 'node:crypto';
import Redis, { RedisOptions } from 'ioredis';

/** BullMQ's scripts by the SHA-1 ioredis sends them under (EVALSHA). */
function bullmqScripts(): Map<string, string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const scripts = require('bullmq/dist/cjs/scripts') as Record<string, { name: string; content: string }>;
  return new Map(Object.values(scripts).map((s) => [createHash('sha1').update(s.content).digest('hex'), s.name]));
}

export interface RedisTally {
  /** Stops listening; the tally per item: `client | command | queue` → calls per item, most first. */
  stop(items: number): Promise<Array<{ client: string; command: string; queue: string; perItem: number; scriptCommandsPerItem: number }>>;
}

export async function monitorRedis(options: RedisOptions, queuePrefix: string): Promise<RedisTally> {
  const shas = bullmqScripts();
  const names = new Map<string, string>();
  const admin = new Redis({ ...options, connectionName: 'bench-monitor-admin' });
  const readNames = async () => {
    const list = (await admin.client('LIST')) as string;
    for (const line of list.split('\n')) {
      const addr = /\baddr=(\S+)/.exec(line)?.[1];
      const name = /\bname=(\S*)/.exec(line)?.[1];
      if (addr) names.set(addr, name || `unnamed ${addr}`);
    }
  };
  await readNames();
  const timer = setInterval(() => void readNames().catch(() => undefined), 1000);
  const calls = new Map<string, { calls: number; inner: number }>();
  // Redis 7 feeds MONITOR a command once it has run: a script's own commands come before its EVALSHA.
  let inner = 0;
  const queueOf = (args: string[]) => {
    for (const a of args) {
      const m = new RegExp(`^${queuePrefix}:([^:]+)`).exec(a);
      if (m) return m[1];
    }
    return '-';
  };
  const monitor = await new Redis({ ...options, connectionName: 'bench-monitor' }).monitor();
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    if (source === 'lua') {
      inner++;
      return;
    }
    let command = (args[0] ?? '').toLowerCase();
    if (command === 'evalsha') command = `script ${shas.get(args[1]) ?? args[1]?.slice(0, 8)}`;
    const key = `${names.get(source) ?? `unnamed ${source}`}|${command}|${queueOf(args.slice(1))}`;
    const entry = calls.get(key) ?? { calls: 0, inner: 0 };
    entry.calls++;
    if (command.startsWith('script') || command === 'eval') {
      entry.inner += inner;
      inner = 0;
    }
    calls.set(key, entry);
  });
  return {
    async stop(items: number) {
      clearInterval(timer);
      monitor.disconnect();
      await admin.quit().catch(() => undefined);
      const n = Math.max(1, items);
      return [...calls]
        .map(([key, { calls: c, inner: i }]) => {
          const [client, command, queue] = key.split('|');
          return { client, command, queue, perItem: Math.round((c / n) * 1000) / 1000, scriptCommandsPerItem: Math.round((i / n) * 1000) / 1000 };
        })
        .sort((a, b) => b.perItem + b.scriptCommandsPerItem - (a.perItem + a.scriptCommandsPerItem));
    },
  };
}
