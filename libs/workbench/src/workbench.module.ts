import { Module } from '@nestjs/common';
import { AuditModule } from '@helpdesk/audit';
import { AuthModule } from '@helpdesk/auth';
import { IntakeModule } from '@helpdesk/intake';
import { StatsModule } from '@helpdesk/monitoring';
import { TriageModule } from '@helpdesk/triage';
import { TagCountsCompactor } from './tags/tag-counts-compactor.service';
import { TagsService } from './tags/tags.service';
import { SavedViewsService } from './views/saved-views.service';

/** Saved views and tags in use: what agents find their work with (api). */
@Module({
  imports: [AuditModule, AuthModule, IntakeModule, TriageModule, StatsModule],
  providers: [SavedViewsService, TagsService],
  exports: [SavedViewsService, TagsService],
})
export class WorkbenchModule {}

/** Keeps the tag counters folded (worker). */
@Module({ providers: [TagCountsCompactor], exports: [TagCountsCompactor] })
export class WorkbenchJobsModule {}
