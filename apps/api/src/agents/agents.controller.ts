import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AgentsService, CurrentPrincipal, Roles, StaffRole } from '@helpdesk/auth';
import type { Principal } from '@helpdesk/auth';
import { UuidParamPipe } from '@helpdesk/http';
import { AgentResponseDto, CreateAgentDto, CreatedAgentResponseDto, IssuedTokenResponseDto, TokenResponseDto, UpdateAgentDto } from './agent.dto';

/** A global_admin is changed (renamed, deactivated, given roles, tokens revoked) by a global_admin only. */
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
  @ApiOperation({ description: 'Roles are changed by a global_admin only, and a global_admin is changed by a global_admin only.' })
  @ApiOkResponse({ type: AgentResponseDto })
  update(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string, @Body() body: UpdateAgentDto) {
    return this.agents.update(principal, id, body);
  }

  @Get(':id')
  @Roles(StaffRole.AdminAgent)
  @ApiOkResponse({ type: AgentResponseDto })
  get(@Param('id', UuidParamPipe) id: string) {
    return this.agents.get(id);
  }

  @Post(':id/deactivate')
  @HttpCode(200)
  @Roles(StaffRole.AdminAgent)
  @ApiOperation({ summary: "Deactivates an agent: their tokens stop working at once, their open tickets go back to their queues unassigned (an event each). Not yourself, not the last global_admin." })
  @ApiOkResponse({ type: AgentResponseDto })
  deactivate(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string) {
    return this.agents.deactivate(principal, id);
  }

  @Post(':id/reactivate')
  @HttpCode(200)
  @Roles(StaffRole.AdminAgent)
  @ApiOperation({ summary: 'Lets a deactivated agent sign in again with their unrevoked tokens; they stay unavailable until `available` is set.' })
  @ApiOkResponse({ type: AgentResponseDto })
  reactivate(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string) {
    return this.agents.reactivate(principal, id);
  }

  /** Any staff member for their own agent id; global_admin and admin_agent for others. */
  @Get(':id/tokens')
  @ApiOperation({ summary: "An agent's tokens (never the token itself): the agent themself, or global_admin / admin_agent." })
  @ApiOkResponse({ type: TokenResponseDto, isArray: true })
  listTokens(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string) {
    return this.agents.listTokens(principal, id);
  }

  @Post(':id/tokens')
  @ApiOperation({ summary: 'Issues another token, shown once: the agent themself, or global_admin / admin_agent.' })
  @ApiCreatedResponse({ type: IssuedTokenResponseDto })
  issueToken(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string) {
    return this.agents.issueToken(principal, id);
  }

  @Post(':id/tokens/:tokenId/rotate')
  @ApiOperation({ summary: 'Revokes the token and issues its replacement (shown once), at once in every api process.' })
  @ApiCreatedResponse({ type: IssuedTokenResponseDto })
  rotateToken(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string, @Param('tokenId', UuidParamPipe) tokenId: string) {
    return this.agents.rotateToken(principal, id, tokenId);
  }

  @Delete(':id/tokens/:tokenId')
  @ApiOperation({ summary: 'Revokes the token at once in every api process (it stays listed, with revokedAt).' })
  @ApiOkResponse({ type: TokenResponseDto })
  revokeToken(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string, @Param('tokenId', UuidParamPipe) tokenId: string) {
    return this.agents.revokeToken(principal, id, tokenId);
  }
}
