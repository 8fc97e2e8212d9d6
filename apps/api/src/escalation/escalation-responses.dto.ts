import { ApiProperty } from '@nestjs/swagger';
import { StaffRole } from '@helpdesk/auth';
import { ALL_TIERS, ESCALATION_REFUSAL_CODES, ESCALATION_STATUSES, TIER_WHY_CODES } from '@helpdesk/escalation';
import type { EscalationRefusalCode, EscalationStatus, EscalationTier, Priority, TierWhyCode } from '@helpdesk/escalation';
import { ActorDto } from '../intake/intake-responses.dto';

/** What the escalation routes answer, for the OpenAPI document (and so for the console's generated client). */
export class TierWhyParamsDto {
  @ApiProperty({ enum: ['premier', 'advanced'], required: false }) contract?: 'premier' | 'advanced';
  @ApiProperty({ required: false, example: 40 }) hoursRemaining?: number;
  @ApiProperty({ type: String, nullable: true, required: false, example: '2027-06-30' }) expiresOn?: string | null;
  @ApiProperty({ enum: ['gold', 'silver'], required: false }) competency?: 'gold' | 'silver';
}

export class TierWhyDto {
  @ApiProperty({ enum: TIER_WHY_CODES, description: 'Why the tier is in or out, for a screen to say in its own language; more codes may come' }) code: TierWhyCode;
  @ApiProperty({ type: TierWhyParamsDto, description: 'The values the sentence of the code needs' }) params: TierWhyParamsDto;
}

export class TierConsideredDto {
  @ApiProperty({ enum: ALL_TIERS }) tier: EscalationTier;
  @ApiProperty() eligible: boolean;
  @ApiProperty({ example: 'no active Premier contract', description: 'In English' }) reason: string;
  @ApiProperty({ type: TierWhyDto, required: false, description: 'The reason as a code and its values (absent on escalations routed before codes existed)' }) why?: TierWhyDto;
}

export class RoutingDecisionDto {
  @ApiProperty({ type: [TierConsideredDto] }) considered: TierConsideredDto[];
  @ApiProperty({ enum: ALL_TIERS, nullable: true }) chosen: EscalationTier | null;
}

export class EscalationRefusalDto {
  @ApiProperty({ enum: ESCALATION_REFUSAL_CODES, description: 'The `reason` of the problem escalating would answer' }) code: EscalationRefusalCode;
  @ApiProperty({ example: 422 }) status: number;
  @ApiProperty({ description: "The problem's detail, in English" }) detail: string;
  @ApiProperty({ type: String, nullable: true, required: false, description: 'product_suspended: the suspended product' }) product?: string | null;
  @ApiProperty({ enum: StaffRole, isArray: true, required: false, description: 'product_suspended: who may escalate anyway with billingOverride' }) overridableBy?: StaffRole[];
  @ApiProperty({ required: false, description: 'product_suspended: whether the caller may give billingOverride' }) mayOverride?: boolean;
}

export class EscalationAttemptDto {
  @ApiProperty() deliveryId: string;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ type: Number, nullable: true }) httpStatus: number | null;
  @ApiProperty({ type: String, nullable: true }) error: string | null;
  @ApiProperty() durationMs: number;
}

export class EscalationResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() ticketId: string;
  @ApiProperty({ enum: ALL_TIERS }) tier: EscalationTier;
  @ApiProperty({ enum: ESCALATION_STATUSES }) status: EscalationStatus;
  @ApiProperty({ enum: ['manual', 'sla_breach'] }) trigger: 'manual' | 'sla_breach';
  @ApiProperty() reason: string;
  @ApiProperty({ type: RoutingDecisionDto }) routing: RoutingDecisionDto;
  @ApiProperty({ type: ActorDto }) actor: ActorDto;
  @ApiProperty({ type: String, nullable: true }) vendorCaseId: string | null;
  @ApiProperty({ type: String, nullable: true }) note: string | null;
  @ApiProperty({ type: Number, nullable: true }) hoursUsed: number | null;
  @ApiProperty({ type: String, nullable: true }) lastError: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) submittedAt: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) closedAt: string | null;
  @ApiProperty({ type: [EscalationAttemptDto], required: false, description: 'Delivery attempts (GET /escalations/:id only)' }) attempts?: EscalationAttemptDto[];
}

