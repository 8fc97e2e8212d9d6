import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@helpdesk/audit';
import type { Principal } from '@helpdesk/auth';
import { prepared, queryPrepared } from '@helpdesk/database';
import { DomainError, DomainErrorCode, FieldErrorCode } from '@helpdesk/http';
import { CustomersService } from './customers.service';

export type ContactLocale = 'es' | 'en';

/**
 * The contacts of several senders (an e-mail arrival batch): named, and the addresses read through a
 * sub-select so that every call is estimated alike whatever the batch's size — PostgreSQL keeps the
 * generic plan after its first five instead of planning each batch again.
 */
export const CONTACTS_BY_EMAILS = prepared(
  'contacts_by_emails',
  `SELECT * FROM customer_contacts WHERE email = ANY((SELECT $1::text[])::text[]) ORDER BY is_primary DESC, created_at`,
);
export const CONTACT_LOCALES: readonly ContactLocale[] = ['es', 'en'];

export interface ContactView {
  id: string;
  customerId: string;
  name: string;
  email: string;
  phone: string | null;
  /** The language the customer hears back in. */
  locale: ContactLocale;
  primary: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface ContactInput {
  name: string;
  email: string;
  phone?: string | null;
  locale: ContactLocale;
  primary?: boolean;
}

interface ContactRow {
  id: string;
  customer_id: string;
  name: string;
  email: string;
  phone: string | null;
  locale: ContactLocale;
  is_primary: boolean;
  created_at: Date;
  updated_at: Date;
}

const toView = (r: ContactRow): ContactView => ({
  id: r.id,
  customerId: r.customer_id,
  name: r.name,
  email: r.email,
  phone: r.phone,
  locale: r.locale,
  primary: r.is_primary,
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
});

/**
 * A customer's contacts: the people who write in, each with the language they hear back in. One
 * e-mail per customer; at most one primary (a customer's first contact is it). The e-mail channel
 * finds a sender's contact with `findByEmail`.
 */
@Injectable()
export class ContactsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly customers: CustomersService,
    private readonly audit: AuditService,
  ) {}

  async list(customerId: string): Promise<ContactView[]> {
    await this.customers.viewIn(this.dataSource.manager, customerId);
    const rows: ContactRow[] = await this.dataSource.query(`SELECT * FROM customer_contacts WHERE customer_id = $1 ORDER BY is_primary DESC, name, id`, [customerId]);
    return rows.map(toView);
  }

  async get(customerId: string, contactId: string): Promise<ContactView> {
    const [row]: ContactRow[] = await this.dataSource.query(`SELECT * FROM customer_contacts WHERE customer_id = $1 AND id = $2`, [customerId, contactId]);
    if (!row) throw DomainError.notFound('Contact', contactId);
    return toView(row);
  }

  /** The contacts (of any customer) with this e-mail address, primary ones first: how a sender is recognised. */
  /** Inside a transaction, pass its manager: a second pool connection per caller can exhaust the pool under load. */
  async findByEmail(email: string, manager?: EntityManager): Promise<ContactView[]> {
    const rows: ContactRow[] = await (manager ?? this.dataSource).query(`SELECT * FROM customer_contacts WHERE email = $1 ORDER BY is_primary DESC, created_at`, [email.trim().toLowerCase()]);
    return rows.map(toView);
  }

  /**
   * `findByEmail` for several addresses in one read (a batch of mail): each address (trimmed, lower case) with its contacts, primary ones first.
   * `prepare`: named inside the manager's transaction too (see CONTACTS_BY_EMAILS; the caller runs its transaction again unprepared on `isStalePlanError`).
   */
  async findByEmails(emails: readonly string[], manager: EntityManager, prepare = false): Promise<Map<string, ContactView[]>> {
    const wanted = [...new Set(emails.map((e) => e.trim().toLowerCase()))];
    const found = new Map<string, ContactView[]>(wanted.map((e) => [e, []]));
    if (wanted.length === 0) return found;
    const rows = await queryPrepared<ContactRow>(manager, CONTACTS_BY_EMAILS, [wanted], { nameInTransaction: prepare });
    for (const row of rows) found.get(row.email)?.push(toView(row));
    return found;
  }

  async create(principal: Principal, customerId: string, input: ContactInput): Promise<ContactView> {
    this.customers.assertManager(principal);
    return this.dataSource.transaction(async (manager) => {
      await this.lockCustomer(manager, customerId);
      const [{ n }]: Array<{ n: number }> = await manager.query(`SELECT count(*)::int AS n FROM customer_contacts WHERE customer_id = $1 AND is_primary`, [customerId]);
      const primary = input.primary ?? n === 0;
      if (primary) await manager.query(`UPDATE customer_contacts SET is_primary = false, updated_at = now() WHERE customer_id = $1 AND is_primary`, [customerId]);
      const row = await this.write(manager, input.email, () =>
        manager.query(
          `INSERT INTO customer_contacts (customer_id, name, email, phone, locale, is_primary) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
          [customerId, input.name.trim(), input.email.trim().toLowerCase(), input.phone ?? null, input.locale, primary],
        ),
      );
      const view = toView(row);
      await this.audit.record(manager, { entity: 'customer_contact', entityId: view.id, action: 'created', before: null, after: view });
      return view;
    });
  }

  async update(principal: Principal, customerId: string, contactId: string, patch: Partial<ContactInput>): Promise<ContactView> {
    this.customers.assertManager(principal);
    return this.dataSource.transaction(async (manager) => {
      await this.lockCustomer(manager, customerId);
      const before = await this.locked(manager, customerId, contactId);
      if (patch.primary === true && !before.is_primary) {
        await manager.query(`UPDATE customer_contacts SET is_primary = false, updated_at = now() WHERE customer_id = $1 AND is_primary`, [customerId]);
      }
      const email = patch.email?.trim().toLowerCase() ?? before.email;
      const row = await this.write(manager, email, () =>
        manager.query(
          `UPDATE customer_contacts SET name = $2, email = $3, phone = $4, locale = $5, is_primary = $6, updated_at = now() WHERE id = $1 RETURNING *`,
          [
            contactId,
            patch.name?.trim() ?? before.name,
            email,
            patch.phone === undefined ? before.phone : patch.phone,
            patch.locale ?? before.locale,
            patch.primary ?? before.is_primary,
          ],
        ).then(([rows]: [ContactRow[], number]) => rows), // an UPDATE answers [rows, count]
      );
      const view = toView(row);
      await this.audit.record(manager, { entity: 'customer_contact', entityId: contactId, action: 'updated', before: toView(before), after: view });
      return view;
    });
  }

  async remove(principal: Principal, customerId: string, contactId: string): Promise<void> {
    this.customers.assertManager(principal);
    await this.dataSource.transaction(async (manager) => {
      const before = await this.locked(manager, customerId, contactId);
      await manager.query(`DELETE FROM customer_contacts WHERE id = $1`, [contactId]);
      await this.audit.record(manager, { entity: 'customer_contact', entityId: contactId, action: 'deleted', before: toView(before), after: null });
    });
  }

  /** Serialises the primary-contact changes of one customer (NO KEY UPDATE: tickets filed meanwhile do not wait). */
  private async lockCustomer(manager: EntityManager, customerId: string): Promise<void> {
    const [row]: unknown[] = await manager.query(`SELECT 1 FROM customers WHERE id = $1 FOR NO KEY UPDATE`, [customerId]);
    if (!row) throw DomainError.notFound('Customer', customerId);
  }

  private async locked(manager: EntityManager, customerId: string, contactId: string): Promise<ContactRow> {
    const [row]: ContactRow[] = await manager.query(`SELECT * FROM customer_contacts WHERE customer_id = $1 AND id = $2 FOR UPDATE`, [customerId, contactId]);
    if (!row) throw DomainError.notFound('Contact', contactId);
    return row;
  }

  /** Runs the insert or update; the customer's e-mail already in use is a 409 naming `email`. */
  private async write(manager: EntityManager, email: string, statement: () => Promise<ContactRow[]>): Promise<ContactRow> {
    try {
      const [row] = await statement();
      return row;
    } catch (error) {
      if ((error as { code?: string; constraint?: string }).code === '23505') {
        throw new DomainError(DomainErrorCode.Conflict, `The customer already has a contact with the e-mail ${email}`, {
          errors: [{ field: 'email', message: 'is already used by another contact of this customer', code: FieldErrorCode.Taken }],
        });
      }
      throw error;
    }
  }
}
