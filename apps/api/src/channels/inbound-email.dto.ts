import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { INBOUND_STATUSES } from '@helpdesk/channels';
import type { InboundStatus } from '@helpdesk/channels';

export class ListInboundMessagesQueryDto {
  @IsOptional()
  @IsIn(INBOUND_STATUSES)
  status?: InboundStatus;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export class AssignInboundMessageDto {
  @IsUUID()
  customerId!: string;
}
