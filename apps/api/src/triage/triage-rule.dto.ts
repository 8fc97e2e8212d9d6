import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { RULE_BILLING_STATUSES } from '@helpdesk/triage';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsOmittable } from '../dto/optional';
import { RequesterDto } from '../intake/ticket.dto';
import { lowerCase, trim } from '../dto/transforms';
import { PRIORITIES, TICKET_CATEGORIES, TICKET_CHANNELS, TICKET_PRODUCTS } from '@helpdesk/intake';
import type { Priority } from '@helpdesk/intake';

const oneOf = (field: string, values: readonly string[]) => ({ each: true, message: `each value in ${field} must be one of: ${values.join(', ')}` });
const QUEUE = /^[a-z0-9][a-z0-9_.-]{0,63}$/;
/**
 * A keyword: a word or phrase with at least one letter or digit (one without any never matches);
 * "*" may end a word of two or more letters or digits ("factura*" is a prefix), nowhere else.
 */
const KEYWORD = /^(?=[\s\S]*[\p{L}\p{N}])(?:[^*]|(?<=[\p{L}\p{N}]\p{M}*[\p{L}\p{N}]\p{M}*)\*(?![\p{L}\p{N}\p{M}*]))*$/u;
const keyword = (field: string) => ({
  each: true,
  message: `each value in conditions.${field} must contain a letter or digit; "*" may only end a word of two or more letters ("factura*" matches "facturación")`,
});

export class RuleConditionsDto {
  @ApiPropertyOptional({
    example: ['factura*', 'invoice', 'credit card'],
    description: 'Whole words or phrases, case- and accent-insensitive; a word ending in "*" is a prefix ("factura*" also matches "facturación").',
  })
  @IsOmittable() @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @Length(1, 100, { each: true }) @Matches(KEYWORD, keyword('anyKeywords'))
  anyKeywords?: string[];

  @ApiPropertyOptional({ description: 'Every one must occur; same syntax as anyKeywords.' })
  @IsOmittable() @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @Length(1, 100, { each: true }) @Matches(KEYWORD, keyword('allKeywords'))
  allKeywords?: string[];

  @ApiPropertyOptional({ enum: TICKET_CATEGORIES, isArray: true })
  @IsOmittable() @IsArray() @IsIn(TICKET_CATEGORIES, oneOf('conditions.category', TICKET_CATEGORIES))
  category?: string[];

  @ApiPropertyOptional({ enum: TICKET_PRODUCTS, isArray: true })
  @IsOmittable() @IsArray() @IsIn(TICKET_PRODUCTS, oneOf('conditions.product', TICKET_PRODUCTS))
  product?: string[];

  @ApiPropertyOptional({ enum: TICKET_CHANNELS, isArray: true })
  @IsOmittable() @IsArray() @IsIn(TICKET_CHANNELS, oneOf('conditions.channel', TICKET_CHANNELS))
  channel?: string[];

  @ApiPropertyOptional()
  @Transform(lowerCase) @IsOmittable() @IsArray() @ArrayMaxSize(1000) @IsUUID('all', { each: true })
  customerId?: string[];

  @ApiPropertyOptional({ example: ['contoso.com'] })
  @IsOmittable() @IsArray() @ArrayMaxSize(1000)
  @Matches(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i, { each: true, message: 'each value in requesterDomain must be a domain such as contoso.com' })
  requesterDomain?: string[];

  @ApiPropertyOptional({ enum: PRIORITIES, isArray: true })
  @IsOmittable() @IsArray() @IsIn(PRIORITIES, oneOf('conditions.severity', PRIORITIES))
  severity?: string[];

  @ApiPropertyOptional({ enum: RULE_BILLING_STATUSES, isArray: true, description: "The customer's billing status when the ticket is triaged (a customer without a billing account matches none)" })
  @IsOmittable() @IsArray() @IsIn(RULE_BILLING_STATUSES, oneOf('conditions.billingStatus', RULE_BILLING_STATUSES))
  billingStatus?: string[];
}

export class RuleDiagnosisDto {
  @ApiProperty()
  @IsString() @Length(1, 2000)
  summary: string;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'runbookUrl must be an http(s) URL' })
  runbookUrl?: string;
}

