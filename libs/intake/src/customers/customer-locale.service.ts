import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig } from '@helpdesk/config';
import type { TicketRow } from '../tickets/ticket.view';

/** The languages customers are written to in. */
export type Locale = 'es' | 'en';
export const LOCALES: readonly Locale[] = ['es', 'en'];

/**
 * The first of our languages in an Accept-Language header, by the header's q-values (`es-ES,en;q=0.8`
 * → es); null when it names neither. Malformed parts are skipped.
 */
export function localeFromAcceptLanguage(header: string | undefined): Locale | null {
  if (!header) return null;
  const ranked = header
    .split(',')
    .map((part, order) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => /^\s*q=([01](\.\d{0,3})?)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { language: tag.trim().split('-')[0], q: q === undefined ? 1 : Number(q), order };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order);
  return (ranked.find((r) => (LOCALES as readonly string[]).includes(r.language))?.language as Locale | undefined) ?? null;
}

/** Which language a ticket's customer is written to in (macro replies; later the e-mail channel). */
@Injectable()
export class CustomerLocaleService {
  constructor(private readonly config: AppConfig) {}

  /**
   * The requester's language: the locale of the customer's contact with the requester's e-mail
   * address (the primary one first, should two share it), else the partner's DEFAULT_LOCALE.
   */
  /**
   * The language a customer reads the portal and its offering in: the one asked for (`?locale`), else
   * the browser's (Accept-Language), else the signed-in contact's, else the partner's DEFAULT_LOCALE.
   */
  async customerLocale(manager: EntityManager, who: { customerId: string; contactId?: string }, asked: { locale?: Locale; acceptLanguage?: string }): Promise<Locale> {
    const chosen = asked.locale ?? localeFromAcceptLanguage(asked.acceptLanguage);
    if (chosen) return chosen;
    if (who.contactId) {
      const [contact]: Array<{ locale: Locale }> = await manager.query(`SELECT locale FROM customer_contacts WHERE id = $1 AND customer_id = $2`, [who.contactId, who.customerId]);
      if (contact) return contact.locale;
    }
    return this.config.DEFAULT_LOCALE;
  }

  async requesterLocale(manager: EntityManager, ticket: Pick<TicketRow, 'customer_id' | 'requester_email'>): Promise<Locale> {
    const [contact]: Array<{ locale: Locale }> = await manager.query(
      `SELECT locale FROM customer_contacts WHERE customer_id = $1 AND email = lower($2) ORDER BY is_primary DESC, created_at LIMIT 1`,
      [ticket.customer_id, ticket.requester_email ?? ''],
    );
    return contact?.locale ?? this.config.DEFAULT_LOCALE;
  }
}
