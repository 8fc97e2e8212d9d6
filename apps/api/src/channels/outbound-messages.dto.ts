import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { OUTBOUND_STATUSES } from '@helpdesk/channels';
import type { OutboundStatus } from '@helpdesk/channels';
import { PageQueryDto } from '../pagination/page-query.dto';

const STATUS_TEXT = 'failed: every attempt of its last sending failed, nothing tries again unless an admin retries it; pending: waiting to be sent or between attempts; sent: the receiving server took it';

export class ListOutboundMessagesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: OUTBOUND_STATUSES, description: `Only mail in this state (every state when absent). ${STATUS_TEXT}` })
  @IsOptional()
  @IsIn(OUTBOUND_STATUSES, { message: `status must be one of ${OUTBOUND_STATUSES.join(', ')}` })
  status?: OutboundStatus;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only the mail about this ticket' })
  @IsOptional()
  @IsUUID('all', { message: 'ticketId must be a UUID' })
  ticketId?: string;

  @ApiPropertyOptional({ description: "Only mail whose recipient's address contains this (any case)" })
  @IsOptional()
  @IsString()
  @Length(1, 320, { message: 'recipient must be 1 to 320 characters' })
  recipient?: string;

  @ApiPropertyOptional({ description: 'Mail created at or after this instant (ISO 8601)' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'from must be an ISO 8601 date-time' })
  from?: Date;

  @ApiPropertyOptional({ description: 'Mail created before this instant (ISO 8601)' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'to must be an ISO 8601 date-time' })
  to?: Date;
}

/** One outgoing e-mail as an admin sees it (never its body: a sign-in link is a secret). */
export class OutboundMessageDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'public_reply', description: 'ticket_received, public_reply, waiting_on_customer, resolved, billing_notice, sign_in_link, assigned, sla_breach, …' }) kind: string;
  @ApiProperty({ type: String, nullable: true, description: 'Null for mail about no ticket (billing notices, sign-in links)' }) ticketId: string | null;
  @ApiProperty({ type: Number, nullable: true }) ticketNumber: number | null;
  @ApiProperty() recipient: string;
  @ApiProperty({ enum: ['es', 'en'] }) locale: string;
  @ApiProperty() subject: string;
  @ApiProperty({ description: 'The same on every attempt and every retry, so a resend is recognisable' }) messageId: string;
  @ApiProperty({ enum: OUTBOUND_STATUSES, description: STATUS_TEXT }) status: OutboundStatus;
  @ApiProperty({ description: 'Sending attempts so far, over every sending' }) attempts: number;
  @ApiProperty({ description: 'How many times an admin sent it again' }) retries: number;
  @ApiProperty({ type: String, nullable: true, description: "The last failed attempt's error, one line (the server's reply or the connection error); cleared once sent" }) lastError: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty({ type: String, nullable: true }) sentAt: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'When its last attempt failed' }) failedAt: string | null;
}

export class OutboundMessagePageDto {
  @ApiProperty({ type: OutboundMessageDto, isArray: true }) items: OutboundMessageDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

/** How a retry is refused (409, problem+json). */
export class OutboundRetryProblemDto {
  @ApiProperty({ example: 'urn:helpdesk:problem:conflict' }) type: string;
  @ApiProperty({ example: 'Conflict' }) title: string;
  @ApiProperty({ example: 409 }) status: number;
  @ApiProperty({ description: 'In English' }) detail: string;
  @ApiProperty({ enum: ['already_sent', 'not_failed'], description: 'already_sent: it was sent (never twice); not_failed: it is pending (being sent, or retried a moment ago)' }) reason: string;
}
