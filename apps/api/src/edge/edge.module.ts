import { Global, Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { AuthModule } from '@helpdesk/auth';
import { AppConfig } from '@helpdesk/config';
import { OUTAGE_REPORTER } from '@helpdesk/http';
import { DependencyOutages } from './dependency-outages';
import { EdgeGate } from './edge-gate';
import { EdgeThrottlerGuard, rateLimitOptions } from './rate-limits';
import { RedisThrottlerStorage } from './redis-throttler.storage';

/**
 * What the API's edge needs from Nest: the gate (authentication before the body, rate limits),
 * and the outage log — global, so that any context that meets an unreachable dependency (e.g. the
 * live stream's stats poll) reports to the same one.
 */
@Global()
@Module({
  imports: [
    AuthModule,
    ThrottlerModule.forRootAsync({ inject: [AppConfig, RedisThrottlerStorage], useFactory: rateLimitOptions }),
  ],
  providers: [DependencyOutages, { provide: OUTAGE_REPORTER, useExisting: DependencyOutages }, RedisThrottlerStorage, EdgeThrottlerGuard, EdgeGate],
  exports: [DependencyOutages, OUTAGE_REPORTER, RedisThrottlerStorage, EdgeGate],
})
export class EdgeModule {}
