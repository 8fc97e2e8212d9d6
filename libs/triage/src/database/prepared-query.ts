import type { Pool, QueryResultRow } from 'pg';
import type { DataSource } from 'typeorm';

/**
 * Runs one statement as a named prepared statement on the DataSource's own connection pool: each
 * connection parses it once and PostgreSQL may keep a generic plan, instead of parsing and planning
 * it for every ticket. Outside a transaction, the statement is its own transaction. For the hot
 * triage path only; `name` must always go with the same `text`.
 */
export async function preparedQuery<R extends QueryResultRow>(dataSource: DataSource, name: string, text: string, values: unknown[]): Promise<R[]> {
  const pool = (dataSource.driver as unknown as { master: Pool }).master;
  return (await pool.query<R>({ name, text, values })).rows;
}
