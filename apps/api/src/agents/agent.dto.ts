import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsEmail, IsEnum, IsString, Length } from 'class-validator';
import { StaffRole } from '@helpdesk/auth';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

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
}

export class AgentResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() email: string;
  @ApiProperty({ enum: StaffRole, isArray: true }) roles: StaffRole[];
  @ApiProperty() createdAt: string;
}

export class CreatedAgentResponseDto extends AgentResponseDto {
  @ApiProperty({ description: 'Shown once; only its hash is stored.' }) token: string;
}
