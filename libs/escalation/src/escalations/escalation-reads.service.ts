import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { mayWorkTicket, Principal, StaffRole, TICKET_WORKER_ROLES } from '@helpdesk/auth';
import { decodeKeysetCursor, encodeKeysetCursor } from '@helpdesk/database';
import { DomainError, DomainErrorCode } from '@helpdesk/http';
import { EscalationTier } from '../routing/tiers';
import { AttemptRow, EscalationRow, EscalationStatus, EscalationView, escalationView } from './escalation.view';
import { isOpenSql } from './open-escalation';

export interface EscalationFilter {
  tier?: EscalationTier;
  status?: EscalationStatus;
  cursor?: string;
  limit?: number;
}

export interface EscalationPage {
  items: EscalationView[];
  nextCursor: string | null;
}

/** Reading escalations: one with its delivery attempts, a filtered page, a ticket's open one. */
@Injectable()
export class EscalationReadsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * An escalation as staff who work its ticket see it (vendor details are internal): ticket
   * workers see every one, billing_admin those of billing tickets, nobody else any.
   */
  async getFor(principal: Principal, id: string): Promise<EscalationView> {
    const [row]: Array<{ category: string | null }> = await this.dataSource.query(
      `SELECT t.category FROM escalations e JOIN tickets t ON t.id = e.ticket_id WHERE e.id = $1`,
      [id],
    );
    if (!row) throw DomainError.notFound('Escalation', id);
    if (principal.kind !== 'staff' || !mayWorkTicket(principal.roles, row.category)) {
      throw new DomainError(DomainErrorCode.Forbidden, `Escalation ${id} concerns a ticket you do not work`);
    }
    return this.get(id);
  }

  /** The escalations the caller may see (getFor's rule), newest first. */
  async listFor(principal: Principal, filter: EscalationFilter): Promise<EscalationPage> {
    if (principal.kind === 'staff' && principal.roles.some((r) => TICKET_WORKER_ROLES.includes(r))) return this.list(filter);
    if (principal.kind === 'staff' && principal.roles.includes(StaffRole.BillingAdmin)) return this.list(filter, 'billing');
    throw new DomainError(DomainErrorCode.Forbidden, 'Escalations are read by staff who work tickets');
  }

  async get(id: string): Promise<EscalationView> {
    const [row]: EscalationRow[] = await this.dataSource.query(`SELECT * FROM escalations WHERE id = $1`, [id]);
    if (!row) throw DomainError.notFound('Escalation', id);
    const attempts: AttemptRow[] = await this.dataSource.query(
      `SELECT delivery_id, at, state, delivery_round, http_status, error, duration_ms FROM escalation_attempts WHERE escalation_id = $1 ORDER BY id`,
      [id],
    );
    return escalationView(row, attempts);
  }

  /** Newest first, keyset pagination; `category`: only escalations of tickets of that category. */
  async list(filter: EscalationFilter, category?: string): Promise<EscalationPage> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.tier) add('tier = ?', filter.tier);
    if (filter.status) add('status = ?', filter.status);
    if (category) add('ticket_id IN (SELECT id FROM tickets WHERE category = ?)', category);
    if (filter.cursor) add('number < ?', decodeKeysetCursor(filter.cursor));
    const limit = filter.limit ?? 50;
    params.push(limit + 1);
    const rows: EscalationRow[] = await this.dataSource.query(
      `SELECT * FROM escalations ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY number DESC LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, limit);
    return {
      items: page.map((r) => escalationView(r)),
      nextCursor: rows.length > limit ? encodeKeysetCursor(page[page.length - 1].number) : null,
    };
  }

  async openEscalation(manager: EntityManager, ticketId: string): Promise<EscalationRow | null> {
    const [row]: EscalationRow[] = await manager.query(`SELECT * FROM escalations e WHERE ticket_id = $1 AND ${isOpenSql('e')} LIMIT 1`, [ticketId]);
    return row ?? null;
  }
}
