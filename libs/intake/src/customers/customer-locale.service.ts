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
   * The requester's language. Nothing stored says it yet (tickets and customers have no locale):
   * the customer contacts, each with a locale, will; this is the one lookup to switch to the
   * contact whose e-mail is the ticket's requester. Until then, the partner's DEFAULT_LOCALE.
   */
  async requesterLocale(_manager: EntityManager, _ticket: Pick<TicketRow, 'customer_id' | 'requester_email'>): Promise<Locale> {
    return this.config.DEFAULT_LOCALE;
  }
}
