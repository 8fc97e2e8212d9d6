import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '@helpdesk/audit';
import { actorOf, Principal } from '@helpdesk/auth';
import { OutboxService } from '@helpdesk/database';
import { DomainError, DomainErrorCode } from '@helpdesk/http';
import { LocalDate } from '../calendar/partner-calendar';
import { BillingClock } from '../clock/billing-clock';
import { requestDeadlineChecks } from '../dunning/deadline-requests';
import { InvoiceRow, InvoiceView, invoiceView, SELECT_INVOICE_SUMMARY } from '../invoices/invoice.view';
import { MoneyView, moneyView } from '../money/money';
import { NoticeKind, noticeText } from '../notices/notice-text';
import { Product } from '../policy/collections-policy';
import { CollectionsPolicyService } from '../policy/collections-policy.service';
import { Locale } from '../policy/policy-text';
import { SubscriptionRow, SubscriptionView, subscriptionView, SELECT_SUBSCRIPTION } from '../subscriptions/subscription.view';
import { SELECT_SUSPENSION, SuspensionRow, SuspensionView, suspensionView } from '../suspensions/suspension.view';
import { BillingTimeline } from '../timeline/billing-timeline.service';
import { lockAccount } from './account-lock';
import { BillingStatus, BillingStatusService } from './billing-status';
import { assertSeesCustomer } from './customer-scope';

export interface AccountInput {
  currency: string;
  paymentTermsDays: number;
  contact: { name: string; email: string };
  locale: Locale;
}

export interface AccountView {
  customerId: string;
  customerName: string;
  currency: string;
  paymentTermsDays: number;
  contact: { name: string; email: string };
  locale: Locale;
  status: BillingStatus;
  dunningPause: { until: LocalDate; reason: string } | null;
  subscriptions: SubscriptionView[];
  openInvoices: InvoiceView[];
  activeSuspensions: SuspensionView[];
  createdAt: string;
  updatedAt: string;
}

export interface NoticeView {
  id: string;
  kind: NoticeKind;
  invoices: string[];
  amountDue: MoneyView;
  locale: Locale;
  /** The oldest due date of its invoices (null on notices from before it was recorded). */
  dueOn: string | null;
  /** A final notice: the first date its suspension may be applied. */
  suspendOn: string | null;
  subject: string;
  body: string;
  createdAt: string;
}

interface AccountRow {
  customer_id: string;
  customer_name: string;
  currency: string;
  payment_terms_days: number;
  contact_name: string;
  contact_email: string;
  locale: Locale;
  paused_until: LocalDate | null;
  pause_reason: string | null;
  created_at: Date;
  updated_at: Date;
}

