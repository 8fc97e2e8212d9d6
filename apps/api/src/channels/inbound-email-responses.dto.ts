import { ApiProperty } from '@nestjs/swagger';
import { INBOUND_STATUSES } from '@helpdesk/channels';
import type { InboundStatus } from '@helpdesk/channels';

export class InboundAcceptedDto {
  @ApiProperty({ description: 'The stored message' }) id: string;
}

/** A received message as staff see it (never its raw bytes). */
export class InboundMessageDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['smtp', 'webhook'] }) source: 'smtp' | 'webhook';
  @ApiProperty({ enum: INBOUND_STATUSES }) status: InboundStatus;
  @ApiProperty({ type: String, nullable: true }) messageId: string | null;
  @ApiProperty({ type: String, nullable: true }) from: string | null;
  @ApiProperty({ type: String, nullable: true }) subject: string | null;
  @ApiProperty({ description: 'Bytes' }) size: number;
  @ApiProperty({ type: String, nullable: true }) customerId: string | null;
  @ApiProperty({ type: String, nullable: true }) ticketId: string | null;
  @ApiProperty({ type: String, nullable: true }) commentId: string | null;
  @ApiProperty({ type: String, nullable: true }) note: string | null;
  @ApiProperty({ format: 'date-time' }) receivedAt: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) processedAt: string | null;
}
