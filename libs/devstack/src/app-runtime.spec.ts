import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_NODE_FLAGS } from './app-runtime';

const ROOT = join(__dirname, '..', '..', '..');
const API = 'dist/apps/api/src/main.js';
const WORKER = 'dist/apps/worker/src/main.js';
const command = (entry: string) => JSON.stringify(['node', ...APP_NODE_FLAGS, entry]);

describe('APP_NODE_FLAGS', () => {
  it('are flags node takes on its command line, each given once', () => {
    expect(APP_NODE_FLAGS.length).toBeGreaterThan(0);
    for (const flag of APP_NODE_FLAGS) expect(flag).toMatch(/^--[a-z0-9-]+(=\S+)?$/);
    const names = APP_NODE_FLAGS.map((flag) => flag.split('=')[0]);
    expect(new Set(names).size).toBe(names.length);
  });

  it('are what the Docker image, docker-compose.yml and the start scripts run the apps with (they cannot import them)', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const runtimeStage = dockerfile.slice(dockerfile.lastIndexOf('FROM '));
    expect(runtimeStage).toContain(`CMD ${command(API).replace(/,/g, ', ')}`);
    expect(runtimeStage).not.toContain('NODE_OPTIONS');

    const compose = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
    expect(compose).toContain(`command: ${command(API).replace(/,/g, ', ')}`);
    expect(compose).toContain(`command: ${command(WORKER).replace(/,/g, ', ')}`);

    const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(scripts['start:api']).toBe(['node', ...APP_NODE_FLAGS, API].join(' '));
    expect(scripts['start:worker']).toBe(['node', ...APP_NODE_FLAGS, WORKER].join(' '));
  });
});
