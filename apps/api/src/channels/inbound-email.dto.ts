import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { INBOUND_STATUSES } from '@helpdesk/channels';
import type { InboundStatus } from '@helpdesk/channels';

export class ListInboundMessagesQueryDto {
  @ApiPropertyOptional({ enum: INBOUND_STATUSES, default: 'unmatched', description: 'Which received mail: `unmatched` is the queue agents assign from' })
  @IsOptional()
  @IsIn(INBOUND_STATUSES)
  status?: InboundStatus;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50, description: 'Newest first, at most this many' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export class AssignInboundMessageDto {
  @ApiProperty({ format: 'uuid', description: 'The customer the message is filed for: it becomes their ticket' })
  @IsUUID()
  customerId!: string;
}
