import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, UnsupportedMediaTypeException } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiConsumes, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public, Roles, StaffRole } from '@helpdesk/auth';
import { InboundMailboxService, InboundWebhookService } from '@helpdesk/channels';
import { UuidParamPipe } from '@helpdesk/http';
import { AssignInboundMessageDto, ListInboundMessagesQueryDto } from './inbound-email.dto';
import { InboundAcceptedDto, InboundMessageDto } from './inbound-email-responses.dto';
import { Rfc822Body } from './rfc822-body';

const READS_MAIL = [StaffRole.HelpdeskAgent, StaffRole.AdminAgent];

@ApiTags('channels')
@Controller()
export class InboundEmailController {
  constructor(
    private readonly webhook: InboundWebhookService,
    private readonly mailbox: InboundMailboxService,
  ) {}

  /** 202: the raw message is stored; the worker makes it a ticket, a comment, or parks it (GET /inbound-email). */
  @Post('inbound-email')
  @HttpCode(202)
  @Public()
  @Rfc822Body()
  @ApiConsumes('message/rfc822')
  @ApiHeader({ name: 'webhook-id', required: true, description: 'Unique per message: an id already accepted is refused (401)' })
  @ApiHeader({ name: 'webhook-timestamp', required: true, description: 'Seconds since 1970 (UTC); refused when more than 5 minutes from our clock' })
  @ApiHeader({ name: 'webhook-signature', required: true, description: 'v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>" with INBOUND_EMAIL_SECRET>' })
  @ApiAcceptedResponse({ type: InboundAcceptedDto })
  receive(@Req() req: RawBodyRequest<FastifyRequest>) {
    // Routes with a signed body also keep the raw bytes of JSON; this one takes a message only.
    if (!/^message\/rfc822\s*(;|$)/i.test(req.headers['content-type'] ?? '')) throw new UnsupportedMediaTypeException('The body must be a raw e-mail: Content-Type message/rfc822');
    return this.webhook.receive(req.rawBody, req.headers);
  }

  /** Received mail by status, newest first: `unmatched` (the default) is the queue agents assign from. */
  @Get('inbound-email')
  @ApiBearerAuth()
  @Roles(...READS_MAIL)
  @ApiOkResponse({ type: [InboundMessageDto] })
  list(@Query() query: ListInboundMessagesQueryDto) {
    return this.mailbox.list(query.status ?? 'unmatched', query.limit);
  }

  @Get('inbound-email/:id')
  @ApiBearerAuth()
  @Roles(...READS_MAIL)
  @ApiOkResponse({ type: InboundMessageDto })
  get(@Param('id', UuidParamPipe) id: string) {
    return this.mailbox.get(id);
  }

  /** An unmatched message is filed as a ticket of this customer. */
  @Post('inbound-email/:id/assign')
  @HttpCode(200)
  @ApiBearerAuth()
  @Roles(...READS_MAIL)
  @ApiOkResponse({ type: InboundMessageDto })
  assign(@Param('id', UuidParamPipe) id: string, @Body() body: AssignInboundMessageDto) {
    return this.mailbox.assign(id, body.customerId.toLowerCase());
  }
}
