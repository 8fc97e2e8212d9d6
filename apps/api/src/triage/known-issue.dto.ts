import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, IsUrl, Length, Matches } from 'class-validator';
import { TICKET_CATEGORIES, TICKET_PRODUCTS } from '@helpdesk/intake';

const notBlank = (field: string) => ({ message: `${field} must not be blank` });

export class CreateKnownIssueDto {
  @ApiProperty() @IsString() @Length(1, 300) @Matches(/\S/, notBlank('title')) title: string;
  @ApiProperty() @IsString() @Length(1, 20000) @Matches(/\S/, notBlank('symptoms')) symptoms: string;
  @ApiPropertyOptional({ enum: TICKET_PRODUCTS }) @IsOptional() @IsIn(TICKET_PRODUCTS, { message: `product must be one of: ${TICKET_PRODUCTS.join(', ')}` }) product?: string;
  @ApiPropertyOptional({ enum: TICKET_CATEGORIES }) @IsOptional() @IsIn(TICKET_CATEGORIES, { message: `category must be one of: ${TICKET_CATEGORIES.join(', ')}` }) category?: string;
  @ApiProperty() @IsString() @Length(1, 20000) @Matches(/\S/, notBlank('resolution')) resolution: string;
  @ApiPropertyOptional()
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'runbookUrl must be an http(s) URL' })
  runbookUrl?: string;
  @ApiProperty({ description: "Within the partner's baseline support" }) @IsBoolean() inScope: boolean;
}

/** A field left out is kept; null clears product, category or runbookUrl and is no value for the others (400). */
export class UpdateKnownIssueDto extends PartialType(CreateKnownIssueDto, { skipNullProperties: false }) {}
