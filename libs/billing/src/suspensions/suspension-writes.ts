import { EntityManager } from 'typeorm';
import { Actor } from '@helpdesk/auth';
import { Product, RestoreRequirement } from '../policy/collections-policy';
import { createProvisioningActions, DeliveryMode, SubscriptionSnapshot } from '../provisioning/provisioning-actions';
import { BillingTimeline } from '../timeline/billing-timeline.service';

export interface NewSuspension {
  id: string;
  customerId: string;
  origin: 'collections' | 'manual';
  /** null: every product. */
  products: Product[] | null;
  subscriptions: SubscriptionSnapshot[];
  invoiceIds: string[];
  invoiceNumbers: string[];
  policyVersion: number | null;
  step: number | null;
  restoreRequires: RestoreRequirement | null;
  reason: string;
}

/**
 * Records suspensions and everything that goes with them, in the caller's transaction: the
 * suspensions, their subscriptions marked suspended (with a status change each), the
 * `suspension_created` events, and the `subscription.suspend` hand-off to provisioning.
 * The subscriptions must be active and locked by the caller (its customer's account lock).
 */
export async function insertSuspensions(manager: EntityManager, timeline: BillingTimeline, suspensions: readonly NewSuspension[], actor: Actor, mode: DeliveryMode, at: Date): Promise<void> {
  if (suspensions.length === 0) return;
  await manager.query(
    `INSERT INTO billing_suspensions (id, customer_id, origin, products, subscription_ids, invoice_ids, policy_version, step, restore_requires, reason, status, actor_kind, actor_id, created_at)
     SELECT s.id, s.customer_id, s.origin, s.products, s.subscription_ids, s.invoice_ids, s.policy_version, s.step, s.restore_requires, s.reason, 'active', $2, $3, $4
       FROM jsonb_to_recordset($1::jsonb) AS s(id uuid, customer_id uuid, origin text, products text[], subscription_ids uuid[], invoice_ids uuid[],
                                                policy_version int, step int, restore_requires text, reason text)`,
    [
      JSON.stringify(
        suspensions.map((s) => ({
          id: s.id,
          customer_id: s.customerId,
          origin: s.origin,
          products: s.products,
          subscription_ids: s.subscriptions.map((sub) => sub.id),
          invoice_ids: s.invoiceIds,
          policy_version: s.policyVersion,
          step: s.step,
          restore_requires: s.restoreRequires,
          reason: s.reason,
        })),
      ),
      actor.kind,
      actor.id,
      at,
    ],
  );
  const held = suspensions.flatMap((s) => s.subscriptions.map((sub) => ({ subscription: sub.id, suspension: s.id, reason: s.reason })));
  // `s.id = ANY($1)` lets the planner reach the rows by primary key rather than join all of them.
  await manager.query(
    `WITH moved AS (
       UPDATE subscriptions s SET status = 'suspended', suspension_id = h.suspension, updated_at = $6
         FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS h(subscription, suspension, reason)
        WHERE s.id = ANY($1::uuid[]) AND s.id = h.subscription AND s.status = 'active'
       RETURNING s.id, h.suspension, h.reason
     )
     INSERT INTO subscription_status_changes (subscription_id, from_status, to_status, reason, suspension_id, actor_kind, actor_id, at)
     SELECT id, 'active', 'suspended', reason, suspension, $4, $5, $6 FROM moved`,
    [held.map((h) => h.subscription), held.map((h) => h.suspension), held.map((h) => h.reason), actor.kind, actor.id, at],
  );
  await timeline.recordMany(
    manager,
    suspensions.map((s) => ({
      customerId: s.customerId,
      type: 'suspension_created' as const,
      data: {
        suspensionId: s.id,
        origin: s.origin,
        products: s.products ?? 'all',
        subscriptionIds: s.subscriptions.map((sub) => sub.id),
        invoices: s.invoiceNumbers,
        policyVersion: s.policyVersion,
        step: s.step,
        reason: s.reason,
        delivery: mode,
      },
    })),
    actor,
    at,
  );
  await createProvisioningActions(
    manager,
    suspensions.map((s) => ({ id: s.id, kind: 'suspend' as const, suspensionId: s.id, customerId: s.customerId, subscriptions: s.subscriptions })),
    mode,
  );
}

export const SELECT_SNAPSHOT_COLUMNS = `id, product, vendor_subscription_id AS "vendorSubscriptionId", tenant_id AS "tenantId", offer_name AS "offerName", quantity`;
