import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig } from '@helpdesk/config';
import type { TicketRow } from '../tickets/ticket.view';

/** The languages customers are written to in. */
export type Locale = 'es' | 'en';
export const LOCALES: readonly Locale[] = ['es', 'en'];

/** Which language a ticket's customer is written to in (macro replies; later the e-mail channel). */
@Injectable()
export class CustomerLocaleService {
  constructor(private readonly config: AppConfig) {}

  /**
   * The requester's language: the locale of the customer's contact with the requester's e-mail
   * address (the primary one first, should two share it), else the partner's DEFAULT_LOCALE.
   */
  async requesterLocale(manager: EntityManager, ticket: Pick<TicketRow, 'customer_id' | 'requester_email'>): Promise<Locale> {
    const [contact]: Array<{ locale: Locale }> = await manager.query(
      `SELECT locale FROM customer_contacts WHERE customer_id = $1 AND email = lower($2) ORDER BY is_primary DESC, created_at LIMIT 1`,
      [ticket.customer_id, ticket.requester_email ?? ''],
    );
    return contact?.locale ?? this.config.DEFAULT_LOCALE;
  }
}
