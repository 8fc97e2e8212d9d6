import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { actorOf, Principal } from '@helpdesk/auth';
import { decodeKeysetCursor, encodeKeysetCursor, OutboxService } from '@helpdesk/database';
import { DomainError, DomainErrorCode, FieldError } from '@helpdesk/http';
import { lockAccount } from '../accounts/account-lock';
import { assertSeesCustomer } from '../accounts/customer-scope';
import { BillingClock } from '../clock/billing-clock';
import { requestDeadlineChecks } from '../dunning/deadline-requests';
import { CollectionsPolicyService } from '../policy/collections-policy.service';
import { SuspensionsService } from '../suspensions/suspensions.service';
import { BillingTimeline } from '../timeline/billing-timeline.service';
import { draftInvoice, InvoiceDraft, InvoiceInput, planInvoice, SELECT_STORED_INVOICE, StoredInvoice } from './invoice-draft';
import { InvoiceRow, InvoiceStatus, InvoiceView, invoiceView, SELECT_INVOICE_DETAIL, SELECT_INVOICE_SUMMARY } from './invoice.view';
import { writeInvoices } from './invoice-writes';
import { retryOnNumberRace } from './number-race';

export interface InvoiceFilter {
  customerId?: string;
  status?: InvoiceStatus;
  overdue?: boolean;
  cursor?: string;
  limit?: number;
}

export interface InvoicePage {
  items: InvoiceView[];
  nextCursor: string | null;
}

/** Field errors as one problem: 400 for the shape of the input, 422 for what the records say. */
export function invalid(code: DomainErrorCode.Invalid | DomainErrorCode.Unprocessable, errors: FieldError[], extensions: Record<string, unknown> = {}): DomainError {
  return new DomainError(code, errors.map((e) => e.message).join('; '), { ...extensions, errors });
}

/**
 * The subscriptions invoice lines name that are not the invoice customer's: `[draft index, line index]`.
 */
export async function foreignSubscriptionLines(manager: EntityManager, drafts: readonly InvoiceDraft[]): Promise<Array<[number, number]>> {
  const ids = [...new Set(drafts.flatMap((d) => d.lines.map((l) => l.subscriptionId).filter((id): id is string => id !== null)))];
  if (ids.length === 0) return [];
  const rows: Array<{ id: string; customer_id: string }> = await manager.query(`SELECT id, customer_id FROM subscriptions WHERE id = ANY($1::uuid[])`, [ids]);
  const owner = new Map(rows.map((r) => [r.id, r.customer_id]));
  const bad: Array<[number, number]> = [];
  drafts.forEach((d, i) => d.lines.forEach((l, j) => l.subscriptionId !== null && owner.get(l.subscriptionId) !== d.customerId && bad.push([i, j])));
  return bad;
}

/** Invoices: idempotent upsert by number, reads scoped to the caller. */
@Injectable()
export class InvoicesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly timeline: BillingTimeline,
    private readonly suspensions: SuspensionsService,
    private readonly policy: CollectionsPolicyService,
    private readonly outbox: OutboxService,
    private readonly clock: BillingClock,
  ) {}

  /**
   * Stores invoice `number`: created (true), the same again (false, nothing written), or changed
   * (false). A change a payment forbids is a 409; a change that clears what a collections
   * suspension waits for restores it in the same transaction.
   */
  async put(principal: Principal, number: string, input: InvoiceInput): Promise<{ invoice: InvoiceView; created: boolean }> {
    const { draft, problems } = draftInvoice(number, input);
    if (!draft) throw invalid(DomainErrorCode.Invalid, problems);
    const actor = actorOf(principal);
    const created = await retryOnNumberRace(() => this.dataSource.transaction(async (manager) => {
      const account = await lockAccount(manager, draft.customerId);
      if (!account) throw invalid(DomainErrorCode.Unprocessable, [{ field: 'customerId', message: `customer ${draft.customerId} has no billing account` }]);
      if (account.currency !== draft.currency) {
        throw invalid(DomainErrorCode.Unprocessable, [{ field: 'currency', message: `currency must be the billing account's currency, ${account.currency}` }]);
      }
      const foreign = await foreignSubscriptionLines(manager, [draft]);
      if (foreign.length > 0) {
        throw invalid(
          DomainErrorCode.Unprocessable,
          foreign.map(([, line]) => ({ field: `lines.${line}.subscriptionId`, message: `lines.${line}.subscriptionId is not a subscription of customer ${draft.customerId}` })),
        );
      }
      const [stored]: StoredInvoice[] = await manager.query(`${SELECT_STORED_INVOICE} WHERE i.number = $1 FOR UPDATE OF i`, [number]);
      const plan = planInvoice(stored ?? null, draft);
      if (plan.kind === 'conflict') throw new DomainError(DomainErrorCode.Conflict, plan.message);
      if (plan.kind === 'unchanged') return false;
      await writeInvoices(manager, this.timeline, [{ draft, stored: stored ?? null, changes: plan.kind === 'update' ? plan.changes : undefined }], actor, this.clock.now());
      if (plan.kind === 'update') await this.suspensions.settle(manager, draft.customerId, { trigger: 'invoice_change', reason: `invoice ${number} changed`, actor });
      await requestDeadlineChecks(manager, [draft.customerId]);
      return plan.kind === 'create';
    }));
    this.outbox.wakeRelays();
    return { invoice: await this.get(principal, number), created };
  }

  async get(principal: Principal, number: string): Promise<InvoiceView> {
    const [row]: InvoiceRow[] = await this.dataSource.query(`${SELECT_INVOICE_DETAIL} WHERE i.number = $1`, [number]);
    if (!row) throw DomainError.notFound('Invoice', number);
    assertSeesCustomer(principal, row.customer_id, 'Invoice', number);
    return invoiceView(row, await this.policy.today());
  }

  /** Newest first, keyset pagination; a customer token lists its own invoices only. */
  async list(principal: Principal, filter: InvoiceFilter): Promise<InvoicePage> {
    const customerId = principal.kind === 'customer' ? principal.customerId : filter.customerId;
    if (principal.kind === 'customer' && filter.customerId !== undefined) assertSeesCustomer(principal, filter.customerId);
    const today = await this.policy.today();
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (customerId) add('i.customer_id = ?', customerId);
    if (filter.status) add('i.status = ?', filter.status);
    if (filter.overdue === true) add(`i.status = 'open' AND i.due_on < ?::date`, today);
    if (filter.overdue === false) add(`NOT (i.status = 'open' AND i.due_on < ?::date)`, today);
    if (filter.cursor) add('i.seq < ?', decodeKeysetCursor(filter.cursor));
    const limit = filter.limit ?? 50;
    params.push(limit + 1);
    const rows: InvoiceRow[] = await this.dataSource.query(
      `${SELECT_INVOICE_SUMMARY} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY i.seq DESC LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, limit);
    return { items: page.map((r) => invoiceView(r, today)), nextCursor: rows.length > limit ? encodeKeysetCursor(page[page.length - 1].seq) : null };
  }
}
