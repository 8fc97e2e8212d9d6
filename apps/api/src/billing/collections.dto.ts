import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUrl, IsUUID, Length, Max, Min, ValidateNested } from 'class-validator';
import { DUNNING_ACTIONS, LOCALES, MAX_STEP_DAYS, MAX_STEPS, PRODUCTS, PROVISIONING_STATUSES, RESTORE_REQUIREMENTS } from '@helpdesk/billing';
import type { DeliveryMode, DunningAction, Locale, Product, ProvisioningKind, ProvisioningStatus, RestoreRequirement } from '@helpdesk/billing';
import { IsOmittable } from '../dto/optional';
import { PageQueryDto } from '../pagination/page-query.dto';
import { IsCalendarDate, IsCurrencyCode, IsDecimalAmount, IsProductSelection, oneOf } from './billing-validators';

export class PolicyStepDto {
  @ApiProperty({ enum: DUNNING_ACTIONS })
  @IsIn(DUNNING_ACTIONS, oneOf('action', DUNNING_ACTIONS))
  action: DunningAction;

  @ApiProperty({ minimum: 1, maximum: MAX_STEP_DAYS, description: 'Days after the due date; steps are ordered by it' })
  @IsInt()
  @Min(1)
  @Max(MAX_STEP_DAYS)
  days: number;

  @ApiPropertyOptional({
    oneOf: [{ type: 'string', enum: ['all'] }, { type: 'array', items: { type: 'string', enum: [...PRODUCTS] } }],
    description: 'suspend steps (required there): "all" or the products suspended',
  })
  @IsOmittable()
  @IsProductSelection()
  products?: Product[] | 'all';

  @ApiPropertyOptional({ enum: RESTORE_REQUIREMENTS, description: 'suspend steps (required there): what a payment must clear to restore' })
  @IsOmittable()
  @IsIn(RESTORE_REQUIREMENTS, oneOf('restoreRequires', RESTORE_REQUIREMENTS))
  restoreRequires?: RestoreRequirement;
}

export class MinimumAmountDto {
  @ApiProperty({ example: 'EUR' })
  @IsCurrencyCode()
  currency: string;

  @ApiProperty({ example: '25.00' })
  @IsDecimalAmount()
  amount: string;
}

export class PutCollectionsPolicyDto {
  @ApiProperty({ example: 'Europe/Madrid', description: "The partner's time zone: steps fall due at 00:00 there" })
  @IsString()
  @Length(1, 100)
  timezone: string;

  @ApiProperty({
    type: [PolicyStepDto],
    description:
      'The steps, ordered by days. A step falls due at 00:00 of due date + days. A run that finds an invoice past several warning steps at once ' +
      '(imported late, back-dated, after a pause or a dispute) sends only the latest warning due (reminder or final notice); the earlier ones are ' +
      'recorded as superseded and never sent. A suspend step waits for its notice period: its days minus those of the last warning step before it. ' +
      'It is applied on the later of its own date and the date that warning actually went out (the run\'s partner date) plus the notice period, ' +
      'so a customer is always warned, and given the published notice, before a suspension. Suspensions and their end are told to the customer too.',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_STEPS)
  @ValidateNested({ each: true })
  @Type(() => PolicyStepDto)
  steps: PolicyStepDto[];

  @ApiPropertyOptional({ type: [MinimumAmountDto], description: 'Overdue amounts below these (per currency) trigger nothing' })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => MinimumAmountDto)
  minimumAmounts?: MinimumAmountDto[];
}

export class PolicyQueryDto {
  @ApiPropertyOptional({ enum: LOCALES, description: "The published text in this language (customers: default their account's)" })
  @IsOptional()
  @IsIn(LOCALES, oneOf('locale', LOCALES))
  locale?: Locale;
}

export class DunningRunDto {
  @ApiPropertyOptional({ example: '2026-12-16', description: 'Run as of this partner date (default today); a future one only as a dry run' })
  @IsOmittable()
  @IsCalendarDate()
  asOf?: string;

  @ApiPropertyOptional({ default: false, description: 'Answer with what the run would do, writing nothing' })
  @IsOmittable()
  @IsBoolean()
  dryRun?: boolean;
}

/** Runs are listed newest first, without a cursor: only how many. */
export class ListRunsQueryDto extends PickType(PageQueryDto, ['limit'] as const) {}

export class PutProvisioningDto {
  @ApiProperty({ enum: ['webhook', 'manual'] })
  @IsIn(['webhook', 'manual'], oneOf('delivery', ['webhook', 'manual']))
  delivery: DeliveryMode;

  @ApiPropertyOptional({ example: 'https://provisioning.partner.example/hooks/subscriptions' })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'webhookUrl must be an http(s) URL' })
  @Length(1, 2000)
  webhookUrl?: string;

  @ApiPropertyOptional({ writeOnly: true, example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', description: 'Standard Webhooks secret (whsec_ + base64 of 24–64 bytes); never returned' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  secret?: string;

  @ApiPropertyOptional({ minimum: 100, maximum: 60000, default: 10000 })
  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(60_000)
  timeoutMs?: number;
}

export class ListProvisioningQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: PROVISIONING_STATUSES })
  @IsOptional()
  @IsIn(PROVISIONING_STATUSES, oneOf('status', PROVISIONING_STATUSES))
  status?: ProvisioningStatus;

  @ApiPropertyOptional({ enum: ['webhook', 'manual'], description: 'manual + status=pending: the task list' })
  @IsOptional()
  @IsIn(['webhook', 'manual'], oneOf('mode', ['webhook', 'manual']))
  mode?: DeliveryMode;

  @ApiPropertyOptional({ enum: ['suspend', 'resume'] })
  @IsOptional()
  @IsIn(['suspend', 'resume'], oneOf('kind', ['suspend', 'resume']))
  kind?: ProvisioningKind;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all', { message: 'customerId must be a UUID' })
  customerId?: string;
}

export class ConfirmProvisioningDto {
  @ApiPropertyOptional({ maxLength: 2000, description: 'What was done in the portal' })
  @IsOmittable()
  @IsString()
  @Length(1, 2000)
  note?: string;
}
