import { Module } from '@nestjs/common';
import { WebhooksModule } from '@helpdesk/webhooks';
import { EscalationDeliveryService } from './delivery/escalation-delivery.service';
import { EscalationWorkers } from './delivery/escalation-workers.service';
import { EscalationModule } from './escalation.module';

/** The delivery workers, one per tier queue (worker app only). */
@Module({
  imports: [EscalationModule, WebhooksModule],
  providers: [EscalationDeliveryService, EscalationWorkers],
  exports: [EscalationWorkers],
})
export class EscalationJobsModule {}
