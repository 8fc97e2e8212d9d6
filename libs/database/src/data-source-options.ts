import { join } from 'node:path';
import { DataSource, DataSourceOptions } from 'typeorm';
import { SnakeNamingStrategy } from './snake-naming.strategy';
import { useFastTimestampParser } from './timestamp-parser';

/** Entities and migrations are found by file name, so the Nest apps and the TypeORM CLI share one list. */
const LIBS_ROOT = join(__dirname, '..', '..');

export interface DatabaseSettings {
  url: string;
  poolSize: number;
  applicationName: string;
}

/**
 * Pooled connections kept open however long they sit idle (pg-pool closes the others after 10 s).
 * A new connection's first search costs its PostgreSQL backend 13–25 ms of CPU more than the next
 * ones (the text-search dictionaries and the catalog loaded for the session), plus the connection's
 * own set-up: without these, a person's search after a quiet spell of the api paid both
 * (bench/README.md, "The first searches after PostgreSQL starts"). The API keeps more, those of a
 * bulk request (`keepConnectionsWarm`, called by TicketBulkService as the API starts).
 */
export const KEPT_CONNECTIONS = 2;

export function dataSourceOptions(settings: DatabaseSettings): DataSourceOptions {
  useFastTimestampParser();
  return {
    type: 'postgres',
    url: settings.url,
    entities: [join(LIBS_ROOT, '*/src/**/*.entity.{ts,js}')],
    migrations: [join(LIBS_ROOT, 'database/src/migrations/*.{ts,js}')],
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    namingStrategy: new SnakeNamingStrategy(),
    extra: {
      max: settings.poolSize,
      min: Math.min(KEPT_CONNECTIONS, settings.poolSize),
      application_name: settings.applicationName,
      connectionTimeoutMillis: 5000,
    },
  };
}

/** Any fixed 64-bit number: every app that starts takes it before migrating, so they migrate one at a time. */
const MIGRATION_LOCK_KEY = 7_202_611_250;

/** Runs pending migrations while holding a PostgreSQL advisory lock (safe with many apps starting together). */
export async function runMigrationsLocked(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}
