import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsEmail, IsIn, IsObject, IsOptional, IsString, IsUUID, Length, Matches, ValidateIf, ValidateNested } from 'class-validator';
import { IsOmittable } from '../dto/optional';
import { trim } from '../dto/transforms';
import { PageQueryDto } from '../pagination/page-query.dto';
import { PRIORITIES, TICKET_CATEGORIES, TICKET_CHANNELS, TICKET_PRODUCTS, TICKET_STATUSES } from '@helpdesk/intake';
import type { Priority, TicketCategory, TicketChannel, TicketProduct, TicketStatus } from '@helpdesk/intake';

const oneOf = (field: string, values: readonly string[]) => ({ message: `${field} must be one of: ${values.join(', ')}` });

export class RequesterDto {
  @ApiProperty({ example: 'Marta López' })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ example: 'marta@contoso.com' })
  @Transform(trim)
  @IsEmail()
  email: string;
}

export class CreateTicketDto {
  @ApiPropertyOptional({ description: 'Required for staff; implied for customer tokens' })
  @IsOptional()
  @IsUUID('all', { message: 'customerId must be a UUID' })
  customerId?: string;

  @ApiProperty({ minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  @Matches(/\S/, { message: 'subject must not be blank' })
  subject: string;

  @ApiProperty({ minLength: 1, maxLength: 20000 })
  @IsString()
  @Length(1, 20000)
  @Matches(/\S/, { message: 'description must not be blank' })
  description: string;

  @ApiPropertyOptional({ enum: TICKET_CATEGORIES })
  @IsOptional()
  @IsIn(TICKET_CATEGORIES, oneOf('category', TICKET_CATEGORIES))
  category?: TicketCategory;

  @ApiPropertyOptional({ enum: TICKET_PRODUCTS })
  @IsOptional()
  @IsIn(TICKET_PRODUCTS, oneOf('product', TICKET_PRODUCTS))
  product?: TicketProduct;

  @ApiPropertyOptional({ enum: PRIORITIES, description: "The customer's own assessment" })
  @IsOptional()
  @IsIn(PRIORITIES, oneOf('severity', PRIORITIES))
  severity?: Priority;

  @ApiPropertyOptional({ enum: TICKET_CHANNELS })
  @IsOptional()
  @IsIn(TICKET_CHANNELS, oneOf('channel', TICKET_CHANNELS))
  channel?: TicketChannel;

  @ApiProperty({ type: RequesterDto })
  @IsObject({ message: 'requester must be an object {name, email}' })
  @ValidateNested()
  @Type(() => RequesterDto)
  requester: RequesterDto;

  @ApiPropertyOptional({ minLength: 1, maxLength: 200, description: 'Your id for this request; repeats return the original ticket' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  externalId?: string;
}

export class UpdateTicketDto {
  @ApiPropertyOptional({ enum: TICKET_STATUSES })
  @IsOmittable()
  @IsIn(TICKET_STATUSES, oneOf('status', TICKET_STATUSES))
  status?: TicketStatus;

  @ApiPropertyOptional({ enum: PRIORITIES })
  @IsOmittable()
  @IsIn(PRIORITIES, oneOf('priority', PRIORITIES))
  priority?: Priority;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'null unassigns' })
  @ValidateIf((_o, v) => v !== null && v !== undefined)
  @IsUUID('all', { message: 'assigneeId must be a UUID or null' })
  assigneeId?: string | null;

  @ApiPropertyOptional({ enum: TICKET_CATEGORIES })
  @IsOmittable()
  @IsIn(TICKET_CATEGORIES, oneOf('category', TICKET_CATEGORIES))
  category?: TicketCategory;

  @ApiPropertyOptional({ enum: TICKET_PRODUCTS })
  @IsOmittable()
  @IsIn(TICKET_PRODUCTS, oneOf('product', TICKET_PRODUCTS))
  product?: TicketProduct;
}

export class ListTicketsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: TICKET_STATUSES })
  @IsOptional()
  @IsIn(TICKET_STATUSES, oneOf('status', TICKET_STATUSES))
  status?: TicketStatus;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all', { message: 'customerId must be a UUID' })
  customerId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 100)
  queue?: string;

  @ApiPropertyOptional({ enum: PRIORITIES })
  @IsOptional()
  @IsIn(PRIORITIES, oneOf('priority', PRIORITIES))
  priority?: Priority;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all', { message: 'assigneeId must be a UUID' })
  assigneeId?: string;

  @ApiPropertyOptional({ enum: TICKET_CATEGORIES })
  @IsOptional()
  @IsIn(TICKET_CATEGORIES, oneOf('category', TICKET_CATEGORIES))
  category?: TicketCategory;
}

export class CreateCommentDto {
  @ApiProperty({ minLength: 1, maxLength: 20000 })
  @IsString()
  @Length(1, 20000)
  @Matches(/\S/, { message: 'body must not be blank' })
  body: string;

  @ApiProperty({ enum: ['public', 'internal'] })
  @IsIn(['public', 'internal'], { message: 'visibility must be one of: public, internal' })
  visibility: 'public' | 'internal';
}
