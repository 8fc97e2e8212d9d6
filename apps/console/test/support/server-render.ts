/**
 * What the server-render tests (the inbox's and a ticket page's) share: the page's data block, API
 * calls and a sign-in cookie for a token, and an api whose console server build throws in one render.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import request, { type Response } from 'supertest';
import { bearer, startTestApi, type TestApi } from '../../../../test/support';
import { CONSOLE_DIST, type ConsoleStack } from './console-stack';

/** The JSON data block a rendered page carries (its content is the first group). */
export const DATA_BLOCK = /<script type="application\/json" id="console-data">([^<]*)<\/script>/;

/** The session cookie (name=value) a sign-in answer sets, as the browser would keep it (not the clearing of an older one). */
export function sessionCookieOf(signIn: Response): string {
  const cookie = ([] as string[]).concat(signIn.headers['set-cookie'] ?? []).find((c) => c.startsWith('helpdesk_session=') && !c.startsWith('helpdesk_session=;'));
  if (!cookie) throw new Error(`the sign-in (${signIn.status}) set no session cookie`);
  return cookie.split(';')[0];
}

/** Calls to the stack's API with a token, and the session cookie a sign-in with it at `path` gives (`stackOf`: the stack once started). */
export function apiOf(stackOf: () => ConsoleStack) {
  const http = () => stackOf().api.http;
  return {
    as: (token: string) => ({
      get: async (path: string) => (await http().get(path).set(bearer(token))).body as Record<string, unknown>,
      post: (path: string, body: object) => http().post(path).set(bearer(token)).send(body),
      patch: (path: string, body: object) => http().patch(path).set(bearer(token)).send(body),
    }),
    sessionCookie: async (path: string, token: string) => {
      const res = await http().post(path).send({ token });
      expect(res.status).toBe(201);
      return sessionCookieOf(res);
    },
  };
}

/** A browser context with the session cookie (as after a sign-in), kept in `contexts` for the test to close. */
export async function signedInBrowser(stack: ConsoleStack, contexts: BrowserContext[], cookie: string, options: { javaScriptEnabled?: boolean } = {}): Promise<BrowserContext> {
  const context = await stack.browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en-GB', baseURL: stack.api.url, ...options });
  contexts.push(context);
  const [name, value] = cookie.split('=');
  await context.addCookies([{ name, value, url: stack.api.url }]);
  return context;
}

/**
 * Runs `check` against a second api on the stack's database whose console is the same build but for
 * its server entry's `render` export (`renderInbox`, `renderTicket`), which throws; `cookie` is the
 * admin's session there. Removes the copy and stops that api after.
 */
export async function withThrowingRender(stack: ConsoleStack, render: 'renderInbox' | 'renderTicket', adminToken: string, check: (api: TestApi, cookie: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'console-broken-ssr-'));
  try {
    await cp(CONSOLE_DIST, join(dir, 'console'), { recursive: true });
    await cp(join(CONSOLE_DIST, '..', 'console-ssr'), join(dir, 'console-ssr'), { recursive: true });
    const entry = join(dir, 'console-ssr', 'entry-server.cjs');
    await writeFile(entry, `${await readFile(entry, 'utf8')}\nexports.${render} = async () => { throw new Error('a component broke'); };\n`);
    const broken = await startTestApi({ database: stack.api.database, env: { CONSOLE_DIR: join(dir, 'console'), BOOTSTRAP_ADMIN_TOKEN: stack.api.adminToken, QUEUE_PREFIX: stack.api.queuePrefix } });
    try {
      await check(broken, sessionCookieOf(await request(broken.url).post('/api/v1/session').send({ token: adminToken })));
    } finally {
      await broken.close({ keepDatabase: true });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
