import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsEmail, IsIn, IsObject, IsOptional, IsString, IsUUID, Length, Matches, ValidateIf, ValidateNested } from 'class-validator';
import { IsOmittable } from '../dto/optional';
import { trim } from '../dto/transforms';
import { PageQueryDto } from '../pagination/page-query.dto';
import { TagList } from '../dto/tags';
import { INVOICE_NUMBER } from '@helpdesk/billing';
import { CompiledCheck } from '@helpdesk/http';
import { PRIORITIES, TICKET_CATEGORIES, TICKET_CHANNELS, TICKET_PRODUCTS, TICKET_SORTS, TICKET_STATUSES } from '@helpdesk/intake';
import type { Priority, TicketCategory, TicketChannel, TicketFilter, TicketProduct, TicketSort, TicketStatus } from '@helpdesk/intake';

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

  @ApiPropertyOptional({ minLength: 1, maxLength: 100, description: 'The triage queue the ticket is worked in' })
  @IsOmittable()
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  queue?: string;

  @TagList('Tags to add')
  addTags?: string[];

  @TagList('Tags to remove')
  removeTags?: string[];

  @ApiPropertyOptional({
    nullable: true,
    description: "The number of the customer's open invoice this ticket disputes: while the ticket is open (and its category is billing) collections does not suspend the customer. null clears it.",
  })
  @ValidateIf((_o, v) => v !== null && v !== undefined)
  @IsString()
  @Matches(INVOICE_NUMBER, { message: 'disputedInvoice must be an invoice number (1–100 letters, digits or . _ / - starting with a letter or digit) or null' })
  disputedInvoice?: string | null;
}

/** A query value sent once or repeated (`status=new&status=triaged`), as a list. */
const toList = ({ value }: { value: unknown }): unknown => (value === undefined || Array.isArray(value) ? value : [value]);

/** Tags as stored: trimmed, lower-case. */
const toTags = ({ value }: { value: unknown }): unknown => {
  const list = toList({ value });
  return Array.isArray(list) ? list.map((tag) => (typeof tag === 'string' ? tag.trim().toLowerCase() : tag)) : list;
};

export const TAG_RULE = { minLength: 1, maxLength: 40, maxItems: 20 } as const;

/** Tickets with all of these tags: each trimmed and lower-cased, 1–40 characters, at most 20. */
export const IsTagFilter = (how: string) =>
  applyDecorators(
    ApiPropertyOptional({ type: [String], description: `Tickets with all of these tags (${how}; at most ${TAG_RULE.maxItems})` }),
    IsOptional(),
    Transform(toTags),
    IsArray(),
    ArrayMaxSize(TAG_RULE.maxItems),
    IsString({ each: true }),
    Length(TAG_RULE.minLength, TAG_RULE.maxLength, { each: true, message: `each tag must be ${TAG_RULE.minLength}–${TAG_RULE.maxLength} characters` }),
  );

/** The filters of a ticket list (GET /tickets) and of a saved view. */
export class TicketFilterDto {
  @ApiPropertyOptional({ enum: TICKET_STATUSES, isArray: true, description: 'Any of these (repeat the parameter)' })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @ArrayMaxSize(TICKET_STATUSES.length)
  @IsIn(TICKET_STATUSES, { each: true, ...oneOf('status', TICKET_STATUSES) })
  status?: TicketStatus[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all', { message: 'customerId must be a UUID' })
  customerId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 100)
  queue?: string;

  @ApiPropertyOptional({ enum: PRIORITIES, isArray: true, description: 'Any of these (repeat the parameter)' })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @ArrayMaxSize(PRIORITIES.length)
  @IsIn(PRIORITIES, { each: true, ...oneOf('priority', PRIORITIES) })
  priority?: Priority[];

