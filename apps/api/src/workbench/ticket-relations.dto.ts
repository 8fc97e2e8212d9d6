import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsUUID } from 'class-validator';
import { lowerCase } from '../dto/transforms';

export class MergeTicketDto {
  @ApiProperty({ format: 'uuid', description: 'The ticket this duplicate is merged into (same customer, open, not merged itself)' })
  @Transform(lowerCase)
  @IsUUID('all', { message: 'targetId must be a UUID' })
  targetId: string;
}

export class LinkTicketDto {
  @ApiProperty({ format: 'uuid', description: 'The related ticket' })
  @Transform(lowerCase)
  @IsUUID('all', { message: 'ticketId must be a UUID' })
  ticketId: string;
}