export class RuleActionsDto {
  @ApiPropertyOptional({ enum: TICKET_CATEGORIES })
  @IsOmittable() @IsIn(TICKET_CATEGORIES, { message: `category must be one of: ${TICKET_CATEGORIES.join(', ')}` })
  category?: string;

  @ApiPropertyOptional({ enum: TICKET_PRODUCTS })
  @IsOmittable() @IsIn(TICKET_PRODUCTS, { message: `product must be one of: ${TICKET_PRODUCTS.join(', ')}` })
  product?: string;

  @ApiPropertyOptional({ enum: PRIORITIES })
  @IsOmittable() @IsIn(PRIORITIES, { message: `priority must be one of: ${PRIORITIES.join(', ')}` })
  priority?: Priority;

  @ApiPropertyOptional({ example: 'billing-es' })
  @IsOmittable() @Matches(QUEUE, { message: 'queue must be a queue name (lower-case letters, digits, _ . -)' })
  queue?: string;

  @ApiPropertyOptional()
  @IsOmittable() @IsArray() @ArrayMaxSize(20) @Matches(/^[\p{L}\p{N}_.:-]{1,50}$/u, { each: true, message: 'each tag must be 1–50 letters, digits or _ . : -' })
  tags?: string[];

  @ApiPropertyOptional()
  @IsOmittable() @IsBoolean()
  inScope?: boolean;

  @ApiPropertyOptional({ type: RuleDiagnosisDto })
  @IsOmittable() @IsObject() @ValidateNested() @Type(() => RuleDiagnosisDto)
  diagnosis?: RuleDiagnosisDto;
}

export class CreateTriageRuleDto {
  @ApiProperty()
  @Transform(trim) @IsString() @Length(1, 200)
  name: string;

  @ApiProperty({ description: 'Lower runs first' })
  @IsInt() @Min(-1_000_000) @Max(1_000_000)
  position: number;

  @ApiProperty()
  @IsBoolean()
  enabled: boolean;

  @ApiProperty()
  @IsBoolean()
  stopOnMatch: boolean;

  @ApiProperty({ type: RuleConditionsDto })
  @IsObject() @ValidateNested() @Type(() => RuleConditionsDto)
  conditions: RuleConditionsDto;

  @ApiProperty({ type: RuleActionsDto })
  @IsObject() @ValidateNested() @Type(() => RuleActionsDto)
  actions: RuleActionsDto;
}

/** A field left out is kept; null is no value for any of them (400). */
export class UpdateTriageRuleDto extends PartialType(CreateTriageRuleDto, { skipNullProperties: false }) {}

export class ImpactQueryDto {
  @ApiPropertyOptional({ default: 1000, minimum: 1, maximum: 10000 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(10000)
  last?: number;
}

/** A ticket as POST /tickets takes it (requesterEmail: a short form of requester). */
export class DryRunTicketDto {
  @ApiPropertyOptional()
  @Transform(lowerCase) @IsOptional() @IsUUID('all')
  customerId?: string;

  @ApiProperty()
  @IsString() @Length(1, 200)
  subject: string;

  @ApiProperty()
  @IsString() @Length(1, 20000)
  description: string;

  @ApiPropertyOptional({ enum: TICKET_CATEGORIES })
  @IsOptional() @IsIn(TICKET_CATEGORIES)
  category?: string;

  @ApiPropertyOptional({ enum: TICKET_PRODUCTS })
  @IsOptional() @IsIn(TICKET_PRODUCTS)
  product?: string;

  @ApiPropertyOptional({ enum: PRIORITIES })
  @IsOptional() @IsIn(PRIORITIES)
  severity?: string;

  @ApiPropertyOptional({ enum: TICKET_CHANNELS })
  @IsOptional() @IsIn(TICKET_CHANNELS)
  channel?: string;

  @ApiPropertyOptional({ type: RequesterDto, description: 'Its email is what requesterDomain conditions read' })
  @IsOptional() @IsObject({ message: 'requester must be an object {name, email}' }) @ValidateNested() @Type(() => RequesterDto)
  requester?: RequesterDto;

  @ApiPropertyOptional({ example: 'marta@contoso.com', description: 'Instead of requester' })
  @IsOptional() @IsString() @Length(3, 320)
  requesterEmail?: string;

  @ApiPropertyOptional({ description: 'Accepted as on POST /tickets; no rule reads it' })
  @IsOptional() @IsString() @Length(1, 200)
  externalId?: string;
}
