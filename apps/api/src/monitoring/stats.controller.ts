import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles, StaffRole } from '@helpdesk/auth';
import { StatsService } from '@helpdesk/monitoring';
import { QueueStatsDto } from './monitoring-responses.dto';

@ApiTags('monitoring')
@ApiBearerAuth()
@Controller('queues')
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  /** Where work piles up: ticket queues, escalations per tier, job queues and workers. */
  @Get('stats')
  @Roles(StaffRole.AdminAgent)
  @ApiOkResponse({ type: QueueStatsDto })
  snapshot() {
    return this.stats.snapshot();
  }
}
