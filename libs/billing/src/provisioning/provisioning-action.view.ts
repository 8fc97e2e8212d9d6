import { Actor } from '@helpdesk/auth';
import { DeliveryMode, ProvisioningKind, ProvisioningStatus, SubscriptionSnapshot } from './provisioning-actions';

export interface ProvisioningActionRow {
  id: string;
  number: string;
  kind: ProvisioningKind;
  suspension_id: string;
  customer_id: string;
  subscriptions: SubscriptionSnapshot[];
  mode: DeliveryMode;
  status: ProvisioningStatus;
  delivery_round: number;
  last_error: string | null;
  note: string | null;
  confirmed_by: string | null;
  created_at: Date;
  updated_at: Date;
  completed_at: Date | null;
}

export interface AttemptRow {
  at: Date;
  http_status: number | null;
  error: string | null;
  duration_ms: number;
}

export interface ProvisioningActionView {
  id: string;
  /** What the webhook's `type` says: subscription.suspend or subscription.resume. */
  event: 'subscription.suspend' | 'subscription.resume';
  kind: ProvisioningKind;
  suspensionId: string;
  customerId: string;
  subscriptions: SubscriptionSnapshot[];
  mode: DeliveryMode;
  status: ProvisioningStatus;
  lastError: string | null;
  note: string | null;
  confirmedBy: Actor | null;
  attempts?: Array<{ at: string; httpStatus: number | null; error: string | null; durationMs: number }>;
  createdAt: string;
  completedAt: string | null;
}

export function provisioningActionView(row: ProvisioningActionRow, attempts?: AttemptRow[]): ProvisioningActionView {
  return {
    id: row.id,
    event: row.kind === 'suspend' ? 'subscription.suspend' : 'subscription.resume',
    kind: row.kind,
    suspensionId: row.suspension_id,
    customerId: row.customer_id,
    subscriptions: row.subscriptions,
    mode: row.mode,
    status: row.status,
    lastError: row.last_error,
    note: row.note,
    confirmedBy: row.confirmed_by ? { kind: 'staff', id: row.confirmed_by } : null,
    ...(attempts
      ? { attempts: attempts.map((a) => ({ at: new Date(a.at).toISOString(), httpStatus: a.http_status, error: a.error, durationMs: a.duration_ms })) }
      : {}),
    createdAt: new Date(row.created_at).toISOString(),
    completedAt: row.completed_at ? new Date(row.completed_at).toISOString() : null,
  };
}
