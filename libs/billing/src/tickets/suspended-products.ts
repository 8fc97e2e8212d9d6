import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/** A suspension in force that holds some of a customer's subscriptions of a product suspended. */
export interface ProductHold {
  suspensionId: string;
  /** `collections`: dunning suspended it for non-payment; `manual`: billing_admin did, with a reason. */
  origin: 'collections' | 'manual';
  reason: string;
  since: string;
}

/**
 * Whether the partner has suspended a customer's product: what escalation asks before sending a
 * technical case about it to the vendor (the customer cannot use what the partner switched off, so
 * the vendor cannot help). Read-only; other contexts call it, never billing's tables.
 */
@Injectable()
export class SuspendedProducts {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The suspensions in force holding `product` of `customerId` suspended, oldest first (none: not suspended). */
  async holds(customerId: string, product: string, manager: EntityManager = this.dataSource.manager): Promise<ProductHold[]> {
    const rows: Array<{ id: string; origin: ProductHold['origin']; reason: string; created_at: Date }> = await manager.query(
      `SELECT DISTINCT b.id, b.origin, b.reason, b.created_at
         FROM subscriptions s JOIN billing_suspensions b ON b.id = s.suspension_id
        WHERE s.customer_id = $1 AND s.product = $2 AND s.status = 'suspended' AND b.status = 'active'
        ORDER BY b.created_at, b.id`,
      [customerId, product],
    );
    return rows.map((r) => ({ suspensionId: r.id, origin: r.origin, reason: r.reason, since: new Date(r.created_at).toISOString() }));
  }
}
