import { Module } from '@nestjs/common';
import { IntakeModule } from '@helpdesk/intake';
import { SlaBreachHooks } from './sla/sla-breach-hooks';

/** Classification, rules, known issues, the SLA clock and assignment (both apps). */
@Module({
  imports: [IntakeModule],
  providers: [SlaBreachHooks],
  exports: [SlaBreachHooks],
})
export class TriageModule {}
