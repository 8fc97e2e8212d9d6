import fastifyStatic from '@fastify/static';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { consoleChunks, consoleEntry } from './console-chunks';
import { consolePreloads, preloadLinkHeader } from './console-preloads';
import { CONSOLE_CONTENT_SECURITY_POLICY } from './content-security-policy';
import { ConsoleServerRender } from './server-render';

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/** The inbox's address: `/` with or without its search (the filters, a view). */
const INBOX = /^\/(\?|$)/;

/** Paths that are the api's own: an unknown one there is the api's 404 (problem+json), never the console. */
const API_PATHS = /^\/(api(\/|$)|health(\/|$)|metrics(\/|$)|admin\/queues(\/|$))/;
/** Files the build names by their content: a new build gives them new names, so they can be cached for good. */
const HASHED = /^\/assets\//;

/**
 * Serves the web console (a single-page app) at `/`: its files with the hashed ones cached for a
 * year and the rest (index.html first) revalidated every time, brotli or gzip from the build's
 * precompressed copies when the browser takes them, the console's strict Content-Security-Policy
 * on its pages (with the entry script first, then the first API requests and the page's chunks
 * of the inbox and of a ticket page preloaded, see console-preloads.ts), and index.html for any other GET outside the api's paths (the app's routes).
 * The inbox's address is answered, for a signed-in staff member, with its first screen already in
 * the page (server-render.ts): per person, so never stored by a cache (`no-store`, `Vary: Cookie`).
 */
export async function serveConsole(app: NestFastifyApplication, dir: string, renderTimeoutMs = 0): Promise<boolean> {
  const root = resolve(dir);
  if (!existsSync(join(root, 'index.html'))) {
    new Logger('Console').warn(`The web console is not built (no index.html in ${root}): serving the API only. Build it with \`npm run build:console\` (or \`npm run build\`)`);
    return false;
  }
  const chunksOf = consoleChunks(root);
  const entry = consoleEntry(root);
  const serverRender = await ConsoleServerRender.load(root, renderTimeoutMs);
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
   * The inbox with its first screen rendered: the page's script, its strings and its chunk preloaded
   * as for the plain page, but none of the API requests its data came with (the page has them), and
   * compressed here (it is made per request).
   */
  const sendRendered = async (reply: FastifyReply, html: string, language: 'es' | 'en') => {
    const link = preloadLinkHeader({ entry, requests: [], modules: [`src/i18n/${language}.json`, 'src/inbox/components/inbox-page.tsx'].flatMap(chunksOf) });
    const accepts = String(reply.request.headers['accept-encoding'] ?? '');
    const body = Buffer.from(html);
    const encoding = /\bbr\b/.test(accepts) ? 'br' : /\bgzip\b/.test(accepts) ? 'gzip' : null;
    void reply
      .header('Content-Type', 'text/html; charset=utf-8')
      .header('Cache-Control', 'no-store')
      .header('Vary', 'Cookie, Accept-Encoding')
      .header('Content-Security-Policy', CONSOLE_CONTENT_SECURITY_POLICY);
    if (link) void reply.header('Link', link);
    if (!encoding) return reply.send(body);
    const compressed = encoding === 'br' ? await brotli(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }) : await gzipped(body, { level: 6 });
    return reply.header('Content-Encoding', encoding).send(compressed);
  };
  await app.register(async (scope: FastifyInstance) => {
    // No `index`: `/` is the inbox's address, answered below (rendered, or index.html as for any other page).
    await scope.register(fastifyStatic, { root, prefix: '/', wildcard: false, index: false, preCompressed: true, cacheControl: false, setHeaders });
    scope.get('/*', async (request, reply) => {
      const path = request.url.split('?')[0];
      if (API_PATHS.test(path) || HASHED.test(path)) return reply.callNotFound();
      if (INBOX.test(request.url)) {
        // The same address gives another page to another person (or nobody signed in).
        void reply.header('Vary', 'Cookie');
        const rendered = await serverRender?.page(api, request);
        if (rendered) return sendRendered(reply, rendered.html, rendered.language);
      }
      return reply.sendFile('index.html');
    });
  });
  return true;
}
