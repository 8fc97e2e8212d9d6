import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '@helpdesk/auth';
import { decodeKeysetCursor, encodeKeysetCursor } from '@helpdesk/database';

/** Everything that happens to a customer's billing relationship, in order. */
export type BillingEventType =
  | 'account_created'
  | 'account_updated'
  | 'subscription_added'
  | 'subscription_updated'
  | 'invoice_created'
  | 'invoice_updated'
  | 'payment_recorded'
  | 'invoice_paid'
  | 'notice_sent'
  | 'suspension_created'
  | 'suspension_delivered'
  | 'suspension_confirmed'
  | 'suspension_delivery_failed'
  | 'suspension_cancelled'
  | 'subscriptions_restored'
  | 'restore_delivered'
  | 'restore_confirmed'
  | 'restore_delivery_failed'
  | 'provisioning_retried'
  | 'suspend_step_without_subscriptions'
  | 'dunning_step_held'
  | 'dunning_paused'
  | 'dunning_resumed';

export interface BillingEvent {
  id: string;
  type: BillingEventType;
  actor: Actor;
  data: Record<string, unknown>;
  at: string;
}

export interface BillingEventPage {
  items: BillingEvent[];
  nextCursor: string | null;
}

export interface NewBillingEvent {
  customerId: string;
  type: BillingEventType;
  data: Record<string, unknown>;
}

/** The billing timeline of each customer. Written inside the caller's transaction, always. */
@Injectable()
export class BillingTimeline {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async record(manager: EntityManager, customerId: string, type: BillingEventType, actor: Actor, data: Record<string, unknown> = {}, at?: Date): Promise<void> {
    await this.recordMany(manager, [{ customerId, type, data }], actor, at);
  }

  /** Many events by one actor in one statement (dunning batches, imports). */
  async recordMany(manager: EntityManager, events: readonly NewBillingEvent[], actor: Actor, at?: Date): Promise<void> {
    if (events.length === 0) return;
    await manager.query(
      `INSERT INTO billing_events (customer_id, type, actor_kind, actor_id, data, at)
       SELECT e.customer_id, e.type, $2, $3, e.data, COALESCE($4, now())
         FROM jsonb_to_recordset($1::jsonb) AS e(customer_id uuid, type text, data jsonb)`,
      [JSON.stringify(events.map((e) => ({ customer_id: e.customerId, type: e.type, data: e.data }))), actor.kind, actor.id, at ?? null],
    );
  }

  /** Oldest first, keyset-paginated. */
  async list(customerId: string, page: { cursor?: string; limit?: number } = {}): Promise<BillingEventPage> {
    const limit = page.limit ?? 100;
    const after = page.cursor ? decodeKeysetCursor(page.cursor) : '0';
    const rows: Array<{ id: string; type: BillingEventType; actor_kind: Actor['kind']; actor_id: string | null; data: Record<string, unknown>; at: Date }> =
      await this.dataSource.query(
        `SELECT id, type, actor_kind, actor_id, data, at FROM billing_events WHERE customer_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
        [customerId, after, limit + 1],
      );
    const items = rows.slice(0, limit).map((r) => ({ id: r.id, type: r.type, actor: { kind: r.actor_kind, id: r.actor_id }, data: r.data, at: new Date(r.at).toISOString() }));
    return { items, nextCursor: rows.length > limit ? encodeKeysetCursor(items[items.length - 1].id) : null };
  }
}
