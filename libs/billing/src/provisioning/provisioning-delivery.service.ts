import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { SYSTEM_ACTOR } from '@helpdesk/auth';
import { signWebhook, WebhookClient } from '@helpdesk/webhooks';
import { lockAccount } from '../accounts/account-lock';
import { BillingTimeline } from '../timeline/billing-timeline.service';
import { ProvisioningActionRow } from './provisioning-action.view';

export type ProvisioningOutcome =
  | { kind: 'skipped'; status: string }
  | { kind: 'delivered'; httpStatus: number }
  | { kind: 'retry'; error: string }
  | { kind: 'failed'; error: string };

interface LoadedAction extends ProvisioningActionRow {
  suspension_status: 'active' | 'cancelled' | 'restored';
  origin: 'collections' | 'manual';
  reason: string;
  policy_version: number | null;
  step: number | null;
  invoice_numbers: string[];
  customer_name: string;
  webhook_url: string | null;
  secret: string | null;
  timeout_ms: number;
}

const LOAD = `
  SELECT a.*, s.status AS suspension_status, s.origin, s.reason, s.policy_version, s.step,
         ARRAY(SELECT i.number FROM invoices i WHERE i.id = ANY(s.invoice_ids) ORDER BY i.number) AS invoice_numbers,
         c.name AS customer_name, p.webhook_url, p.secret, p.timeout_ms
    FROM provisioning_actions a
    JOIN billing_suspensions s ON s.id = a.suspension_id
    JOIN customers c ON c.id = a.customer_id
    CROSS JOIN provisioning_settings p
   WHERE a.id = $1
     FOR UPDATE OF a`;

/**
 * Delivers one subscription.suspend / subscription.resume webhook (Standard Webhooks, webhook-id =
 * the action's id, through the SSRF-guarded WebhookClient). The attempt runs inside a
 * transaction holding the customer's account lock — the lock a payment takes — so a payment and a
 * delivery never overlap: a payment recorded first has already cancelled the suspension (nothing is
 * sent); one recorded during the attempt waits for it and then restores what was suspended.
 */
@Injectable()
export class ProvisioningDeliveryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly timeline: BillingTimeline,
    private readonly client: WebhookClient,
  ) {}

  deliver(actionId: string, attempt: number, maxAttempts: number): Promise<ProvisioningOutcome> {
    return this.dataSource.transaction(async (manager) => {
      const [owner]: Array<{ customer_id: string }> = await manager.query(`SELECT customer_id FROM provisioning_actions WHERE id = $1`, [actionId]);
      if (!owner) return { kind: 'skipped', status: 'missing' } as const;
      await lockAccount(manager, owner.customer_id);
      const [action]: LoadedAction[] = await manager.query(LOAD, [actionId]);
      if (action.status !== 'pending' || action.mode !== 'webhook') return { kind: 'skipped', status: action.status } as const;
      if (action.kind === 'suspend' && action.suspension_status !== 'active') {
        await manager.query(`UPDATE provisioning_actions SET status = 'cancelled', completed_at = now(), updated_at = now() WHERE id = $1`, [actionId]);
        return { kind: 'skipped', status: 'cancelled' } as const;
      }
      const started = Date.now();
      const at = new Date();
      let httpStatus: number | null = null;
      let error: string | null = null;
      if (!action.webhook_url || !action.secret) {
        error = 'provisioning has no webhook configured';
      } else {
        const text = body(action);
        const result = await this.client.post({
          url: action.webhook_url,
          headers: { 'Content-Type': 'application/json', ...signWebhook(action.id, text, [action.secret], at) },
          body: Buffer.from(text, 'utf8'),
          timeoutMs: action.timeout_ms,
        });
        httpStatus = result.status;
        if (!result.ok) error = result.error;
      }
      await manager.query(`INSERT INTO provisioning_attempts (action_id, at, http_status, error, duration_ms) VALUES ($1, $2, $3, $4, $5)`, [
        actionId,
        at,
        httpStatus,
        error,
        Date.now() - started,
      ]);
      if (error === null) {
        await this.finish(manager, action, 'delivered', null);
        return { kind: 'delivered', httpStatus: httpStatus! } as const;
      }
      if (attempt < maxAttempts) {
        await manager.query(`UPDATE provisioning_actions SET last_error = $2, updated_at = now() WHERE id = $1`, [actionId, error]);
        return { kind: 'retry', error } as const;
      }
      await this.finish(manager, action, 'failed', error, attempt);
      return { kind: 'failed', error } as const;
    });
  }

  private async finish(manager: EntityManager, action: LoadedAction, status: 'delivered' | 'failed', error: string | null, attempts?: number): Promise<void> {
    await manager.query(`UPDATE provisioning_actions SET status = $2, last_error = $3, completed_at = now(), updated_at = now() WHERE id = $1`, [action.id, status, error]);
    const type =
      action.kind === 'suspend'
        ? status === 'delivered'
          ? 'suspension_delivered'
          : 'suspension_delivery_failed'
        : status === 'delivered'
          ? 'restore_delivered'
          : 'restore_delivery_failed';
    await this.timeline.record(manager, action.customer_id, type, SYSTEM_ACTOR, {
      actionId: action.id,
      suspensionId: action.suspension_id,
      ...(error ? { error, attempts } : {}),
    });
  }
}

/** The webhook's JSON (Standard Webhooks envelope: type, timestamp, data); the same bytes on every retry. */
function body(action: LoadedAction): string {
  return JSON.stringify({
    type: action.kind === 'suspend' ? 'subscription.suspend' : 'subscription.resume',
    timestamp: new Date(action.created_at).toISOString(),
    data: {
      id: action.id,
      suspensionId: action.suspension_id,
      ...(action.kind === 'resume' ? { restoreId: action.id } : {}),
      origin: action.origin,
      reason: action.reason,
      customer: { id: action.customer_id, name: action.customer_name },
      subscriptions: action.subscriptions,
      invoices: action.invoice_numbers,
      policyVersion: action.policy_version,
      step: action.step,
    },
  });
}
