import type { EntityManager } from 'typeorm';

/** A hot statement PostgreSQL parses and plans once per connection instead of on every call. */
export interface PreparedStatement {
  /** Unique per SQL text: pg prepares it under this name on each pooled connection. */
  readonly name: string;
  readonly text: string;
}

export const prepared = (name: string, text: string): PreparedStatement => ({ name, text });

interface PgQueryable {
  query(config: { name?: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/** PostgreSQL's answer when a migration changed the columns a prepared `RETURNING *` yields. */
const CACHED_PLAN_CHANGED = '0A000';

/**
 * Runs a prepared statement on a pooled connection (PostgreSQL parses and plans it once per
 * connection), or as a plain parameterised query inside the manager's transaction when it belongs
 * to one. Goes to the pg driver directly: TypeORM's `query` cannot name a statement (and adds its
 * own per-call overhead on the hottest paths).
 */
export async function queryPrepared<T>(manager: EntityManager, statement: PreparedStatement, values: unknown[]): Promise<T[]> {
  const runner = manager.queryRunner;
  if (runner && !runner.isReleased) {
    // Not named inside a transaction: a stale plan (below) would abort it and stay on the connection.
    const connection = (await runner.connect()) as PgQueryable;
    return (await connection.query({ text: statement.text, values })).rows as T[];
  }
  const pool = (manager.connection.driver as unknown as { master: PgQueryable }).master;
  try {
    return (await pool.query({ name: statement.name, text: statement.text, values })).rows as T[];
  } catch (error) {
    // A process still running while another one migrated the table (rolling deploy) keeps the old
    // prepared plan on its connections, and PostgreSQL refuses it once `RETURNING *` would yield
    // other columns: answer with an unprepared run of the same SQL instead.
    if ((error as { code?: string }).code !== CACHED_PLAN_CHANGED) throw error;
    return (await pool.query({ text: statement.text, values })).rows as T[];
  }
}
