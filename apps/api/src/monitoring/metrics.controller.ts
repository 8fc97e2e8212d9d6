import { Controller, Get, Inject, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
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
  async scrape(@Res({ passthrough: true }) res: Response): Promise<string> {
    const body = await exposition(this.registry);
    res.setHeader('Content-Type', this.registry.contentType);
    return body;
  }
}
