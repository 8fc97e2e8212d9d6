import { DataSource } from 'typeorm';

/**
 * Runs `work` while this process holds the PostgreSQL session advisory lock `key` (on a pooled
 * connection kept for the purpose; `work` uses any other): one run at a time across every process
 * of a deployment. Returns `{ ran: false }` at once when another session holds the lock. The lock
 * goes with its session, so a process killed mid-run frees it.
 */
export async function whileHoldingAdvisoryLock<T>(dataSource: DataSource, key: number, work: () => Promise<T>): Promise<{ ran: true; result: T } | { ran: false }> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    const [{ locked }] = await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [key]);
    if (!locked) return { ran: false };
    try {
      return { ran: true, result: await work() };
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [key]);
    }
  } finally {
    await runner.release();
  }
}

/**
 * A DELETE for deleteInBatches of the rows of `table` whose `column` is older than `$2` hours or
 * days, oldest first (an index on `column` finds them), by row address; rows a writer has locked
 * are left for the next batch rather than waited for. For the owner of `table` to run.
 */
export function deleteOlderThanSql(table: string, column: string, unit: 'hour' | 'day'): string {
  return `DELETE FROM ${table}
   WHERE ctid = ANY(ARRAY(
     SELECT ctid FROM ${table}
      WHERE ${column} < now() - $2 * interval '1 ${unit}'
      ORDER BY ${column} LIMIT $1
        FOR UPDATE SKIP LOCKED))`;
}

/**
 * Runs a DELETE of at most `batchSize` rows (its `$1` is the batch size; its other parameters
 * follow) again and again, each in its own short transaction, until one deletes fewer than a batch:
 * pruning a large table never holds many row locks or one long transaction that writers would wait
 * on. Returns how many rows went, in how many batches.
 */
export async function deleteInBatches(dataSource: DataSource, sql: string, params: unknown[], batchSize: number): Promise<{ deleted: number; batches: number }> {
  let deleted = 0;
  let batches = 0;
  for (;;) {
    const [, count] = (await dataSource.query(sql, [batchSize, ...params])) as [unknown, number];
    batches++;
    deleted += count;
    if (count < batchSize) return { deleted, batches };
  }
}
