import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { TICKET_SORTS } from '@helpdesk/intake';
import type { TicketSort } from '@helpdesk/intake';
import { IsOmittable } from '../dto/optional';
import { trim } from '../dto/transforms';
import { IsTagFilter, TAG_RULE, TicketFilterDto } from '../intake/ticket.dto';

/** One week of round-the-clock business time. */
const MAX_HORIZON_MINUTES = 7 * 24 * 60;

export class ViewFilterDto extends TicketFilterDto {
  @IsTagFilter('a list')
  tags?: string[];

  @ApiPropertyOptional({ description: "Only the queues of whoever looks at the view (the agent's queues)" })
  @IsOptional()
  @IsBoolean({ message: 'inMyQueues must be true or false' })
  inMyQueues?: boolean;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: MAX_HORIZON_MINUTES,
    description: "Open tickets whose running SLA clock (first response or resolution) falls due within this many business minutes, in the business hours of each ticket's support plan",
  })
  @IsOptional()
  @IsInt({ message: `slaDueWithinBusinessMinutes must be a whole number from 1 to ${MAX_HORIZON_MINUTES}` })
  @Min(1)
  @Max(MAX_HORIZON_MINUTES)
  slaDueWithinBusinessMinutes?: number;
}

const sortOneOf = { message: `sort must be one of: ${TICKET_SORTS.join(', ')}` };

export class CreateViewDto {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'VIP escalations' })
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiProperty({ enum: ['personal', 'shared'], description: 'shared: every agent sees it; made by admin_agent or global_admin' })
  @IsIn(['personal', 'shared'], { message: 'visibility must be one of: personal, shared' })
  visibility: 'personal' | 'shared';

  @ApiProperty({ type: ViewFilterDto })
  @IsObject({ message: 'filter must be an object' })
  @ValidateNested()
  @Type(() => ViewFilterDto)
  filter: ViewFilterDto;

  @ApiPropertyOptional({ enum: TICKET_SORTS, default: '-number' })
  @IsOptional()
  @IsIn(TICKET_SORTS, sortOneOf)
  sort?: TicketSort;
}

export class UpdateViewDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 100 })
  @IsOmittable()
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  name?: string;

  @ApiPropertyOptional({ type: ViewFilterDto, description: 'Replaces the whole filter' })
  @IsOmittable()
  @IsObject({ message: 'filter must be an object' })
  @ValidateNested()
  @Type(() => ViewFilterDto)
  filter?: ViewFilterDto;

  @ApiPropertyOptional({ enum: TICKET_SORTS })
  @IsOmittable()
  @IsIn(TICKET_SORTS, sortOneOf)
  sort?: TicketSort;
}

export class ListTagsQueryDto {
  @ApiPropertyOptional({ description: 'Only tags starting with this (trimmed, lower-cased)', maxLength: TAG_RULE.maxLength })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsString()
  @Length(1, TAG_RULE.maxLength)
  @Matches(/\S/, { message: 'prefix must not be blank' })
  prefix?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number from 1 to 500' })
  @Min(1)
  @Max(500)
  limit?: number;
}
