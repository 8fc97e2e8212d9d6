import { Body, Controller, Headers, HttpCode, Logger, OnApplicationBootstrap, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal } from '@helpdesk/auth';
import type { StaffPrincipal } from '@helpdesk/auth';
import { TicketBulkService } from '@helpdesk/intake';
import { ApiRoles, TICKET_WORKERS } from '../dto/api-roles';
import { idempotencyKey } from '../dto/idempotency-key';
import { BulkOutcomeDto } from './act-responses.dto';
import { BulkTicketsDto } from './ticket-bulk.dto';

@ApiTags('tickets')
@ApiBearerAuth()
@Controller('tickets')
export class TicketBulkController implements OnApplicationBootstrap {
  private readonly logger = new Logger(TicketBulkController.name);

  constructor(private readonly bulk: TicketBulkService) {}

  /** The API serves bulk requests: their connections are opened and warmed as it starts, not during the first one (not awaited: the API does not start later for it). */
  onApplicationBootstrap(): void {
    this.bulk
      .keepConnectionsReady()
      .then(({ connections, rowChanges }) => this.logger.log(`bulk connections warmed: ${connections}, a closed ticket changed and rolled back on ${rowChanges}`))
      .catch((error: unknown) => this.logger.warn(`bulk connections not warmed: ${error instanceof Error ? error.message : String(error)}`));
  }

  @Post('bulk')
  @HttpCode(200)
  @ApiRoles('Change up to 500 tickets at once', TICKET_WORKERS, {
    description:
      'Each ticket is changed by the rules of PATCH /tickets/:id, in a transaction of its own with its own events. ' +
      'The answer lists every id in the order sent: `ok`, or the problem for that ticket (404 unknown, 403 a ticket you only read, 409 transition not allowed or an assignee who may not work it, 422 tag cap). ' +
      'With an Idempotency-Key, a repeat with the same body returns the first results (`replayed: true`) and applies nothing; another body is a 422.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiOkResponse({ type: BulkOutcomeDto })
  async apply(
    @CurrentPrincipal() principal: StaffPrincipal,
    @Body() body: BulkTicketsDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const outcome = await this.bulk.apply(principal, body.ids, body.set, idempotencyKey(key));
    if (outcome.replayed) void reply.header('Idempotent-Replayed', 'true');
    return outcome;
  }
}
