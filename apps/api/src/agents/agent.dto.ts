import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsEmail, IsEnum, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { IsOmittable } from '../dto/optional';
import { trim } from '../dto/transforms';
import { AGENT_LOCALES, AgentLocale, StaffRole } from '@helpdesk/auth';

const LOCALE_MESSAGE = `locale must be one of: ${AGENT_LOCALES.join(', ')} (or null: English, then Spanish)`;


export class CreateAgentDto {
  @ApiProperty({ example: 'Ana García' })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ example: 'ana@partner.example' })
  @Transform(trim)
  @IsEmail()
  email: string;

  @ApiProperty({ enum: StaffRole, isArray: true, example: ['helpdesk_agent'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(5)
  @IsEnum(StaffRole, { each: true, message: `each value in roles must be one of: ${Object.values(StaffRole).join(', ')}` })
  roles: StaffRole[];

  @ApiPropertyOptional({ enum: AGENT_LOCALES, nullable: true, description: "The language of the agent's mail; null or left out: English, then Spanish" })
  @IsOptional()
  @IsIn(AGENT_LOCALES, { message: LOCALE_MESSAGE })
  locale?: AgentLocale | null;
}

export class UpdateAgentDto {
  @ApiPropertyOptional()
  @IsOmittable()
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ enum: StaffRole, isArray: true })
  @IsOmittable()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(5)
  @IsEnum(StaffRole, { each: true, message: `each value in roles must be one of: ${Object.values(StaffRole).join(', ')}` })
  roles?: StaffRole[];

  @ApiPropertyOptional({ example: ['technical', 'billing'] })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Matches(/^[a-z0-9][a-z0-9_.-]{0,63}$/, { each: true, message: 'each value in queues must be a queue name (lower-case letters, digits, _ . -)' })
  queues?: string[];

  @ApiPropertyOptional({ minimum: 0, maximum: 1000 })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(1000)
  maxOpenTickets?: number;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsBoolean()
  available?: boolean;

  @ApiPropertyOptional({ enum: AGENT_LOCALES, nullable: true, description: "The language of the agent's mail; null: English, then Spanish" })
  @IsOptional()
  @IsIn(AGENT_LOCALES, { message: LOCALE_MESSAGE })
  locale?: AgentLocale | null;
}

export class AgentResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() email: string;
  @ApiProperty({ enum: StaffRole, isArray: true }) roles: StaffRole[];
  @ApiProperty() queues: string[];
  @ApiProperty() maxOpenTickets: number;
  @ApiProperty({ description: 'open tickets assigned to the agent now; auto-assignment gives no more once it reaches maxOpenTickets' }) openTickets: number;
  @ApiProperty() available: boolean;
  @ApiProperty({ enum: AGENT_LOCALES, nullable: true, description: "the language of the agent's mail; null: English, then Spanish" }) locale: AgentLocale | null;
  @ApiProperty({ nullable: true, type: String, description: 'set while deactivated: none of their tokens works, nothing is assigned to them' }) deactivatedAt: string | null;
  @ApiProperty() createdAt: string;
}

export class CreatedAgentResponseDto extends AgentResponseDto {
  @ApiProperty({ description: 'Shown once; only its hash is stored.' }) token: string;
}

export class TokenResponseDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['staff', 'customer'] }) kind: string;
  @ApiProperty({ nullable: true, type: String }) agentId: string | null;
  @ApiProperty({ nullable: true, type: String }) customerId: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'hds_AbCd1234', description: "the token's first characters (null for tokens issued before they were kept)" }) prefix: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String, description: 'within a minute of the last use' }) lastUsedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) revokedAt: string | null;
}

export class IssuedTokenResponseDto extends TokenResponseDto {
  @ApiProperty({ description: 'Shown once; only its hash is stored.' }) token: string;
}