export class EscalationPageDto {
  @ApiProperty({ type: [EscalationResponseDto] }) items: EscalationResponseDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class ContractResponseDto {
  @ApiProperty() active: boolean;
  @ApiProperty() hoursRemaining: number;
  @ApiProperty() hoursPurchased: number;
  @ApiProperty({ type: String, nullable: true, example: '2027-06-30' }) expiresOn: string | null;
}

/** How POST /tickets/:id/escalations refuses (problem+json, 409 or 422): the refusal's code next to its English detail. */
export class EscalationProblemDto {
  @ApiProperty({ example: 'urn:helpdesk:problem:unprocessable' }) type: string;
  @ApiProperty({ example: 'Unprocessable Entity' }) title: string;
  @ApiProperty({ example: 422 }) status: number;
  @ApiProperty({ description: 'In English' }) detail: string;
  @ApiProperty({ enum: ESCALATION_REFUSAL_CODES, required: false, description: 'Why it is refused, for a screen to say in its own language (as the preview\'s refusal.code); more codes may come' }) reason?: EscalationRefusalCode;
  @ApiProperty({ type: String, nullable: true, required: false, description: 'product_suspended: the suspended product' }) product?: string | null;
  @ApiProperty({ type: RoutingDecisionDto, required: false, description: 'no_eligible_tier, tier_not_eligible, tier_not_applicable, product_suspended: every tier considered and why' }) routing?: RoutingDecisionDto;
  @ApiProperty({ required: false, description: 'open_escalation: the open escalation' }) escalationId?: string;
}

export class EscalationPreviewDto extends RoutingDecisionDto {
  @ApiProperty({ type: EscalationRefusalDto, nullable: true, description: 'Why escalating now would be refused; null when it would be accepted' }) refusal: EscalationRefusalDto | null;
  @ApiProperty({ enum: ['gold', 'silver', 'none'] }) competency: 'gold' | 'silver' | 'none';
  @ApiProperty({ type: ContractResponseDto }) premier: ContractResponseDto;
  @ApiProperty({ type: ContractResponseDto }) advanced: ContractResponseDto;
  @ApiProperty({ example: '2026-12-05', description: 'The date the contracts were judged on (UTC)' }) today: string;
}

export class EntitlementsResponseDto {
  @ApiProperty({ enum: ['gold', 'silver', 'none'] }) competency: 'gold' | 'silver' | 'none';
  @ApiProperty({ type: ContractResponseDto }) premier: ContractResponseDto;
  @ApiProperty({ type: ContractResponseDto }) advanced: ContractResponseDto;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ example: '2026-12-05' }) today: string;
  @ApiProperty({ type: [TierConsideredDto], description: 'Which tiers what the partner holds today makes available' }) tiers: TierConsideredDto[];
}

export class TierConfigResponseDto {
  @ApiProperty({ enum: ALL_TIERS }) tier: EscalationTier;
  @ApiProperty() configured: boolean;
  @ApiProperty({ enum: ['webhook', 'manual'], nullable: true }) delivery: 'webhook' | 'manual' | null;
  @ApiProperty({ type: String, nullable: true }) webhookUrl: string | null;
  @ApiProperty({ description: 'The secret itself is never returned' }) hasSecret: boolean;
  @ApiProperty({ type: Number, nullable: true }) timeoutMs: number | null;
  @ApiProperty({ type: Number, nullable: true }) maxPerMinute: number | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) updatedAt: string | null;
}

export class EscalationPolicyResponseDto {
  @ApiProperty() autoEscalateOnResolutionBreach: boolean;
  @ApiProperty({ enum: ['P1', 'P2', 'P3', 'P4'], isArray: true }) priorities: Priority[];
  @ApiProperty() onlyOutOfScope: boolean;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}
