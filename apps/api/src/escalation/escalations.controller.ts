import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentPrincipal, Public, Roles, StaffRole } from '@helpdesk/auth';
import type { Principal } from '@helpdesk/auth';
import { EscalationCallbacksService, EscalationReadsService, EscalationsService, EscalationUpdatesService } from '@helpdesk/escalation';
import { UuidParamPipe } from '@helpdesk/http';
import { CreateEscalationDto, ListEscalationsQueryDto, UpdateEscalationDto } from './escalation.dto';
import { EscalationPageDto, EscalationResponseDto } from './escalation-responses.dto';

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
  escalate(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string, @Body() body: CreateEscalationDto) {
    return this.escalations.escalate(principal, id, body);
  }

  @Get('escalations')
  @ApiOkResponse({ type: EscalationPageDto })
  list(@Query() query: ListEscalationsQueryDto) {
    return this.reads.list(query);
  }

  @Get('escalations/:id')
  @ApiOkResponse({ type: EscalationResponseDto })
  get(@Param('id', UuidParamPipe) id: string) {
    return this.reads.get(id);
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

  /** The vendor's signed progress report: no bearer token, an HMAC over the exact body instead. */
  @Post('escalations/callbacks/:tier')
  @HttpCode(200)
  @Public()
  @ApiHeader({ name: 'X-Helpdesk-Signature', required: true, description: 'sha256=<hex HMAC-SHA256 of the raw body with the tier secret>' })
  @ApiHeader({ name: 'X-Helpdesk-Delivery', required: true, description: 'Unique per callback; a replay is ignored' })
  callback(
    @Param('tier') tier: string,
    @Req() req: RawBodyRequest<FastifyRequest>,
    @Headers('x-helpdesk-signature') signature: string | undefined,
    @Headers('x-helpdesk-delivery') deliveryId: string | undefined,
  ) {
    return this.callbacks.receive(tier, req.rawBody, signature, deliveryId);
  }
}
