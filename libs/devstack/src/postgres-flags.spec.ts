import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRELOADED_LIBRARIES, serverFlags } from './postgres-flags';

describe('serverFlags', () => {
  it('preloads pg_prewarm (autoprewarm) on every server the devstack starts', () => {
    expect(PRELOADED_LIBRARIES).toContain('pg_prewarm');
    expect(serverFlags()).toEqual(['-c', 'shared_preload_libraries=pg_prewarm']);
  });

  it("adds a caller's preloaded libraries instead of replacing pg_prewarm, and keeps its other settings in order", () => {
    expect(serverFlags(['-c', 'fsync=off', '-c', 'shared_preload_libraries=pg_stat_statements', '-c', 'pg_stat_statements.track=all'])).toEqual([
      '-c', 'shared_preload_libraries=pg_prewarm,pg_stat_statements',
      '-c', 'fsync=off',
      '-c', 'pg_stat_statements.track=all',
    ]);
  });

  it('names a library once, whoever else asks for it, and ignores empty names', () => {
    expect(serverFlags(['-c', 'shared_preload_libraries= pg_prewarm, ,auto_explain', '-c', 'shared_preload_libraries=auto_explain'])).toEqual([
      '-c', 'shared_preload_libraries=pg_prewarm,auto_explain',
    ]);
  });

  it('leaves a flag that only looks like the setting alone', () => {
    expect(serverFlags(['-c', 'pg_prewarm.autoprewarm=off', 'shared_preload_libraries=x'])).toEqual([
      '-c', 'shared_preload_libraries=pg_prewarm',
      '-c', 'pg_prewarm.autoprewarm=off',
      'shared_preload_libraries=x',
    ]);
  });

  it('says the same as the PostgreSQL of docker-compose, which cannot import it', () => {
    const compose = readFileSync(join(__dirname, '..', '..', '..', 'docker-compose.yml'), 'utf8');
    expect(compose).toContain(`command: ["postgres", "-c", "shared_preload_libraries=${PRELOADED_LIBRARIES.join(',')}"]`);
  });
});
