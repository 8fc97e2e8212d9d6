import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { TICKET_SORTS } from '@helpdesk/intake';
import type { TicketSort } from '@helpdesk/intake';
import { ViewFilterDto } from './view.dto';

class ViewNamesDto {
  @ApiProperty() en: string;
  @ApiProperty() es: string;
}

/** A saved or built-in view with its live count (workbench's SavedView). */
export class SavedViewDto {
  @ApiProperty({ description: 'A built-in id (e.g. my-open) or a saved view id' }) id: string;
  @ApiProperty({ enum: ['built-in', 'personal', 'shared'] }) kind: 'built-in' | 'personal' | 'shared';
  @ApiProperty() name: string;
  @ApiPropertyOptional({ type: ViewNamesDto, description: 'Built-in views: the name in each language' }) names?: ViewNamesDto;
  @ApiProperty({ type: ViewFilterDto, description: "assigneeId may be 'me' or 'none'" }) filter: ViewFilterDto;
  @ApiProperty({ enum: TICKET_SORTS }) sort: TicketSort;
  @ApiProperty({ type: String, nullable: true }) ownerId: string | null;
  @ApiProperty({ type: String, nullable: true }) createdBy: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) createdAt: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) updatedAt: string | null;
  @ApiProperty({ description: 'Tickets in the view now, counted up to 1,000 (show "1,000+" when countCapped)' }) count: number;
  @ApiProperty({ description: 'True when there are at least 1,000 (count is then the cap)' }) countCapped: boolean;
}

/** A view without its count (GET /views/names). */
export class UncountedViewDto extends OmitType(SavedViewDto, ['count', 'countCapped'] as const) {}

export class TagCountDto {
  @ApiProperty() tag: string;
  @ApiProperty({ description: 'Tickets carrying it' }) count: number;
}
