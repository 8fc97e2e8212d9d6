import { Module } from '@nestjs/common';
import { SlaReportService } from './sla-report.service';

export * from './sla-report.service';

/** SLA compliance reports. */
@Module({
  providers: [SlaReportService],
  exports: [SlaReportService],
})
export class ReportsModule {}
