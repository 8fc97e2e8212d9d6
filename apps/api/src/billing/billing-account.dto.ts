import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsEmail, IsIn, IsInt, IsObject, IsString, IsUUID, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { LOCALES, PRODUCTS } from '@helpdesk/billing';
import type { Locale, Product } from '@helpdesk/billing';
import { IsOmittable } from '../dto/optional';
import { lowerCase, trim } from '../dto/transforms';
import { IsCalendarDate, IsCurrencyCode, IsDecimalAmount, IsProductSelection, oneOf } from './billing-validators';

export class BillingContactDto {
  @ApiProperty({ example: 'Laura Gómez' })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ example: 'facturas@contoso.example' })
  @Transform(trim)
  @IsEmail()
  email: string;
}

export class PutBillingAccountDto {
  @ApiProperty({ example: 'EUR', description: 'ISO 4217; fixed once the account has invoices or subscriptions' })
  @IsCurrencyCode()
  currency: string;

  @ApiProperty({ minimum: 0, maximum: 365, example: 30 })
  @IsInt()
  @Min(0)
  @Max(365)
  paymentTermsDays: number;

  @ApiProperty({ type: BillingContactDto })
  @IsObject({ message: 'contact must be an object {name, email}' })
  @ValidateNested()
  @Type(() => BillingContactDto)
  contact: BillingContactDto;

  @ApiProperty({ enum: LOCALES, description: 'The language of notices and of the published policy for this customer' })
  @IsIn(LOCALES, oneOf('locale', LOCALES))
  locale: Locale;
}

export class PauseDunningDto {
  @ApiProperty({ minLength: 1, maxLength: 2000 })
  @IsString()
  @Length(1, 2000)
  @Matches(/\S/, { message: 'reason must not be blank' })
  reason: string;

  @ApiProperty({ example: '2027-01-15', description: 'Last paused day (partner calendar), inclusive' })
  @IsCalendarDate()
  until: string;
}

export class CreateSubscriptionDto {
  @ApiProperty({ enum: PRODUCTS })
  @IsIn(PRODUCTS, oneOf('product', PRODUCTS))
  product: Product;

  @ApiProperty({ example: '6a1e2b3c-0000-4000-8000-000000000001', description: "The vendor's subscription id; unique" })
  @IsString()
  @Length(1, 200)
  vendorSubscriptionId: string;

  @ApiProperty({ example: 'contoso.onmicrosoft.com' })
  @IsString()
  @Length(1, 200)
  tenantId: string;

  @ApiProperty({ example: 'Microsoft 365 Business Premium' })
  @IsString()
  @Length(1, 200)
  offerName: string;

  @ApiProperty({ minimum: 1, example: 25 })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  quantity: number;

  @ApiProperty({ example: '20.60', description: "Per unit, in the account's currency" })
  @IsDecimalAmount()
  unitPrice: string;
}

export class UpdateSubscriptionDto {
  @ApiPropertyOptional()
  @IsOmittable()
  @IsString()
  @Length(1, 200)
  offerName?: string;

  @ApiPropertyOptional({ minimum: 1 })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  quantity?: number;

  @ApiPropertyOptional({ example: '20.60' })
  @IsOmittable()
  @IsDecimalAmount()
  unitPrice?: string;

  @ApiPropertyOptional({ enum: ['cancelled'], description: 'Suspending and restoring go through suspensions' })
  @IsOmittable()
  @IsIn(['cancelled'], oneOf('status', ['cancelled']))
  status?: 'cancelled';

  @ApiPropertyOptional({ description: 'Why the status changes (required with status)' })
  @IsOmittable()
  @IsString()
  @Length(1, 2000)
  reason?: string;
}

export class ManualSuspensionDto {
  @ApiProperty({ minLength: 1, maxLength: 2000 })
  @IsString()
  @Length(1, 2000)
  @Matches(/\S/, { message: 'reason must not be blank' })
  reason: string;

  @ApiPropertyOptional({ type: [String], description: 'These active subscriptions (or use products)' })
  @IsOmittable()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ArrayUnique()
  @Transform(lowerCase)
  @IsUUID('all', { each: true, message: 'each value in subscriptionIds must be a UUID' })
  subscriptionIds?: string[];

  @ApiPropertyOptional({ oneOf: [{ type: 'string', enum: ['all'] }, { type: 'array', items: { type: 'string', enum: [...PRODUCTS] } }], description: 'Every active subscription of these products (default all)' })
  @IsOmittable()
  @IsProductSelection()
  products?: Product[] | 'all';
}

export class ReasonDto {
  @ApiProperty({ minLength: 1, maxLength: 2000 })
  @IsString()
  @Length(1, 2000)
  @Matches(/\S/, { message: 'reason must not be blank' })
  reason: string;
}

export class NoticesQueryDto {
  @ApiPropertyOptional({ enum: LOCALES, description: "The notices written out in this language (default: the account's), e.g. the portal's language of the person reading them" })
  @IsOmittable()
  @IsIn(LOCALES, oneOf('locale', LOCALES))
  locale?: Locale;
}
