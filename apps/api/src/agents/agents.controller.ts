import { Body, Controller, ForbiddenException, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AgentsService, CurrentPrincipal, hasRole, Roles, StaffRole } from '@helpdesk/auth';
import type { Principal } from '@helpdesk/auth';
import { UuidParamPipe } from '@helpdesk/http';
import { AgentResponseDto, CreateAgentDto, CreatedAgentResponseDto, UpdateAgentDto } from './agent.dto';

@ApiTags('agents')
@ApiBearerAuth()
@Controller('agents')
export class AgentsController {
  constructor(private readonly agents: AgentsService) {}

  @Post()
  @Roles(StaffRole.GlobalAdmin)
  @ApiCreatedResponse({ type: CreatedAgentResponseDto })
  create(@Body() body: CreateAgentDto) {
    return this.agents.create(body);
  }

  @Get()
  @Roles(StaffRole.AdminAgent)
  @ApiOkResponse({ type: AgentResponseDto, isArray: true })
  list() {
    return this.agents.list();
  }

  /** Queues, cap and availability: admin_agent; roles: global_admin only. */
  @Patch(':id')
  @Roles(StaffRole.AdminAgent)
  @ApiOkResponse({ type: AgentResponseDto })
  update(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string, @Body() body: UpdateAgentDto) {
    if ((body.roles !== undefined) && !hasRole(principal, [StaffRole.GlobalAdmin])) {
      throw new ForbiddenException('Only a global_admin may change roles');
    }
    return this.agents.update(id, body);
  }

  @Get(':id')
  @Roles(StaffRole.AdminAgent)
  @ApiOkResponse({ type: AgentResponseDto })
  get(@Param('id', UuidParamPipe) id: string) {
    return this.agents.get(id);
  }
}
