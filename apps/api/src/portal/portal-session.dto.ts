import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, Length, Matches, MaxLength } from 'class-validator';
import { trim } from '../dto/transforms';

export class PortalSignInDto {
  @ApiProperty({ description: 'A customer token (hdc_…), exchanged once for the session cookie' })
  @IsString()
  @Length(1, 200)
  token: string;
}

export class PortalLinkSignInDto {
  @ApiProperty({ description: 'The token of a mailed sign-in link (what follows /portal/sign-in-link#), spent by this request' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{43}$/, { message: 'token must be the 43 characters of a mailed sign-in link' })
  token: string;
}

export class SignInLinkRequestDto {
  @ApiProperty({ example: 'ana@contoso.example', description: "A customer contact's e-mail address" })
  @Transform(trim)
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(320)
  email: string;
}

export class PortalContactDto {
  @ApiProperty() name: string;
  @ApiProperty() email: string;
  @ApiProperty({ enum: ['es', 'en'] }) locale: 'es' | 'en';
}

export class PortalSessionResponseDto {
  @ApiProperty() customerId: string;
  @ApiProperty() customerName: string;
  @ApiProperty({ type: PortalContactDto, nullable: true, description: 'The contact signed in by a mailed link; null for a customer token' })
  contact: PortalContactDto | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the session ends (null when a bearer token authenticated the request)' })
  expiresAt: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Send it in X-CSRF-Token with every write that the session cookie authenticates (null for a bearer token)' })
  csrfToken: string | null;
}

export class SignInLinkAcceptedDto {
  @ApiProperty({ example: 'If the address is one of our contacts, a sign-in link is on its way.' }) message: string;
}
