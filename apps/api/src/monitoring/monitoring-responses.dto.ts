import { ApiProperty } from '@nestjs/swagger';

/** What the monitoring routes answer, for the OpenAPI document (and so for the console's generated client). */
export class TicketQueueStatsDto {
  @ApiProperty({ type: String, nullable: true, description: 'null: not yet routed' }) queue: string | null;
  @ApiProperty() open: number;
  @ApiProperty() unassigned: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } }) byStatus: Record<string, number>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } }) byPriority: Record<string, number>;
  @ApiProperty({ description: 'Past 75 % of a target, not breached' }) slaAtRisk: number;
  @ApiProperty() slaBreached: number;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) oldestOpenAt: string | null;
}

export class EscalationTierStatsDto {
  @ApiProperty() tier: string;
  @ApiProperty() queued: number;
  @ApiProperty() awaitingVendorCase: number;
  @ApiProperty() submitted: number;
  @ApiProperty() acknowledged: number;
  @ApiProperty() failed: number;
  @ApiProperty() deliveredLastHour: number;
  @ApiProperty({ type: Number, nullable: true }) p95DeliveryMs: number | null;
}

export class JobQueueStatsDto {
  @ApiProperty() name: string;
  @ApiProperty() waiting: number;
  @ApiProperty() active: number;
  @ApiProperty() delayed: number;
  @ApiProperty() failed: number;
  @ApiProperty() completedLastMinute: number;
}

export class WorkerCountDto {
  @ApiProperty() queue: string;
  @ApiProperty() count: number;
}

export class QueueStatsDto {
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ type: [TicketQueueStatsDto] }) ticketQueues: TicketQueueStatsDto[];
  @ApiProperty({ type: [EscalationTierStatsDto] }) escalations: EscalationTierStatsDto[];
  @ApiProperty({ type: [JobQueueStatsDto] }) jobQueues: JobQueueStatsDto[];
  @ApiProperty({ type: [WorkerCountDto] }) workers: WorkerCountDto[];
}

export class SlaTargetComplianceDto {
  @ApiProperty() met: number;
  @ApiProperty() breached: number;
  @ApiProperty() pending: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Business minutes' }) medianMinutes: number | null;
}

export class SlaComplianceDto {
  @ApiProperty() tickets: number;
  @ApiProperty({ type: SlaTargetComplianceDto }) firstResponse: SlaTargetComplianceDto;
  @ApiProperty({ type: SlaTargetComplianceDto }) resolution: SlaTargetComplianceDto;
}

export class SlaReportGroupDto extends SlaComplianceDto {
  @ApiProperty({ type: String, nullable: true, description: 'The queue, priority or customer id' }) key: string | null;
  @ApiProperty({ required: false, description: "The customer's name (groupBy=customer)" }) name?: string;
}

export class SlaReportDto {
  @ApiProperty({ format: 'date-time' }) from: string;
  @ApiProperty({ format: 'date-time' }) to: string;
  @ApiProperty({ enum: ['queue', 'priority', 'customer'] }) groupBy: 'queue' | 'priority' | 'customer';
  @ApiProperty({ type: [SlaReportGroupDto] }) groups: SlaReportGroupDto[];
  @ApiProperty({ type: SlaComplianceDto }) totals: SlaComplianceDto;
}

export class StreamTokenDto {
  @ApiProperty({ description: 'Single use: GET /queues/stream?token=<it>' }) token: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
}

/** The data of the stream's live events (the `stats` event carries a QueueStatsDto). */
export class LiveTicketCreatedDto {
  @ApiProperty() id: string;
  @ApiProperty() number: string;
  @ApiProperty() customerId: string;
  @ApiProperty() subject: string;
  @ApiProperty() priority: string;
  @ApiProperty() channel: string;
  @ApiProperty({ format: 'date-time' }) at: string;
}

export class LiveTicketEscalatedDto {
  @ApiProperty() escalationId: string;
  @ApiProperty() ticketId: string;
  @ApiProperty() tier: string;
  @ApiProperty({ required: false }) trigger?: string;
  @ApiProperty({ format: 'date-time' }) at: string;
}

export class LiveSlaBreachedDto {
  @ApiProperty() ticketId: string;
  @ApiProperty({ enum: ['firstResponse', 'resolution'] }) target: 'firstResponse' | 'resolution';
  @ApiProperty({ format: 'date-time' }) dueAt: string;
  @ApiProperty({ format: 'date-time' }) at: string;
}

export class LiveEscalationFailedDto {
  @ApiProperty() escalationId: string;
  @ApiProperty() ticketId: string;
  @ApiProperty() tier: string;
  @ApiProperty({ required: false }) attempts?: number;
  @ApiProperty({ required: false }) error?: string;
  @ApiProperty({ format: 'date-time' }) at: string;
}
