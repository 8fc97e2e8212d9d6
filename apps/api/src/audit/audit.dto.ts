import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { PageQueryDto } from '../pagination/page-query.dto';

export class ListAuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'what changed: agent, api_token, customer, customer_contact, support_plan, triage_rule, known_issue, escalation_tier, entitlements, escalation_policy, …' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z][a-z_]{0,63}$/, { message: 'entity must be an entity name such as triage_rule' })
  entity?: string;

  @ApiPropertyOptional({ description: "the changed record's id" })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  entityId?: string;

  @ApiPropertyOptional({ description: "the acting agent's id" })
  @IsOptional()
  @IsUUID('all', { message: 'actor must be a UUID' })
  actor?: string;

  @ApiPropertyOptional({ description: 'entries at or after this instant (ISO 8601)' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'from must be an ISO 8601 date-time' })
  from?: Date;

  @ApiPropertyOptional({ description: 'entries before this instant (ISO 8601)' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'to must be an ISO 8601 date-time' })
  to?: Date;
}

class AuditActorDto {
  @ApiProperty({ enum: ['staff', 'customer', 'system'] }) kind: string;
  @ApiProperty({ nullable: true, type: String }) id: string | null;
}

export class AuditEntryDto {
  @ApiProperty() id: string;
  @ApiProperty() at: string;
  @ApiProperty({ type: AuditActorDto }) actor: AuditActorDto;
  @ApiProperty({ nullable: true, type: String }) requestId: string | null;
  @ApiProperty() entity: string;
  @ApiProperty() entityId: string;
  @ApiProperty({ example: 'updated' }) action: string;
  @ApiProperty({ nullable: true, type: Object, description: 'the record before the change; secrets never appear' }) before: unknown;
  @ApiProperty({ nullable: true, type: Object, description: 'the record after the change; secrets never appear' }) after: unknown;
}

export class AuditPageDto {
  @ApiProperty({ type: AuditEntryDto, isArray: true }) items: AuditEntryDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
