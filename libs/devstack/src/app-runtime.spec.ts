import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_NODE_OPTIONS, appRuntimeEnv } from './app-runtime';

const ROOT = join(__dirname, '..', '..', '..');
const FLAGS = APP_NODE_OPTIONS.join(' ');

describe('appRuntimeEnv', () => {
  it('adds the runtime flags to an environment that has none', () => {
    const env = appRuntimeEnv({ PORT: '3000' });
    expect(env).toEqual({ PORT: '3000', NODE_OPTIONS: FLAGS });
  });

  it("puts the caller's NODE_OPTIONS after its own, so that a flag given there wins", () => {
    expect(appRuntimeEnv({ NODE_OPTIONS: '--max-semi-space-size=2 --enable-source-maps' }).NODE_OPTIONS).toBe(
      `${FLAGS} --max-semi-space-size=2 --enable-source-maps`,
    );
    expect(appRuntimeEnv({ NODE_OPTIONS: '  ' }).NODE_OPTIONS).toBe(FLAGS);
  });

  it('says the same as the Docker image and the start scripts, which cannot import it', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile.slice(dockerfile.lastIndexOf('FROM '))).toContain(`ENV NODE_OPTIONS="${FLAGS}"`);
    const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(scripts['start:api']).toBe(`node ${FLAGS} dist/apps/api/src/main.js`);
    expect(scripts['start:worker']).toBe(`node ${FLAGS} dist/apps/worker/src/main.js`);
  });
});
