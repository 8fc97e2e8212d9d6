import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ConsoleSessionsService, hashToken } from '@helpdesk/auth';
import { AppConfig } from '@helpdesk/config';
import { OutboxService } from '@helpdesk/database';
import { ContactsService, CustomersService } from '@helpdesk/intake';
import { QueueName } from '@helpdesk/queue';
import { composeSignInLink } from './sign-in-link-mail';

export interface PortalCaller {
  customerId: string;
  customerName: string;
  contact: { name: string; email: string; locale: 'es' | 'en' } | null;
}

/**
 * Where a mailed link lands: the API sends the browser on to the portal's page that spends it
 * (PORTAL_LINK_PAGE), without spending it, since mail scanners fetch links before people do.
 */
export const SIGN_IN_LINK_PATH = '/api/v1/portal/sign-in-links/';

/** The portal's page that asks the person to sign in with a link (the token follows `#`: browsers never send it). */
export const PORTAL_LINK_PAGE = '/portal/sign-in-link';

/**
 * The customer portal's sign-in by mail: a contact asks for a link with its e-mail address and gets
 * one per customer it is a contact of, mailed (outgoing mail: `outbound_messages` and the
 * `customer-email` queue) in its language; the link works once, for PORTAL_LINK_TTL_MINUTES, and
 * only its SHA-256 is kept. Opening it spends nothing: a person's press of "Sign in" on the page it
 * leads to does (a POST), so a scanner that fetches every link in a mail leaves it working. Whether the address is known never shows in the answer.
 */
@Injectable()
export class PortalSignInService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly contacts: ContactsService,
    private readonly customers: CustomersService,
    private readonly outbox: OutboxService,
    private readonly sessions: ConsoleSessionsService,
  ) {}

  /** Who is signed in to the portal: the customer, and the contact when a mailed link signed them in. */
  async who(principal: { customerId: string; contactId?: string }): Promise<PortalCaller> {
    const customer = await this.customers.get(principal.customerId);
    const contact = principal.contactId ? await this.contacts.get(principal.customerId, principal.contactId) : null;
    return { customerId: customer.id, customerName: customer.name, contact: contact && { name: contact.name, email: contact.email, locale: contact.locale } };
  }

  /** Mails a link to each contact with this address; nothing (and no sign of it) for an unknown one. */
  async requestLink(email: string): Promise<void> {
    const contacts = await this.contacts.findByEmail(email);
    for (const contact of contacts) {
      const customer = await this.customers.get(contact.customerId);
      const token = randomBytes(32).toString('base64url');
      const url = `${this.config.publicUrl}${SIGN_IN_LINK_PATH}${token}`;
      const { subject, body } = composeSignInLink(contact.locale, { contactName: contact.name, customerName: customer.name, url, minutes: this.config.PORTAL_LINK_TTL_MINUTES });
      await this.dataSource.transaction(async (manager) => {
        // Links are asked for rarely: each request clears the ones past their time away.
        await manager.query(`DELETE FROM portal_sign_in_links WHERE expires_at <= now()`);
        const [link]: Array<{ id: string }> = await manager.query(
          `INSERT INTO portal_sign_in_links (token_hash, customer_id, contact_id, expires_at)
           VALUES ($1, $2, $3, now() + $4 * interval '1 minute') RETURNING id`,
          [hashToken(token), contact.customerId, contact.id, this.config.PORTAL_LINK_TTL_MINUTES],
        );
        const [mail]: Array<{ id: string }> = await manager.query(
          `INSERT INTO outbound_messages (event_key, kind, ticket_id, recipient, locale, message_id, subject, body, auto_submitted)
           VALUES ($1, 'sign_in_link', NULL, $2, $3, $4, $5, $6, true) RETURNING id`,
          [`sign-in:${link.id}`, contact.email, contact.locale, `<hd.sign-in.${link.id}@${this.config.MAIL_DOMAIN}>`, subject, body],
        );
        await this.outbox.enqueue(manager, QueueName.CustomerEmail, mail.id, { outboundMessageId: mail.id });
      });
    }
    if (contacts.length > 0) this.outbox.wakeRelays();
  }

  /**
   * Exchanges a mailed link for a portal session of its contact, once: null when the link is unknown,
   * used already or expired (the same for all three, so a guesser learns nothing).
   */
  async exchange(token: string): Promise<{ session: { id: string; expiresAt: Date }; customerId: string; contactId: string } | null> {
    // TypeORM answers an UPDATE … RETURNING with [rows, affected].
    const [[link]]: [Array<{ customer_id: string; contact_id: string }>, number] = await this.dataSource.query(
      `UPDATE portal_sign_in_links SET used_at = now()
        WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()
        RETURNING customer_id, contact_id`,
      [hashToken(token)],
    );
    if (!link) return null;
    return { session: await this.sessions.startForContact(link.customer_id, link.contact_id), customerId: link.customer_id, contactId: link.contact_id };
  }
}
