import { Module } from '@nestjs/common';
import { CounterCompactor } from './counter-compactor.service';
import { StatsService } from './stats.service';

/** Queue statistics for managers (api). */
@Module({ providers: [StatsService], exports: [StatsService] })
export class StatsModule {}

/** Keeps the ticket counters compact (worker). */
@Module({ providers: [CounterCompactor], exports: [CounterCompactor] })
export class StatsCompactionModule {}
