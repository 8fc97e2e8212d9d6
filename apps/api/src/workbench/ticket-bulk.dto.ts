import { ApiProperty, PickType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsObject, IsUUID, ValidateNested } from 'class-validator';
import { MAX_BULK_TICKETS } from '@helpdesk/intake';
import { lowerCase } from '../dto/transforms';
import { UpdateTicketDto } from '../intake/ticket.dto';

/** What a bulk change sets: the fields of a single PATCH that make sense for many tickets at once. */
export class BulkSetDto extends PickType(UpdateTicketDto, ['status', 'priority', 'assigneeId', 'queue', 'addTags', 'removeTags'] as const) {}

export class BulkTicketsDto {
  @ApiProperty({ type: [String], format: 'uuid', minItems: 1, maxItems: MAX_BULK_TICKETS, description: 'The tickets to change, each once' })
  @Transform(lowerCase)
  @IsArray()
  @ArrayMinSize(1, { message: 'ids must name at least 1 ticket' })
  @ArrayMaxSize(MAX_BULK_TICKETS, { message: `ids must name at most ${MAX_BULK_TICKETS} tickets` })
  @IsUUID('all', { each: true, message: 'each value in ids must be a UUID' })
  ids: string[];

  @ApiProperty({ type: BulkSetDto })
  @IsObject({ message: 'set must be an object of the fields to change' })
  @ValidateNested()
  @Type(() => BulkSetDto)
  set: BulkSetDto;
}
