import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@helpdesk/audit';
import { prepared, queryPrepared } from '@helpdesk/database';
import type { Principal } from '@helpdesk/auth';
import type { MailLocale } from '../outbound/notification-templates';
import { BUILT_IN_TEMPLATES, MAIL_LOCALES, MailTemplate, TEMPLATE_KINDS, TEMPLATE_PLACEHOLDERS, TemplateKind } from './mail-template-catalogue';
import { checkMailTemplate } from './mail-template-check';
import { renderMail } from './mail-template-render';
import { sampleValues } from './mail-template-samples';

export interface MailTemplateView extends MailTemplate {
  kind: TemplateKind;
  locale: MailLocale;
  /** Whether an admin's wording replaces the built-in one. */
  customised: boolean;
  placeholders: readonly string[];
  /** Who saved it and when (null for the built-in). */
  updatedBy: string | null;
  updatedAt: string | null;
}

/**
 * recipientAndTemplates' statement, prepared on each connection, also inside a transaction (a public
 * reply's): it yields two JSON values, so no migration can make a connection's plan of it stale.
 */
const RECIPIENT_AND_TEMPLATES = prepared(
  'mail_recipient_and_templates',
  `SELECT (SELECT coalesce(json_agg(json_build_object('customerId', c.customer_id, 'locale', c.locale) ORDER BY c.is_primary DESC, c.created_at), '[]')
             FROM customer_contacts c WHERE c.email = $2) AS contacts,
          (SELECT coalesce(json_agg(t), '[]') FROM notification_templates t WHERE t.kind = $1) AS templates`,
);

/** The contacts with a recipient's address (their customer and language) and a kind's wording in each locale. */
export interface RecipientAndTemplates {
  contacts: ReadonlyArray<{ customerId: string; locale: MailLocale }>;
  templates: ReadonlyMap<MailLocale, MailTemplate>;
}

interface TemplateRow {
  kind: TemplateKind;
  locale: MailLocale;
  subject: string;
  body: string;
  updated_by: string | null;
  updated_at: Date;
}

const AUDIT_ENTITY = 'notification_template';

const view = (kind: TemplateKind, locale: MailLocale, row?: TemplateRow): MailTemplateView => ({
  kind,
  locale,
  subject: row?.subject ?? BUILT_IN_TEMPLATES[kind][locale].subject,
  body: row?.body ?? BUILT_IN_TEMPLATES[kind][locale].body,
  customised: !!row,
  placeholders: TEMPLATE_PLACEHOLDERS[kind],
  updatedBy: row?.updated_by ?? null,
  updatedAt: row ? new Date(row.updated_at).toISOString() : null,
});

/**
 * The customer notifications' wording an admin edits (`notification_templates`, one row per kind
 * and locale that differs from the built-in): checked before it is saved, every change audited in
 * its transaction. Messages are composed with the wording of the moment they are queued and keep
 * it: an edit changes the mails of later events, never one already waiting to be sent.
 */
/** The wording of `kind` in each of `locales`: an admin's saved one among `rows`, else the built-in one. */
function wordings(kind: TemplateKind, locales: readonly MailLocale[], rows: readonly TemplateRow[]): Map<MailLocale, MailTemplate> {
  return new Map(
    locales.map((locale): [MailLocale, MailTemplate] => {
      const saved = rows.find((r) => r.locale === locale);
      return [locale, saved ? { subject: saved.subject, body: saved.body } : BUILT_IN_TEMPLATES[kind][locale]];
    }),
  );
}

@Injectable()
export class MailTemplates {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** Every kind in every locale, customised or built-in. */
  async list(): Promise<MailTemplateView[]> {
    const rows: TemplateRow[] = await this.dataSource.query(`SELECT * FROM notification_templates`);
    const saved = new Map(rows.map((r) => [`${r.kind}:${r.locale}`, r]));
    return TEMPLATE_KINDS.flatMap((kind) => MAIL_LOCALES.map((locale) => view(kind, locale, saved.get(`${kind}:${locale}`))));
  }

  async get(kind: TemplateKind, locale: MailLocale): Promise<MailTemplateView> {
    return view(kind, locale, await this.row(this.dataSource.manager, kind, locale));
  }

  /** The wording a message of `kind` in `locale` is composed with now, read in the caller's transaction. */
  async templateFor(manager: EntityManager, kind: TemplateKind, locale: MailLocale): Promise<MailTemplate> {
    const row = await this.row(manager, kind, locale);
    return row ? { subject: row.subject, body: row.body } : BUILT_IN_TEMPLATES[kind][locale];
  }

