import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API_DOCUMENT_FILE, API_TYPES_FILE, apiTypesText, buildApiDocument, documentText } from './api-document';

/**
 * The console's client is generated from the committed OpenAPI document; these fail when a route
 * or DTO changed without `npm run console:api`, so the console never builds against a stale API.
 */
describe('the console API client', () => {
  let built: Awaited<ReturnType<typeof buildApiDocument>>;

  beforeAll(async () => {
    built = await buildApiDocument();
  });

  it('is generated from the current OpenAPI document of the API (run `npm run console:api` if not)', async () => {
    const committed = await readFile(API_DOCUMENT_FILE, 'utf8');
    expect(committed).toBe(documentText(built));
  });

  it('has types generated from that document (run `npm run console:api` if not)', async () => {
    const committed = await readFile(API_TYPES_FILE, 'utf8');
    expect(committed).toBe(await apiTypesText(built));
  });

  it('is built where the console is not (a fresh checkout): it says so, and how to build it', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'no-console-'));
    // Nest's own logger (the preview has no pino) writes warnings to stdout.
    const streams = [jest.spyOn(process.stdout, 'write').mockImplementation(() => true), jest.spyOn(process.stderr, 'write').mockImplementation(() => true)];
    try {
      const document = await buildApiDocument({ consoleDir: empty });
      expect(document.paths['/api/v1/tickets']).toBeDefined();
      const said = streams.flatMap((stream) => stream.mock.calls.map(([chunk]) => String(chunk))).join('');
      expect(said).toContain(`The web console is not built (no index.html in ${empty}): serving the API only`);
      expect(said).toContain('npm run build:console');
    } finally {
      for (const stream of streams) stream.mockRestore();
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('documents a response body for every route the console calls', () => {
    const missing: string[] = [];
    for (const [path, operations] of Object.entries(built.paths as Record<string, Record<string, { responses?: Record<string, { content?: unknown }> }>>)) {
      if (!path.startsWith('/api/v1/') || path.includes('/callbacks/')) continue;
      for (const [method, operation] of Object.entries(operations)) {
        const responses = Object.entries(operation.responses ?? {});
        const ok = responses.filter(([status]) => status.startsWith('2'));
        if (ok.some(([status]) => status === '204')) continue;
        // A route that only redirects (a mailed link the browser opens) has no body to describe.
        if (ok.length === 0 && responses.some(([status]) => status.startsWith('3'))) continue;
        if (!ok.some(([, response]) => response.content)) missing.push(`${method.toUpperCase()} ${path}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
