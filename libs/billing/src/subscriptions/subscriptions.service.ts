import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Actor, actorOf, Principal } from '@helpdesk/auth';
import { DomainError, DomainErrorCode, FieldErrorCode } from '@helpdesk/http';
import { lockAccount } from '../accounts/account-lock';
import { assertSeesCustomer } from '../accounts/customer-scope';
import { MoneyError, parseAmount } from '../money/money';
import { Product } from '../policy/collections-policy';
import { BillingTimeline } from '../timeline/billing-timeline.service';
import { SELECT_SUBSCRIPTION, SubscriptionRow, SubscriptionStatus, SubscriptionView, subscriptionView } from './subscription.view';

export interface SubscriptionInput {
  product: Product;
  vendorSubscriptionId: string;
  tenantId: string;
  offerName: string;
  quantity: number;
  /** In the account's currency. */
  unitPrice: string;
}

export interface SubscriptionUpdate {
  offerName?: string;
  quantity?: number;
  unitPrice?: string;
  /** Only `cancelled`: suspending and restoring go through suspensions. */
  status?: 'cancelled';
  reason?: string;
}

export interface StatusChangeView {
  from: SubscriptionStatus | null;
  to: SubscriptionStatus;
  reason: string;
  suspensionId: string | null;
  actor: Actor;
  at: string;
}

/** The customer's inventory: what it holds through the partner. */
@Injectable()
export class SubscriptionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly timeline: BillingTimeline,
  ) {}

  async create(principal: Principal, customerId: string, input: SubscriptionInput): Promise<SubscriptionView> {
    const actor = actorOf(principal);
    const id = randomUUID();
    await this.dataSource.transaction(async (manager) => {
      const account = await lockAccount(manager, customerId);
      if (!account) throw DomainError.notFound('Billing account', customerId);
      const unitPrice = amountIn('unitPrice', input.unitPrice, account.currency);
      const [taken]: Array<{ id: string }> = await manager.query(`SELECT id FROM subscriptions WHERE vendor_subscription_id = $1`, [input.vendorSubscriptionId]);
      if (taken) {
        throw new DomainError(DomainErrorCode.Conflict, `Vendor subscription ${input.vendorSubscriptionId} is already recorded (${taken.id})`, {
          errors: [{ field: 'vendorSubscriptionId', message: 'is already recorded', code: FieldErrorCode.Taken }],
          subscriptionId: taken.id,
        });
      }
      await manager.query(
        `INSERT INTO subscriptions (id, customer_id, product, vendor_subscription_id, tenant_id, offer_name, quantity, unit_price)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [id, customerId, input.product, input.vendorSubscriptionId, input.tenantId, input.offerName, input.quantity, unitPrice],
      );
      await manager.query(
        `INSERT INTO subscription_status_changes (subscription_id, from_status, to_status, reason, actor_kind, actor_id) VALUES ($1, NULL, 'active', 'added', $2, $3)`,
        [id, actor.kind, actor.id],
      );
      await this.timeline.record(manager, customerId, 'subscription_added', actor, { subscriptionId: id, product: input.product, vendorSubscriptionId: input.vendorSubscriptionId });
    });
    return this.get(principal, id);
  }

  async get(principal: Principal, id: string): Promise<SubscriptionView & { history: StatusChangeView[] }> {
    const [row]: SubscriptionRow[] = await this.dataSource.query(`${SELECT_SUBSCRIPTION} WHERE s.id = $1`, [id]);
    if (!row) throw DomainError.notFound('Subscription', id);
    assertSeesCustomer(principal, row.customer_id, 'Subscription', id);
    const history: Array<{ from_status: SubscriptionStatus | null; to_status: SubscriptionStatus; reason: string; suspension_id: string | null; actor_kind: Actor['kind']; actor_id: string | null; at: Date }> =
      await this.dataSource.query(`SELECT * FROM subscription_status_changes WHERE subscription_id = $1 ORDER BY id`, [id]);
    return {
      ...subscriptionView(row),
      history: history.map((h) => ({
        from: h.from_status,
        to: h.to_status,
        reason: h.reason,
        suspensionId: h.suspension_id,
        actor: { kind: h.actor_kind, id: h.actor_id },
        at: new Date(h.at).toISOString(),
      })),
    };
  }

  async list(principal: Principal, customerId: string): Promise<SubscriptionView[]> {
    assertSeesCustomer(principal, customerId);
    const rows: SubscriptionRow[] = await this.dataSource.query(`${SELECT_SUBSCRIPTION} WHERE s.customer_id = $1 ORDER BY s.created_at, s.id`, [customerId]);
    if (rows.length === 0) {
      const [exists] = await this.dataSource.query(`SELECT 1 FROM billing_accounts WHERE customer_id = $1`, [customerId]);
      if (!exists) throw DomainError.notFound('Billing account', customerId);
    }
    return rows.map(subscriptionView);
  }

  async update(principal: Principal, id: string, update: SubscriptionUpdate): Promise<SubscriptionView> {
    const actor = actorOf(principal);
    if (Object.values(update).every((v) => v === undefined)) throw DomainError.invalid('status', 'send at least one of offerName, quantity, unitPrice, status');
    if (update.reason !== undefined && update.status === undefined) throw DomainError.invalid('reason', 'goes with a status change');
    if (update.status === 'cancelled' && update.reason === undefined) throw DomainError.invalid('reason', 'is required to cancel a subscription');
    await this.dataSource.transaction(async (manager) => {
      const [found]: Array<{ customer_id: string }> = await manager.query(`SELECT customer_id FROM subscriptions WHERE id = $1`, [id]);
      if (!found) throw DomainError.notFound('Subscription', id);
      const account = (await lockAccount(manager, found.customer_id))!;
      const [row]: SubscriptionRow[] = await manager.query(`SELECT * FROM subscriptions WHERE id = $1 FOR UPDATE`, [id]);
      const unitPrice = update.unitPrice === undefined ? undefined : amountIn('unitPrice', update.unitPrice, account.currency);
      if (update.status === 'cancelled' && row.status === 'cancelled') throw new DomainError(DomainErrorCode.Conflict, `Subscription ${id} is already cancelled`);
      await manager.query(
        `UPDATE subscriptions SET offer_name = COALESCE($2, offer_name), quantity = COALESCE($3, quantity), unit_price = COALESCE($4, unit_price),
                status = COALESCE($5, status), updated_at = now() WHERE id = $1`,
        [id, update.offerName ?? null, update.quantity ?? null, unitPrice ?? null, update.status ?? null],
      );
      if (update.status) {
        await manager.query(
          `INSERT INTO subscription_status_changes (subscription_id, from_status, to_status, reason, suspension_id, actor_kind, actor_id) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [id, row.status, update.status, update.reason, row.status === 'suspended' ? row.suspension_id : null, actor.kind, actor.id],
        );
      }
      const changed = Object.fromEntries(Object.entries(update).filter(([, v]) => v !== undefined));
      await this.timeline.record(manager, row.customer_id, 'subscription_updated', actor, { subscriptionId: id, ...changed });
    });
    return this.get(principal, id);
  }
}

/** A decimal amount in `currency`, or a 400 naming `field`. */
export function amountIn(field: string, text: string, currency: string, options: { allowNegative?: boolean } = {}): number {
  try {
    return parseAmount(text, currency, options);
  } catch (error) {
    if (error instanceof MoneyError) throw DomainError.invalid(field, `${field} ${error.message}`);
    throw error;
  }
}
