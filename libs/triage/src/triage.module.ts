import { Module } from '@nestjs/common';
import { AuditModule } from '@helpdesk/audit';
import { BillingModule } from '@helpdesk/billing';
import { IntakeModule } from '@helpdesk/intake';
import { AssignmentService } from './assignment/assignment.service';
import { SlaMonitorProcessor } from './jobs/sla-monitor.processor';
import { TriageProcessor } from './jobs/triage.processor';
import { KnownIssuesService } from './known-issues/known-issues.service';
import { SlaMonitorService } from './monitor/sla-monitor.service';
import { RuleBillingStatus } from './rules/rule-billing-status';
import { TriageRulesService } from './rules/triage-rules.service';
import { SlaBreachHooks } from './sla/sla-breach-hooks';
import { SlaClockService } from './sla/sla-clock.service';
import { SlaHorizonService } from './sla/sla-horizon.service';
import { TriageService } from './triage/triage.service';

const SERVICES = [SlaBreachHooks, SlaClockService, SlaHorizonService, RuleBillingStatus, TriageRulesService, KnownIssuesService, AssignmentService, TriageService, SlaMonitorService];

/** Classification, rules, known issues, the SLA clock and assignment (both apps). */
@Module({
  imports: [IntakeModule, AuditModule, BillingModule],
  providers: SERVICES,
  exports: SERVICES,
})
export class TriageModule {}

/** The worker's side: the triage queue and the SLA monitor's schedule. */
@Module({
  imports: [TriageModule],
  providers: [TriageProcessor, SlaMonitorProcessor],
})
export class TriageJobsModule {}
