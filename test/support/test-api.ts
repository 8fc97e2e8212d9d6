import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { validateConfig } from '@helpdesk/config';
import { createTestDatabase, dropTestDatabase, testStack } from '@helpdesk/testing';
import { createApi } from '../../apps/api/src/create-api';

export interface TestApiOptions {
  /** Defaults to the shared test Redis. */
  redisUrl?: string;
  /** Reuse a database (e.g. to test a restart); a fresh one is cloned otherwise. */
  database?: { name: string; url: string };
  env?: Record<string, string>;
}

export interface TestApi {
  app: NestFastifyApplication;
  http: ReturnType<typeof request>;
  url: string;
  adminToken: string;
  database: { name: string; url: string };
  queuePrefix: string;
  dataSource: DataSource;
  /** Closes the app; drops the database unless keepDatabase. */
  close: (options?: { keepDatabase?: boolean }) => Promise<void>;
}

/** Sets the environment the apps read their validated config from. */
export function useTestEnvironment(values: Record<string, string>): void {
  Object.assign(process.env, { NODE_ENV: 'test', LOG_LEVEL: 'silent', WORKER_PORT: '0' }, values);
}

/** The real API (AppModule, real PostgreSQL and Redis) listening on a random port. */
export async function startTestApi(options: TestApiOptions = {}): Promise<TestApi> {
  const stack = testStack();
  const database = options.database ?? (await createTestDatabase(stack));
  const adminToken = options.env?.BOOTSTRAP_ADMIN_TOKEN ?? `hds_test_${randomBytes(16).toString('hex')}`;
  const queuePrefix = options.env?.QUEUE_PREFIX ?? database.name;
  useTestEnvironment({
    DATABASE_URL: database.url,
    REDIS_URL: options.redisUrl ?? stack.redisUrl,
    QUEUE_PREFIX: queuePrefix,
    BOOTSTRAP_ADMIN_TOKEN: adminToken,
    PORT: '0',
    ...options.env,
  });
  const app = await createApi(validateConfig(process.env), { logger: false, abortOnError: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  return {
    app,
    http: request(url),
    url,
    adminToken,
    database,
    queuePrefix,
    dataSource: app.get(DataSource),
    close: async ({ keepDatabase = false } = {}) => {
      await app.close();
      if (!keepDatabase) await dropTestDatabase(database.name, stack);
    },
  };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
