import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@helpdesk/audit';
import { Actor, actorOf, Principal, SYSTEM_ACTOR } from '@helpdesk/auth';
import { DomainError, DomainErrorCode } from '@helpdesk/http';
import { lockAccount } from '../accounts/account-lock';
import { assertSeesCustomer } from '../accounts/customer-scope';
import { LocalDate } from '../calendar/partner-calendar';
import { BillingClock } from '../clock/billing-clock';
import { CollectionsPolicyService } from '../policy/collections-policy.service';
import { Product } from '../policy/collections-policy';
import { Locale } from '../policy/policy-text';
import { AttemptRow, ProvisioningActionRow, provisioningActionView } from '../provisioning/provisioning-action.view';
import { createProvisioningActions, currentDeliveryMode, SubscriptionSnapshot } from '../provisioning/provisioning-actions';
import { insertNotices, NoticeRow } from '../notices/notice-writes';
import { BillingTimeline } from '../timeline/billing-timeline.service';
import { insertSuspensions, SELECT_SNAPSHOT_COLUMNS } from './suspension-writes';
import { SELECT_SUSPENSION, SuspensionRow, SuspensionView, suspensionView } from './suspension.view';

export interface ManualSuspensionInput {
  reason: string;
  /** Which subscriptions: these (active ones of the customer), or every active one of these products (default all). */
  subscriptionIds?: string[];
  products?: Product[] | 'all';
}

/** Why a suspension ends: a payment that cleared what its policy step requires, or a person. */
export interface Ending {
  trigger: 'payment' | 'manual' | 'invoice_change';
  reason: string;
  actor: Actor;
}

/**
 * Suspensions by hand, restores (by hand or after payment), and the rule deciding between a
 * restore and a cancellation: a suspension provisioning was never told about (no webhook attempt
 * made, no manual task confirmed) is cancelled and never delivered; one it may have applied is
 * restored by a `subscription.resume` of exactly the subscriptions it still holds suspended.
 */
