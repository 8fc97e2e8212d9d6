import { Logger } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { channel } from 'node:diagnostics_channel';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { SESSION_COOKIE, withPageSession, type ConsoleSessionsService } from '@helpdesk/auth';

/** The console's language cookie (apps/console/src/i18n/i18n.ts writes it with the language it starts in). */
export const LANGUAGE_COOKIE = 'helpdesk_console_language';
/** The id of the data block (apps/console/src/app/server-render.ts reads it). */
export const SERVER_DATA_ID = 'console-data';
/** Where the server render's build (`vite build --ssr`, see apps/console/vite.config.ts) lies beside the console's. */
export const SERVER_ENTRY = join('..', 'console-ssr', 'entry-server.cjs');

type Language = 'es' | 'en';

/** What follows a streamed page's head (ConsoleServerRender.stream): `#root`'s HTML and end, then the data block and the page's end. */
export interface RestOfPage {
  root: string;
  after(): string;
}

/** How the page's request resolves its session cookie, once for the page (ConsoleSessionsService). */
export type PageSessions = Pick<ConsoleSessionsService, 'resolve'>;

/** The page's first render: what goes inside `#root` and its data block's JSON. */
interface Rendered {
  html: string;
  data: string;
}

/** apps/console/src/ssr/entry-server.tsx, as built. */
interface ServerEntry {
  prepare(): Promise<void>;
  inboxRequests(search: string): Record<string, string>;
  renderInbox(url: string, language: Language, answers: Record<string, unknown>, texts: Record<string, string>): Promise<Rendered>;
  ticketRequests(id: string): Record<string, string>;
  renderTicket(url: string, language: Language, answers: Record<string, unknown>, texts: Record<string, string>): Promise<Rendered>;
}

/** The answers' parsed bodies (null when refused) and their 200 bodies' JSON text as the routes sent it, by name. */
interface Answers {
  bodies: Record<string, unknown>;
  texts: Record<string, string>;
}

/**
 * A console page the api renders: the console routes its first render reads for an address (entry-server.tsx's
 * InboxRequests, TicketRequests), those of them that must answer 200 for it to be drawn (the others may be refused:
 * the browser then asks for them as without the render), its render, and its chunk (for the Link header).
 */
export interface ServerPage {
  name: 'inbox' | 'ticket';
  requests(entry: ServerEntry, url: string): Record<string, string>;
  required: readonly string[];
  render(entry: ServerEntry, url: string, language: Language, answers: Answers): Promise<Rendered>;
  /** The page's module as the build's manifest names it (apps/console/src/app/router.tsx). */
  module: string;
}

const searchOf = (url: string) => (url.includes('?') ? url.slice(url.indexOf('?')) : '');

/** The inbox: `/` with or without its search (the filters, a view). */
const INBOX_ADDRESS = /^\/(\?|$)/;
/** A ticket's page: its id as the console's router reads it (anything else is not a ticket the API has: the plain page). */
const TICKET_ADDRESS = /^\/tickets\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(\?|$)/i;

const INBOX: ServerPage = {
  name: 'inbox',
  requests: (entry, url) => entry.inboxRequests(searchOf(url)),
  required: ['session', 'list'],
  render: (entry, url, language, answers) => entry.renderInbox(url, language, answers.bodies, answers.texts),
  module: 'src/inbox/components/inbox-page.tsx',
};

const TICKET: ServerPage = {
  name: 'ticket',
  requests: (entry, url) => entry.ticketRequests(TICKET_ADDRESS.exec(url)![1]),
  // A ticket the caller may not see (another queue's, another customer's) is the API's 404: the plain page, and the browser shows the same 404.
  required: ['session', 'conversation'],
  render: (entry, url, language, answers) => entry.renderTicket(url, language, answers.bodies, answers.texts),
  module: 'src/ticket/components/ticket-page.tsx',
};

/** Which of the console's pages an address is, if the api renders it (the inbox, a ticket): the others are the plain page. */
export function serverPageOf(url: string): ServerPage | null {
  if (INBOX_ADDRESS.test(url)) return INBOX;
  if (TICKET_ADDRESS.test(url)) return TICKET;
  return null;
}

/**
 * The language the console will start in for this browser (apps/console/src/i18n/i18n.ts): the one
 * chosen before (its cookie), else the browser's own, which is what `Accept-Language` names first.
 */
