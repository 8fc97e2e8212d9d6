import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength } from 'class-validator';
import { MAIL_LOCALES, TEMPLATE_BODY_MAX, TEMPLATE_KINDS, TEMPLATE_SUBJECT_MAX } from '@helpdesk/channels';
import type { TemplateKind } from '@helpdesk/channels';
import { IsOmittable } from '../dto/optional';

export class NotificationTemplateParamsDto {
  @ApiProperty({ enum: TEMPLATE_KINDS })
  @IsIn(TEMPLATE_KINDS, { message: `kind must be one of: ${TEMPLATE_KINDS.join(', ')}` })
  kind: TemplateKind;

  @ApiProperty({ enum: MAIL_LOCALES })
  @IsIn(MAIL_LOCALES, { message: `locale must be one of: ${MAIL_LOCALES.join(', ')}` })
  locale: 'es' | 'en';
}

/**
 * Lengths are checked by the service (422 naming the field), with the one-line rule and the
 * placeholders; here only the shape, and a bound on what is read at all.
 */
export class SaveNotificationTemplateDto {
  @ApiProperty({ maxLength: TEMPLATE_SUBJECT_MAX, description: 'One line (no CR/LF); logic-less placeholders {{…}} of the kind; ticket kinds keep [{{ticket.number}}]' })
  @IsString()
  @MaxLength(TEMPLATE_BODY_MAX)
  subject: string;

  @ApiProperty({ maxLength: TEMPLATE_BODY_MAX, description: 'Plain text with the kind’s placeholders {{…}} (no sections, partials or other tags)' })
  @IsString()
  @MaxLength(TEMPLATE_BODY_MAX * 2)
  body: string;
}

export class PreviewNotificationTemplateDto {
  @ApiPropertyOptional({ description: 'A draft subject; the current one when left out' })
  @IsOmittable()
  @IsString()
  @MaxLength(TEMPLATE_BODY_MAX)
  subject?: string;

  @ApiPropertyOptional({ description: 'A draft body; the current one when left out' })
  @IsOmittable()
  @IsString()
  @MaxLength(TEMPLATE_BODY_MAX * 2)
  body?: string;
}

export class NotificationTemplateDto {
  @ApiProperty({ enum: TEMPLATE_KINDS }) kind: TemplateKind;
  @ApiProperty({ enum: MAIL_LOCALES }) locale: 'es' | 'en';
  @ApiProperty() subject: string;
  @ApiProperty() body: string;
  @ApiProperty({ description: 'An admin’s wording replaces the built-in one' }) customised: boolean;
  @ApiProperty({ type: [String], description: 'What subject and body may print, as {{name}}' }) placeholders: string[];
  @ApiProperty({ type: String, nullable: true, description: 'The agent who saved it (null: built-in)' }) updatedBy: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) updatedAt: string | null;
}

export class RenderedNotificationDto {
  @ApiProperty() subject: string;
  @ApiProperty() body: string;
}
