import { Actor } from '@helpdesk/auth';
import { daysBetween, LocalDate } from '../calendar/partner-calendar';
import { MoneyView, moneyView } from '../money/money';
import { DunningAction } from '../policy/collections-policy';

export type InvoiceStatus = 'open' | 'paid' | 'void';

export interface InvoiceRow {
  id: string;
  seq: string;
  number: string;
  customer_id: string;
  issued_on: LocalDate;
  due_on: LocalDate;
  currency: string;
  total: string;
  paid: string;
  status: InvoiceStatus;
  paid_at: Date | null;
  created_at: Date;
  updated_at: Date;
  lines?: Array<{ position: number; description: string; amount: string; subscription_id: string | null }>;
  payments?: Array<{ id: string; amount: string; paid_on: string; reference: string; recorded_at: string; actor_kind: Actor['kind']; actor_id: string | null }>;
  dunning?: Array<{ action: DunningAction; policy_version: number; step: number; due_on: string; applied_at: string; applied_on: string | null; outcome: 'applied' | 'superseded' }>;
}

export interface InvoiceView {
  id: string;
  number: string;
  customerId: string;
  issuedOn: LocalDate;
  dueOn: LocalDate;
  currency: string;
  total: MoneyView;
  paid: MoneyView;
  balance: MoneyView;
  status: InvoiceStatus;
  /** Open and past its due date (partner's calendar). */
  overdue: boolean;
  daysOverdue: number;
  lines?: Array<{ position: number; description: string; amount: MoneyView; subscriptionId: string | null }>;
  payments?: Array<{ id: string; amount: MoneyView; paidOn: LocalDate; reference: string; recordedAt: string; recordedBy: Actor }>;
  /** The collections steps applied to it (each once). */
  dunning?: Array<{ action: DunningAction; policyVersion: number; step: number; dueOn: LocalDate; appliedAt: string; appliedOn: LocalDate | null; outcome: 'applied' | 'superseded' }>;
  paidAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export const SELECT_INVOICE_DETAIL = `
  SELECT i.id, i.seq, i.number, i.customer_id, i.issued_on::text AS issued_on, i.due_on::text AS due_on, i.currency, i.total, i.paid, i.status,
         i.paid_at, i.created_at, i.updated_at,
         COALESCE((SELECT json_agg(json_build_object('position', l.position, 'description', l.description, 'amount', l.amount::text, 'subscription_id', l.subscription_id) ORDER BY l.position)
                     FROM invoice_lines l WHERE l.invoice_id = i.id), '[]') AS lines,
         COALESCE((SELECT json_agg(json_build_object('id', p.id, 'amount', p.amount::text, 'paid_on', p.paid_on, 'reference', p.reference, 'recorded_at', p.recorded_at,
                                                     'actor_kind', p.actor_kind, 'actor_id', p.actor_id) ORDER BY p.recorded_at, p.id)
                     FROM invoice_payments p WHERE p.invoice_id = i.id), '[]') AS payments,
         COALESCE((SELECT json_agg(json_build_object('action', d.action, 'policy_version', d.policy_version, 'step', d.step, 'due_on', d.due_on, 'applied_at', d.applied_at, 'applied_on', d.applied_on, 'outcome', d.outcome)
                                   ORDER BY d.applied_at, d.policy_version, d.step)
                     FROM dunning_actions d WHERE d.invoice_id = i.id), '[]') AS dunning
    FROM invoices i`;

export const SELECT_INVOICE_SUMMARY = `
  SELECT i.id, i.seq, i.number, i.customer_id, i.issued_on::text AS issued_on, i.due_on::text AS due_on, i.currency, i.total, i.paid, i.status,
         i.paid_at, i.created_at, i.updated_at
    FROM invoices i`;

export function invoiceView(r: InvoiceRow, today: LocalDate): InvoiceView {
  const overdue = r.status === 'open' && r.due_on < today;
  return {
    id: r.id,
    number: r.number,
    customerId: r.customer_id,
    issuedOn: r.issued_on,
    dueOn: r.due_on,
    currency: r.currency,
    total: moneyView(r.total, r.currency),
    paid: moneyView(r.paid, r.currency),
    balance: moneyView(r.status === 'void' ? 0 : Number(r.total) - Number(r.paid), r.currency),
    status: r.status,
    overdue,
    daysOverdue: overdue ? daysBetween(r.due_on, today) : 0,
    ...(r.lines
      ? { lines: r.lines.map((l) => ({ position: l.position, description: l.description, amount: moneyView(l.amount, r.currency), subscriptionId: l.subscription_id })) }
      : {}),
    ...(r.payments
      ? {
          payments: r.payments.map((p) => ({
            id: p.id,
            amount: moneyView(p.amount, r.currency),
            paidOn: p.paid_on,
            reference: p.reference,
            recordedAt: new Date(p.recorded_at).toISOString(),
            recordedBy: { kind: p.actor_kind, id: p.actor_id },
          })),
        }
      : {}),
    ...(r.dunning
      ? { dunning: r.dunning.map((d) => ({ action: d.action, policyVersion: d.policy_version, step: d.step, dueOn: d.due_on, appliedAt: new Date(d.applied_at).toISOString(), appliedOn: d.applied_on, outcome: d.outcome })) }
      : {}),
    paidAt: r.paid_at ? new Date(r.paid_at).toISOString() : null,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}
