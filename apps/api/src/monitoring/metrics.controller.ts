import { Controller, Get, Inject, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Registry } from 'prom-client';
import { Public } from '@helpdesk/auth';
import { exposition, METRICS_REGISTRY, MetricsTokenGuard } from '@helpdesk/monitoring';

/** Prometheus scrape endpoint, outside the /api/v1 prefix (see configure-app.ts). */
@ApiExcludeController()
@Public()
@UseGuards(MetricsTokenGuard)
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(METRICS_REGISTRY) private readonly registry: Registry) {}

  @Get()
  async scrape(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const body = await exposition(this.registry);
    void reply.type(this.registry.contentType);
    return body;
  }
}
