import { isLocalDate, LocalDate } from '../calendar/partner-calendar';
import { isCurrency, Minor, MoneyError, parseAmount, sum } from '../money/money';
import { FieldProblem } from '../policy/collections-policy';
import type { InvoiceRow } from './invoice.view';

/** An invoice as sent (PUT body, or the rows of one number in a CSV). */
export interface InvoiceInput {
  customerId: string;
  issuedOn: string;
  dueOn: string;
  currency: string;
  status?: 'open' | 'void';
  /** When sent, must equal the sum of the lines. */
  total?: string;
  lines: Array<{ description: string; amount: string; subscriptionId?: string | null }>;
}

/** The same invoice in minor units, checked. */
export interface InvoiceDraft {
  number: string;
  customerId: string;
  issuedOn: LocalDate;
  dueOn: LocalDate;
  currency: string;
  void: boolean;
  total: Minor;
  lines: Array<{ description: string; amount: Minor; subscriptionId: string | null }>;
}

/** An invoice as stored, with what its change rules need. */
export type StoredInvoice = Pick<InvoiceRow, 'id' | 'number' | 'customer_id' | 'issued_on' | 'due_on' | 'currency' | 'total' | 'paid' | 'status'> & {
  lines: Array<{ description: string; amount: string; subscription_id: string | null }>;
};

export const SELECT_STORED_INVOICE = `
  SELECT i.id, i.number, i.customer_id, i.issued_on::text AS issued_on, i.due_on::text AS due_on, i.currency, i.total, i.paid, i.status,
         COALESCE((SELECT json_agg(json_build_object('description', l.description, 'amount', l.amount, 'subscription_id', l.subscription_id) ORDER BY l.position)
                     FROM invoice_lines l WHERE l.invoice_id = i.id), '[]') AS lines
    FROM invoices i`;

/**
 * Checks an invoice's fields together (dates in order, amounts in the currency's decimals, lines
 * adding up to a positive total that matches `total` when sent) and converts it to minor units.
 * `at(field)` names a field for the problems (`lines.0.amount`, or a CSV row's column).
 */
export function draftInvoice(number: string, input: InvoiceInput, at: (field: string) => string = (f) => f): { draft: InvoiceDraft | null; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const problem = (field: string, message: string) => problems.push({ field: at(field), message: `${at(field)} ${message}` });
  if (!isLocalDate(input.issuedOn)) problem('issuedOn', 'must be a date written YYYY-MM-DD');
  if (!isLocalDate(input.dueOn)) problem('dueOn', 'must be a date written YYYY-MM-DD');
  else if (isLocalDate(input.issuedOn) && input.dueOn < input.issuedOn) problem('dueOn', 'must not be before issuedOn');
  const currencyOk = isCurrency(input.currency);
  if (!currencyOk) problem('currency', 'must be an ISO 4217 code such as EUR');
  const lines: InvoiceDraft['lines'] = [];
  input.lines.forEach((line, i) => {
    if (!currencyOk) return;
    try {
      lines.push({ description: line.description, amount: parseAmount(line.amount, input.currency, { allowNegative: true }), subscriptionId: line.subscriptionId ?? null });
    } catch (error) {
      if (!(error instanceof MoneyError)) throw error;
      problem(`lines.${i}.amount`, error.message);
    }
  });
  if (problems.length > 0) return { draft: null, problems };
  const total = sum(lines.map((l) => l.amount), input.currency);
  if (total <= 0) problem('lines', 'must add up to more than zero');
  if (input.total !== undefined) {
    try {
      if (parseAmount(input.total, input.currency) !== total) problem('total', 'must equal the sum of the lines');
    } catch (error) {
      if (!(error instanceof MoneyError)) throw error;
      problem('total', error.message);
    }
  }
  if (problems.length > 0) return { draft: null, problems };
  return {
    draft: { number, customerId: input.customerId, issuedOn: input.issuedOn, dueOn: input.dueOn, currency: input.currency, void: input.status === 'void', total, lines },
    problems,
  };
}

export type InvoicePlan = { kind: 'create' } | { kind: 'unchanged' } | { kind: 'update'; changes: string[] } | { kind: 'conflict'; message: string };

/**
 * What storing `draft` over `stored` means: nothing (the same invoice again), an update, or a
 * conflict — another customer's number, or a change a recorded payment forbids (a paid invoice's
 * total or currency, voiding a paid or partly paid one, a total below what was paid).
 */
export function planInvoice(stored: StoredInvoice | null, draft: InvoiceDraft): InvoicePlan {
  if (!stored) return { kind: 'create' };
  if (stored.customer_id !== draft.customerId) return { kind: 'conflict', message: `invoice ${draft.number} belongs to another customer` };
  const changes: string[] = [];
  if (stored.issued_on !== draft.issuedOn) changes.push('issuedOn');
  if (stored.due_on !== draft.dueOn) changes.push('dueOn');
  if (stored.currency !== draft.currency) changes.push('currency');
  if (Number(stored.total) !== draft.total) changes.push('total');
  const sameLines =
    stored.lines.length === draft.lines.length &&
    stored.lines.every((l, i) => l.description === draft.lines[i].description && Number(l.amount) === draft.lines[i].amount && l.subscription_id === draft.lines[i].subscriptionId);
  if (!sameLines) changes.push('lines');
  if ((stored.status === 'void') !== draft.void) changes.push('status');
  if (changes.length === 0) return { kind: 'unchanged' };
  const paid = Number(stored.paid);
  if (stored.status === 'paid' && (changes.includes('total') || changes.includes('currency'))) {
    return { kind: 'conflict', message: `invoice ${draft.number} is paid: its total and currency can no longer change` };
  }
  if (paid > 0 && draft.void) return { kind: 'conflict', message: `invoice ${draft.number} has payments recorded and cannot be voided` };
  if (paid > 0 && changes.includes('currency')) return { kind: 'conflict', message: `invoice ${draft.number} has payments recorded in ${stored.currency}` };
  if (draft.total < paid) return { kind: 'conflict', message: `invoice ${draft.number} has ${paid} minor units paid, more than the new total` };
  return { kind: 'update', changes };
}
