import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { PostgresProcess, startPostgresProcess } from '../escalation/postgres-process';

/** The blocks of `table` in PostgreSQL's shared buffers, counted without reading the table. */
async function bufferedBlocks(url: string, table: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_buffercache');
    const [{ n }] = (
      await client.query(
        `SELECT count(*)::int AS n FROM pg_buffercache
          WHERE relfilenode = pg_relation_filenode($1::regclass) AND reldatabase = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        [table],
      )
    ).rows as Array<{ n: number }>;
    return n;
  } finally {
    await client.end();
  }
}

async function sql(url: string, text: string): Promise<Array<Record<string, unknown>>> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows as Array<Record<string, unknown>>;
  } finally {
    await client.end();
  }
}

/**
 * The devstack's PostgreSQL (`npm start`, the benches) brings back after a restart the blocks its
 * buffers held before it (pg_prewarm's autoprewarm): a search's first run after a restart finds its
 * pages as the last run before it left them, instead of reading each from storage. Needs `npm run build`.
 */
describe("PostgreSQL's buffers across a restart", () => {
  let dir: string;
  let postgres: PostgresProcess | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'helpdesk-prewarm-'));
  });
  afterAll(async () => {
    await postgres?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('holds the blocks that were read before the restart again, with nothing reading them after it', async () => {
    const dataDir = join(dir, 'postgres');
    const database = 'helpdesk_prewarm';
    postgres = await startPostgresProcess({ dataDir, database });
    const { url, port } = postgres;
    expect((await sql(url, 'SHOW shared_preload_libraries'))[0].shared_preload_libraries).toContain('pg_prewarm');
    // ≈ 1,800 blocks (14 MB): under a quarter of the 128 MB of buffers, so a scan keeps them (no ring buffer).
    await sql(url, `CREATE TABLE read_before (id int, body text); INSERT INTO read_before SELECT g, repeat('x', 200) FROM generate_series(1, 60000) g`);
    await sql(url, 'CHECKPOINT');
    await sql(url, 'SELECT count(*) FROM read_before');
    const before = await bufferedBlocks(url, 'read_before');
    expect(before).toBeGreaterThan(1_500);

    await postgres.stop();
    postgres = undefined;
    // The list of the buffers' blocks, written at shutdown.
    expect(existsSync(join(dataDir, 'autoprewarm.blocks'))).toBe(true);

    postgres = await startPostgresProcess({ dataDir, database, port });
    // The background worker reads them in after the start: wait for it, reading nothing of the table.
    let after = 0;
    for (const until = Date.now() + 30_000; Date.now() < until; await new Promise((r) => setTimeout(r, 100))) {
      after = await bufferedBlocks(postgres.url, 'read_before');
      if (after >= before) break;
    }
    expect(after).toBe(before);

    // Without autoprewarm the same restart leaves them out: the buffers start empty.
    await postgres.stop();
    postgres = await startPostgresProcess({ dataDir, database, port, extraFlags: ['-c', 'pg_prewarm.autoprewarm=off'] });
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await bufferedBlocks(postgres.url, 'read_before')).toBe(0);
  }, 120_000);
});
