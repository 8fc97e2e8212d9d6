import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, CustomersAllowed, Roles, StaffRole } from '@helpdesk/auth';
import type { Principal } from '@helpdesk/auth';
import { UuidParamPipe } from '@helpdesk/http';
import { CommentsService, TicketConversationService, TicketIntakeService, TicketsService } from '@helpdesk/intake';
import { idempotencyKey as idempotencyKeyOf } from '../dto/idempotency-key';
import { CreateCommentDto, CreateTicketDto, ListTicketsQueryDto, ticketFilterOf, UpdateTicketDto } from './ticket.dto';
import { CommentResponseDto, TicketConversationDto, TicketEventDto, TicketPageDto, TicketResponseDto } from './intake-responses.dto';

const WORKS_TICKETS = [StaffRole.AdminAgent, StaffRole.HelpdeskAgent] as const;

@ApiTags('tickets')
@ApiBearerAuth()
@Controller('tickets')
export class TicketsController {
  constructor(
    private readonly intake: TicketIntakeService,
    private readonly tickets: TicketsService,
    private readonly comments: CommentsService,
    private readonly conversations: TicketConversationService,
  ) {}

  /** 201 with the new ticket; 200 with the original for an idempotent repeat. */
  @Post()
  @CustomersAllowed()
  @Roles(...WORKS_TICKETS, StaffRole.BillingAdmin)
  @ApiOperation({ description: 'billing_admin files billing tickets only (category billing); a customer files for their own organisation.' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ type: TicketResponseDto, description: 'The new ticket (200 with the original for an idempotent repeat)' })
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateTicketDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { ticket, created } = await this.intake.create(principal, body, idempotencyKeyOf(idempotencyKey));
    void reply.status(created ? 201 : 200);
    if (created) void reply.header('Location', `/api/v1/tickets/${ticket.id}`);
    return ticket;
  }

  /** Any staff role; a customer token lists (and searches) its own tickets only. */
  @Get()
  @CustomersAllowed()
  @ApiOkResponse({ type: TicketPageDto })
  @ApiOperation({ summary: 'List, filter, sort and search tickets', description: 'Roles: any staff role; customer tokens (their own tickets, public text only). Keyset pages: pass nextCursor as cursor with the same sort and q. Items carry an excerpt of the description, not all of it (GET /tickets/:id has it).' })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListTicketsQueryDto) {
    return this.tickets.list(principal, { ...ticketFilterOf(query), sort: query.sort, limit: query.limit, cursor: query.cursor });
  }

  @Get(':id')
  @CustomersAllowed()
  @ApiOkResponse({ type: TicketResponseDto })
  get(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string) {
    return this.tickets.get(principal, id);
  }

  /**
   * The ticket, its comments and its timeline in one answer (the console's ticket page asks for this
   * first): each part exactly as its own route gives it to the caller.
   */
  @Get(':id/conversation')
  @CustomersAllowed()
  @ApiOperation({
    summary: 'A ticket with its comments and timeline',
    description:
      'What GET /tickets/:id, GET /tickets/:id/comments and GET /tickets/:id/events answer, in one answer and with the same limits: internal comments and the whole timeline only for staff who work the ticket; a customer token reads its own tickets only (another customer\'s is a 404) and their public part.',
  })
  @ApiOkResponse({ type: TicketConversationDto })
  conversation(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string) {
    return this.conversations.get(principal, id);
  }

  @Patch(':id')
  @Roles(...WORKS_TICKETS, StaffRole.BillingAdmin)
  @ApiOperation({
    description:
      'An assignee must be an active agent (not deactivated, holding a valid token) who works tickets of this category. billing_admin changes billing tickets only (403 on others).',
  })
  @ApiOkResponse({ type: TicketResponseDto })
  update(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string, @Body() body: UpdateTicketDto) {
    return this.tickets.update(principal, id, body);
  }

  @Post(':id/comments')
  @HttpCode(201)
  @CustomersAllowed()
  @Roles(...WORKS_TICKETS, StaffRole.BillingAdmin)
  @ApiOperation({ description: "Staff comment on tickets they work (billing_admin: billing tickets); the first public staff comment is the ticket's first response. Customers comment publicly on their own." })
  @ApiCreatedResponse({ type: CommentResponseDto })
  comment(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string, @Body() body: CreateCommentDto) {
    return this.comments.add(principal, id, body);
  }

  @Get(':id/comments')
  @CustomersAllowed()
  @ApiOperation({ description: 'Internal comments only for staff who work the ticket; customers see authors by name, never by id.' })
  @ApiOkResponse({ type: CommentResponseDto, isArray: true })
  listComments(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string) {
    return this.comments.list(principal, id);
  }

  /**
   * The timeline, oldest first: all of it for staff who work the ticket; its public part (created,
   * status changes, public comments; staff by name) for the customer and for staff who only read it.
   */
  @Get(':id/events')
  @CustomersAllowed()
  @ApiOkResponse({ type: TicketEventDto, isArray: true })
  events(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string) {
    return this.tickets.events(principal, id);
  }
}
