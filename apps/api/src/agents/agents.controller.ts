import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AgentsService, Roles, StaffRole } from '@helpdesk/auth';
import { UuidParamPipe } from '@helpdesk/http';
import { AgentResponseDto, CreateAgentDto, CreatedAgentResponseDto } from './agent.dto';

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

  @Get(':id')
  @Roles(StaffRole.AdminAgent)
  @ApiOkResponse({ type: AgentResponseDto })
  get(@Param('id', UuidParamPipe) id: string) {
    return this.agents.get(id);
  }
}
