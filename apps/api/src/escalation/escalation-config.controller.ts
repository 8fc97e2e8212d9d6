import { Body, Controller, Get, NotFoundException, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles, StaffRole } from '@helpdesk/auth';
import { ALL_TIERS, EntitlementsService, EscalationPolicyService, EscalationTiersService } from '@helpdesk/escalation';
import type { EscalationTier } from '@helpdesk/escalation';
import { PutEntitlementsDto, PutEscalationPolicyDto, PutTierDto } from './escalation.dto';
import { EntitlementsResponseDto, EscalationPolicyResponseDto, TierConfigResponseDto } from './escalation-responses.dto';

function tierParam(value: string): EscalationTier {
  if (!ALL_TIERS.includes(value as EscalationTier)) {
    throw new NotFoundException(`No escalation tier is named ${JSON.stringify(value)}; tiers: ${ALL_TIERS.join(', ')}`);
  }
  return value as EscalationTier;
}

@ApiTags('escalation settings')
@ApiBearerAuth()
@Controller()
export class EscalationConfigController {
  constructor(
    private readonly entitlements: EntitlementsService,
    private readonly tiers: EscalationTiersService,
    private readonly policy: EscalationPolicyService,
  ) {}

  @Get('entitlements')
  @Roles(StaffRole.GlobalAdmin)
  @ApiOkResponse({ type: EntitlementsResponseDto })
  getEntitlements() {
    return this.entitlements.get();
  }

  @Put('entitlements')
  @Roles(StaffRole.GlobalAdmin)
  @ApiOkResponse({ type: EntitlementsResponseDto })
  putEntitlements(@Body() body: PutEntitlementsDto) {
    return this.entitlements.put(body);
  }

  @Get('escalation-tiers')
  @Roles(StaffRole.AdminAgent)
  @ApiOkResponse({ type: TierConfigResponseDto, isArray: true })
  listTiers() {
    return this.tiers.list();
  }

  @Put('escalation-tiers/:tier')
  @Roles(StaffRole.AdminAgent)
  @ApiOkResponse({ type: TierConfigResponseDto })
  putTier(@Param('tier') tier: string, @Body() body: PutTierDto) {
    return this.tiers.put(tierParam(tier), body);
  }

  @Get('escalation-policy')
  @Roles(StaffRole.AdminAgent)
  @ApiOkResponse({ type: EscalationPolicyResponseDto })
  getPolicy() {
    return this.policy.get();
  }

  @Put('escalation-policy')
  @Roles(StaffRole.AdminAgent)
  @ApiOkResponse({ type: EscalationPolicyResponseDto })
  putPolicy(@Body() body: PutEscalationPolicyDto) {
    return this.policy.put(body);
  }
}