export function consoleLanguage(cookie: string | undefined, acceptLanguage = ''): Language {
  if (cookie === 'es' || cookie === 'en') return cookie;
  return /^\s*es\b/i.test(acceptLanguage) ? 'es' : 'en';
}

const DATA_BLOCK_ESCAPES: Record<string, string> = { '<': '\\u003c', '\u2028': '\\u2028', '\u2029': '\\u2029' };

/**
 * JSON inside `<script type="application/json">`: no `<` at all, so neither `</script>` nor `<!--` can end or change
 * the block; nor U+2028/U+2029 as themselves (the block carries the routes' JSON text as sent, which has them raw).
 * One pass; a text with none of them is returned as it is.
 */
export function escapeDataBlock(json: string): string {
  return json.replace(/[<\u2028\u2029]/g, (c) => DATA_BLOCK_ESCAPES[c]);
}

/**
 * Where a rendered page's time went, for a bench that subscribes to RENDER_TRACE (bench/console-render-trace.ts):
 * nothing is measured or published without a subscriber. Instants are ms after the page's request reached the
 * render; CPU is the whole process's (`process.cpuUsage`: its threads too, brotli's included).
 */
export interface RenderTrace {
  url: string;
  /** The page's session check (its cookie resolved once, lent to the answers' requests): asked and answered. */
  session?: { askedAt: number; answeredAt: number };
  /** Each in-process answer: when it was asked and answered, its status, its body's bytes and the ms its JSON took to parse. */
  answers: Array<{ name: string; status: number; bytes: number; askedAt: number; answeredAt: number; parseMs: number }>;
  /** The render (the console's server build): from the last answer to its HTML and data, its wall and CPU ms. */
  render?: { startAt: number; endAt: number; cpuMs: number; htmlBytes: number; dataBytes: number };
  /** serve-console.ts: `#root`'s HTML handed to the compressor and flushed; then the data block escaped and handed to it; the document's end (all of it compressed and read by the socket). */
  rootAt?: number;
  blockAt?: number;
  endAt?: number;
  /** The process's CPU from the request to the document's end. */
  cpuMs?: number;
  cpuAtStart: NodeJS.CpuUsage;
  startedAt: number;
}

/** The channel RenderTrace is published on, once per rendered page (by serve-console.ts, when its document has ended). */
export const RENDER_TRACE = channel('helpdesk:console-render');

const cpuMsSince = (since: NodeJS.CpuUsage) => {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1000;
};

/** A trace for a page about to be rendered, when a bench listens (else undefined). */
function startTrace(url: string): RenderTrace | undefined {
  return RENDER_TRACE.hasSubscribers ? { url, answers: [], cpuAtStart: process.cpuUsage(), startedAt: performance.now() } : undefined;
}

/** Ends `trace` (the document's end) and publishes it. */
export function publishTrace(trace: RenderTrace | undefined): void {
  if (!trace) return;
  trace.endAt = performance.now() - trace.startedAt;
  trace.cpuMs = cpuMsSince(trace.cpuAtStart);
  RENDER_TRACE.publish(trace);
}

const EMPTY_ROOT = '<div id="root"></div>';
const ROOT_END = '</div>';

class TimedOut extends Error {}

/**
 * The first screen of the inbox and of a ticket's page in the HTML (issue #14): for a signed-in staff
 * member, index.html with the page (serverPageOf) rendered inside `#root` by the console's own
 * components (its server build), from the answers of the routes the console would ask first (the
 * inbox: session, the list's first page, the views' names, the customers; a ticket: session, the
 * ticket with its comments and events, its files, the directory, the plans: what the first paint draws), asked
 * in-process as the caller (their cookie, so their roles and visibility) through Fastify's `inject`.
 * Anything else — nobody signed in, a customer, a required answer that is not a 200, a timeout, a
 * render that throws — gives null: the plain index.html, as before (logged).
 */
export class ConsoleServerRender {
  private readonly logger = new Logger('ConsoleServerRender');

  /** The server build, loaded on first use (see `load`). */
  private entry?: Promise<ServerEntry>;

  private constructor(
    private readonly entryPath: string,
    private readonly index: string,
    private readonly timeoutMs: number,
    private readonly sessions?: PageSessions,
  ) {}

