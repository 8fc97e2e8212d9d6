import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { BullBoardModule, BullBoardModuleOptions } from '@bull-board/nestjs';
import { Module } from '@nestjs/common';
import type { FastifyPluginCallback } from 'fastify';
import { AuthModule, TokenService } from '@helpdesk/auth';
import { ALL_QUEUES } from '@helpdesk/queue';
import { boardAuthHook } from './board-auth.hook';
import { boardWritesHook } from './board-writes.hook';

/** Where the board is served; configure-app.ts keeps it out of the /api/v1 prefix. */
export const QUEUE_BOARD_ROUTE = '/admin/queues';

/**
 * Bull Board's Fastify plugin with the cross-site write check and the token check as `onRequest` hooks of the plugin's own
 * context, so that it covers every route the board registers (a Nest middleware for the board's
 * route would match its page only, not its assets and API below it).
 */
function authenticatedBoardAdapter(tokens: TokenService): new () => FastifyAdapter {
  return class AuthenticatedBoardAdapter extends FastifyAdapter {
    override registerPlugin(): FastifyPluginCallback {
      const board = super.registerPlugin();
      return (fastify, options, done) => {
        fastify.addHook('onRequest', boardWritesHook);
        fastify.addHook('onRequest', boardAuthHook(tokens));
        board(fastify, options, done);
      };
    }
  };
}

/** Bull Board at /admin/queues, every queue, for global_admin / admin_agent (bearer or Basic with the token as password). */
@Module({
  imports: [
    BullBoardModule.forRootAsync({
      imports: [AuthModule],
      inject: [TokenService],
      useFactory: (tokens: TokenService) => ({
        route: QUEUE_BOARD_ROUTE,
        // @bull-board/fastify 9.10.1 carries its own @bull-board/api 9.10.1 (the typings differ, not the protocol).
        adapter: authenticatedBoardAdapter(tokens) as unknown as BullBoardModuleOptions['adapter'],
        boardOptions: { uiConfig: { boardTitle: 'Helpdesk queues' } },
      }),
    }),
    BullBoardModule.forFeature(...ALL_QUEUES.map((name) => ({ name, adapter: BullMQAdapter }))),
  ],
})
export class QueueBoardModule {}
