import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { actorOf, CurrentPrincipal, Roles, StaffRole } from '@helpdesk/auth';
import type { Principal } from '@helpdesk/auth';
import { UuidParamPipe } from '@helpdesk/http';
import { TriageService } from '@helpdesk/triage';
import { TicketResponseDto } from '../intake/intake-responses.dto';

@ApiTags('tickets')
@ApiBearerAuth()
@Controller('tickets')
export class RetriageController {
  constructor(private readonly triage: TriageService) {}

  /** Runs triage again now (rules, classifier, diagnosis, SLA; assigns if nobody is). */
  @Post(':id/retriage')
  @HttpCode(200)
  @Roles(StaffRole.AdminAgent, StaffRole.HelpdeskAgent)
  @ApiOkResponse({ type: TicketResponseDto })
  retriage(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string) {
    return this.triage.retriage(id, actorOf(principal));
  }
}
