import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Locale } from '../policy/policy-text';
import { noticeText } from './notice-text';

/** A dunning notice as the e-mail channel sends it: to the account's billing contact, in the account's language. */
export interface NoticeMail {
  id: string;
  customerId: string;
  kind: 'remind' | 'final_notice';
  locale: Locale;
  recipient: { name: string; email: string };
  subject: string;
  body: string;
}

/** Billing's notices for the e-mail channel, read from billing's own tables (the channel writes none of them). */
@Injectable()
export class NoticeMails {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async byIds(noticeIds: readonly string[]): Promise<NoticeMail[]> {
    if (noticeIds.length === 0) return [];
    const rows: Array<{ id: string; customer_id: string; kind: NoticeMail['kind']; invoice_numbers: string[]; amount_due: string; currency: string; locale: Locale; contact_name: string; contact_email: string }> =
      await this.dataSource.query(
        `SELECT n.id, n.customer_id, n.kind, n.invoice_numbers, n.amount_due, n.currency, n.locale, a.contact_name, a.contact_email
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
      ...noticeText({ kind: n.kind, invoiceNumbers: n.invoice_numbers, amountDue: Number(n.amount_due), currency: n.currency }, n.locale),
    }));
  }
}
