import { EntityManager } from 'typeorm';
import { QueueName } from '@helpdesk/queue';
import { enqueueMany } from '../outbox-rows';
import { LocalDate } from '../calendar/partner-calendar';
import { Product } from '../policy/collections-policy';
import { Locale } from '../policy/policy-text';
import { NoticeKind } from './notice-text';

/** A customer-visible notice as `billing_notices` keeps it. */
export interface NoticeRow {
  id: string;
  customer_id: string;
  kind: NoticeKind;
  invoice_numbers: string[];
  amount_due: number;
  currency: string;
  policy_version: number;
  step: number;
  locale: Locale;
  /** suspension and restoration notices: the suspension they tell of, and the products it held. */
  suspension_id?: string | null;
  products?: Product[] | null;
  /** The oldest due date of its invoices; a final notice: the first date its suspension may be applied. */
  due_on?: LocalDate | null;
  suspend_on?: LocalDate | null;
}

/**
 * Records notices and hands them to the e-mail channel, in the caller's transaction (the change
 * they tell of): one `notifications` job for all of them (job id `notices-<first id>`, as unique
 * as the notice), which mails each once per recipient.
 */
export async function insertNotices(manager: EntityManager, rows: readonly NoticeRow[], at: Date): Promise<void> {
  if (rows.length === 0) return;
  await manager.query(
    `INSERT INTO billing_notices (id, customer_id, kind, invoice_numbers, amount_due, currency, policy_version, step, locale, suspension_id, products, due_on, suspend_on, created_at)
     SELECT n.id, n.customer_id, n.kind, n.invoice_numbers, n.amount_due, n.currency, n.policy_version, n.step, n.locale, n.suspension_id, n.products, n.due_on, n.suspend_on, $2
       FROM jsonb_to_recordset($1::jsonb) AS n(id uuid, customer_id uuid, kind text, invoice_numbers text[], amount_due bigint, currency text,
                                               policy_version int, step int, locale text, suspension_id uuid, products text[], due_on date, suspend_on date)`,
    [JSON.stringify(rows.map((r) => ({ ...r, suspension_id: r.suspension_id ?? null, products: r.products ?? null, due_on: r.due_on ?? null, suspend_on: r.suspend_on ?? null }))), at],
  );
  await enqueueMany(manager, QueueName.Notifications, [{ jobId: `notices-${rows[0].id}`, payload: { kind: 'billing_notices', noticeIds: rows.map((n) => n.id) } }]);
}
