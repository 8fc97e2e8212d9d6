import { Controller, HttpCode, MessageEvent, Post, Query, Req, Res, Sse, UnauthorizedException } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiExtraModels, ApiOkResponse, ApiQuery, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { CurrentPrincipal, Public, Roles, StaffRole } from '@helpdesk/auth';
import type { AuthenticatedRequest, StaffPrincipal } from '@helpdesk/auth';
import { LiveStreamService, STREAM_LIMIT_RETRY_AFTER_SECONDS, TooManyStreamsException } from '@helpdesk/monitoring';
import { LiveEscalationFailedDto, LiveSlaBreachedDto, LiveTicketCreatedDto, LiveTicketEscalatedDto, QueueStatsDto, StreamTokenDto } from './monitoring-responses.dto';

@ApiTags('queues')
@ApiBearerAuth()
@Controller('queues')
export class StreamController {
  constructor(private readonly live: LiveStreamService) {}

  /** A single-use ticket (60 s) for browsers' EventSource: `GET /queues/stream?token=<token>`. */
  @Post('stream-tokens')
  @HttpCode(201)
  @Roles(StaffRole.AdminAgent)
  @ApiCreatedResponse({ type: StreamTokenDto })
  issueToken(@CurrentPrincipal() principal: StaffPrincipal, @Req() request: AuthenticatedRequest) {
    return this.live.issueTicket(principal, request.consoleSession?.id);
  }

  /**
   * Server-Sent Events: `stats` every 2 s, `ticket.created`, `ticket.escalated`, `sla.breached`,
   * `escalation.failed` as they happen, `: ping` every 15 s. Bearer token or `?token=` stream ticket
   * (global_admin, admin_agent); authenticated here, as EventSource cannot send headers. Ends with
   * `stream.ended {reason}` as soon as the caller's token is revoked, their agent deactivated,
   * their roles no longer allow it or (for a stream token a console session asked for) the session is signed out.
   */
  @Public()
  @Sse('stream')
  @ApiExtraModels(LiveTicketCreatedDto, LiveTicketEscalatedDto, LiveSlaBreachedDto, LiveEscalationFailedDto)
  @ApiOkResponse({
    description: 'text/event-stream; the data of each event type is one of these schemas: stats QueueStatsDto, ticket.created LiveTicketCreatedDto, ticket.escalated LiveTicketEscalatedDto, sla.breached LiveSlaBreachedDto, escalation.failed LiveEscalationFailedDto',
    content: {
      'text/event-stream': {
        schema: {
          oneOf: [QueueStatsDto, LiveTicketCreatedDto, LiveTicketEscalatedDto, LiveSlaBreachedDto, LiveEscalationFailedDto].map((model) => ({ $ref: getSchemaPath(model) })),
        },
      },
    },
  })
  @ApiQuery({ name: 'token', required: false, description: 'a stream token from POST /queues/stream-tokens' })
  async stream(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Query('token') token?: unknown): Promise<Observable<MessageEvent>> {
    try {
      const watcher = await this.live.authenticate({ authorization: req.headers.authorization, ticket: typeof token === 'string' ? token : undefined });
      return await this.live.open(watcher);
    } catch (error) {
      if (error instanceof UnauthorizedException) void reply.header('WWW-Authenticate', 'Bearer');
      if (error instanceof TooManyStreamsException) void reply.header('Retry-After', String(STREAM_LIMIT_RETRY_AFTER_SECONDS));
      throw error;
    }
  }
}
