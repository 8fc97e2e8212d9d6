import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { StaffRole } from '@helpdesk/auth';
import { OutboundMailAdminService } from '@helpdesk/channels';
import { UuidParamPipe } from '@helpdesk/http';
import { ApiRoles } from '../dto/api-roles';
import { ListOutboundMessagesQueryDto, OutboundMessageDto, OutboundMessagePageDto, OutboundRetryProblemDto } from './outbound-messages.dto';

const ADMINS = [StaffRole.AdminAgent];

/** Outgoing e-mail (customers' and staff's notifications): its state, and sending a failed one again. */
@ApiTags('outbound-messages')
@ApiBearerAuth()
@Controller('outbound-messages')
export class OutboundMessagesController {
  constructor(private readonly mail: OutboundMailAdminService) {}

  @Get()
  @ApiRoles('Outgoing mail, newest first, by state, ticket, recipient and creation time (keyset pages)', ADMINS, {
    description: 'A filter that is not understood is a 400 problem naming the field (`errors[].field`).',
  })
  @ApiOkResponse({ type: OutboundMessagePageDto })
  list(@Query() query: ListOutboundMessagesQueryDto) {
    return this.mail.list(query);
  }

  @Get(':id')
  @ApiRoles('One outgoing mail', ADMINS)
  @ApiOkResponse({ type: OutboundMessageDto })
  @ApiNotFoundResponse({ description: 'No such mail' })
  get(@Param('id', UuidParamPipe) id: string) {
    return this.mail.get(id);
  }

  /** 200 with the mail, now pending: queued through the outbox with the same Message-ID, audited. */
  @Post(':id/retry')
  @HttpCode(200)
  @ApiRoles('Send a failed mail again (after fixing what made it fail); audited', ADMINS, {
    description: 'Only a `failed` mail: one that was sent is never sent again, and one pending (a second click) is refused — both 409 with `reason`.',
  })
  @ApiOkResponse({ type: OutboundMessageDto })
  @ApiConflictResponse({ type: OutboundRetryProblemDto, description: 'already_sent, not_failed (reason)' })
  @ApiNotFoundResponse({ description: 'No such mail' })
  retry(@Param('id', UuidParamPipe) id: string) {
    return this.mail.retry(id);
  }
}
