import { DataSource } from 'typeorm';
import { dataSourceOptions, KEPT_CONNECTIONS } from '@helpdesk/database';
import { createTestDatabase, dropTestDatabase } from '../support';

interface PgPool {
  totalCount: number;
  idleCount: number;
}

/**
 * The pool keeps KEPT_CONNECTIONS connections open while idle, so a search after a quiet spell runs on
 * a session that has its text-search dictionaries loaded; the connections above them still close.
 */
describe('the database pool after a quiet spell', () => {
  let database: { name: string; url: string };
  let dataSource: DataSource;
  const application = 'kept-connections-test';

  beforeAll(async () => {
    database = await createTestDatabase();
    const options = dataSourceOptions({ url: database.url, poolSize: 5, applicationName: application });
    // pg-pool's idle timeout (10 s by default) shortened for the test: what is kept does not depend on it.
    dataSource = new DataSource({ ...options, extra: { ...(options as { extra: object }).extra, idleTimeoutMillis: 300 } } as typeof options);
    await dataSource.initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await dropTestDatabase(database.name);
  });

  it('closes the idle connections above KEPT_CONNECTIONS and keeps those, with their sessions', async () => {
    const pool = (dataSource.driver as unknown as { master: PgPool }).master;
    // Five at once: the pool opens more connections than it keeps.
    const pids = await Promise.all(Array.from({ length: 5 }, () => dataSource.query(`SELECT pg_backend_pid() AS pid, pg_sleep(1)`)));
    expect(new Set(pids.map(([r]) => (r as { pid: number }).pid)).size).toBeGreaterThan(KEPT_CONNECTIONS);
    expect(pool.totalCount).toBeGreaterThan(KEPT_CONNECTIONS);

    for (const until = Date.now() + 10_000; pool.totalCount > KEPT_CONNECTIONS && Date.now() < until; ) await new Promise((r) => setTimeout(r, 100));
    // Well past the idle timeout: nothing more closes.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(KEPT_CONNECTIONS).toBeGreaterThan(0);
    expect(pool.totalCount).toBe(KEPT_CONNECTIONS);
    const [{ n }] = (await dataSource.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1`, [application])) as Array<{ n: number }>;
    expect(n).toBe(KEPT_CONNECTIONS);
    // The next statement runs on a kept session: one of the five backends, not a new one.
    const [{ pid }] = (await dataSource.query(`SELECT pg_backend_pid() AS pid`)) as Array<{ pid: number }>;
    expect(pids.map(([r]) => (r as { pid: number }).pid)).toContain(pid);
  });
});
