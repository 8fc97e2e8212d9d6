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
import { CONTACT_METHODS } from '@helpdesk/intake';
import type { ContactMethod } from '@helpdesk/intake';


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
  @ApiProperty({ example: '49.90' })
  @Matches(/^\d{1,10}(\.\d{1,2})?$/, { message: 'amount must be a decimal string such as "49.90"' })
  amount: string;

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
}

/** A field left out is kept; null makes a plan free (price) and is no value for the others (400). */
export class UpdateSupportPlanDto extends PartialType(CreateSupportPlanDto, { skipNullProperties: false }) {}
