import { getQueueToken } from '@nestjs/bullmq';
import { Module, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import Fastify, { FastifyInstance, FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import { AuthModule, TokenService } from '@helpdesk/auth';
import { ALL_QUEUES } from '@helpdesk/queue';
import { boardAuthHook } from './board-auth.hook';
import { boardWritesHook } from './board-writes.hook';

/** Where the board is served; configure-app.ts keeps it out of the /api/v1 prefix. */
export const QUEUE_BOARD_ROUTE = '/admin/queues';

/** Headers of the board's own answer that the API's reply sets for itself. */
const HOP_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'date']);

/**
 * Bull Board (its UI server, templates, static files and Redis statistics: ≈ 4 MiB of heap with
 * their code, which V8 multiplies when it sizes the old generation) is loaded on the board's first
 * request, not at start: an API that serves tickets and never the board does not hold it. The board
 * runs in a Fastify instance of its own, built once; the API's routes under QUEUE_BOARD_ROUTE pass
 * each request to it after the cross-site write check and the token check.
 */
export class LazyQueueBoard {
  private board?: Promise<FastifyInstance>;

  constructor(private readonly queues: () => Queue[]) {}

  /** The API's plugin at QUEUE_BOARD_ROUTE: the checks as `onRequest` hooks of its context, then every path to the board. */
  plugin(tokens: TokenService): FastifyPluginCallback {
    return (fastify, _options, done) => {
      fastify.addHook('onRequest', boardWritesHook);
      fastify.addHook('onRequest', boardAuthHook(tokens));
      const forward = (request: FastifyRequest, reply: FastifyReply) => this.forward(request, reply);
      fastify.all('/', forward);
      fastify.all('/*', forward);
      done();
    };
  }

  /** Whether the board has been loaded (it is, from its first request on). */
  get loaded(): boolean {
    return this.board !== undefined;
  }

  /** Closes the board's own instance, if it was loaded. */
  async close(): Promise<void> {
    const board = this.board;
    this.board = undefined;
    if (board) await (await board.catch(() => undefined))?.close();
  }

  private async forward(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const board = await this.instance();
    const answer = await board.inject({
      method: request.method as 'GET',
      url: request.url,
      headers: Object.fromEntries(Object.entries(request.headers).filter(([name]) => name !== 'content-length')) as Record<string, string>,
      // Writes reach here only as JSON (boardWritesHook), already parsed by the API.
      payload: request.body === undefined ? undefined : JSON.stringify(request.body),
    });
    for (const [name, value] of Object.entries(answer.headers)) {
      if (value !== undefined && !HOP_HEADERS.has(name)) void reply.header(name, value);
    }
    return reply.code(answer.statusCode).send(answer.rawPayload);
  }

  private instance(): Promise<FastifyInstance> {
    this.board ??= this.build().catch((error: unknown) => {
      // A board that failed to load is loaded again by the next request.
      this.board = undefined;
      throw error;
    });
    return this.board;
  }

  private async build(): Promise<FastifyInstance> {
    const [{ createBullBoard }, { BullMQAdapter }, { FastifyAdapter }] = await Promise.all([
      import('@bull-board/api'),
      import('@bull-board/api/bullMQAdapter'),
      import('@bull-board/fastify'),
    ]);
    const adapter = new FastifyAdapter();
    adapter.setBasePath(QUEUE_BOARD_ROUTE);
    createBullBoard({
      queues: this.queues().map((queue) => new BullMQAdapter(queue)),
      // @bull-board/fastify 9.10.1 carries its own @bull-board/api 9.10.1 (the typings differ, not the protocol).
      serverAdapter: adapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'],
      options: { uiConfig: { boardTitle: 'Helpdesk queues' } },
    });
    const board = Fastify({ logger: false });
    await board.register(adapter.registerPlugin(), { prefix: QUEUE_BOARD_ROUTE });
    await board.ready();
    return board;
  }
}

/** Bull Board at /admin/queues, every queue, for global_admin / admin_agent (bearer or Basic with the token as password). */
@Module({ imports: [AuthModule] })
export class QueueBoardModule implements OnModuleInit, OnModuleDestroy {
  readonly board: LazyQueueBoard;

  constructor(private readonly adapterHost: HttpAdapterHost, private readonly tokens: TokenService, moduleRef: ModuleRef) {
    this.board = new LazyQueueBoard(() => ALL_QUEUES.map((name) => moduleRef.get<Queue>(getQueueToken(name), { strict: false })));
  }

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    void fastify.register(this.board.plugin(this.tokens), { prefix: QUEUE_BOARD_ROUTE });
  }

  onModuleDestroy(): Promise<void> {
    return this.board.close();
  }
}
