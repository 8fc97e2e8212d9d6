import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '@helpdesk/auth';
import type { Principal } from '@helpdesk/auth';
import { UuidParamPipe } from '@helpdesk/http';
import { MacroApplyService, MacrosService } from '@helpdesk/macros';
import { ApiRoles, TICKET_WORKERS } from '../dto/api-roles';
import { MacroAppliedDto, MacroPreviewDto, MacroResponseDto } from './act-responses.dto';
import { CreateMacroDto, UpdateMacroDto } from './macro.dto';

/** Macros (canned responses): kept, listed and changed; previewed and applied on a ticket. */
@ApiTags('macros')
@ApiBearerAuth()
@Controller()
export class MacrosController {
  constructor(
    private readonly macros: MacrosService,
    private readonly applier: MacroApplyService,
  ) {}

  @Post('macros')
  @ApiRoles('Make a macro (personal; shared for admin_agent and global_admin)', TICKET_WORKERS, {
    description: 'Bodies may hold only the placeholders {{customer.name}}, {{ticket.number}}, {{agent.name}} and {{plan.hours}} (400 naming the body otherwise). A taken name is a 409.',
  })
  @ApiCreatedResponse({ type: MacroResponseDto })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateMacroDto) {
    return this.macros.create(principal, { ...body, scope: body.scope ?? 'personal', actions: body.actions ?? {} });
  }

  @Get('macros')
  @ApiRoles('The shared macros and your own', TICKET_WORKERS)
  @ApiOkResponse({ type: [MacroResponseDto] })
  list(@CurrentPrincipal() principal: Principal) {
    return this.macros.list(principal);
  }

  @Get('macros/:id')
  @ApiRoles('A shared macro or one of yours', TICKET_WORKERS)
  @ApiOkResponse({ type: MacroResponseDto })
  get(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string) {
    return this.macros.get(principal, id);
  }

  @Patch('macros/:id')
  @ApiRoles('Change a macro (yours; shared ones: admin_agent and global_admin)', TICKET_WORKERS)
  @ApiOkResponse({ type: MacroResponseDto })
  update(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string, @Body() body: UpdateMacroDto) {
    return this.macros.update(principal, id, body);
  }

  @Delete('macros/:id')
  @HttpCode(204)
  @ApiRoles('Delete a macro (yours; shared ones: admin_agent and global_admin)', TICKET_WORKERS)
  async remove(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string): Promise<void> {
    await this.macros.remove(principal, id);
  }

  @Post('tickets/:id/macros/:macroId/preview')
  @HttpCode(200)
  @ApiRoles('What applying the macro would write, writing nothing', TICKET_WORKERS, {
    description: 'The body in the requester’s language (their contact’s locale, else DEFAULT_LOCALE) with the placeholders filled, its visibility and the actions.',
  })
  @ApiOkResponse({ type: MacroPreviewDto })
  preview(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string, @Param('macroId', UuidParamPipe) macroId: string) {
    return this.applier.preview(principal, id, macroId);
  }

  @Post('tickets/:id/macros/:macroId')
  @HttpCode(200)
  @ApiRoles('Apply a macro: its comment and its actions in one transaction', TICKET_WORKERS, {
    description: 'The actions follow the rules of PATCH /tickets/:id; any refusal (409 closed ticket or transition not allowed, 409 an assignee who may not work it, 422 tag cap) writes nothing.',
  })
  @ApiOkResponse({ type: MacroAppliedDto })
  apply(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string, @Param('macroId', UuidParamPipe) macroId: string) {
    return this.applier.apply(principal, id, macroId);
  }
}
