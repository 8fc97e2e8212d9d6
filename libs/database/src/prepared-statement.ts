import type { EntityManager } from 'typeorm';

/** A hot statement PostgreSQL parses and plans once per connection instead of on every call. */
export interface PreparedStatement {
  /** Unique per SQL text: pg prepares it under this name on each pooled connection. */
  readonly name: string;
  readonly text: string;
}

export const prepared = (name: string, text: string): PreparedStatement => ({ name, text });

interface PgQueryable {
  query(config: { name?: string; text: string; values: unknown[]; types?: PgTypes }): Promise<{ rows: unknown[] }>;
}

/**
 * PostgreSQL's answer when a migration changed the columns a prepared `RETURNING *` or `SELECT *`
 * yields (a process still running while another one migrated: rolling deploy).
 */
export function isStalePlanError(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string } } | null;
  return (e?.code ?? e?.driverError?.code) === '0A000';
}

/**
 * A transaction run with its statements named (`prepare` true: planned once per connection) and,
 * when a migration made one of their plans stale (`isStalePlanError`: the transaction was rolled
 * back), run again unprepared. `onStale` hears of it first (a log line).
 */
export async function preparedFirst<T>(attempt: (prepare: boolean) => Promise<T>, onStale?: (error: unknown) => void): Promise<T> {
  try {
    return await attempt(true);
  } catch (error) {
    if (!isStalePlanError(error)) throw error;
    onStale?.(error);
    return attempt(false);
  }
}

export interface QueryPreparedOptions {
  /**
   * Name the statement inside the manager's transaction too. A stale plan then aborts the
   * transaction (and stays on that connection): the caller must catch `isStalePlanError` and run
   * its transaction again with this off.
   */
  nameInTransaction?: boolean;
  /** pg's type parsers for this statement's rows (e.g. SHOWN_INSTANT_TYPES); the process's own when absent. */
  types?: PgTypes;
}

/** What pg's query config takes as `types`. */
export interface PgTypes {
  getTypeParser(oid: number, format?: string): (text: string) => unknown;
}

/**
 * Runs a prepared statement on a pooled connection (PostgreSQL parses and plans it once per
 * connection), or inside the manager's transaction when it belongs to one — there as a plain
 * parameterised query unless `nameInTransaction`. Goes to the pg driver directly: TypeORM's
 * `query` cannot name a statement (and adds its own per-call overhead on the hottest paths).
 */
export async function queryPrepared<T>(
  manager: EntityManager,
  statement: PreparedStatement,
  values: unknown[],
  options: QueryPreparedOptions = {},
): Promise<T[]> {
  const runner = manager.queryRunner;
  if (runner && !runner.isReleased) {
    const connection = (await runner.connect()) as PgQueryable;
    const config = options.nameInTransaction ? { name: statement.name, text: statement.text, values, types: options.types } : { text: statement.text, values, types: options.types };
    return (await connection.query(config)).rows as T[];
  }
  const pool = (manager.connection.driver as unknown as { master: PgQueryable }).master;
  try {
    return (await pool.query({ name: statement.name, text: statement.text, values, types: options.types })).rows as T[];
  } catch (error) {
    // Outside a transaction nothing was aborted: answer with an unprepared run of the same SQL.
    if (!isStalePlanError(error)) throw error;
    return (await pool.query({ text: statement.text, values, types: options.types })).rows as T[];
  }
}
