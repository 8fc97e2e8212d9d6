import { ConsoleSessionsService, type RequestSession } from './console-sessions.service';
import { pageSessionFor, withPageSession } from './page-session';

const SESSION: RequestSession = { id: 's1', principal: { kind: 'staff', agentId: 'a1', roles: [], tokenId: 't1' }, expiresAt: new Date('2030-01-01T00:00:00Z') };

describe('a session lent by a page to its in-process requests (page-session.ts)', () => {
  it("is found inside the page's asking, through awaits and timers, for that session's id only", async () => {
    expect(pageSessionFor('s1')).toBeUndefined();
    const seen = await withPageSession(SESSION, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      const inTimer = await new Promise((resolve) => setImmediate(() => resolve(pageSessionFor('s1'))));
      return [pageSessionFor('s1'), inTimer, pageSessionFor('s2'), pageSessionFor('')];
    });
    expect(seen).toEqual([SESSION, SESSION, undefined, undefined]);
    expect(pageSessionFor('s1')).toBeUndefined();
  });

  it('is closed once the page has its answers, even for work started inside that runs later', async () => {
    let later: Promise<unknown> | undefined;
    await withPageSession(SESSION, async () => {
      later = new Promise((resolve) => setTimeout(() => resolve(pageSessionFor('s1')), 20));
    });
    expect(await later).toBeUndefined();
    // And when the asking fails.
    let failedLater: Promise<unknown> | undefined;
    await expect(
      withPageSession(SESSION, async () => {
        failedLater = new Promise((resolve) => setTimeout(() => resolve(pageSessionFor('s1')), 20));
        throw new Error('an answer failed');
      }),
    ).rejects.toThrow('an answer failed');
    expect(await failedLater).toBeUndefined();
  });

  it("is what ConsoleSessionsService.resolveFor takes for a request with that cookie, without a query; any other cookie is looked up", async () => {
    const queries: unknown[][] = [];
    const dataSource = { query: async (...args: unknown[]) => (queries.push(args), []) };
    const sessions = new ConsoleSessionsService(dataSource as never, {} as never, {} as never);
    const lentTo: { consoleSession?: RequestSession } = {};
    const other: { consoleSession?: RequestSession } = {};
    const [lent, unknown] = await withPageSession(SESSION, async () => [await sessions.resolveFor(lentTo, 's1'), await sessions.resolveFor(other, 'forged')]);
    expect([lent, lentTo.consoleSession, unknown, other.consoleSession]).toEqual([SESSION, SESSION, null, undefined]);
    expect(queries).toHaveLength(1);
    expect(queries[0][1]).not.toContain('s1');
    // Outside the page's asking the same cookie is looked up as any other.
    expect(await sessions.resolveFor({}, 's1')).toBeNull();
    expect(queries).toHaveLength(2);
  });
});
