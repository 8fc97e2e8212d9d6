import { Actor } from '@helpdesk/auth';
import { Product, RestoreRequirement } from '../policy/collections-policy';
import { ProvisioningActionView } from '../provisioning/provisioning-action.view';

export interface SuspensionRow {
  id: string;
  customer_id: string;
  origin: 'collections' | 'manual';
  products: Product[] | null;
  subscription_ids: string[];
  invoice_ids: string[];
  invoice_numbers?: string[];
  policy_version: number | null;
  step: number | null;
  restore_requires: RestoreRequirement | null;
  reason: string;
  status: 'active' | 'cancelled' | 'restored';
  actor_kind: Actor['kind'];
  actor_id: string | null;
  created_at: Date;
  restore_id: string | null;
  ended_reason: string | null;
  ended_by_kind: Actor['kind'] | null;
  ended_by_id: string | null;
  ended_at: Date | null;
}

export interface SuspensionView {
  id: string;
  customerId: string;
  origin: 'collections' | 'manual';
  products: Product[] | 'all';
  subscriptionIds: string[];
  invoices: string[];
  policyVersion: number | null;
  step: number | null;
  restoreRequires: RestoreRequirement | null;
  reason: string;
  status: SuspensionRow['status'];
  createdBy: Actor;
  createdAt: string;
  restoreId: string | null;
  endedReason: string | null;
  endedBy: Actor | null;
  endedAt: string | null;
  provisioning?: ProvisioningActionView[];
}

export const SELECT_SUSPENSION = `
  SELECT s.*, ARRAY(SELECT i.number FROM invoices i WHERE i.id = ANY(s.invoice_ids) ORDER BY i.number) AS invoice_numbers
    FROM billing_suspensions s`;

export function suspensionView(r: SuspensionRow, provisioning?: ProvisioningActionView[]): SuspensionView {
  return {
    id: r.id,
    customerId: r.customer_id,
    origin: r.origin,
    products: r.products ?? 'all',
    subscriptionIds: r.subscription_ids,
    invoices: r.invoice_numbers ?? [],
    policyVersion: r.policy_version,
    step: r.step,
    restoreRequires: r.restore_requires,
    reason: r.reason,
    status: r.status,
    createdBy: { kind: r.actor_kind, id: r.actor_id },
    createdAt: new Date(r.created_at).toISOString(),
    restoreId: r.restore_id,
    endedReason: r.ended_reason,
    endedBy: r.ended_by_kind ? { kind: r.ended_by_kind, id: r.ended_by_id } : null,
    endedAt: r.ended_at ? new Date(r.ended_at).toISOString() : null,
    ...(provisioning ? { provisioning } : {}),
  };
}
