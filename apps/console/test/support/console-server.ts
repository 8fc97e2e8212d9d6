import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { CONSOLE_CONTENT_SECURITY_POLICY } from '../../content-security-policy';

export const CONSOLE_DIST = join(__dirname, '..', '..', '..', '..', 'dist', 'console');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export interface ConsoleServer {
  url: string;
  close: () => Promise<void>;
}

/**
 * The built console (dist/console) on one origin with the API behind /api, as a browser will see
 * it once the API serves the console itself: test harness only. Files under assets/ carry content
 * hashes and are cached for a year; index.html is never cached and answers every other path (the
 * SPA's routes), with the console's Content-Security-Policy.
 */
export async function startConsoleServer(apiUrl: string): Promise<ConsoleServer> {
  const api = new URL(apiUrl);
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (path.startsWith('/api/')) return proxy(req, res, api);
    void serveFile(path, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Streams both ways, so the live stream (SSE) flows through untouched. */
function proxy(req: IncomingMessage, res: ServerResponse, api: URL): void {
  const upstream = request({ host: api.hostname, port: api.port, method: req.method, path: req.url, headers: { ...req.headers, host: api.host } }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  });
  req.pipe(upstream);
}

async function serveFile(path: string, res: ServerResponse): Promise<void> {
  const file = join(CONSOLE_DIST, normalize(path).replace(/^(\.\.[/\\])+/, ''));
  const found = path !== '/' && (await stat(file).catch(() => null))?.isFile();
  const target = found ? file : join(CONSOLE_DIST, 'index.html');
  const isIndex = !found || target.endsWith('index.html');
  res.writeHead(200, {
    'Content-Type': TYPES[extname(target)] ?? 'application/octet-stream',
    'Cache-Control': isIndex ? 'no-cache' : 'public, max-age=31536000, immutable',
    'X-Content-Type-Options': 'nosniff',
    ...(isIndex ? { 'Content-Security-Policy': CONSOLE_CONTENT_SECURITY_POLICY, 'Referrer-Policy': 'no-referrer' } : {}),
  });
  createReadStream(target).pipe(res);
}
