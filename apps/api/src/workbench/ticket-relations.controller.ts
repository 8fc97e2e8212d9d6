import { Body, Controller, Delete, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, STAFF_ROLES } from '@helpdesk/auth';
import type { Principal } from '@helpdesk/auth';
import { UuidParamPipe } from '@helpdesk/http';
import { TicketLinksService, TicketMergeService } from '@helpdesk/intake';
import { ApiRoles, TICKET_WORKERS } from '../dto/api-roles';
import { MergeOutcomeDto, TicketLinkDto } from './act-responses.dto';
import { LinkTicketDto, MergeTicketDto } from './ticket-relations.dto';

/** Merging a duplicate into another ticket, and links between related tickets. */
@ApiTags('tickets')
@ApiBearerAuth()
@Controller('tickets')
export class TicketRelationsController {
  constructor(
    private readonly merges: TicketMergeService,
    private readonly links: TicketLinksService,
  ) {}

  @Post(':id/merge')
  @HttpCode(200)
  @ApiRoles('Merge this duplicate into another ticket of the same customer', TICKET_WORKERS, {
    description:
      'The ticket is closed with `mergedInto`; its comments and attachments show on the target; both timelines record the merge. ' +
      'Refused: into itself or another customer’s ticket (422), a closed, escalated or already merged ticket, into a closed or merged ticket, or back into a ticket merged into this one (409).',
  })
  @ApiOkResponse({ type: MergeOutcomeDto })
  merge(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string, @Body() body: MergeTicketDto) {
    return this.merges.merge(principal, id, body.targetId);
  }

  @Post(':id/links')
  @ApiRoles('Link a related ticket (shown on both)', TICKET_WORKERS, { description: '201 with the new link, 200 if the two were linked already.' })
  @ApiCreatedResponse({ type: TicketLinkDto })
  @ApiOkResponse({ type: TicketLinkDto, description: 'Linked already' })
  async link(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string, @Body() body: LinkTicketDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const { link, created } = await this.links.link(principal, id, body.ticketId);
    void reply.status(created ? 201 : 200);
    return link;
  }

  @Get(':id/links')
  @ApiRoles('The tickets linked to this one', STAFF_ROLES)
  @ApiOkResponse({ type: [TicketLinkDto] })
  listLinks(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string) {
    return this.links.list(principal, id);
  }

  @Delete(':id/links/:otherId')
  @HttpCode(204)
  @ApiRoles('Unlink two tickets', TICKET_WORKERS)
  async unlink(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string, @Param('otherId', UuidParamPipe) otherId: string) {
    await this.links.unlink(principal, id, otherId);
  }
}
