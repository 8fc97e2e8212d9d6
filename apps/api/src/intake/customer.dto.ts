import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsFQDN, IsString, IsUUID, Length } from 'class-validator';
import { trim } from '../dto/transforms';


export class CreateCustomerDto {
  @ApiProperty({ example: 'Contoso Ltd' })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ example: 'contoso.com' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsFQDN({}, { message: 'domain must be a domain name such as contoso.com' })
  domain: string;

  @ApiProperty()
  @IsUUID('all', { message: 'supportPlanId must be a UUID' })
  supportPlanId: string;
}
