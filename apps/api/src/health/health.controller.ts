import { Controller, Get, HttpException, Inject, Optional } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '@helpdesk/auth';
import { OUTAGE_REPORTER } from '@helpdesk/http';
import type { Dependency, OutageReporter } from '@helpdesk/http';
import { RedisHealthIndicator } from '@helpdesk/queue';
import { SkipRateLimits } from '../edge/rate-limits';

/** Liveness (the process answers) and readiness (PostgreSQL and Redis answer). No auth. */
@ApiTags('health')
@Public()
@SkipRateLimits()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    @Optional() @Inject(OUTAGE_REPORTER) private readonly outages?: OutageReporter,
  ) {}

  @Get('live')
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  async ready() {
    try {
      return await this.health.check([
        () => this.db.pingCheck('postgres', { timeout: 1500 }),
        () => this.redis.pingCheck('redis', 1500),
      ]);
    } catch (error) {
      // A failing check is an outage: logged once by the outage log (Terminus' own log, one line
      // per probe of a load balancer, is off), whether or not other requests meet it.
      const details = error instanceof HttpException ? (error.getResponse() as { details?: Record<string, { status: string; message?: string }> }).details : undefined;
      for (const [name, check] of Object.entries(details ?? {})) {
        if (check.status !== 'up') this.outages?.report(name as Dependency, new Error(check.message ?? 'down'));
      }
      throw error;
    }
  }
}
