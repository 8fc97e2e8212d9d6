import fastifyStatic from '@fastify/static';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PassThrough, type Writable } from 'node:stream';
import { constants, createBrotliCompress, createGzip } from 'node:zlib';
import { ConsoleSessionsService } from '@helpdesk/auth';
import { consoleChunks, consoleEntry } from './console-chunks';
import { consolePreloads, preloadLinkHeader } from './console-preloads';
import { CONSOLE_CONTENT_SECURITY_POLICY } from './content-security-policy';
import { ConsoleServerRender, publishTrace, serverPageOf, type RenderTrace, type RestOfPage, type ServerPage } from './server-render';

/** Paths that are the api's own: an unknown one there is the api's 404 (problem+json), never the console. */
const API_PATHS = /^\/(api(\/|$)|health(\/|$)|metrics(\/|$)|admin\/queues(\/|$))/;
/**
 * Brotli's quality for a rendered page (compressed per request, on the api's CPU): a 206-entry ticket's
 * 258 KiB document in three flushed parts takes ≈ 1.5 ms less CPU at 4 than at 5 for 2 % more bytes
 * (24.8 KiB against 24.4; bench/README.md, branch r16-ticketpage).
 */
const RENDERED_BROTLI_QUALITY = 4;
/** Files the build names by their content: a new build gives them new names, so they can be cached for good. */
const HASHED = /^\/assets\//;

/**
 * Serves the web console (a single-page app) at `/`: its files with the hashed ones cached for a
 * year and the rest (index.html first) revalidated every time, brotli or gzip from the build's
 * precompressed copies when the browser takes them, the console's strict Content-Security-Policy
 * on its pages (with the entry script first, then the first API requests and the page's chunks
 * of the inbox and of a ticket page preloaded, see console-preloads.ts), and index.html for any other GET outside the api's paths (the app's routes).
 * The inbox's address and a ticket's are answered, for a signed-in staff member, with the page's first
 * screen already in it (server-render.ts): per person, so never stored by a cache (`no-store`, `Vary: Cookie`).
 */
export async function serveConsole(app: NestFastifyApplication, dir: string, renderTimeoutMs = 0): Promise<boolean> {
  const root = resolve(dir);
  if (!existsSync(join(root, 'index.html'))) {
    new Logger('Console').warn(`The web console is not built (no index.html in ${root}): serving the API only. Build it with \`npm run build:console\` (or \`npm run build\`)`);
    return false;
  }
  const chunksOf = consoleChunks(root);
  const entry = consoleEntry(root);
  const serverRender = ConsoleServerRender.load(root, renderTimeoutMs, app.get(ConsoleSessionsService));
  const setHeaders = (reply: FastifyReply, path: string) => {
    const asset = HASHED.test(path.slice(root.length).replaceAll('\\', '/'));
    void reply.header('Cache-Control', asset ? 'public, max-age=31536000, immutable' : 'no-cache');
    // `path` is the file sent: index.html.br or .gz when the browser takes a compressed copy.
    if (!/\.html(\.br|\.gz)?$/.test(path)) return;
    void reply.header('Content-Security-Policy', CONSOLE_CONTENT_SECURITY_POLICY);
    const { requests, modules, later } = consolePreloads(reply.request.url, reply.request.headers['accept-language']);
    const link = preloadLinkHeader({ entry, requests, modules: modules.flatMap(chunksOf), later });
    if (link) void reply.header('Link', link);
  };
  const api = app.getHttpAdapter().getInstance();
  /**
   * A rendered page (the inbox, a ticket) for someone with a session cookie: its head at once (the browser
   * fetches the stylesheet, the entry script and, from the Link header, the page's strings and chunk while
   * the api asks for the page's data and renders it), then the rendered page, then its data block — or the
   * empty `#root` of the plain page, when the render gives none (server-render.ts) — and the page's end. No
   * API request is preloaded (the rendered page has their answers); compressed here, flushed after the head
   * and after the rendered page.
   */
  const sendRendered = (reply: FastifyReply, module: string, page: { language: 'es' | 'en'; head: string; rest: Promise<RestOfPage>; trace?: RenderTrace }) => {
    const link = preloadLinkHeader({ entry, requests: [], modules: [`src/i18n/${page.language}.json`, module].flatMap(chunksOf) });
    const accepts = String(reply.request.headers['accept-encoding'] ?? '');
    const encoding = /\bbr\b/.test(accepts) ? 'br' : /\bgzip\b/.test(accepts) ? 'gzip' : null;
    void reply
      .header('Content-Type', 'text/html; charset=utf-8')
      .header('Cache-Control', 'no-store')
      .header('Vary', 'Cookie, Accept-Encoding')
      .header('Content-Security-Policy', CONSOLE_CONTENT_SECURITY_POLICY);
    if (link) void reply.header('Link', link);
    const body = new PassThrough();
    let out: Writable & { flush?: (callback?: () => void) => void } = body;
    if (encoding) {
      const compress = encoding === 'br' ? createBrotliCompress({ params: { [constants.BROTLI_PARAM_QUALITY]: RENDERED_BROTLI_QUALITY } }) : createGzip({ level: 6 });
      compress.pipe(body);
      out = compress;
      void reply.header('Content-Encoding', encoding);
    }
    out.write(page.head);
    out.flush?.();
    const { trace } = page;
    if (trace) body.once('end', () => publishTrace(trace));
    void page.rest.then((rest) => {
      // `#root`'s HTML flushed on its own: the browser parses the page while the data block is escaped and compressed.
      if (rest.root) {
        out.write(rest.root);
        out.flush?.();
      }
      if (trace) trace.rootAt = performance.now() - trace.startedAt;
      const after = rest.after();
      if (trace) trace.blockAt = performance.now() - trace.startedAt;
      out.end(after);
    });
    return reply.send(body);
  };
  await app.register(async (scope: FastifyInstance) => {
    // No `index`: `/` is the inbox's address, answered below (rendered, or index.html as for any other page).
    await scope.register(fastifyStatic, { root, prefix: '/', wildcard: false, index: false, preCompressed: true, cacheControl: false, setHeaders });
    scope.get('/*', (request, reply) => {
      const path = request.url.split('?')[0];
      if (API_PATHS.test(path) || HASHED.test(path)) return reply.callNotFound();
      const page: ServerPage | null = serverPageOf(request.url);
      if (page) {
        // The same address gives another page to another person (or nobody signed in).
        void reply.header('Vary', 'Cookie');
        if (serverRender?.wants(request)) return sendRendered(reply, page.module, serverRender.stream(api, request, page));
      }
      return reply.sendFile('index.html');
    });
  });
  return true;
}