  /**
   * The server render of the console built in `root`, or null when that build has none or it is off
   * (the plain page then). `timeoutMs`: how long a page's answers may take before the plain page is
   * sent instead (the browser then asks for them itself, as without the server render): a slow render
   * must not be slower than none (AppConfig's CONSOLE_RENDER_TIMEOUT_MS). The build itself (React,
   * the console's components and strings: ≈ 18 MiB of the process's memory) is loaded by the first
   * request that wants it, not here: an api nobody opens the console on (an intake node, a bench)
   * never holds it. `sessions`: the page's request resolves its session cookie once and lends it to the
   * answers' requests (page-session.ts in @helpdesk/auth); without it each answer's request resolves it.
   */
  static load(root: string, timeoutMs: number, sessions?: PageSessions): ConsoleServerRender | null {
    if (timeoutMs === 0) return null;
    const path = resolve(root, SERVER_ENTRY);
    if (!existsSync(path)) {
      new Logger('ConsoleServerRender').warn(`No server render of the console (${path}): its pages are drawn by the browser alone`);
      return null;
    }
    const index = readFileSync(join(root, 'index.html'), 'utf8');
    if (!index.includes(EMPTY_ROOT)) throw new Error(`${join(root, 'index.html')} has no empty #root`);
    return new ConsoleServerRender(path, index, timeoutMs, sessions);
  }

  /** Whether this request may get a rendered page: it carries a session cookie (whose, the answers tell). */
  wants(request: FastifyRequest & { cookies?: Record<string, string | undefined> }): boolean {
    return Boolean(request.cookies?.[SESSION_COOKIE]);
  }

  /** The server build, required once (a failure is kept: the plain page from then on, logged once). */
  private serverEntry(): Promise<ServerEntry> {
    this.entry ??= (async () => {
      // Node's own require: the build is CommonJS with its packages inside (also under jest, which would transform it).
      const entry = createRequire(__filename)(this.entryPath) as ServerEntry;
      await entry.prepare();
      return entry;
    })();
    return this.entry;
  }

  /** The language the page is rendered in for this request (the console's rule, consoleLanguage). */
  languageOf(request: FastifyRequest & { cookies?: Record<string, string | undefined> }): Language {
    return consoleLanguage(request.cookies?.[LANGUAGE_COOKIE], request.headers['accept-language']);
  }

  /**
   * `page` in parts, for a response that sends its head at once (the browser fetches the stylesheet
   * and the scripts it names while the api asks and renders): `head`, up to `#root`'s content, and
   * `rest` (never rejects): `root`, the rendered page and `#root`'s end — or nothing, the plain page —
   * then `after()`, the data block and the page's end. `after` escapes the data block when called: a
   * response sends (and flushes) `root` first, so that the browser parses the page's HTML while the
   * data block, the larger part, is escaped and compressed.
   */
  stream(
    api: FastifyInstance,
    request: FastifyRequest & { cookies?: Record<string, string | undefined> },
    page: ServerPage,
  ): { language: Language; head: string; rest: Promise<RestOfPage>; trace?: RenderTrace } {
    const trace = startTrace(request.url);
    const language = this.languageOf(request);
    const html = this.index.replace(/<html lang="[^"]*"/, `<html lang="${language}"`);
    const at = html.indexOf(EMPTY_ROOT) + EMPTY_ROOT.length - ROOT_END.length;
    const [head, tail] = [html.slice(0, at), html.slice(at)];
    const rest = this.rendered(api, request, page, language, trace).then((rendered): RestOfPage => {
      if (!rendered) return { root: '', after: () => tail };
      return {
        root: `${rendered.html}${ROOT_END}`,
        after: () => `<script type="application/json" id="${SERVER_DATA_ID}">${escapeDataBlock(rendered.data)}</script>${tail.slice(ROOT_END.length)}`,
      };
    });
    return { language, head, rest, trace };
  }

