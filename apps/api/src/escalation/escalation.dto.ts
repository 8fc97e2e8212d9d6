import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsOmittable } from '../dto/optional';
import { IsWebhookSecret } from './webhook-secret.validator';
import { PageQueryDto } from '../pagination/page-query.dto';
import { ALL_TIERS, ESCALATION_STATUSES } from '@helpdesk/escalation';
import { DEFAULT_ROTATION_OVERLAP_MS, MAX_ROTATION_OVERLAP_MS, WEBHOOK_SECRET_FORM } from '@helpdesk/webhooks';
import type { EscalationStatus, EscalationTier, Priority } from '@helpdesk/escalation';

const oneOf = (field: string, values: readonly string[]) => ({ message: `${field} must be one of: ${values.join(', ')}` });
const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
const COMPETENCIES = ['gold', 'silver', 'none'] as const;
const VENDOR_STATUSES = ['acknowledged', 'resolved', 'rejected'] as const;

export class ContractDto {
  @ApiProperty()
  @IsBoolean()
  active: boolean;

  @ApiProperty({ minimum: 0, example: 120 })
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 })
  @Min(0)
  @Max(1_000_000)
  hoursRemaining: number;

  @ApiPropertyOptional({ minimum: 0, description: 'Hours bought with the contract (for the 10 % warning); defaults to hoursRemaining' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 })
  @Min(0)
  @Max(1_000_000)
  hoursPurchased?: number;

  @ApiPropertyOptional({ type: String, nullable: true, example: '2027-06-30', description: 'Last day the contract can be used; null = open-ended' })
  @ValidateIf((_o, v) => v !== null && v !== undefined)
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'expiresOn must be a date written YYYY-MM-DD' })
  expiresOn?: string | null;
}

export class PutEntitlementsDto {
  @ApiProperty({ enum: COMPETENCIES })
  @IsIn(COMPETENCIES, oneOf('competency', COMPETENCIES))
  competency: (typeof COMPETENCIES)[number];

  @ApiProperty({ type: ContractDto })
  @IsObject()
  @ValidateNested()
  @Type(() => ContractDto)
  premier: ContractDto;

  @ApiProperty({ type: ContractDto })
  @IsObject()
  @ValidateNested()
  @Type(() => ContractDto)
  advanced: ContractDto;
}

export class PutTierDto {
  @ApiProperty({ enum: ['webhook', 'manual'] })
  @IsIn(['webhook', 'manual'], oneOf('delivery', ['webhook', 'manual']))
  delivery: 'webhook' | 'manual';

  @ApiPropertyOptional({ example: 'https://vendor.example/cases' })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'webhookUrl must be an http(s) URL' })
  @Length(1, 2000)
  webhookUrl?: string;

  @ApiPropertyOptional({ writeOnly: true, example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', description: `Signs what we send (Standard Webhooks). ${WEBHOOK_SECRET_FORM}. Never returned; kept when not sent` })
  @IsOmittable()
  @IsWebhookSecret()
  secret?: string;

  @ApiPropertyOptional({
    writeOnly: true,
    description: `Verifies the vendor's callbacks (Standard Webhooks); must differ from secret. ${WEBHOOK_SECRET_FORM}. Never returned; kept when not sent`,
  })
  @IsOmittable()
  @IsWebhookSecret()
  callbackSecret?: string;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: MAX_ROTATION_OVERLAP_MS / 1000,
    default: DEFAULT_ROTATION_OVERLAP_MS / 1000,
    description: 'How long a secret or callbackSecret replaced by this PUT stays valid (0: at once); sent without a new secret, it shortens a running overlap',
  })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(MAX_ROTATION_OVERLAP_MS / 1000)
  rotationOverlapSeconds?: number;

  @ApiPropertyOptional({ minimum: 100, maximum: 120000, default: 10000 })
  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(120_000)
  timeoutMs?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000000 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  maxPerMinute?: number;
}

export class CreateEscalationDto {
  @ApiProperty({ minLength: 1, maxLength: 5000 })
  @IsString()
  @Length(1, 5000)
  @Matches(/\S/, { message: 'reason must not be blank' })
  reason: string;

  @ApiPropertyOptional({ enum: ALL_TIERS })
  @IsOmittable()
  @IsIn(ALL_TIERS, oneOf('tier', ALL_TIERS))
  tier?: EscalationTier;

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 2000,
    description: 'global_admin / admin_agent only: why a technical case goes to the vendor although the partner suspended the product (otherwise a 422)',
  })
  @IsOmittable()
  @IsString()
  @Length(1, 2000)
  @Matches(/\S/, { message: 'billingOverride must not be blank' })
  billingOverride?: string;
}

/** The tier to ask for, as when escalating; none = let routing decide. */
export class PreviewEscalationQueryDto extends PickType(CreateEscalationDto, ['tier'] as const) {}

export class UpdateEscalationDto {
  @ApiPropertyOptional({ description: "The vendor's case id (marks a manual escalation submitted)" })
  @IsOmittable()
  @IsString()
  @Length(1, 200)
  @Matches(/\S/, { message: 'vendorCaseId must not be blank' })
  vendorCaseId?: string;

  @ApiPropertyOptional({ enum: VENDOR_STATUSES })
  @IsOmittable()
  @IsIn(VENDOR_STATUSES, oneOf('status', VENDOR_STATUSES))
  status?: (typeof VENDOR_STATUSES)[number];

  @ApiPropertyOptional({ maxLength: 5000 })
  @IsOmittable()
  @IsString()
  @Length(1, 5000)
  note?: string;

  @ApiPropertyOptional({ minimum: 0, description: 'Contract hours used (premier/advanced; required when resolved)' })
  @IsOmittable()
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 })
  @Min(0)
  @Max(10_000)
  hoursUsed?: number;
}

export class ListEscalationsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ALL_TIERS })
  @IsOptional()
  @IsIn(ALL_TIERS, oneOf('tier', ALL_TIERS))
  tier?: EscalationTier;

  @ApiPropertyOptional({ enum: ESCALATION_STATUSES })
  @IsOptional()
  @IsIn(ESCALATION_STATUSES, oneOf('status', ESCALATION_STATUSES))
  status?: EscalationStatus;
}

export class PutEscalationPolicyDto {
  @ApiProperty()
  @IsBoolean()
  autoEscalateOnResolutionBreach: boolean;

  @ApiProperty({ enum: PRIORITIES, isArray: true })
  @IsArray()
  @ArrayUnique()
  @IsIn(PRIORITIES, { each: true, message: 'priorities must each be one of: P1, P2, P3, P4' })
  priorities: Priority[];

  @ApiProperty()
  @IsBoolean()
  onlyOutOfScope: boolean;
}
