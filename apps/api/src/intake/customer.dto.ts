import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsEmail, IsFQDN, IsIn, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { CONTACT_LOCALES } from '@helpdesk/intake';
import type { ContactLocale } from '@helpdesk/intake';
import { IsOmittable } from '../dto/optional';
import { trim } from '../dto/transforms';

const lowerTrim = ({ value }: { value: unknown }): unknown =>
  Array.isArray(value) ? value.map((v) => lowerTrim({ value: v })) : typeof value === 'string' ? value.trim().toLowerCase() : value;

const DOMAIN_MESSAGE = { message: 'domain must be a domain name such as contoso.com' };
const DOMAINS_MESSAGE = { each: true, message: 'each value in domains must be a domain name such as contoso.com' };

export class CreateCustomerDto {
  @ApiProperty({ example: 'Contoso Ltd' })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ example: 'contoso.com', description: 'the primary domain' })
  @Transform(lowerTrim)
  @IsFQDN({}, DOMAIN_MESSAGE)
  domain: string;

  @ApiPropertyOptional({ example: ['contoso.es'], description: 'more domains the customer mails from' })
  @IsOmittable()
  @Transform(lowerTrim)
  @IsArray()
  @ArrayMaxSize(19)
  @IsFQDN({}, DOMAINS_MESSAGE)
  domains?: string[];

  @ApiProperty()
  @IsUUID('all', { message: 'supportPlanId must be a UUID' })
  supportPlanId: string;
}

export class UpdateCustomerDto {
  @ApiPropertyOptional({ example: 'Contoso Ltd' })
  @IsOmittable()
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ example: ['contoso.com', 'contoso.es'], description: 'replaces the list; the first is the primary domain' })
  @IsOmittable()
  @Transform(lowerTrim)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsFQDN({}, DOMAINS_MESSAGE)
  domains?: string[];

  @ApiPropertyOptional({ description: "a new plan moves the open tickets' SLA clocks onto it from now on" })
  @IsOmittable()
  @IsUUID('all', { message: 'supportPlanId must be a UUID' })
  supportPlanId?: string;
}

export class CreateContactDto {
  @ApiProperty({ example: 'Marta López' })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ example: 'marta@contoso.com', description: 'unique among the customer’s contacts' })
  @Transform(lowerTrim)
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @Length(3, 320)
  email: string;

  @ApiPropertyOptional({ example: '+34 600 000 000', nullable: true, type: String, description: 'null: none (on a PATCH: removes it)' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Matches(/^\+?[0-9 ().-]{3,40}$/, { message: 'phone must be a phone number (digits, spaces, + ( ) . -)' })
  phone?: string | null;

  @ApiProperty({ enum: CONTACT_LOCALES, description: 'the language this contact hears back in' })
  @IsIn(CONTACT_LOCALES, { message: `locale must be one of: ${CONTACT_LOCALES.join(', ')}` })
  locale: ContactLocale;

  @ApiPropertyOptional({ description: "the customer's primary contact (one per customer; the first contact is it unless told otherwise)" })
  @IsOmittable()
  @IsBoolean()
  primary?: boolean;
}

/** Any field of a contact; null is refused except for `phone`, where it removes the number. */
export class UpdateContactDto extends PartialType(CreateContactDto, { skipNullProperties: false }) {}
