import { Module } from '@nestjs/common';
import { CounterCompactor } from './counter-compactor.service';
import { StatsService } from './stats.service';
import { TicketCounters } from './ticket-counters.service';

/** Queue statistics for managers, and the ticket counters they are made of (api). */
@Module({ providers: [StatsService, TicketCounters], exports: [StatsService, TicketCounters] })
export class StatsModule {}

/** Keeps the ticket counters compact (worker). */
@Module({ providers: [CounterCompactor], exports: [CounterCompactor] })
export class StatsCompactionModule {}