@Injectable()
export class SuspensionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly timeline: BillingTimeline,
    private readonly policy: CollectionsPolicyService,
    private readonly clock: BillingClock,
    private readonly audit: AuditService,
  ) {}

  async suspend(principal: Principal, customerId: string, input: ManualSuspensionInput): Promise<SuspensionView> {
    if (input.subscriptionIds !== undefined && input.products !== undefined) {
      throw DomainError.invalid('products', 'send either subscriptionIds or products, not both');
    }
    const actor = actorOf(principal);
    const id = randomUUID();
    await this.dataSource.transaction(async (manager) => {
      if (!(await lockAccount(manager, customerId))) throw DomainError.notFound('Billing account', customerId);
      const active: Array<SubscriptionSnapshot> = await manager.query(
        `SELECT ${SELECT_SNAPSHOT_COLUMNS} FROM subscriptions WHERE customer_id = $1 AND status = 'active' ORDER BY created_at, id`,
        [customerId],
      );
      let chosen: SubscriptionSnapshot[];
      if (input.subscriptionIds !== undefined) {
        const missing = input.subscriptionIds.filter((sid) => !active.some((s) => s.id === sid));
        if (missing.length > 0) {
          throw new DomainError(DomainErrorCode.Unprocessable, `Not active subscriptions of customer ${customerId}: ${missing.join(', ')}`, {
            errors: [{ field: 'subscriptionIds', message: `not active subscriptions of this customer: ${missing.join(', ')}` }],
          });
        }
        chosen = active.filter((s) => input.subscriptionIds!.includes(s.id));
      } else {
        const products = input.products ?? 'all';
        chosen = active.filter((s) => products === 'all' || products.includes(s.product));
      }
      if (chosen.length === 0) throw new DomainError(DomainErrorCode.Conflict, 'No active subscription matches: there is nothing to suspend');
      const products = input.subscriptionIds !== undefined ? [...new Set(chosen.map((s) => s.product))] : input.products === 'all' || !input.products ? null : input.products;
      await insertSuspensions(
        manager,
        this.timeline,
        [{ id, customerId, origin: 'manual', products, subscriptions: chosen, invoiceIds: [], invoiceNumbers: [], policyVersion: null, step: null, restoreRequires: null, reason: input.reason }],
        actor,
        await currentDeliveryMode(manager),
        this.clock.now(),
      );
      await this.audit.record(manager, {
        entity: 'billing_suspension',
        entityId: id,
        action: 'suspended',
        before: null,
        after: { customerId, origin: 'manual', products, subscriptionIds: chosen.map((s) => s.id), reason: input.reason },
      });
    });
    return this.get(principal, id);
  }

  async restore(principal: Principal, suspensionId: string, reason: string): Promise<SuspensionView> {
    const actor = actorOf(principal);
    await this.dataSource.transaction(async (manager) => {
      const [found]: Array<{ customer_id: string }> = await manager.query(`SELECT customer_id FROM billing_suspensions WHERE id = $1`, [suspensionId]);
      if (!found) throw DomainError.notFound('Suspension', suspensionId);
      await lockAccount(manager, found.customer_id);
      const [row]: SuspensionRow[] = await manager.query(`SELECT * FROM billing_suspensions WHERE id = $1 FOR UPDATE`, [suspensionId]);
      if (row.status !== 'active') throw new DomainError(DomainErrorCode.Conflict, `Suspension ${suspensionId} is already ${row.status}`);
      await this.end(manager, row, { trigger: 'manual', reason, actor });
      await this.audit.record(manager, {
        entity: 'billing_suspension',
        entityId: suspensionId,
        action: 'restored',
        before: { customerId: row.customer_id, origin: row.origin, status: row.status, reason: row.reason },
        after: { customerId: row.customer_id, origin: row.origin, status: 'restored', reason },
      });
    });
    return this.get(principal, suspensionId);
  }

  /**
   * After a payment or an invoice change (the caller holds the customer's account lock): ends every
   * active collections suspension whose `restore_requires` is now met — `overdue`: nothing overdue
   * is left unpaid; `full`: nothing at all. Hand-made suspensions are never ended here.
   */
  async settle(manager: EntityManager, customerId: string, ending: Ending): Promise<string[]> {
    const active: SuspensionRow[] = await manager.query(
      `SELECT * FROM billing_suspensions WHERE customer_id = $1 AND status = 'active' AND origin = 'collections' ORDER BY created_at FOR UPDATE`,
      [customerId],
    );
    if (active.length === 0) return [];
    const today: LocalDate = await this.policy.today(manager);
    const [balance]: Array<{ overdue: string; outstanding: string }> = await manager.query(
      `SELECT COALESCE(sum(total - paid) FILTER (WHERE due_on < $2), 0) AS overdue, COALESCE(sum(total - paid), 0) AS outstanding
         FROM invoices WHERE customer_id = $1 AND status = 'open'`,
      [customerId, today],
    );
    const ended: string[] = [];
    for (const suspension of active) {
      const cleared = suspension.restore_requires === 'full' ? Number(balance.outstanding) === 0 : Number(balance.overdue) === 0;
      if (!cleared) continue;
      await this.end(manager, suspension, ending);
      ended.push(suspension.id);
    }
    return ended;
  }

  /** Ends a locked, active suspension: cancelled if provisioning never got it, otherwise restored. */
  private async end(manager: EntityManager, suspension: SuspensionRow, ending: Ending): Promise<void> {
    const at = this.clock.now();
    const [suspend]: Array<ProvisioningActionRow & { attempts: number }> = await manager.query(
      `SELECT a.*, (SELECT count(*)::int FROM provisioning_attempts t WHERE t.action_id = a.id) AS attempts
         FROM provisioning_actions a WHERE a.suspension_id = $1 AND a.kind = 'suspend' FOR UPDATE OF a`,
      [suspension.id],
    );
    const neverDelivered = !suspend || (suspend.status === 'pending' && suspend.attempts === 0);
    const restoreId = neverDelivered ? null : randomUUID();
    const historyReason = neverDelivered ? `suspension cancelled before provisioning applied it: ${ending.reason}` : `restored: ${ending.reason}`;
    const released: SubscriptionSnapshot[] = await manager.query(
      `WITH released AS (
         UPDATE subscriptions SET status = 'active', updated_at = $2 WHERE id = ANY($6::uuid[]) AND suspension_id = $1 AND status = 'suspended'
         RETURNING *
       ), history AS (
         INSERT INTO subscription_status_changes (subscription_id, from_status, to_status, reason, suspension_id, actor_kind, actor_id, at)
         SELECT id, 'suspended', 'active', $3, $1, $4, $5, $2 FROM released
       )
       SELECT ${SELECT_SNAPSHOT_COLUMNS} FROM released ORDER BY id`,
      [suspension.id, at, historyReason, ending.actor.kind, ending.actor.id, suspension.subscription_ids],
    );
    await manager.query(
      `UPDATE billing_suspensions SET status = $2, restore_id = $3, ended_reason = $4, ended_by_kind = $5, ended_by_id = $6, ended_at = $7 WHERE id = $1`,
      [suspension.id, neverDelivered ? 'cancelled' : 'restored', restoreId, ending.reason, ending.actor.kind, ending.actor.id, at],
    );
    // No further suspend attempts once it has ended (a restore goes out instead, if needed).
    if (suspend?.status === 'pending') {
      await manager.query(`UPDATE provisioning_actions SET status = 'cancelled', completed_at = $2, updated_at = $2 WHERE id = $1`, [suspend.id, at]);
    }
    const data = { suspensionId: suspension.id, trigger: ending.trigger, reason: ending.reason, subscriptionIds: released.map((s) => s.id) };
    await this.tellRestored(manager, suspension, at);
    if (neverDelivered) {
      await this.timeline.record(manager, suspension.customer_id, 'suspension_cancelled', ending.actor, data, at);
      return;
    }
    const mode = await currentDeliveryMode(manager);
    await this.timeline.record(manager, suspension.customer_id, 'subscriptions_restored', ending.actor, { ...data, restoreId, delivery: mode }, at);
    if (released.length > 0) {
      await createProvisioningActions(manager, [{ id: restoreId!, kind: 'resume', suspensionId: suspension.id, customerId: suspension.customer_id, subscriptions: released }], mode);
    }
  }

  /**
   * A collections suspension's end told to the customer (it was told of the suspension): a
   * `restoration` notice, in the transaction that ends it, handed to the e-mail channel. A
   * suspension made by hand was never a notice, and its end is not one either.
   */
  private async tellRestored(manager: EntityManager, suspension: SuspensionRow, at: Date): Promise<void> {
    if (suspension.origin !== 'collections' || suspension.policy_version === null || suspension.step === null) return;
    const [facts]: Array<{ currency: string; locale: Locale; invoice_numbers: string[]; amount_due: string; products: Product[] }> = await manager.query(
      `SELECT a.currency, a.locale,
              ARRAY(SELECT i.number FROM invoices i WHERE i.id = ANY($2::uuid[]) ORDER BY i.due_on, i.number) AS invoice_numbers,
              (SELECT COALESCE(sum(i.total - i.paid), 0) FROM invoices i WHERE i.id = ANY($2::uuid[]) AND i.status = 'open')::text AS amount_due,
              ARRAY(SELECT DISTINCT s.product FROM subscriptions s WHERE s.id = ANY($3::uuid[]) ORDER BY s.product) AS products
         FROM billing_accounts a WHERE a.customer_id = $1`,
      [suspension.customer_id, suspension.invoice_ids, suspension.subscription_ids],
    );
    const notice: NoticeRow = {
      id: randomUUID(),
      customer_id: suspension.customer_id,
      kind: 'restoration',
      invoice_numbers: facts.invoice_numbers,
      amount_due: Number(facts.amount_due),
      currency: facts.currency,
      policy_version: suspension.policy_version,
      step: suspension.step,
      locale: facts.locale,
      suspension_id: suspension.id,
      products: facts.products,
    };
    await insertNotices(manager, [notice], at);
    await this.timeline.record(
      manager,
      suspension.customer_id,
      'notice_sent',
      SYSTEM_ACTOR,
      { noticeId: notice.id, kind: notice.kind, invoices: notice.invoice_numbers, suspensionId: suspension.id, policyVersion: notice.policy_version, step: notice.step },
      at,
    );
  }

  async get(principal: Principal, id: string): Promise<SuspensionView> {
    const [row]: SuspensionRow[] = await this.dataSource.query(`${SELECT_SUSPENSION} WHERE s.id = $1`, [id]);
    if (!row) throw DomainError.notFound('Suspension', id);
    assertSeesCustomer(principal, row.customer_id, 'Suspension', id);
    const actions: Array<ProvisioningActionRow & { attempts: AttemptRow[] }> = await this.dataSource.query(
      `SELECT a.*, COALESCE((SELECT json_agg(json_build_object('at', t.at, 'http_status', t.http_status, 'error', t.error, 'duration_ms', t.duration_ms) ORDER BY t.id)
                               FROM provisioning_attempts t WHERE t.action_id = a.id), '[]') AS attempts
         FROM provisioning_actions a WHERE a.suspension_id = $1 ORDER BY a.number`,
      [id],
    );
    return suspensionView(row, actions.map((a) => provisioningActionView(a, a.attempts)));
  }

  async list(principal: Principal, customerId: string): Promise<SuspensionView[]> {
    assertSeesCustomer(principal, customerId);
    const rows: SuspensionRow[] = await this.dataSource.query(`${SELECT_SUSPENSION} WHERE s.customer_id = $1 ORDER BY s.created_at, s.id`, [customerId]);
    return rows.map((r) => suspensionView(r));
  }
}
