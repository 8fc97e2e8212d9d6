import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { actorOf, Principal } from '@helpdesk/auth';
import { DomainError, DomainErrorCode, FieldErrorCode } from '@helpdesk/http';
import { TimelineService } from '../timeline/timeline.service';
import type { TicketStatus } from './ticket-fields';
import { formatTicketNumber, TicketRow } from './ticket.view';
import { TicketsService } from './tickets.service';

export interface TicketLinkView {
  ticketId: string;
  number: string;
  subject: string;
  status: TicketStatus;
  customerId: string;
  linkedAt: string;
  linkedBy: string | null;
}

/** A pair is stored once, smaller id first; either ticket finds it. */
const pair = (a: string, b: string): [string, string] => (a < b ? [a, b] : [b, a]);

/**
 * Related tickets (the same outage reported by two customers, a follow-up of an older case): a link
 * shows on both tickets, and linking and unlinking are recorded on both timelines.
 */
@Injectable()
export class TicketLinksService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tickets: TicketsService,
    private readonly timeline: TimelineService,
  ) {}

  /** The link, and whether it is new (false: the tickets were linked already, nothing recorded). */
  async link(principal: Principal, id: string, otherId: string): Promise<{ link: TicketLinkView; created: boolean }> {
    if (id === otherId) throw DomainError.invalid('ticketId', 'a ticket cannot be linked to itself', FieldErrorCode.LinkSelf);
    const actor = actorOf(principal);
    return this.dataSource.transaction(async (manager) => {
      const rows: TicketRow[] = await manager.query(`SELECT * FROM tickets WHERE id = ANY($1) ORDER BY id FOR SHARE`, [[id, otherId]]);
      const self = rows.find((r) => r.id === id);
      const other = rows.find((r) => r.id === otherId);
      if (!self) throw DomainError.notFound('Ticket', id);
      if (!other) throw new DomainError(DomainErrorCode.Unprocessable, `No ticket has the id ${otherId}`, { errors: [{ field: 'ticketId', message: `no ticket has the id ${otherId}` }] });
      // Both timelines are written: the caller works both tickets.
      this.tickets.assertWorks(principal, this.tickets.visible(principal, id, self));
      this.tickets.assertWorks(principal, other);
      const [a, b] = pair(id, otherId);
      const inserted: unknown[] = await manager.query(
        `INSERT INTO ticket_links (ticket_a, ticket_b, created_by) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING ticket_a`,
        [a, b, actor.id],
      );
      if (inserted.length > 0) {
        const at = new Date();
        await this.timeline.record(manager, id, 'linked', actor, { ticketId: otherId, number: formatTicketNumber(other.number) }, at);
        await this.timeline.record(manager, otherId, 'linked', actor, { ticketId: id, number: formatTicketNumber(self.number) }, at);
      }
      const [link] = await this.read(manager, id, otherId);
      return { link, created: inserted.length > 0 };
    });
  }

  async unlink(principal: Principal, id: string, otherId: string): Promise<void> {
    const actor = actorOf(principal);
    await this.dataSource.transaction(async (manager) => {
      const tickets: TicketRow[] = await manager.query(`SELECT * FROM tickets WHERE id = ANY($1) ORDER BY id FOR SHARE`, [[id, otherId]]);
      const self = this.tickets.visible(principal, id, tickets.find((t) => t.id === id));
      for (const ticket of tickets) this.tickets.assertWorks(principal, ticket);
      const [a, b] = pair(id, otherId);
      // As a SELECT: TypeORM answers a bare DELETE with [rows, count], not the rows.
      const removed: unknown[] = await manager.query(`WITH d AS (DELETE FROM ticket_links WHERE ticket_a = $1 AND ticket_b = $2 RETURNING ticket_a) SELECT * FROM d`, [a, b]);
      if (removed.length === 0) throw DomainError.notFound('Link between tickets', `${id} and ${otherId}`);
      const numberOf = (t: string) => formatTicketNumber((t === id ? self : tickets.find((n) => n.id === t)!).number);
      const at = new Date();
      await this.timeline.record(manager, id, 'unlinked', actor, { ticketId: otherId, number: numberOf(otherId) }, at);
      await this.timeline.record(manager, otherId, 'unlinked', actor, { ticketId: id, number: numberOf(id) }, at);
    });
  }

  /** The tickets linked to `id`, oldest link first. */
  async list(principal: Principal, id: string): Promise<TicketLinkView[]> {
    await this.tickets.row(principal, id);
    return this.read(this.dataSource.manager, id);
  }

  private async read(manager: DataSource['manager'], id: string, only?: string): Promise<TicketLinkView[]> {
    const rows: Array<{ id: string; number: string; subject: string; status: TicketStatus; customer_id: string; created_at: Date; created_by: string | null }> =
      await manager.query(
        `SELECT t.id, t.number, t.subject, t.status, t.customer_id, l.created_at, l.created_by
           FROM ticket_links l JOIN tickets t ON t.id = CASE WHEN l.ticket_a = $1 THEN l.ticket_b ELSE l.ticket_a END
          WHERE (l.ticket_a = $1 OR l.ticket_b = $1) AND ($2::uuid IS NULL OR t.id = $2)
          ORDER BY l.created_at, t.number`,
        [id, only ?? null],
      );
    return rows.map((r) => ({
      ticketId: r.id,
      number: formatTicketNumber(r.number),
      subject: r.subject,
      status: r.status,
      customerId: r.customer_id,
      linkedAt: new Date(r.created_at).toISOString(),
      linkedBy: r.created_by,
    }));
  }
}
