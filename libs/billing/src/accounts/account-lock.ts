import { EntityManager } from 'typeorm';

export interface LockedAccount {
  customer_id: string;
  currency: string;
  locale: 'es' | 'en';
  paused_until: string | null;
}

/**
 * Locks billing accounts (in customer id order, so that lockers never deadlock). Every change that
 * can decide a suspension — a dunning batch, a payment, an invoice change, a provisioning delivery —
 * holds its customer's account lock, so that they happen one after the other for that customer.
 * NO KEY UPDATE: foreign-key checks of new invoices and subscriptions are not blocked by it.
 */
export async function lockAccounts(manager: EntityManager, customerIds: readonly string[]): Promise<LockedAccount[]> {
  if (customerIds.length === 0) return [];
  return manager.query(
    `SELECT customer_id, currency, locale, paused_until::text AS paused_until FROM billing_accounts
      WHERE customer_id = ANY($1::uuid[]) ORDER BY customer_id FOR NO KEY UPDATE`,
    [customerIds],
  );
}

export async function lockAccount(manager: EntityManager, customerId: string): Promise<LockedAccount | null> {
  const [row] = await lockAccounts(manager, [customerId]);
  return row ?? null;
}
