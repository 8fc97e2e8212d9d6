import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/**
 * Which customers dispute an invoice right now: an open `billing` ticket naming one of the
 * customer's open invoices in its `disputedInvoice` field. A disputing customer is not suspended
 * while the dispute is open (the other steps still happen).
 *
 * The tickets are intake's; billing only reads them, through this one interface.
 */
export interface DisputeLookup {
  /** The disputed invoice numbers of each of `customerIds` that has any (others are absent). */
  openDisputes(manager: EntityManager, customerIds: readonly string[]): Promise<Map<string, string[]>>;
}

export const DISPUTE_LOOKUP = Symbol('DISPUTE_LOOKUP');

/** Reads `tickets.disputed_invoice` (the column billing's migration added; intake writes it). */
@Injectable()
export class TicketDisputeLookup implements DisputeLookup {
  async openDisputes(manager: EntityManager, customerIds: readonly string[]): Promise<Map<string, string[]>> {
    const disputes = new Map<string, string[]>();
    if (customerIds.length === 0) return disputes;
    const rows: Array<{ customer_id: string; numbers: string[] }> = await manager.query(
      `SELECT t.customer_id, array_agg(DISTINCT t.disputed_invoice ORDER BY t.disputed_invoice) AS numbers
         FROM tickets t
         JOIN invoices i ON i.number = t.disputed_invoice AND i.customer_id = t.customer_id AND i.status = 'open'
        WHERE t.customer_id = ANY($1::uuid[]) AND t.disputed_invoice IS NOT NULL
          AND t.category = 'billing' AND t.status NOT IN ('resolved', 'closed')
        GROUP BY t.customer_id`,
      [customerIds],
    );
    for (const row of rows) disputes.set(row.customer_id, row.numbers);
    return disputes;
  }
}
