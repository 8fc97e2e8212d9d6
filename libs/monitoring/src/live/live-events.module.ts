import { Module } from '@nestjs/common';
import { AuthModule } from '@helpdesk/auth';
import { StatsModule } from '../stats/stats.module';
import { StatsService } from '../stats/stats.service';
import { LIVE_STATS_SOURCE } from './live-stats-source';
import { LiveEventBus } from './live-event-bus.service';
import { LiveStreamService } from './live-stream.service';
import { StreamTicketService } from './stream-tickets.service';

export * from './live-stats-source';
export * from './live-stream.service';
export type { StreamTicket } from './stream-tickets.service';

/**
 * Live events (SSE) fanned out through Redis pub/sub across api and worker processes (api side). Publishing
 * is `LiveEvents` from @helpdesk/queue (global); this module is the receiving side. Its Redis
 * connections open lazily, so the worker, which serves no stream, opens none.
 */
@Module({
  imports: [AuthModule, StatsModule],
  providers: [LiveEventBus, StreamTicketService, LiveStreamService, { provide: LIVE_STATS_SOURCE, useExisting: StatsService }],
  exports: [LiveStreamService],
})
export class LiveEventsModule {}
