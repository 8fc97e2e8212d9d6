import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export const TEMPLATE_DATABASE = 'helpdesk_template';

/** What the global setup started, handed to test files through the environment. */
export interface TestStack {
  root: string;
  postgresAdminUrl: string;
  redisUrl: string;
}

export function testStack(): TestStack {
  const raw = process.env.HELPDESK_TEST_STACK;
  if (!raw) throw new Error('The e2e global setup did not run (HELPDESK_TEST_STACK is unset)');
  return JSON.parse(raw) as TestStack;
}

export function databaseUrl(stack: TestStack, database: string): string {
  const url = new URL(stack.postgresAdminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** A fresh, migrated database of its own for one test file (cloned from the template). */
export async function createTestDatabase(stack = testStack()): Promise<{ name: string; url: string }> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  const client = new Client({ connectionString: stack.postgresAdminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}" TEMPLATE "${TEMPLATE_DATABASE}"`);
  } finally {
    await client.end();
  }
  return { name, url: databaseUrl(stack, name) };
}

export async function dropTestDatabase(name: string, stack = testStack()): Promise<void> {
  const client = new Client({ connectionString: stack.postgresAdminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