  /** The rendered `#root` and its data, or null (why, logged). */
  private async rendered(api: FastifyInstance, request: FastifyRequest, page: ServerPage, language: Language, trace?: RenderTrace): Promise<Rendered | null> {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TimedOut()), this.timeoutMs);
    });
    const url = request.url;
    try {
      // The first request loads the build within the same time the answers may take.
      const entry = await Promise.race([this.serverEntry(), timeout]);
      const answers = await Promise.race([this.answersAsCaller(api, request, page, page.requests(entry, url), trace), timeout]);
      if (!answers) return null;
      const renderStart = trace && { at: performance.now() - trace.startedAt, cpu: process.cpuUsage() };
      const rendered = await page.render(entry, url, language, answers);
      if (trace && renderStart) {
        const endAt = performance.now() - trace.startedAt;
        trace.render = { startAt: renderStart.at, endAt, cpuMs: cpuMsSince(renderStart.cpu), htmlBytes: Buffer.byteLength(rendered.html), dataBytes: Buffer.byteLength(rendered.data) };
      }
      this.logger.debug(`Rendered ${url} in ${(performance.now() - started).toFixed(1)} ms`);
      return rendered;
    } catch (error) {
      if (error instanceof TimedOut) this.logger.warn(`The ${page.name}'s build or answers took over ${this.timeoutMs} ms: the plain page instead`);
      else this.logger.error(`The server render of ${url} failed: the plain page instead`, error instanceof Error ? error.stack : String(error));
      return null;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * The answers (`answers`) with the page's session resolved once and lent to their requests in-process:
   * null at once — the plain page — for a session that has ended (the browser then hears the API's 401
   * as without the render) or that is not a staff member's (the console's pages are staff's).
   */
  private async answersAsCaller(api: FastifyInstance, request: FastifyRequest & { cookies?: Record<string, string | undefined> }, page: ServerPage, requests: Record<string, string>, trace?: RenderTrace): Promise<Answers | null> {
    const sessionId = request.cookies?.[SESSION_COOKIE];
    if (!this.sessions || !sessionId) return this.answers(api, request, page, requests, trace);
    const askedAt = trace && performance.now() - trace.startedAt;
    const session = await this.sessions.resolve(sessionId);
    if (trace && askedAt !== undefined) trace.session = { askedAt, answeredAt: performance.now() - trace.startedAt };
    if (session?.principal.kind !== 'staff') {
      this.logger.log(`${request.url}: ${session ? "a customer's session" : 'an ended session'}, the plain page instead`);
      return null;
    }
    return withPageSession({ id: sessionId, ...session }, () => this.answers(api, request, page, requests, trace));
  }

  /**
   * The answers, asked at once: null when one the page requires is not a 200 — the session is not a
   * staff member's (401, 403 for a customer's), the inbox's list is refused (a view that is not theirs,
   * a bad filter), the ticket is not one they may see (404): the browser shows the API's answer as it
   * does now. The others (the views' names, the directory, the agents and macros — refused to some
   * roles) are null when refused, and the browser asks for them as now.
   */
  private async answers(api: FastifyInstance, request: FastifyRequest, page: ServerPage, requests: Record<string, string>, trace?: RenderTrace): Promise<Answers | null> {
    const headers = { cookie: request.headers.cookie ?? '', 'accept-language': request.headers['accept-language'] ?? '' };
    const ask = async (name: string) => {
      const askedAt = trace && performance.now();
      const answer = await api.inject({ method: 'GET', url: requests[name], headers });
      const parseStart = trace && performance.now();
      // The text is kept: the render's data block carries it as it is (entry-server.tsx's dataBlock), not serialised again.
      const text = answer.statusCode === 200 ? answer.payload : null;
      const body = text === null ? null : (JSON.parse(text) as unknown);
      if (trace && askedAt !== undefined && parseStart !== undefined) {
        const now = performance.now();
        trace.answers.push({ name, status: answer.statusCode, bytes: answer.rawPayload.length, askedAt: askedAt - trace.startedAt, answeredAt: parseStart - trace.startedAt, parseMs: now - parseStart });
      }
      return { status: answer.statusCode, body, text };
    };
    const names = Object.keys(requests);
    const answered = await Promise.all(names.map((name) => ask(name)));
    const refused = page.required.find((name) => answered[names.indexOf(name)]?.status !== 200);
    if (refused) {
      this.logger.log(`${request.url}: ${refused} answered ${answered[names.indexOf(refused)]?.status ?? 'nothing'}, the plain page instead`);
      return null;
    }
    const texts: Record<string, string> = {};
    names.forEach((name, i) => {
      const { text } = answered[i];
      if (text !== null) texts[name] = text;
    });
    return { bodies: Object.fromEntries(names.map((name, i) => [name, answered[i].body])), texts };
  }
}
