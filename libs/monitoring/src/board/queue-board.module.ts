import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { BullBoardModule, BullBoardModuleOptions } from '@bull-board/nestjs';
import { Module } from '@nestjs/common';
import { AuthModule, TokenService } from '@helpdesk/auth';
import { ALL_QUEUES } from '@helpdesk/queue';
import { boardAuthMiddleware } from './board-auth.middleware';

/** Where the board is served; configure-app.ts keeps it out of the /api/v1 prefix. */
export const QUEUE_BOARD_ROUTE = '/admin/queues';

/** Bull Board at /admin/queues, every queue, for global_admin / admin_agent (bearer or Basic with the token as password). */
@Module({
  imports: [
    BullBoardModule.forRootAsync({
      imports: [AuthModule],
      inject: [TokenService],
      useFactory: (tokens: TokenService) => ({
        route: QUEUE_BOARD_ROUTE,
        // @bull-board/express 9.10.1 carries its own @bull-board/api 9.10.1 (the typings differ, not the protocol).
        adapter: ExpressAdapter as unknown as BullBoardModuleOptions['adapter'],
        middleware: boardAuthMiddleware(tokens),
        boardOptions: { uiConfig: { boardTitle: 'Helpdesk queues' } },
      }),
    }),
    BullBoardModule.forFeature(...ALL_QUEUES.map((name) => ({ name, adapter: BullMQAdapter }))),
  ],
})
export class QueueBoardModule {}
