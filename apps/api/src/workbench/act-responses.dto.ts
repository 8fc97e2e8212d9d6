import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TICKET_STATUSES } from '@helpdesk/intake';
import type { TicketStatus } from '@helpdesk/intake';
import { FieldErrorDto } from '../dto/problem.dto';
import { CommentResponseDto, TicketResponseDto } from '../intake/intake-responses.dto';
import { MacroActionsDto, MacroBodiesDto } from './macro.dto';

class BulkProblemDto {
  @ApiProperty() type: string;
  @ApiProperty() title: string;
  @ApiProperty() status: number;
  @ApiProperty() detail: string;
  @ApiPropertyOptional({ type: [FieldErrorDto] }) errors?: FieldErrorDto[];
  @ApiPropertyOptional({ example: 'ticketTransition', description: "Why, as a problem's code (see ProblemDto.code), for a screen to say in its own words, when the problem has one" })
  code?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { from: 'triaged', to: 'resolved', allowed: ['in_progress'] }, description: "The code's arguments" })
  params?: Record<string, unknown>;
}

/** One ticket's result in a bulk change: ok (200), or the problem for that ticket. */
export class BulkResultDto {
  @ApiProperty() id: string;
  @ApiProperty() ok: boolean;
  @ApiProperty({ description: '200, or the status of the problem' }) status: number;
  @ApiPropertyOptional({ type: BulkProblemDto, description: 'When ok is false' }) problem?: BulkProblemDto;
}

export class BulkOutcomeDto {
  @ApiProperty({ type: [BulkResultDto], description: 'Every id in the order sent' }) results: BulkResultDto[];
  @ApiProperty() succeeded: number;
  @ApiProperty() failed: number;
  @ApiProperty({ description: 'An Idempotency-Key repeat: the first request’s results, nothing applied' }) replayed: boolean;
}

export class MergeOutcomeDto {
  @ApiProperty({ type: TicketResponseDto, description: 'The duplicate, closed with mergedInto' }) source: TicketResponseDto;
  @ApiProperty({ type: TicketResponseDto }) target: TicketResponseDto;
}

export class TicketLinkDto {
  @ApiProperty({ description: 'The other ticket' }) ticketId: string;
  @ApiProperty({ example: 'HD-000042' }) number: string;
  @ApiProperty() subject: string;
  @ApiProperty({ enum: TICKET_STATUSES }) status: TicketStatus;
  @ApiProperty() customerId: string;
  @ApiProperty({ format: 'date-time' }) linkedAt: string;
  @ApiProperty({ type: String, nullable: true }) linkedBy: string | null;
}

export class MacroResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: MacroBodiesDto }) bodies: MacroBodiesDto;
  @ApiProperty({ enum: ['public', 'internal'] }) visibility: 'public' | 'internal';
  @ApiProperty({ enum: ['personal', 'shared'] }) scope: 'personal' | 'shared';
  @ApiProperty({ type: MacroActionsDto }) actions: MacroActionsDto;
  @ApiProperty() ownerId: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class MacroPreviewDto {
  @ApiProperty() macroId: string;
  @ApiProperty({ enum: ['es', 'en'], description: "The requester's language" }) locale: 'es' | 'en';
  @ApiProperty({ description: 'The comment, placeholders filled' }) body: string;
  @ApiProperty({ enum: ['public', 'internal'] }) visibility: 'public' | 'internal';
  @ApiProperty({ type: MacroActionsDto }) actions: MacroActionsDto;
}

export class MacroAppliedDto {
  @ApiProperty({ type: CommentResponseDto }) comment: CommentResponseDto;
  @ApiProperty({ type: TicketResponseDto }) ticket: TicketResponseDto;
  @ApiProperty({ enum: ['es', 'en'] }) locale: 'es' | 'en';
}
