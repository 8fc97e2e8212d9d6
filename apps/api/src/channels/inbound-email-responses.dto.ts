import { ApiProperty } from '@nestjs/swagger';
import { INBOUND_NOTE_CODES, INBOUND_STATUSES } from '@helpdesk/channels';
import type { InboundNoteWhy, InboundStatus } from '@helpdesk/channels';

export class InboundAcceptedDto {
  @ApiProperty({ description: 'The stored message' }) id: string;
}

export class InboundNoteWhyParamsDto {
  @ApiProperty({ type: String, nullable: true, required: false, description: 'no_customer_match: the sender no contact or domain matches' }) sender?: string | null;
  @ApiProperty({ required: false, description: "unparseable: what the parser said (in English)" }) error?: string;
}

export class InboundNoteWhyDto {
  @ApiProperty({ enum: INBOUND_NOTE_CODES, description: 'Why the message made no ticket, for a screen to say in its own language; more codes may come' }) code: InboundNoteWhy['code'];
  @ApiProperty({ type: InboundNoteWhyParamsDto }) params: InboundNoteWhyParamsDto;
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
  @ApiProperty({ type: String, nullable: true, description: 'In English' }) note: string | null;
  @ApiProperty({ type: InboundNoteWhyDto, nullable: true, description: 'The note as a code and its values (null: no note)' }) noteWhy: InboundNoteWhyDto | null;
  @ApiProperty({ format: 'date-time' }) receivedAt: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) processedAt: string | null;
}
