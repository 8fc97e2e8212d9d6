import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Product } from '../policy/collections-policy';
import { Locale } from '../policy/policy-text';
import { NoticeKind, noticeText } from './notice-text';

/** A billing notice as the e-mail channel sends it: to the account's billing contact, in the account's language. */
export interface NoticeMail {
  id: string;
  customerId: string;
  kind: NoticeKind;
  locale: Locale;
  recipient: { name: string; email: string };
  subject: string;
  body: string;
  /** A restoration: the notice of the suspension it ends (its mail's thread), when there was one. */
  repliesTo: string | null;
}

/** Billing's notices for the e-mail channel, read from billing's own tables (the channel writes none of them). */
@Injectable()
export class NoticeMails {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async byIds(noticeIds: readonly string[]): Promise<NoticeMail[]> {
    if (noticeIds.length === 0) return [];
    const rows: Array<{
      id: string;
      customer_id: string;
      kind: NoticeKind;
      invoice_numbers: string[];
      amount_due: string;
      currency: string;
      locale: Locale;
      products: Product[] | null;
      due_on: string | null;
      suspend_on: string | null;
      replies_to: string | null;
      contact_name: string;
      contact_email: string;
    }> = await this.dataSource.query(
      `SELECT n.id, n.customer_id, n.kind, n.invoice_numbers, n.amount_due, n.currency, n.locale, n.products, n.due_on::text AS due_on, n.suspend_on::text AS suspend_on, a.contact_name, a.contact_email,
              CASE WHEN n.kind = 'restoration' THEN (SELECT s.id FROM billing_notices s WHERE s.suspension_id = n.suspension_id AND s.kind = 'suspension' LIMIT 1) END AS replies_to
         FROM billing_notices n JOIN billing_accounts a ON a.customer_id = n.customer_id
        WHERE n.id = ANY ($1::uuid[]) ORDER BY n.id`,
      [noticeIds],
    );
    return rows.map((n) => ({
      id: n.id,
      customerId: n.customer_id,
      kind: n.kind,
      locale: n.locale,
      recipient: { name: n.contact_name, email: n.contact_email },
      repliesTo: n.replies_to,
      ...noticeText({ kind: n.kind, invoiceNumbers: n.invoice_numbers, amountDue: Number(n.amount_due), currency: n.currency, products: n.products, dueOn: n.due_on, suspendOn: n.suspend_on }, n.locale),
    }));
  }
}