/** Billing accounts: their settings, the account view, dunning pauses, notices and timeline. */
@Injectable()
export class BillingAccountsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly timeline: BillingTimeline,
    private readonly status: BillingStatusService,
    private readonly policy: CollectionsPolicyService,
    private readonly outbox: OutboxService,
    private readonly clock: BillingClock,
    private readonly audit: AuditService,
  ) {}

  /** Creates (true) or replaces the account; the currency is fixed once invoices or subscriptions exist. */
  async put(principal: Principal, customerId: string, input: AccountInput): Promise<{ account: AccountView; created: boolean }> {
    const actor = actorOf(principal);
    const created = await this.dataSource.transaction(async (manager) => {
      const [customer] = await manager.query(`SELECT 1 FROM customers WHERE id = $1`, [customerId]);
      if (!customer) throw DomainError.notFound('Customer', customerId);
      const existing = await lockAccount(manager, customerId);
      const values = [customerId, input.currency, input.paymentTermsDays, input.contact.name, input.contact.email, input.locale];
      if (!existing) {
        await manager.query(
          `INSERT INTO billing_accounts (customer_id, currency, payment_terms_days, contact_name, contact_email, locale) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (customer_id) DO NOTHING`,
          values,
        );
        await this.timeline.record(manager, customerId, 'account_created', actor, { ...input });
        return true;
      }
      if (existing.currency !== input.currency) {
        const [used] = await manager.query(`SELECT 1 FROM invoices WHERE customer_id = $1 UNION ALL SELECT 1 FROM subscriptions WHERE customer_id = $1 LIMIT 1`, [customerId]);
        if (used) throw new DomainError(DomainErrorCode.Conflict, `The account's currency is ${existing.currency}: it has invoices or subscriptions, so it cannot change`);
      }
      await manager.query(
        `UPDATE billing_accounts SET currency = $2, payment_terms_days = $3, contact_name = $4, contact_email = $5, locale = $6, updated_at = now() WHERE customer_id = $1`,
        values,
      );
      await this.timeline.record(manager, customerId, 'account_updated', actor, { ...input });
      return false;
    });
    return { account: await this.view(principal, customerId), created };
  }

  /** The account view: settings, status, inventory, open invoices, suspensions in force. */
  async view(principal: Principal, customerId: string): Promise<AccountView> {
    assertSeesCustomer(principal, customerId);
    const [row]: AccountRow[] = await this.dataSource.query(
      `SELECT a.*, a.paused_until::text AS paused_until, c.name AS customer_name FROM billing_accounts a JOIN customers c ON c.id = a.customer_id WHERE a.customer_id = $1`,
      [customerId],
    );
    if (!row) throw DomainError.notFound('Billing account', customerId);
    const today = await this.policy.today();
    const [status, subscriptions, invoices, suspensions] = await Promise.all([
      this.status.status(customerId),
      this.dataSource.query(`${SELECT_SUBSCRIPTION} WHERE s.customer_id = $1 ORDER BY s.created_at, s.id`, [customerId]) as Promise<SubscriptionRow[]>,
      this.dataSource.query(`${SELECT_INVOICE_SUMMARY} WHERE i.customer_id = $1 AND i.status = 'open' ORDER BY i.due_on, i.number LIMIT 200`, [customerId]) as Promise<InvoiceRow[]>,
      this.dataSource.query(`${SELECT_SUSPENSION} WHERE s.customer_id = $1 AND s.status = 'active' ORDER BY s.created_at`, [customerId]) as Promise<SuspensionRow[]>,
    ]);
    return {
      customerId,
      customerName: row.customer_name,
      currency: row.currency,
      paymentTermsDays: row.payment_terms_days,
      contact: { name: row.contact_name, email: row.contact_email },
      locale: row.locale,
      status: status!,
      dunningPause: row.paused_until && row.paused_until >= today ? { until: row.paused_until, reason: row.pause_reason! } : null,
      subscriptions: subscriptions.map(subscriptionView),
      openInvoices: invoices.map((i) => invoiceView(i, today)),
      activeSuspensions: suspensions.map((s) => suspensionView(s)),
      createdAt: new Date(row.created_at).toISOString(),
      updatedAt: new Date(row.updated_at).toISOString(),
    };
  }

  /** No dunning step for this customer until `until` (inclusive); the steps due meanwhile come the day after. */
  async pause(principal: Principal, customerId: string, input: { reason: string; until: LocalDate }): Promise<AccountView> {
    const today = await this.policy.today();
    if (input.until < today) throw DomainError.invalid('until', `until must not be before today (${today})`);
    const actor = actorOf(principal);
    await this.dataSource.transaction(async (manager) => {
      if (!(await lockAccount(manager, customerId))) throw DomainError.notFound('Billing account', customerId);
      await manager.query(`UPDATE billing_accounts SET paused_until = $2, pause_reason = $3, updated_at = now() WHERE customer_id = $1`, [customerId, input.until, input.reason]);
      await this.timeline.record(manager, customerId, 'dunning_paused', actor, { until: input.until, reason: input.reason }, this.clock.now());
      await this.audit.record(manager, { entity: 'dunning_pause', entityId: customerId, action: 'paused', before: null, after: { until: input.until, reason: input.reason } });
      await requestDeadlineChecks(manager, [customerId]);
    });
    this.outbox.wakeRelays();
    return this.view(principal, customerId);
  }

  /** Ends a pause early: what fell due meanwhile is applied now. */
  async resume(principal: Principal, customerId: string): Promise<AccountView> {
    const actor = actorOf(principal);
    const today = await this.policy.today();
    await this.dataSource.transaction(async (manager) => {
      const account = await lockAccount(manager, customerId);
      if (!account) throw DomainError.notFound('Billing account', customerId);
      if (account.paused_until === null || account.paused_until < today) throw new DomainError(DomainErrorCode.Conflict, `Dunning is not paused for customer ${customerId}`);
      await manager.query(`UPDATE billing_accounts SET paused_until = NULL, pause_reason = NULL, updated_at = now() WHERE customer_id = $1`, [customerId]);
      await this.timeline.record(manager, customerId, 'dunning_resumed', actor, {}, this.clock.now());
      await this.audit.record(manager, {
        entity: 'dunning_pause',
        entityId: customerId,
        action: 'ended',
        before: { until: account.paused_until },
        after: null,
      });
      await requestDeadlineChecks(manager, [customerId]);
    });
    this.outbox.wakeRelays();
    return this.view(principal, customerId);
  }

  /** Customer-visible notices, newest first, in the account's language (or in `locale`: the reader's). */
  async notices(principal: Principal, customerId: string, locale?: Locale): Promise<NoticeView[]> {
    assertSeesCustomer(principal, customerId);
    const [account] = await this.dataSource.query(`SELECT 1 FROM billing_accounts WHERE customer_id = $1`, [customerId]);
    if (!account) throw DomainError.notFound('Billing account', customerId);
    const rows: Array<{ id: string; kind: NoticeView['kind']; invoice_numbers: string[]; amount_due: string; currency: string; locale: Locale; products: Product[] | null; due_on: string | null; suspend_on: string | null; created_at: Date }> =
      await this.dataSource.query(`SELECT *, due_on::text AS due_on, suspend_on::text AS suspend_on FROM billing_notices WHERE customer_id = $1 ORDER BY created_at DESC, id LIMIT 200`, [customerId]);
    return rows.map((n) => ({
      id: n.id,
      kind: n.kind,
      invoices: n.invoice_numbers,
      amountDue: moneyView(n.amount_due, n.currency),
      locale: locale ?? n.locale,
      dueOn: n.due_on,
      suspendOn: n.suspend_on,
      ...noticeText({ kind: n.kind, invoiceNumbers: n.invoice_numbers, amountDue: Number(n.amount_due), currency: n.currency, products: n.products, dueOn: n.due_on, suspendOn: n.suspend_on }, locale ?? n.locale),
      createdAt: new Date(n.created_at).toISOString(),
    }));
  }

  async timelineOf(customerId: string, page: { cursor?: string; limit?: number }) {
    const [account] = await this.dataSource.query(`SELECT 1 FROM billing_accounts WHERE customer_id = $1`, [customerId]);
    if (!account) throw DomainError.notFound('Billing account', customerId);
    return this.timeline.list(customerId, page);
  }

  /** The locale a customer reads billing texts in (its account's; English without one). */
  async localeOf(customerId: string): Promise<Locale> {
    const [row]: Array<{ locale: Locale }> = await this.dataSource.query(`SELECT locale FROM billing_accounts WHERE customer_id = $1`, [customerId]);
    return row?.locale ?? 'en';
  }
}
