import Fastify, { FastifyInstance } from 'fastify';
import { StaffRole, TokenService } from '@helpdesk/auth';
import { LazyQueueBoard, QUEUE_BOARD_ROUTE } from './queue-board.module';

const ADMIN = 'hds_admin';
const tokens = {
  resolve: async (token: string) => (token === ADMIN ? { kind: 'staff', agentId: 'a1', roles: [StaffRole.GlobalAdmin], tokenId: 't1' } : null),
} as unknown as TokenService;

describe('LazyQueueBoard', () => {
  let api: FastifyInstance;
  let board: LazyQueueBoard;
  let queuesAsked = 0;

  beforeEach(async () => {
    queuesAsked = 0;
    board = new LazyQueueBoard(() => {
      queuesAsked += 1;
      return [];
    });
    api = Fastify();
    await api.register(board.plugin(tokens), { prefix: QUEUE_BOARD_ROUTE });
    await api.ready();
  });
  afterEach(async () => {
    await api.close();
    await board.close();
  });

  it('loads nothing at start, nor for a request the token check refuses', async () => {
    expect(board.loaded).toBe(false);
    const refused = await api.inject({ method: 'GET', url: `${QUEUE_BOARD_ROUTE}/api/queues` });
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['www-authenticate']).toMatch(/^Basic realm="helpdesk"/);
    const crossSite = await api.inject({ method: 'PUT', url: `${QUEUE_BOARD_ROUTE}/api/queues/triage/pause`, headers: { authorization: `Bearer ${ADMIN}`, 'sec-fetch-site': 'cross-site' } });
    expect(crossSite.statusCode).toBe(403);
    expect(board.loaded).toBe(false);
    expect(queuesAsked).toBe(0);
  });

  it("builds the board once, on its first allowed request, and passes every path and the board's answer through", async () => {
    const auth = { authorization: `Bearer ${ADMIN}` };
    const [first, second] = await Promise.all([
      api.inject({ method: 'GET', url: `${QUEUE_BOARD_ROUTE}/api/queues`, headers: auth }),
      api.inject({ method: 'GET', url: QUEUE_BOARD_ROUTE, headers: auth }),
    ]);
    expect(board.loaded).toBe(true);
    expect(queuesAsked).toBe(1);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ queues: [] });
    expect(second.statusCode).toBe(200);
    expect(second.headers['content-type']).toMatch(/^text\/html/);
    expect(second.body).toContain(`<base href="${QUEUE_BOARD_ROUTE}/" />`);
    // The board's own 404 for a path it does not have, not the API's.
    const missing = await api.inject({ method: 'GET', url: `${QUEUE_BOARD_ROUTE}/api/queues/no-such-queue/jobs/1`, headers: auth });
    expect(missing.statusCode).toBe(404);
    expect(queuesAsked).toBe(1);
  });

  it('builds the board again on the next request when loading it failed', async () => {
    let fail = true;
    board = new LazyQueueBoard(() => {
      if (fail) throw new Error('queues not there yet');
      return [];
    });
    await api.close();
    api = Fastify();
    await api.register(board.plugin(tokens), { prefix: QUEUE_BOARD_ROUTE });
    const auth = { authorization: `Bearer ${ADMIN}` };
    expect((await api.inject({ method: 'GET', url: `${QUEUE_BOARD_ROUTE}/api/queues`, headers: auth })).statusCode).toBe(500);
    expect(board.loaded).toBe(false);
    fail = false;
    expect((await api.inject({ method: 'GET', url: `${QUEUE_BOARD_ROUTE}/api/queues`, headers: auth })).statusCode).toBe(200);
    expect(board.loaded).toBe(true);
    await board.close();
    expect(board.loaded).toBe(false);
  });
});
