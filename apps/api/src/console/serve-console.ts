import fastifyStatic from '@fastify/static';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { consoleChunks, consoleEntry } from './console-chunks';
import { consolePreloads, preloadLinkHeader } from './console-preloads';
import { CONSOLE_CONTENT_SECURITY_POLICY } from './content-security-policy';

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
 */
export async function serveConsole(app: NestFastifyApplication, dir: string): Promise<boolean> {
  const root = resolve(dir);
  if (!existsSync(join(root, 'index.html'))) {
    new Logger('Console').warn(`The web console is not built (no index.html in ${root}): serving the API only. Build it with \`npm run build:console\` (or \`npm run build\`)`);
    return false;
  }
  const chunksOf = consoleChunks(root);
  const entry = consoleEntry(root);
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
  await app.register(async (scope: FastifyInstance) => {
    await scope.register(fastifyStatic, { root, prefix: '/', wildcard: false, preCompressed: true, cacheControl: false, setHeaders });
    scope.get('/*', (request, reply) => {
      const path = request.url.split('?')[0];
      if (API_PATHS.test(path) || HASHED.test(path)) return reply.callNotFound();
      return reply.sendFile('index.html');
    });
  });
  return true;
}