  @ApiPropertyOptional({ description: 'An agent id, `me` (staff: yourself) or `none` (unassigned)' })
  @IsOptional()
  @Matches(/^(me|none|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i, { message: 'assigneeId must be an agent id (UUID), me or none' })
  assigneeId?: string;

  @ApiPropertyOptional({ enum: TICKET_CATEGORIES })
  @IsOptional()
  @IsIn(TICKET_CATEGORIES, oneOf('category', TICKET_CATEGORIES))
  category?: TicketCategory;

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 200,
    description:
      'Full-text search over the number, subject, description and comments (customers: public comments of their own tickets), ' +
      'Spanish and English, accents ignored, web-search syntax: "a phrase", -excluded, or. A ticket number (HD-000123, #123, 123) finds that ticket first.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @Matches(/\S/, { message: 'q must not be blank' })
  q?: string;
}

/**
 * Text the pipe's `@IsString() @Length(1, max)` passes for sure: 1–max UTF-16 units with no surrogate
 * and no variation selector (validator's isLength counts a pair, and skips a selector, so those
 * count differently: the pipe decides them).
 */
const plainText = (value: unknown, max: number): value is string =>
  typeof value === 'string' && value.length >= 1 && value.length <= max && !/[\uD800-\uDFFF\uFE0E\uFE0F]/.test(value);

/** A value sent once or repeated, each one of `values`: the list the pipe makes of it (toList), else null. */
function listOf<T extends string>(value: unknown, values: readonly T[]): T[] | null {
  const list = typeof value === 'string' ? [value] : Array.isArray(value) ? (value as unknown[]) : null;
  if (list === null || list.length === 0 || list.length > values.length) return null;
  for (const item of list) if (!(values as readonly unknown[]).includes(item)) return null;
  return (list === value ? [...list] : list) as T[];
}

/**
 * GET /tickets' query in its common shapes (queue, status, priority, category, sort, limit, cursor),
 * checked without class-transformer and class-validator (≈ 5 % of the list's CPU): the DTO the pipe
 * would make, or null for anything else (other parameters, a value it is not sure of), which the
 * pipe then validates with its own errors. list-tickets-query.spec.ts holds the two to the same answers.
 */
export function listTicketsQueryCheck(value: Record<string, unknown>): ListTicketsQueryDto | null {
  const dto = new ListTicketsQueryDto();
  for (const key of Object.keys(value)) {
    const v = value[key];
    switch (key) {
      case 'queue':
        if (!plainText(v, 100)) return null;
        dto.queue = v;
        break;
      case 'cursor':
        if (!plainText(v, 200)) return null;
        dto.cursor = v;
        break;
      case 'limit':
        // 1–200 written plainly; "050", " 5", "1e2" and the like go to the pipe.
        if (typeof v !== 'string' || !/^[1-9]\d{0,2}$/.test(v) || Number(v) > 200) return null;
        dto.limit = Number(v);
        break;
      case 'status': {
        const list = listOf(v, TICKET_STATUSES);
        if (list === null) return null;
        dto.status = list;
        break;
      }
      case 'priority': {
        const list = listOf(v, PRIORITIES);
        if (list === null) return null;
        dto.priority = list;
        break;
      }
      case 'category':
        if (!(TICKET_CATEGORIES as readonly unknown[]).includes(v)) return null;
        dto.category = v as TicketCategory;
        break;
      case 'sort':
        if (!(TICKET_SORTS as readonly unknown[]).includes(v)) return null;
        dto.sort = v as TicketSort;
        break;
      default:
        return null;
    }
  }
  return dto;
}

@CompiledCheck(listTicketsQueryCheck)
export class ListTicketsQueryDto extends IntersectionType(PageQueryDto, TicketFilterDto) {
  @IsTagFilter('repeat the parameter')
  tag?: string[];

  @ApiPropertyOptional({
    enum: TICKET_SORTS,
    description:
      '-number: newest first (default without q); -updated: last changed first; due: running SLA resolution clock soonest due first, then tickets without one newest first; ' +
      'priority: P1 first, each priority as `due`; relevance: best search matches first (default with q, needs q)',
  })
  @IsOptional()
  @IsIn(TICKET_SORTS, oneOf('sort', TICKET_SORTS))
  sort?: TicketSort;
}

/** The filter of a DTO as the tickets service takes it. */
export function ticketFilterOf(dto: TicketFilterDto & { tag?: string[]; tags?: string[] }): TicketFilter {
  return {
    status: dto.status,
    customerId: dto.customerId,
    queues: dto.queue === undefined ? undefined : [dto.queue],
    priority: dto.priority,
    assigneeId: dto.assigneeId === undefined ? undefined : dto.assigneeId === 'none' ? null : dto.assigneeId.toLowerCase(),
    category: dto.category,
    tags: dto.tag ?? dto.tags,
    q: dto.q,
  };
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
