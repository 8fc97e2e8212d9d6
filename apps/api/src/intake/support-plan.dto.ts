import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsISO4217CurrencyCode,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  registerDecorator,
  ValidateNested,
  ValidationOptions,
} from 'class-validator';
import { trim } from '../dto/transforms';
import { DateTime, IANAZone } from 'luxon';
import { CONTACT_METHODS, CONTACT_POINT_CHANNELS } from '@helpdesk/intake';
import type { ContactMethod, ContactPointChannel } from '@helpdesk/intake';


function IsIanaZone(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isIanaZone',
      target: object.constructor,
      propertyName,
      options: { message: `${propertyName} must be an IANA time zone such as Europe/Madrid`, ...options },
      validator: { validate: (v: unknown) => typeof v === 'string' && IANAZone.isValidZone(v) && v.includes('/') || v === 'UTC' },
    });
}

function IsCalendarDate(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: object.constructor,
      propertyName,
      options: { message: `each value in ${propertyName} must be a date YYYY-MM-DD`, each: true, ...options },
      validator: { validate: (v: unknown) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && DateTime.fromISO(v).isValid },
    });
}

export class BusinessWindowDto {
  @ApiProperty({ minimum: 1, maximum: 7, description: 'ISO weekday, 1 = Monday' })
  @IsInt()
  @Min(1)
  @Max(7)
  day: number;

  @ApiProperty({ example: '09:00' })
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'start must be HH:MM (00:00–23:59)' })
  start: string;

  @ApiProperty({ example: '18:00', description: '24:00 means midnight at the end of the day' })
  @Matches(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, { message: 'end must be HH:MM (00:01–24:00)' })
  end: string;
}

export class PriceDto {
  @ApiProperty({ example: 4990, description: 'Integer minor units of the currency (4990 = 49.90 EUR; 5000 = 5000 JPY)' })
  @IsInt({ message: 'amountMinor must be an integer number of minor units (4990 for 49.90)' })
  @Min(0)
  @Max(1_000_000_000_000)
  amountMinor: number;

  @ApiProperty({ example: 'EUR' })
  @IsISO4217CurrencyCode({ message: 'currency must be an ISO 4217 code such as EUR' })
  currency: string;

  @ApiProperty({ enum: ['month', 'year', 'incident'] })
  @IsIn(['month', 'year', 'incident'])
  period: 'month' | 'year' | 'incident';
}

export class PriorityTargetDto {
  @ApiProperty({ example: 60 })
  @IsInt()
  @Min(1)
  @Max(525600)
  firstResponseMinutes: number;

  @ApiProperty({ example: 480 })
  @IsInt()
  @Min(1)
  @Max(525600)
  resolutionMinutes: number;
}

export class TargetsDto {
  @ApiProperty({ type: PriorityTargetDto }) @IsObject() @ValidateNested() @Type(() => PriorityTargetDto) P1: PriorityTargetDto;
  @ApiProperty({ type: PriorityTargetDto }) @IsObject() @ValidateNested() @Type(() => PriorityTargetDto) P2: PriorityTargetDto;
  @ApiProperty({ type: PriorityTargetDto }) @IsObject() @ValidateNested() @Type(() => PriorityTargetDto) P3: PriorityTargetDto;
  @ApiProperty({ type: PriorityTargetDto }) @IsObject() @ValidateNested() @Type(() => PriorityTargetDto) P4: PriorityTargetDto;
}

export class PlanScopeDto {
  @ApiProperty({ example: 'Azure, Microsoft 365 and Dynamics 365 incidents; billing and licensing questions' })
  @Transform(trim)
  @IsString()
  @Length(1, 4000)
  included: string;

  @ApiProperty({ example: 'Custom development, on-site visits, third-party software' })
  @Transform(trim)
  @IsString()
  @Length(1, 4000)
  excluded: string;
}

export class PlanScopesDto {
  @ApiProperty({ type: PlanScopeDto, description: 'In Spanish' }) @IsObject() @ValidateNested() @Type(() => PlanScopeDto) es: PlanScopeDto;
  @ApiProperty({ type: PlanScopeDto, description: 'In English' }) @IsObject() @ValidateNested() @Type(() => PlanScopeDto) en: PlanScopeDto;
}

export class ContactPointDto {
  @ApiProperty({ enum: CONTACT_POINT_CHANNELS, description: "One of the plan's contactMethods" })
  @IsIn(CONTACT_POINT_CHANNELS, { message: `channel must be one of: ${CONTACT_POINT_CHANNELS.join(', ')}` })
  channel: ContactPointChannel;

  @ApiProperty({ example: '+34911234567', description: 'email: an e-mail address; phone: E.164 (+34911234567); portal: an https URL' })
  @Transform(trim)
  @IsString()
  @Length(3, 300)
  address: string;

  @ApiProperty({ example: 'Europe/Madrid', description: 'The time zone of the hours' })
  @IsIanaZone()
  timezone: string;

  @ApiProperty({ type: [BusinessWindowDto], description: 'When this contact point is attended; empty = 24×7' })
  @IsArray()
  @ArrayMaxSize(70)
  @ValidateNested({ each: true })
  @Type(() => BusinessWindowDto)
  hours: BusinessWindowDto[];
}

export class CreateSupportPlanDto {
  @ApiProperty({ example: 'Business hours Spain' })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ example: 'Europe/Madrid' })
  @IsIanaZone()
  timezone: string;

  @ApiProperty({ type: [BusinessWindowDto], description: 'Empty = 24×7' })
  @IsArray()
  @ArrayMaxSize(70)
  @ValidateNested({ each: true })
  @Type(() => BusinessWindowDto)
  businessHours: BusinessWindowDto[];

  @ApiProperty({ example: ['2026-12-25'] })
  @IsArray()
  @ArrayMaxSize(366)
  @IsCalendarDate()
  holidays: string[];

  @ApiProperty({ enum: CONTACT_METHODS, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(CONTACT_METHODS, { each: true, message: `each value in contactMethods must be one of: ${CONTACT_METHODS.join(', ')}` })
  contactMethods: ContactMethod[];

  @ApiPropertyOptional({ type: PriceDto, nullable: true, description: 'null (or left out) when the plan is free' })
  @IsOptional()
  @IsObject({ message: 'price must be an object or null' })
  @ValidateNested()
  @Type(() => PriceDto)
  price?: PriceDto | null;

  @ApiProperty({ type: TargetsDto })
  @IsObject()
  @ValidateNested()
  @Type(() => TargetsDto)
  targets: TargetsDto;

  @ApiPropertyOptional({ type: PlanScopesDto, nullable: true, description: 'What is in scope and what is not, in Spanish and English (customers read it in their language)' })
  @IsOptional()
  @IsObject({ message: 'scope must be an object with es and en, or null' })
  @ValidateNested()
  @Type(() => PlanScopesDto)
  scope?: PlanScopesDto | null;

  @ApiPropertyOptional({ type: [ContactPointDto], description: 'E-mail address, phone number, portal URL, each with its hours' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ContactPointDto)
  contactPoints?: ContactPointDto[];
}

/** A field left out is kept; null makes a plan free (price) and is no value for the others (400). */
export class UpdateSupportPlanDto extends PartialType(CreateSupportPlanDto, { skipNullProperties: false }) {}

export class SupportOfferingQueryDto {
  @ApiPropertyOptional({ enum: ['es', 'en'], description: 'The language to read the offering in' })
  @IsOptional()
  @IsIn(['es', 'en'], { message: 'locale must be one of: es, en' })
  locale?: 'es' | 'en';
}
