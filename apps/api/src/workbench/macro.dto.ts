import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsObject, IsString, Length, ValidateNested } from 'class-validator';
import { MACRO_PLACEHOLDERS, MACRO_SCOPES, MACRO_VISIBILITIES } from '@helpdesk/macros';
import type { MacroScope, MacroVisibility } from '@helpdesk/macros';
import { IsOmittable } from '../dto/optional';
import { trim } from '../dto/transforms';
import { UpdateTicketDto } from '../intake/ticket.dto';

const PLACEHOLDERS = MACRO_PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ');

export class MacroBodiesDto {
  @ApiProperty({ minLength: 1, maxLength: 10000, description: `The Spanish body; placeholders: ${PLACEHOLDERS}` })
  @IsString()
  @Length(1, 10000)
  es: string;

  @ApiProperty({ minLength: 1, maxLength: 10000, description: `The English body; placeholders: ${PLACEHOLDERS}` })
  @IsString()
  @Length(1, 10000)
  en: string;
}

/** What a macro changes on the ticket: the fields of PATCH /tickets/:id a canned answer sets. */
export class MacroActionsDto extends PickType(UpdateTicketDto, ['status', 'priority', 'addTags', 'assigneeId'] as const) {}

export class CreateMacroDto {
  @ApiProperty({ minLength: 1, maxLength: 100, description: 'Unique (case-insensitively) among the shared macros and among your own' })
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiProperty({ type: MacroBodiesDto })
  @IsObject({ message: 'bodies must be an object with es and en' })
  @ValidateNested()
  @Type(() => MacroBodiesDto)
  bodies: MacroBodiesDto;

  @ApiProperty({ enum: MACRO_VISIBILITIES, description: 'The visibility of the comment the macro writes' })
  @IsIn(MACRO_VISIBILITIES, { message: `visibility must be one of: ${MACRO_VISIBILITIES.join(', ')}` })
  visibility: MacroVisibility;

  @ApiPropertyOptional({ enum: MACRO_SCOPES, default: 'personal', description: 'shared: every ticket worker uses it (made by admin_agent or global_admin)' })
  @IsOmittable()
  @IsIn(MACRO_SCOPES, { message: `scope must be one of: ${MACRO_SCOPES.join(', ')}` })
  scope?: MacroScope;

  @ApiPropertyOptional({ type: MacroActionsDto })
  @IsOmittable()
  @IsObject({ message: 'actions must be an object' })
  @ValidateNested()
  @Type(() => MacroActionsDto)
  actions?: MacroActionsDto;
}

export class UpdateMacroBodiesDto extends PartialType(MacroBodiesDto) {}

export class UpdateMacroDto extends PartialType(PickType(CreateMacroDto, ['name', 'visibility', 'scope', 'actions'] as const)) {
  @ApiPropertyOptional({ type: UpdateMacroBodiesDto, description: 'Either body, or both' })
  @IsOmittable()
  @IsObject({ message: 'bodies must be an object with es and/or en' })
  @ValidateNested()
  @Type(() => UpdateMacroBodiesDto)
  bodies?: UpdateMacroBodiesDto;
}
