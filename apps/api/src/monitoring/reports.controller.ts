import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional } from 'class-validator';
import { Roles, StaffRole } from '@helpdesk/auth';
import { SLA_REPORT_GROUPINGS, SlaReportService } from '@helpdesk/monitoring';
import type { SlaReportGrouping } from '@helpdesk/monitoring';
import { SlaReportDto } from './monitoring-responses.dto';

export class SlaReportQueryDto {
  /** Start of the period (inclusive), ISO 8601; tickets are selected by creation time. */
  @ApiProperty({ format: 'date-time', description: 'Start of the period (inclusive); tickets are selected by creation time' })
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 date-time' })
  from!: string;

  /** End of the period (exclusive), ISO 8601; at most 366 days after `from`. */
  @ApiProperty({ format: 'date-time', description: 'End of the period (exclusive); at most 366 days after from' })
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 date-time' })
  to!: string;

  @ApiPropertyOptional({ enum: SLA_REPORT_GROUPINGS, default: 'queue' })
  @IsOptional()
  @IsIn(SLA_REPORT_GROUPINGS)
  groupBy?: SlaReportGrouping;
}

@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: SlaReportService) {}

  /** SLA compliance (first response, resolution) of the tickets created in [from, to), grouped by queue, priority or customer. */
  @Get('sla')
  @Roles(StaffRole.AdminAgent)
  @ApiOkResponse({ type: SlaReportDto })
  sla(@Query() query: SlaReportQueryDto) {
    return this.reports.report(query);
  }
}
