import type { INestApplicationContext } from '@nestjs/common';
import { mkdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { startTestApi, startTestMailIn, startTestWorker, testStack, type TestApi } from '../../../../test/support';
import { LOCAL_RECEIVER_ENV } from '../../../../test/escalation/support';
import { launchChromium } from '../../../../libs/devstack/src/chromium';

/** Where `npm run build` puts the console, which the api serves (its CONSOLE_DIR default); CONSOLE_TEST_DIST tries another build. */
export const CONSOLE_DIST = process.env.CONSOLE_TEST_DIST ?? join(__dirname, '..', '..', '..', '..', 'dist', 'console');

/**
 * Everything a browser test needs, all real: the API (serving the built console at `/`) and the
 * worker on a fresh PostgreSQL database and the shared test Redis, and Chromium; with INBOUND_SMTP_PORT
 * among `workerEnv`, mail-in (the inbound SMTP listener) too. Webhooks may go to a local receiver (a
 * vendor on 127.0.0.1).
 */
export interface ConsoleStack {
  api: TestApi;
  worker: INestApplicationContext;
  listener?: INestApplicationContext;
  browser: Browser;
  close: () => Promise<void>;
}

export async function startConsoleStack(workerEnv: Record<string, string> = {}, apiEnv: Record<string, string> = {}): Promise<ConsoleStack> {
  // The inbox always comes rendered in its page, as it does on a machine that is not running a test suite beside it
  // (the default 150 ms would give way to the plain page now and then under the suite's load: two paths at random).
  const api = await startTestApi({ env: { CONSOLE_DIR: CONSOLE_DIST, CONSOLE_RENDER_TIMEOUT_MS: '5000', ...LOCAL_RECEIVER_ENV, ...apiEnv } });
  const env = { DATABASE_URL: api.database.url, REDIS_URL: testStack().redisUrl, QUEUE_PREFIX: api.queuePrefix, ...LOCAL_RECEIVER_ENV, ...workerEnv };
  const worker = await startTestWorker(env);
  const smtpPort = workerEnv.INBOUND_SMTP_PORT;
  const listener = smtpPort ? await startTestMailIn({ ...env, INBOUND_SMTP_PORT: smtpPort }) : undefined;
  const browser = await launchChromium();
  return {
    api,
    worker,
    listener,
    browser,
    close: async () => {
      await browser.close();
      await listener?.close();
      await worker.close();
      await api.close();
    },
  };
}

/** What went wrong in a page that no assertion would see: script errors and Content-Security-Policy violations. */
export interface PageProblems {
  errors: string[];
  cspViolations: string[];
}

/**
 * A new isolated browser context (its own storage, as a separate person's browser) with one page,
 * in the given language, watched for script errors and CSP violations.
 */
export async function openPage(
  stack: ConsoleStack,
  language: 'en' | 'es' = 'en',
  /** The browser's own settings when a test needs them apart from the console's language: its locale, its time zone. */
  browser: { locale?: string; timezoneId?: string } = {},
): Promise<{ context: BrowserContext; page: Page; problems: PageProblems }> {
  const context = await stack.browser.newContext({ viewport: { width: 1400, height: 900 }, locale: language === 'es' ? 'es-ES' : 'en-GB', baseURL: stack.api.url, ...browser });
  const problems: PageProblems = { errors: [], cspViolations: [] };
  // A browser locale of its own: the console's language is still `language`, as chosen in the console.
  if (browser.locale) await context.addInitScript((chosen) => localStorage.setItem('helpdesk.console.language', chosen), language);
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI} ${event.sample}`));
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    if (text.startsWith('CSP violation')) problems.cspViolations.push(text);
    // A refused request also logs "Failed to load resource"; the tests assert what the page shows instead.
    else if (!text.startsWith('Failed to load resource')) problems.errors.push(text);
  });
  return { context, page, problems };
}

/**
 * Types a calendar date (YYYY-MM-DD) into one of the console's date fields (`page.getByRole('group',
 * {name: label})`): each part in its own spin button, in whatever order the console's language puts them.
 */
export async function fillDate(field: Locator, date: string): Promise<void> {
  const [year, month, day] = date.split('-');
  const parts: Record<string, string> = { year, month, day };
  const segments = field.getByRole('spinbutton');
  for (let i = 0; i < (await segments.count()); i++) {
    const segment = segments.nth(i);
    await segment.focus();
    await segment.pressSequentially(parts[(await segment.getAttribute('data-type')) ?? '']);
  }
}

/** Types a date and time (YYYY-MM-DDTHH:mm) into a date-and-time field, part by part, in whatever order and hour cycle the page's language gives them. */
export async function fillDateTime(field: Locator, value: string): Promise<void> {
  const [date, time] = value.split('T');
  const [year, month, day] = date.split('-');
  const [hour, minute] = time.split(':');
  const twelve = (await field.locator('[data-type="dayPeriod"]').count()) > 0;
  const h = Number(hour);
  const parts: Record<string, string> = { year, month, day, minute, hour: twelve ? String(h % 12 || 12).padStart(2, '0') : hour, dayPeriod: h < 12 ? 'a' : 'p' };
  const segments = field.getByRole('spinbutton');
  for (let i = 0; i < (await segments.count()); i++) {
    const segment = segments.nth(i);
    await segment.focus();
    await segment.pressSequentially(parts[(await segment.getAttribute('data-type')) ?? '']);
  }
}

/** What a date field shows, as a person reads it (`06/12/2026`, or its placeholder `dd/mm/aaaa`): without the bidi marks around its parts. */
export async function dateText(field: Locator): Promise<string> {
  return (await field.innerText()).replace(/[^\p{L}\d/.-]/gu, '');
}

/** Signs in through the sign-in page with a pasted token and waits for the inbox. */
export async function signIn(page: Page, token: string): Promise<void> {
  await page.goto('/');
  await page.locator('input[name="token"]').fill(token);
  await page.locator('form button[type="submit"]').click();
  await page.locator('#inbox-title').waitFor();
}

/** The axe-core rules' findings that matter: serious and critical ones. */
export async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  // axe runs in the page through the DevTools protocol, which the page's CSP does not govern.
  await page.evaluate(await readFile(require.resolve('axe-core/axe.min.js'), 'utf8'));
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: string[] }> }> }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.targets.join(', ')}`);
}

/**
 * Where the screenshots of the main pages go: docs/screenshots with CONSOLE_SCREENSHOTS=docs
 * (`npm run console:screenshots`), a temporary folder otherwise, so a test run leaves the
 * working tree as it found it.
 */
export const SCREENSHOT_DIR = process.env.CONSOLE_SCREENSHOTS === 'docs' ? join(__dirname, '..', '..', '..', '..', 'docs', 'screenshots') : join(tmpdir(), 'helpdesk-console-screenshots');

/** The whole page; or, for a dialog (`viewport`), the window it sits in, as its overlay covers only that. */
export async function screenshot(page: Page, name: string, area: 'page' | 'viewport' = 'page'): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: area === 'page', animations: 'disabled' });
  return path;
}
