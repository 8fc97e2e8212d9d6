import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { Actor } from '@helpdesk/auth';
import { formatAmount } from '../money/money';
import { BillingTimeline } from '../timeline/billing-timeline.service';
import { InvoiceDraft, StoredInvoice } from './invoice-draft';

export interface InvoiceWrite {
  draft: InvoiceDraft;
  /** The stored invoice it replaces (null: a new one). */
  stored: StoredInvoice | null;
  changes?: string[];
}

/** Rows per statement: keeps each statement's parameters a few MB at most. */
const CHUNK = 10_000;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/** The columns a draft sets, one array each, in the order both statements take them: issued_on, due_on, currency, total, void. */
const draftColumns = (part: readonly InvoiceWrite[]): unknown[][] => [
  part.map((w) => w.draft.issuedOn),
  part.map((w) => w.draft.dueOn),
  part.map((w) => w.draft.currency),
  part.map((w) => w.draft.total),
  part.map((w) => w.draft.void),
];

/**
 * Creates and updates invoices with their lines and timeline events, set-based, in the caller's
 * transaction (one invoice from a PUT, or a whole CSV). Returns the id of each written number.
 */
export async function writeInvoices(manager: EntityManager, timeline: BillingTimeline, writes: readonly InvoiceWrite[], actor: Actor, at: Date): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  const creates = writes.filter((w) => w.stored === null);
  const updates = writes.filter((w) => w.stored !== null);
  for (const w of writes) ids.set(w.draft.number, w.stored?.id ?? randomUUID());

  for (const part of chunks(creates)) {
    await manager.query(
      `INSERT INTO invoices (id, number, customer_id, issued_on, due_on, currency, total, status, created_at, updated_at)
       SELECT id, number, customer_id, issued_on, due_on, currency, total, CASE WHEN void THEN 'void' ELSE 'open' END, $9, $9
         FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::date[], $5::date[], $6::text[], $7::bigint[], $8::boolean[])
              AS n(id, number, customer_id, issued_on, due_on, currency, total, void)`,
      [
        part.map((w) => ids.get(w.draft.number)),
        part.map((w) => w.draft.number),
        part.map((w) => w.draft.customerId),
        ...draftColumns(part),
        at,
      ],
    );
  }
  for (const part of chunks(updates)) {
    await manager.query(
      `UPDATE invoices i
          SET issued_on = u.issued_on, due_on = u.due_on, currency = u.currency, total = u.total,
              status = CASE WHEN u.void THEN 'void' WHEN i.paid = u.total THEN 'paid' ELSE 'open' END,
              paid_at = CASE WHEN NOT u.void AND i.paid = u.total THEN COALESCE(i.paid_at, $7) END,
              updated_at = $7
         FROM unnest($1::uuid[], $2::date[], $3::date[], $4::text[], $5::bigint[], $6::boolean[]) AS u(id, issued_on, due_on, currency, total, void)
        WHERE i.id = u.id`,
      [
        part.map((w) => w.stored!.id),
        ...draftColumns(part),
        at,
      ],
    );
    await manager.query(`DELETE FROM invoice_lines WHERE invoice_id = ANY($1::uuid[])`, [part.map((w) => w.stored!.id)]);
  }
  const lines = writes.flatMap((w) => w.draft.lines.map((l, position) => ({ invoiceId: ids.get(w.draft.number)!, position, ...l })));
  for (const part of chunks(lines)) {
    await manager.query(
      `INSERT INTO invoice_lines (invoice_id, position, description, amount, subscription_id)
       SELECT * FROM unnest($1::uuid[], $2::int[], $3::text[], $4::bigint[], $5::uuid[])`,
      [part.map((l) => l.invoiceId), part.map((l) => l.position), part.map((l) => l.description), part.map((l) => l.amount), part.map((l) => l.subscriptionId)],
    );
  }
  for (const part of chunks(writes)) {
    await timeline.recordMany(
      manager,
      part.map((w) => ({
        customerId: w.draft.customerId,
        type: w.stored ? ('invoice_updated' as const) : ('invoice_created' as const),
        data: {
          invoiceId: ids.get(w.draft.number),
          number: w.draft.number,
          total: formatAmount(w.draft.total, w.draft.currency),
          currency: w.draft.currency,
          dueOn: w.draft.dueOn,
          ...(w.draft.void ? { status: 'void' } : {}),
          ...(w.changes ? { changes: w.changes } : {}),
        },
      })),
      actor,
      at,
    );
  }
  return ids;
}
