import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { StaffRole } from '@helpdesk/auth';

export class SignInDto {
  @ApiProperty({ description: 'A staff token (hds_…), exchanged once for the session cookie' })
  @IsString()
  @Length(1, 200)
  token: string;
}

export class SessionResponseDto {
  @ApiProperty() agentId: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: StaffRole, isArray: true }) roles: StaffRole[];
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the session ends (null when a bearer token authenticated the request)' })
  expiresAt: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Send it in X-CSRF-Token with every write that the session cookie authenticates (null for a bearer token)' })
  csrfToken: string | null;
}
