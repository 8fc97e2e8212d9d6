import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, IsUUID, Length, Matches, ValidateIf, ValidateNested } from 'class-validator';
import { IsOmittable } from '../dto/optional';
import { lowerCase } from '../dto/transforms';
import { PageQueryDto } from '../pagination/page-query.dto';
import { IsCalendarDate, IsCurrencyCode, IsDecimalAmount, oneOf } from './billing-validators';

const INVOICE_STATUSES = ['open', 'paid', 'void'] as const;

export class InvoiceLineDto {
  @ApiProperty({ example: 'Azure consumption, November 2026' })
  @IsString()
  @Length(1, 500)
  description: string;

  @ApiProperty({ example: '1250.00', description: 'Decimal string; negative for a credit' })
  @IsDecimalAmount({ negative: true })
  amount: string;

  @ApiPropertyOptional({ nullable: true, description: 'One of the customer’s subscriptions' })
  @ValidateIf((_o, v) => v !== null && v !== undefined)
  @Transform(lowerCase)
  @IsUUID('all', { message: 'subscriptionId must be a UUID' })
  subscriptionId?: string | null;
}

export class PutInvoiceDto {
  @ApiProperty()
  @Transform(lowerCase)
  @IsUUID('all', { message: 'customerId must be a UUID' })
  customerId: string;

  @ApiProperty({ example: '2026-11-30' })
  @IsCalendarDate()
  issuedOn: string;

  @ApiProperty({ example: '2026-12-30' })
  @IsCalendarDate()
  dueOn: string;

  @ApiProperty({ example: 'EUR', description: "The billing account's currency" })
  @IsCurrencyCode()
  currency: string;

  @ApiPropertyOptional({ enum: ['open', 'void'], default: 'open', description: 'paid follows from the payments' })
  @IsOmittable()
  @IsIn(['open', 'void'], oneOf('status', ['open', 'void']))
  status?: 'open' | 'void';

  @ApiPropertyOptional({ example: '1250.00', description: 'When sent, must equal the sum of the lines' })
  @IsOmittable()
  @IsDecimalAmount()
  total?: string;

  @ApiProperty({ type: [InvoiceLineDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => InvoiceLineDto)
  lines: InvoiceLineDto[];
}

export class PaymentDto {
  @ApiProperty({ example: '500.00' })
  @IsDecimalAmount()
  amount: string;

  @ApiProperty({ example: 'EUR', description: "The invoice's currency (another is a 422)" })
  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be a three-letter ISO 4217 code such as EUR' })
  currency: string;

  @ApiProperty({ example: 'SEPA-2026-12-0042', description: 'Unique per invoice; the same reference again is the same payment' })
  @IsString()
  @Length(1, 200)
  reference: string;

  @ApiPropertyOptional({ example: '2026-12-20', description: 'Default today (partner calendar); never in the future' })
  @IsOptional()
  @IsCalendarDate()
  paidOn?: string;
}

export class ListInvoicesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Staff: one customer (customer tokens always see their own)' })
  @IsOptional()
  @Transform(lowerCase)
  @IsUUID('all', { message: 'customerId must be a UUID' })
  customerId?: string;

  @ApiPropertyOptional({ enum: INVOICE_STATUSES })
  @IsOptional()
  @IsIn(INVOICE_STATUSES, oneOf('status', INVOICE_STATUSES))
  status?: (typeof INVOICE_STATUSES)[number];

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Only (or no) open invoices past their due date' })
  @IsOptional()
  @IsIn(['true', 'false'], oneOf('overdue', ['true', 'false']))
  overdue?: 'true' | 'false';
}
