import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiConflictResponse, ApiHeader, ApiOkResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentPrincipal, Public, Roles, StaffRole } from '@helpdesk/auth';
import type { Principal } from '@helpdesk/auth';
import { EscalationCallbacksService, EscalationReadsService, EscalationsService, EscalationUpdatesService } from '@helpdesk/escalation';
import { UuidParamPipe } from '@helpdesk/http';
import { AnyContentType } from './callback-body';
import { CreateEscalationDto, ListEscalationsQueryDto, PreviewEscalationQueryDto, UpdateEscalationDto } from './escalation.dto';
import { EscalationPageDto, EscalationPreviewDto, EscalationProblemDto, EscalationResponseDto } from './escalation-responses.dto';

const ESCALATES = [StaffRole.AdminAgent, StaffRole.HelpdeskAgent] as const;

@ApiTags('escalations')
@ApiBearerAuth()
@Controller()
export class EscalationsController {
  constructor(
    private readonly escalations: EscalationsService,
    private readonly reads: EscalationReadsService,
    private readonly updates: EscalationUpdatesService,
    private readonly callbacks: EscalationCallbacksService,
  ) {}

  /** 202: the case is accepted and queued for delivery to the chosen tier. */
  @Post('tickets/:id/escalations')
  @HttpCode(202)
  @Roles(...ESCALATES)
  @ApiAcceptedResponse({ type: EscalationResponseDto, description: 'Accepted and queued for delivery to the chosen tier' })
  @ApiConflictResponse({ type: EscalationProblemDto, description: 'ticket_closed, open_escalation (reason)' })
  @ApiUnprocessableEntityResponse({ type: EscalationProblemDto, description: 'no_category, no_eligible_tier, tier_not_eligible, tier_not_applicable, product_suspended (reason)' })
  escalate(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string, @Body() body: CreateEscalationDto) {
    return this.escalations.escalate(principal, id, body);
  }

  /**
   * What escalating the ticket would decide now, without escalating: the tier routing picks (or
   * the asked-for tier), every tier considered and why, the contracts' hours, and whether (and
   * why) it would be refused.
   */
  @Get('tickets/:id/escalations/preview')
  @Roles(...ESCALATES)
  @ApiOkResponse({ type: EscalationPreviewDto })
  preview(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string, @Query() query: PreviewEscalationQueryDto) {
    return this.escalations.preview(principal, id, query);
  }

  /** Ticket workers: every escalation; billing_admin: those of billing tickets. */
  @Get('escalations')
  @Roles(...ESCALATES, StaffRole.BillingAdmin)
  @ApiOkResponse({ type: EscalationPageDto })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListEscalationsQueryDto) {
    return this.reads.listFor(principal, query);
  }

  @Get('escalations/:id')
  @Roles(...ESCALATES, StaffRole.BillingAdmin)
  @ApiOkResponse({ type: EscalationResponseDto })
  get(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string) {
    return this.reads.getFor(principal, id);
  }

  @Patch('escalations/:id')
  @Roles(...ESCALATES)
  @ApiOkResponse({ type: EscalationResponseDto })
  update(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string, @Body() body: UpdateEscalationDto) {
    return this.updates.update(principal, id, body);
  }

  @Post('escalations/:id/retry')
  @HttpCode(202)
  @Roles(StaffRole.AdminAgent)
  @ApiAcceptedResponse({ type: EscalationResponseDto })
  retry(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string) {
    return this.updates.retry(principal, id);
  }

  /**
   * The vendor's progress report, signed per Standard Webhooks with the tier's callbackSecret: no
   * bearer token; any Content-Type (the signature is over the exact bytes).
   */
  @Post('escalations/callbacks/:tier')
  @HttpCode(200)
  @Public()
  @AnyContentType()
  @ApiHeader({ name: 'webhook-id', required: true, description: 'Unique per callback: an id already applied is refused (401)' })
  @ApiHeader({ name: 'webhook-timestamp', required: true, description: 'Seconds since 1970 (UTC); refused when more than 5 minutes from our clock' })
  @ApiHeader({ name: 'webhook-signature', required: true, description: 'v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>" with the tier callbackSecret>' })
  callback(@Param('tier') tier: string, @Req() req: RawBodyRequest<FastifyRequest>) {
    return this.callbacks.receive(tier, req.rawBody, req.headers);
  }
}
