import { Writable } from 'node:stream';
import { createRootLogger } from './root-logger';

/** A destination that keeps what the logger wrote, line by line. */
function capture(): { stream: Writable & { write: Writable['write'] }; lines: () => string[] } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, lines: () => text.split('\n').filter(Boolean) };
}

describe('createRootLogger', () => {
  it('writes pino JSON lines named after the app with LOG_FORMAT=json', () => {
    const out = capture();
    const logger = createRootLogger({ LOG_LEVEL: 'info', LOG_FORMAT: 'json' }, { name: 'worker', destination: out.stream });
    logger.info({ context: 'OutboxRelay' }, 'relaying');
    const [line] = out.lines().map((l) => JSON.parse(l));
    expect(line).toMatchObject({ level: 30, name: 'worker', context: 'OutboxRelay', msg: 'relaying' });
  });

  it("moves Nest's start-up listing (modules, routes) from info to debug", () => {
    for (const level of ['info', 'debug'] as const) {
      const out = capture();
      const logger = createRootLogger({ LOG_LEVEL: level, LOG_FORMAT: 'json' }, { name: 'api', destination: out.stream });
      logger.info({ context: 'InstanceLoader' }, 'AppModule dependencies initialized');
      logger.info({ context: 'RoutesResolver' }, 'TicketsController {/api/v1/tickets}:');
      logger.info({ context: 'RouterExplorer' }, 'Mapped {/api/v1/tickets, POST} route');
      logger.info({ context: 'NestApplication' }, 'Nest application successfully started');
      logger.warn({ context: 'RouterExplorer' }, 'a warning stays a warning');
      const lines = out.lines().map((l) => JSON.parse(l) as { level: number; msg: string });
      const listing = lines.filter((l) => /initialized|Mapped|\{\/api/.test(l.msg));
      expect({ level, listing: listing.map((l) => l.level) }).toEqual({ level, listing: level === 'debug' ? [20, 20, 20] : [] });
      expect(lines.filter((l) => l.level >= 30).map((l) => l.msg)).toEqual(['Nest application successfully started', 'a warning stays a warning']);
    }
  });

  it('writes one readable line per log with LOG_FORMAT=pretty, without pid, hostname or request objects', () => {
    const out = capture();
    const logger = createRootLogger({ LOG_LEVEL: 'info', LOG_FORMAT: 'pretty' }, { name: 'api', destination: out.stream });
    logger.info({ context: 'Bootstrap' }, 'Created the first global_admin');
    logger.warn(
      { reqId: 'trace-1', req: { method: 'GET', url: '/api/v1/agents', headers: { 'user-agent': 'curl' } }, res: { statusCode: 401 }, responseTime: 6.4 },
      'request completed',
    );
    expect(out.lines()).toEqual([
      expect.stringMatching(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO \(api\): Bootstrap: Created the first global_admin$/),
      expect.stringMatching(/^\[\d\d:\d\d:\d\d\.\d{3}\] WARN \(api\): GET \/api\/v1\/agents 401 6 ms \(request trace-1\)$/),
    ]);
  });
});
