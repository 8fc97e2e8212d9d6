import { DataSource, QueryRunner } from 'typeorm';

/** The pg-pool under TypeORM's postgres driver (`min`: the connections it keeps however long idle). */
export interface PgPool {
  options: { min?: number; max?: number };
  totalCount: number;
  idleCount: number;
}

export function poolOf(dataSource: DataSource): PgPool {
  return (dataSource.driver as unknown as { master: PgPool }).master;
}

/** How many connections to open for `wanted`: never more than the pool may hold, and at least one. */
export function connectionsToWarm(wanted: number, poolSize: number | undefined): number {
  return Math.max(1, Math.min(Math.floor(wanted), poolSize ?? 10));
}

/**
 * Opens `count` of the pool's connections at once (at most the pool's size), runs `warm` on each and
 * gives them back, and keeps that many open however long they then sit idle (the pool's `min` raised,
 * never lowered). For work that needs that many connections at once the first time it runs: without
 * them it opens them itself, and each new PostgreSQL session pays its set-up and its first
 * statements' catalog look-ups during that work. Returns how many connections were warmed.
 */
export async function keepConnectionsWarm(dataSource: DataSource, count: number, warm: (runner: QueryRunner) => Promise<void>): Promise<number> {
  const pool = poolOf(dataSource);
  const n = connectionsToWarm(count, pool.options.max);
  pool.options.min = Math.max(pool.options.min ?? 0, n);
  const runners = Array.from({ length: n }, () => dataSource.createQueryRunner());
  try {
    // All held at once: the pool has to open a connection for each that is not idle already.
    await Promise.all(runners.map((runner) => runner.connect()));
    await Promise.all(runners.map((runner) => warm(runner)));
  } finally {
    await Promise.all(runners.map((runner) => runner.release()));
  }
  return n;
}
