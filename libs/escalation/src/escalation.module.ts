import { Module } from '@nestjs/common';
import { AuditModule } from '@helpdesk/audit';
import { BillingModule } from '@helpdesk/billing';
import { IntakeModule } from '@helpdesk/intake';
import { TriageModule } from '@helpdesk/triage';
import { WebhooksModule } from '@helpdesk/webhooks';
import { EscalationFailureHooks } from './delivery/escalation-failure-hooks';
import { ContractHoursHooks } from './entitlements/contract-hours-hooks';
import { EntitlementsService } from './entitlements/entitlements.service';
import { EscalationCallbacksService } from './escalations/escalation-callbacks.service';
import { EscalationReadsService } from './escalations/escalation-reads.service';
import { EscalationUpdatesService } from './escalations/escalation-updates.service';
import { EscalationsService } from './escalations/escalations.service';
import { EscalationPolicyService } from './policy/escalation-policy.service';
import { EscalationTiersService } from './tiers/escalation-tiers.service';

const SERVICES = [
  ContractHoursHooks,
  EscalationFailureHooks,
  EntitlementsService,
  EscalationTiersService,
  EscalationsService,
  EscalationReadsService,
  EscalationUpdatesService,
  EscalationCallbacksService,
  EscalationPolicyService,
];

/** Entitlements, tiers, escalations and the auto-escalation policy (both apps). */
@Module({
  imports: [IntakeModule, TriageModule, AuditModule, WebhooksModule, BillingModule],
  providers: SERVICES,
  exports: SERVICES,
})
export class EscalationModule {}
