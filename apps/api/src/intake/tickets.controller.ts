import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, CustomersAllowed, Roles, StaffRole } from '@helpdesk/auth';
import type { Principal } from '@helpdesk/auth';
import { DomainError, UuidParamPipe } from '@helpdesk/http';
import { CommentsService, TicketIntakeService, TicketsService, TimelineService } from '@helpdesk/intake';
import { CreateCommentDto, CreateTicketDto, ListTicketsQueryDto, UpdateTicketDto } from './ticket.dto';
import { CommentResponseDto, TicketEventDto, TicketPageDto, TicketResponseDto } from './intake-responses.dto';

const WORKS_TICKETS = [StaffRole.AdminAgent, StaffRole.HelpdeskAgent] as const;

@ApiTags('tickets')
@ApiBearerAuth()
@Controller('tickets')
export class TicketsController {
  constructor(
    private readonly intake: TicketIntakeService,
    private readonly tickets: TicketsService,
    private readonly comments: CommentsService,
    private readonly timeline: TimelineService,
  ) {}

  /** 201 with the new ticket; 200 with the original for an idempotent repeat. */
  @Post()
  @CustomersAllowed()
  @Roles(...WORKS_TICKETS, StaffRole.BillingAdmin)
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ type: TicketResponseDto, description: 'The new ticket (200 with the original for an idempotent repeat)' })
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateTicketDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    if (idempotencyKey !== undefined && !/^[\x21-\x7e]{1,200}$/.test(idempotencyKey)) {
      throw DomainError.invalid('Idempotency-Key', 'must be 1–200 visible ASCII characters');
    }
    const { ticket, created } = await this.intake.create(principal, body, idempotencyKey);
    void reply.status(created ? 201 : 200);
    if (created) void reply.header('Location', `/api/v1/tickets/${ticket.id}`);
    return ticket;
  }

  @Get()
  @CustomersAllowed()
  @ApiOkResponse({ type: TicketPageDto })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListTicketsQueryDto) {
    return this.tickets.list(principal, query);
  }

  @Get(':id')
  @CustomersAllowed()
  @ApiOkResponse({ type: TicketResponseDto })
  get(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string) {
    return this.tickets.get(principal, id);
  }

  @Patch(':id')
  @Roles(...WORKS_TICKETS)
  @ApiOkResponse({ type: TicketResponseDto })
  update(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string, @Body() body: UpdateTicketDto) {
    return this.tickets.update(principal, id, body);
  }

  @Post(':id/comments')
  @HttpCode(201)
  @CustomersAllowed()
  @Roles(...WORKS_TICKETS, StaffRole.BillingAdmin)
  @ApiCreatedResponse({ type: CommentResponseDto })
  comment(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string, @Body() body: CreateCommentDto) {
    return this.comments.add(principal, id, body);
  }

  @Get(':id/comments')
  @CustomersAllowed()
  @ApiOkResponse({ type: CommentResponseDto, isArray: true })
  listComments(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string) {
    return this.comments.list(principal, id);
  }

  /** The timeline, oldest first (staff only: it names internal activity). */
  @Get(':id/events')
  @ApiOkResponse({ type: TicketEventDto, isArray: true })
  async events(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string) {
    await this.tickets.row(principal, id);
    return this.timeline.list(id);
  }
}
