import { rm } from 'node:fs/promises';
import type { RunningPostgres } from '../../devstack/src/embedded-postgres';
import type { RunningRedis } from '../../devstack/src/local-redis';

export default async function globalTeardown(): Promise<void> {
  const stack = (globalThis as Record<string, unknown>).__helpdeskStack as
    | { postgres: RunningPostgres; redis: RunningRedis; root: string }
    | undefined;
  if (!stack) return;
  await stack.redis.stop();
  await stack.postgres.stop();
  await rm(stack.root, { recursive: true, force: true });
}
