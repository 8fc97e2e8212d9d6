import { MoneyView, moneyView } from '../money/money';
import { Product } from '../policy/collections-policy';

export const SUBSCRIPTION_STATUSES = ['active', 'suspended', 'cancelled'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

export interface SubscriptionRow {
  id: string;
  customer_id: string;
  product: Product;
  vendor_subscription_id: string;
  tenant_id: string;
  offer_name: string;
  quantity: number;
  unit_price: string;
  status: SubscriptionStatus;
  suspension_id: string | null;
  suspension_origin?: 'collections' | 'manual' | null;
  currency: string;
  created_at: Date;
  updated_at: Date;
}

export interface SubscriptionView {
  id: string;
  customerId: string;
  product: Product;
  vendorSubscriptionId: string;
  tenantId: string;
  offerName: string;
  quantity: number;
  unitPrice: MoneyView;
  status: SubscriptionStatus;
  /** While suspended: the suspension holding it, and whether collections or a person made it. */
  suspension: { id: string; origin: 'collections' | 'manual' } | null;
  createdAt: string;
  updatedAt: string;
}

export const SELECT_SUBSCRIPTION = `
  SELECT s.*, a.currency,
         CASE WHEN s.status = 'suspended' THEN (SELECT origin FROM billing_suspensions b WHERE b.id = s.suspension_id) END AS suspension_origin
    FROM subscriptions s JOIN billing_accounts a ON a.customer_id = s.customer_id`;

export function subscriptionView(r: SubscriptionRow): SubscriptionView {
  return {
    id: r.id,
    customerId: r.customer_id,
    product: r.product,
    vendorSubscriptionId: r.vendor_subscription_id,
    tenantId: r.tenant_id,
    offerName: r.offer_name,
    quantity: r.quantity,
    unitPrice: moneyView(r.unit_price, r.currency),
    status: r.status,
    suspension: r.status === 'suspended' && r.suspension_id ? { id: r.suspension_id, origin: r.suspension_origin ?? 'manual' } : null,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}