  /**
   * What composing one notification to `email` reads, in one statement (one round trip of the
   * caller's transaction instead of two): the language of each contact with that address (intake's
   * `customer_contacts`, primary ones first, as ContactsService.findByEmail orders them) and the
   * wording of `kind` in every locale (so the recipient's is there whichever it is).
   */
  async recipientAndTemplates(manager: EntityManager, kind: TemplateKind, email: string): Promise<RecipientAndTemplates> {
    const [row] = await queryPrepared<{ contacts: Array<{ customerId: string; locale: MailLocale }>; templates: TemplateRow[] }>(
      manager,
      RECIPIENT_AND_TEMPLATES,
      [kind, email.trim().toLowerCase()],
      { nameInTransaction: true },
    );
    return { contacts: row.contacts, templates: wordings(kind, MAIL_LOCALES, row.templates) };
  }

  /** templateFor in each of `locales`, in one statement. */
  async templatesFor(manager: EntityManager, kind: TemplateKind, locales: readonly MailLocale[]): Promise<Map<MailLocale, MailTemplate>> {
    const wanted = [...new Set(locales)];
    const rows: TemplateRow[] = wanted.length === 0 ? [] : await manager.query(`SELECT * FROM notification_templates WHERE kind = $1 AND locale = ANY($2::text[])`, [kind, wanted]);
    return wordings(kind, wanted, rows);
  }

  async save(principal: Principal, kind: TemplateKind, locale: MailLocale, template: MailTemplate): Promise<MailTemplateView> {
    checkMailTemplate(kind, template);
    const agentId = principal.kind === 'staff' ? principal.agentId : null;
    return this.dataSource.transaction(async (manager) => {
      const before = view(kind, locale, await this.row(manager, kind, locale, true));
      const [row]: TemplateRow[] = await manager.query(
        `INSERT INTO notification_templates (kind, locale, subject, body, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, now())
         ON CONFLICT (kind, locale) DO UPDATE SET subject = EXCLUDED.subject, body = EXCLUDED.body, updated_by = EXCLUDED.updated_by, updated_at = now()
         RETURNING *`,
        [kind, locale, template.subject, template.body, agentId],
      );
      const after = view(kind, locale, row);
      await this.audit.record(manager, { entity: AUDIT_ENTITY, entityId: `${kind}:${locale}`, action: 'updated', before: auditable(before), after: auditable(after) });
      return after;
    });
  }

  /** Back to the built-in wording; a template that is not customised stays as it is (nothing audited). */
  async reset(kind: TemplateKind, locale: MailLocale): Promise<MailTemplateView> {
    return this.dataSource.transaction(async (manager) => {
      // As a SELECT: TypeORM answers a bare DELETE … RETURNING with [rows, count], not the rows.
      const [deleted]: TemplateRow[] = await manager.query(`WITH d AS (DELETE FROM notification_templates WHERE kind = $1 AND locale = $2 RETURNING *) SELECT * FROM d`, [kind, locale]);
      const after = view(kind, locale);
      if (deleted) await this.audit.record(manager, { entity: AUDIT_ENTITY, entityId: `${kind}:${locale}`, action: 'reset', before: auditable(view(kind, locale, deleted)), after: auditable(after) });
      return after;
    });
  }

  /** A template (the one given, else the current one) filled with made-up facts in its locale; checked like a save, writes nothing. */
  async preview(kind: TemplateKind, locale: MailLocale, draft: Partial<MailTemplate>): Promise<MailTemplate> {
    const current = await this.templateFor(this.dataSource.manager, kind, locale);
    const template = { subject: draft.subject ?? current.subject, body: draft.body ?? current.body };
    checkMailTemplate(kind, template);
    return renderMail(template, sampleValues(kind, locale));
  }

  private async row(manager: EntityManager, kind: TemplateKind, locale: MailLocale, lock = false): Promise<TemplateRow | undefined> {
    const [row]: TemplateRow[] = await manager.query(`SELECT * FROM notification_templates WHERE kind = $1 AND locale = $2 ${lock ? 'FOR UPDATE' : ''}`, [kind, locale]);
    return row;
  }
}

/** What the audit log keeps of a template: its wording and whether it was the built-in. */
const auditable = (v: MailTemplateView) => ({ kind: v.kind, locale: v.locale, customised: v.customised, subject: v.subject, body: v.body });
