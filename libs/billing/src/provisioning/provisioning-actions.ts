import { EntityManager } from 'typeorm';
import { QueueName } from '@helpdesk/queue';
import { enqueueMany } from '../outbox-rows';
import { Product } from '../policy/collections-policy';

export type ProvisioningKind = 'suspend' | 'resume';
export type DeliveryMode = 'webhook' | 'manual';
export const PROVISIONING_STATUSES = ['pending', 'delivered', 'confirmed', 'failed', 'cancelled'] as const;
export type ProvisioningStatus = (typeof PROVISIONING_STATUSES)[number];

/** A subscription as provisioning needs it to find it in the vendor's portal. */
export interface SubscriptionSnapshot {
  id: string;
  product: Product;
  vendorSubscriptionId: string;
  tenantId: string;
  offerName: string;
  quantity: number;
}

export interface NewProvisioningAction {
  /** The suspension's id (suspend) or the restore's (resume): the webhook-id. */
  id: string;
  kind: ProvisioningKind;
  suspensionId: string;
  customerId: string;
  subscriptions: SubscriptionSnapshot[];
}

/** The delivery mode in force now (its settings row is always there). */
export async function currentDeliveryMode(manager: EntityManager): Promise<DeliveryMode> {
  const [row]: Array<{ delivery: DeliveryMode }> = await manager.query(`SELECT delivery FROM provisioning_settings WHERE id = 1`);
  return row.delivery;
}

/**
 * Tells provisioning, inside the caller's transaction: a webhook delivery (outbox row, job id =
 * the action id) or, in manual mode, a task that billing_admin confirms once done in the portal.
 */
export async function createProvisioningActions(manager: EntityManager, actions: readonly NewProvisioningAction[], mode: DeliveryMode): Promise<void> {
  if (actions.length === 0) return;
  await manager.query(
    `INSERT INTO provisioning_actions (id, kind, suspension_id, customer_id, subscriptions, mode, status)
     SELECT a.id, a.kind, a.suspension_id, a.customer_id, a.subscriptions, $2, 'pending'
       FROM jsonb_to_recordset($1::jsonb) AS a(id uuid, kind text, suspension_id uuid, customer_id uuid, subscriptions jsonb)`,
    [JSON.stringify(actions.map((a) => ({ id: a.id, kind: a.kind, suspension_id: a.suspensionId, customer_id: a.customerId, subscriptions: a.subscriptions }))), mode],
  );
  if (mode === 'webhook') {
    await enqueueMany(manager, QueueName.BillingProvisioning, actions.map((a) => ({ jobId: a.id, payload: { actionId: a.id } })));
  }
}
