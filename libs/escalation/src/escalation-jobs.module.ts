import { Module } from '@nestjs/common';
import { DeliveryReconciler } from './delivery/delivery-reconciler.service';
import { WebhooksModule } from '@helpdesk/webhooks';
import { DeliveryStore } from './delivery/delivery-store.service';
import { EscalationDeliveryService } from './delivery/escalation-delivery.service';
import { EscalationWorkers } from './delivery/escalation-workers.service';
import { LostDeliveriesService } from './delivery/lost-deliveries.service';
import { EscalationModule } from './escalation.module';
import { DeliveryHistoryPruner } from './housekeeping/delivery-history-pruner.service';
import { EscalationHousekeepingProcessor } from './housekeeping/escalation-housekeeping.processor';

/**
 * The delivery workers, one per tier queue, and escalation's scheduled upkeep: the reconciler of
 * lost deliveries and the pruning of delivery history (worker app only).
 */
@Module({
  imports: [EscalationModule, WebhooksModule],
  providers: [DeliveryStore, EscalationDeliveryService, EscalationWorkers, LostDeliveriesService, DeliveryReconciler, DeliveryHistoryPruner, EscalationHousekeepingProcessor],
  exports: [EscalationWorkers, DeliveryReconciler, DeliveryHistoryPruner],
})
export class EscalationJobsModule {}
