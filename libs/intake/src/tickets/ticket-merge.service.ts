import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { actorOf, Principal } from '@helpdesk/auth';
import { DomainError, DomainErrorCode, FieldErrorCode, ProblemCode } from '@helpdesk/http';
import { TimelineService } from '../timeline/timeline.service';
import { formatTicketNumber, TicketRow, TicketView } from './ticket.view';
import { TicketsService } from './tickets.service';

/**
 * The ticket ids whose conversation shows on ticket `$param`: itself and every ticket merged into
 * it, also through earlier merges (a merged ticket's own merged tickets). A merge never makes a
 * cycle (a merged ticket is closed and takes no merge), and UNION would stop one anyway.
 */
export const mergedFamilySql = (param: string): string =>
  `WITH RECURSIVE family(id) AS (
     SELECT ${param}::uuid
     UNION
     SELECT t.id FROM tickets t JOIN family f ON t.merged_into = f.id
   )`;

/** How many merges a chain may hold before `mergedInto` stops following it (only for the error message). */
const CHAIN_LIMIT = 100;

/**
 * Merging a duplicate into the ticket it repeats: the duplicate is closed with `mergedInto`, its
 * comments and attachments show on the target, and both timelines record it, in one transaction.
 */
@Injectable()
export class TicketMergeService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tickets: TicketsService,
    private readonly timeline: TimelineService,
  ) {}

  async merge(principal: Principal, sourceId: string, targetId: string): Promise<{ source: TicketView; target: TicketView }> {
    if (sourceId === targetId) throw unprocessable('a ticket cannot be merged into itself', ProblemCode.MergeSelf);
    const actor = actorOf(principal);
    return this.dataSource.transaction(async (manager) => {
      // Both rows locked, in id order, so that two merges of the same pair cannot deadlock.
      const rows: TicketRow[] = await manager.query(`SELECT * FROM tickets WHERE id = ANY($1) ORDER BY id FOR UPDATE`, [[sourceId, targetId]]);
      const source = rows.find((r) => r.id === sourceId);
      const target = rows.find((r) => r.id === targetId);
      if (!source) throw DomainError.notFound('Ticket', sourceId);
      if (!target) throw unprocessable(`no ticket has the id ${targetId}`, FieldErrorCode.UnknownId);
      this.tickets.assertWorks(principal, this.tickets.visible(principal, sourceId, source));
      this.tickets.assertWorks(principal, target);
      await this.assertMergeable(manager, source, target);

      const at = new Date();
      const closed = await this.tickets.apply(manager, source, { status: 'closed', mergedInto: target.id }, actor, at);
      await this.timeline.record(manager, source.id, 'merged_into', actor, { ticketId: target.id, number: formatTicketNumber(target.number) }, at);
      await this.timeline.record(manager, target.id, 'merged_from', actor, { ticketId: source.id, number: formatTicketNumber(source.number) }, at);
      return { source: this.tickets.view(closed), target: this.tickets.view(target) };
    });
  }

  private async assertMergeable(manager: EntityManager, source: TicketRow, target: TicketRow): Promise<void> {
    if (source.merged_into) {
      throw conflict(`${formatTicketNumber(source.number)} was already merged into ${source.merged_into}`, { mergedInto: source.merged_into }, ProblemCode.MergedAlready, { ticket: formatTicketNumber(source.number) });
    }
    if (source.status === 'closed') throw conflict(`${formatTicketNumber(source.number)} is closed; a closed ticket is not merged`, { ticketStatus: 'closed' }, ProblemCode.MergeClosed, { ticket: formatTicketNumber(source.number) });
    if (source.status === 'escalated') {
      throw conflict(`${formatTicketNumber(source.number)} is escalated to a vendor; take it back (or let the vendor resolve it) before merging`, { ticketStatus: 'escalated' }, ProblemCode.MergeEscalated, { ticket: formatTicketNumber(source.number) });
    }
    if (target.merged_into) {
      const chain = await this.chain(manager, target.id);
      const cycle = chain.includes(source.id);
      throw conflict(
        cycle
          ? `${formatTicketNumber(target.number)} was merged into ${formatTicketNumber(source.number)}: merging back would make a cycle`
          : `${formatTicketNumber(target.number)} was merged into another ticket (${target.merged_into}); merge into that one`,
        { targetMergedInto: target.merged_into, cycle },
        ProblemCode.MergeTargetMerged,
        { ticket: formatTicketNumber(target.number), cycle },
        'targetId',
      );
    }
    if (target.status === 'closed') throw conflict(`${formatTicketNumber(target.number)} is closed; merge into an open ticket`, { targetStatus: 'closed' }, ProblemCode.MergeTargetClosed, { ticket: formatTicketNumber(target.number) }, 'targetId');
    if (target.customer_id !== source.customer_id) throw unprocessable(`${formatTicketNumber(target.number)} belongs to another customer; only a customer's own tickets are merged`, ProblemCode.MergeOtherCustomer, { ticket: formatTicketNumber(target.number) });
  }

  /** The tickets `id` was merged into, nearest first. */
  private async chain(manager: EntityManager, id: string): Promise<string[]> {
    const rows: Array<{ id: string }> = await manager.query(
      `WITH RECURSIVE up(id, depth) AS (
         SELECT merged_into, 1 FROM tickets WHERE id = $1 AND merged_into IS NOT NULL
         UNION
         SELECT t.merged_into, up.depth + 1 FROM tickets t JOIN up ON t.id = up.id WHERE t.merged_into IS NOT NULL AND up.depth < $2
       )
       SELECT id FROM up ORDER BY depth`,
      [id, CHAIN_LIMIT],
    );
    return rows.map((r) => r.id);
  }
}

/** A refusal naming targetId, with its code (and params) for a screen to say in its own words. */
const unprocessable = (message: string, code: string, params: Record<string, unknown> = {}) =>
  new DomainError(DomainErrorCode.Unprocessable, `The ticket cannot be merged: ${message}`, { errors: [{ field: 'targetId', message, code, params }] });

/** A refusal for the state a ticket is in: the problem's code and params, and the field's too when it names one. */
const conflict = (message: string, extensions: Record<string, unknown>, code: ProblemCode, params: Record<string, unknown>, field?: string) =>
  new DomainError(DomainErrorCode.Conflict, `The ticket cannot be merged: ${message}`, { ...extensions, code, params, ...(field ? { errors: [{ field, message, code, params }] } : {}) });
