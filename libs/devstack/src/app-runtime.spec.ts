import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_MALLOC_ARENA_MAX, APP_NODE_OPTIONS, appRuntimeEnv } from './app-runtime';

const ROOT = join(__dirname, '..', '..', '..');
const FLAGS = APP_NODE_OPTIONS.join(' ');

describe('appRuntimeEnv', () => {
  it('adds the runtime flags to an environment that has none', () => {
    expect(appRuntimeEnv({ PORT: '3000' })).toEqual({ PORT: '3000', NODE_OPTIONS: FLAGS, MALLOC_ARENA_MAX: '2' });
  });

  it("limits glibc's malloc arenas unless the caller says otherwise", () => {
    expect(APP_MALLOC_ARENA_MAX).toBe('2');
    expect(appRuntimeEnv({ MALLOC_ARENA_MAX: '8' }).MALLOC_ARENA_MAX).toBe('8');
  });

  it('caps the old generation of both apps at 1 GiB (room for the api\'s largest invoice import)', () => {
    expect(APP_NODE_OPTIONS).toContain('--max-old-space-size=1024');
  });

  it("puts the caller's NODE_OPTIONS after its own, so that a flag given there wins", () => {
    expect(appRuntimeEnv({ NODE_OPTIONS: '--max-semi-space-size=2 --enable-source-maps' }).NODE_OPTIONS).toBe(
      `${FLAGS} --max-semi-space-size=2 --enable-source-maps`,
    );
    expect(appRuntimeEnv({ NODE_OPTIONS: '--max-old-space-size=2048' }).NODE_OPTIONS).toBe(`${FLAGS} --max-old-space-size=2048`);
    expect(appRuntimeEnv({ NODE_OPTIONS: '  ' }).NODE_OPTIONS).toBe(FLAGS);
  });

  it('says the same as the Docker image, docker-compose and the start scripts, which cannot import it', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile.slice(dockerfile.lastIndexOf('FROM '))).toContain(`ENV NODE_OPTIONS="${FLAGS}"`);
    expect(dockerfile.slice(dockerfile.lastIndexOf('FROM '))).toContain(`ENV MALLOC_ARENA_MAX=${APP_MALLOC_ARENA_MAX}`);
    const compose = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
    // The image's NODE_OPTIONS holds the flags for both apps.
    expect(compose).toContain(`command: ["node", "dist/apps/api/src/main.js"]`);
    expect(compose).toContain(`command: ["node", "dist/apps/worker/src/main.js"]`);
    expect(compose).toContain(`command: ["node", "dist/apps/mail-in/src/main.js"]`);
    const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(scripts['start:api']).toBe(`MALLOC_ARENA_MAX=${APP_MALLOC_ARENA_MAX} node ${FLAGS} dist/apps/api/src/main.js`);
    expect(scripts['start:worker']).toBe(`MALLOC_ARENA_MAX=${APP_MALLOC_ARENA_MAX} node ${FLAGS} dist/apps/worker/src/main.js`);
    expect(scripts['start:mail-in']).toBe(`MALLOC_ARENA_MAX=${APP_MALLOC_ARENA_MAX} node ${FLAGS} dist/apps/mail-in/src/main.js`);
  });
});
