import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { logsWritten } from './logs-written';

describe('logsWritten', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'logs-written-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const lines = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean).length;

  it('waits for every line an asynchronous destination still has queued', async () => {
    const file = join(dir, 'async.log');
    const logger = pino(pino.destination({ dest: file, sync: false }));
    for (let i = 0; i < 2_000; i++) logger.info({ i }, 'a start-up line long enough to fill a few writes');
    await logsWritten(logger);
    expect(lines(file)).toBe(2_000);
  });

  it('resolves at once for a synchronous destination, where every line is already written', async () => {
    const file = join(dir, 'sync.log');
    const logger = pino(pino.destination({ dest: file, sync: true }));
    for (let i = 0; i < 100; i++) logger.info({ i }, 'line');
    await logsWritten(logger);
    expect(lines(file)).toBe(100);
  });
});
