import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_MALLOC_ARENA_MAX, APP_NODE_OPTIONS, appNodeOptions, appRuntimeEnv } from './app-runtime';

const ROOT = join(__dirname, '..', '..', '..');
const FLAGS = APP_NODE_OPTIONS.join(' ');
const WORKER_FLAGS = appNodeOptions('worker').join(' ');

/**
 * In a node started with `env`: the MiB of V8's young generation (both semi-spaces) after a burst of
 * short-lived objects, and the MiB of its heap limit (old generation and young).
 */
function heapOf(env: NodeJS.ProcessEnv): { young: number; limit: number } {
  const script = `
    const v8 = require('node:v8');
    let held = [];
    for (let i = 0; i < 3e6; i++) { held.push({ i }); if (held.length > 200000) held = []; }
    const young = v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
    process.stdout.write(JSON.stringify({ young: young.space_size / 2 ** 20, limit: v8.getHeapStatistics().heap_size_limit / 2 ** 20 }));`;
  const run = spawnSync(process.execPath, ['-e', script], { env, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as { young: number; limit: number };
}

describe('appRuntimeEnv', () => {
  it('adds the runtime flags to an environment that has none', () => {
    expect(appRuntimeEnv({ PORT: '3000' }, 'api')).toEqual({ PORT: '3000', NODE_OPTIONS: FLAGS, MALLOC_ARENA_MAX: '2' });
    expect(appRuntimeEnv({ PORT: '3000' }, 'worker')).toEqual({ PORT: '3000', NODE_OPTIONS: WORKER_FLAGS, MALLOC_ARENA_MAX: '2' });
  });

  it("limits glibc's malloc arenas unless the caller says otherwise", () => {
    expect(APP_MALLOC_ARENA_MAX).toBe('2');
    expect(appRuntimeEnv({ MALLOC_ARENA_MAX: '8' }, 'worker').MALLOC_ARENA_MAX).toBe('8');
  });

  it("caps the api's old generation at 1 GiB (room for its largest invoice import), the worker's at 512 MiB", () => {
    expect(appNodeOptions('api')).toContain('--max-old-space-size=1024');
    expect(appNodeOptions('worker')).toContain('--max-old-space-size=512');
  });

  it("gives the worker flags of its own in place of the shared ones, and leaves the api's as they were", () => {
    expect(APP_NODE_OPTIONS).toEqual(['--max-semi-space-size=8', '--max-old-space-size=1024']);
    expect(appNodeOptions('api')).toEqual(['--max-semi-space-size=8', '--max-old-space-size=1024']);
    expect(appNodeOptions('worker')).toEqual(['--max-semi-space-size=16', '--max-old-space-size=512']);
  });

  it('the flags take effect in the process started with them', () => {
    const api = heapOf(appRuntimeEnv({ PATH: process.env.PATH }, 'api'));
    const worker = heapOf(appRuntimeEnv({ PATH: process.env.PATH }, 'worker'));
    expect(api.young).toBe(16);
    expect(worker.young).toBe(32);
    expect(api.limit).toBeGreaterThanOrEqual(1024);
    expect(worker.limit).toBeGreaterThanOrEqual(512);
    expect(worker.limit).toBeLessThan(600);
  });

  it("puts the caller's NODE_OPTIONS after its own, so that a flag given there wins", () => {
    expect(appRuntimeEnv({ NODE_OPTIONS: '--max-semi-space-size=2 --enable-source-maps' }, 'api').NODE_OPTIONS).toBe(
      `${FLAGS} --max-semi-space-size=2 --enable-source-maps`,
    );
    expect(appRuntimeEnv({ NODE_OPTIONS: '--max-old-space-size=2048' }, 'worker').NODE_OPTIONS).toBe(`${WORKER_FLAGS} --max-old-space-size=2048`);
    expect(appRuntimeEnv({ NODE_OPTIONS: '  ' }, 'api').NODE_OPTIONS).toBe(FLAGS);
    expect(heapOf(appRuntimeEnv({ PATH: process.env.PATH, NODE_OPTIONS: '--max-semi-space-size=4' }, 'worker')).young).toBe(8);
  });

  it('says the same as the Docker image, docker-compose and the start scripts, which cannot import it', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    // The image's NODE_OPTIONS are the shared flags; docker-compose gives the worker its own.
    expect(dockerfile.slice(dockerfile.lastIndexOf('FROM '))).toContain(`ENV NODE_OPTIONS="${FLAGS}"`);
    expect(dockerfile.slice(dockerfile.lastIndexOf('FROM '))).toContain(`ENV MALLOC_ARENA_MAX=${APP_MALLOC_ARENA_MAX}`);
    const compose = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
    expect(compose).toContain(`command: ["node", "dist/apps/api/src/main.js"]`);
    const worker = compose.slice(compose.indexOf('\n  worker:'));
    expect(worker).toContain(`command: ["node", "dist/apps/worker/src/main.js"]`);
    expect(compose).toContain(`command: ["node", "dist/apps/mail-in/src/main.js"]`);
    expect(worker.slice(0, worker.indexOf('depends_on:'))).toContain(`NODE_OPTIONS: "${WORKER_FLAGS}"`);
    expect(compose.slice(0, compose.indexOf('\n  worker:'))).not.toContain('NODE_OPTIONS');
    const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(scripts['start:api']).toBe(`MALLOC_ARENA_MAX=${APP_MALLOC_ARENA_MAX} node ${FLAGS} dist/apps/api/src/main.js`);
    expect(scripts['start:worker']).toBe(`MALLOC_ARENA_MAX=${APP_MALLOC_ARENA_MAX} node ${WORKER_FLAGS} dist/apps/worker/src/main.js`);
    expect(scripts['start:mail-in']).toBe(`MALLOC_ARENA_MAX=${APP_MALLOC_ARENA_MAX} node ${FLAGS} dist/apps/mail-in/src/main.js`);
  });
});
