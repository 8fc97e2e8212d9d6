import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { whileHoldingAdvisoryLock } from '@helpdesk/database';
import { LiveEvents } from '@helpdesk/queue';
import { markSlaSql } from '@helpdesk/intake';
import { SlaBreachHooks } from '../sla/sla-breach-hooks';
import { SLA_WARNING_SHARE } from '../sla/sla-clock.service';

const SCAN_LOCK_KEY = 7_202_611_260;
const BATCH = 1000;

export interface SlaScanResult {
  skipped: boolean;
  warnings: number;
  breaches: number;
}

type Target = 'firstResponse' | 'resolution';

const TARGETS: Record<Target, { open: string; warnAt: string; dueAt: string; warned: string; breached: string }> = {
  firstResponse: {
    open: 'first_responded_at IS NULL',
    warnAt: 'first_response_warn_at',
    dueAt: 'first_response_due_at',
    warned: 'sla_first_response_warned',
    breached: 'sla_first_response_breached',
  },
  resolution: {
    open: 'resolved_at IS NULL',
    warnAt: 'resolution_warn_at',
    dueAt: 'resolution_due_at',
    warned: 'sla_resolution_warned',
    breached: 'sla_resolution_breached',
  },
};

/**
 * Records `sla_warning` at 75 % and `sla_breached` at 100 % of each target's business time, once
 * each, by flipping a flag and writing the event in one statement. Only tickets whose warn/due
 * instant has passed are touched (partial indexes on the watch columns); paused clocks are skipped.
 * One scan at a time across all workers (advisory lock).
 */
@Injectable()
export class SlaMonitorService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly breachHooks: SlaBreachHooks,
    private readonly liveEvents: LiveEvents,
  ) {}

  async scan(now = new Date()): Promise<SlaScanResult> {
    const scanned = await whileHoldingAdvisoryLock(this.dataSource, SCAN_LOCK_KEY, async () => {
      let warnings = 0;
      let breaches = 0;
      for (const target of ['firstResponse', 'resolution'] as const) {
        warnings += await this.drain(() => this.warn(target, now));
        breaches += await this.drain(() => this.breach(target, now));
      }
      return { skipped: false, warnings, breaches };
    });
    return scanned.ran ? scanned.result : { skipped: true, warnings: 0, breaches: 0 };
  }

  private async drain(step: () => Promise<number>): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await step();
      total += n;
      if (n < BATCH) return total;
    }
  }

  private async warn(target: Target, now: Date): Promise<number> {
    const t = TARGETS[target];
    const sql = `WITH due AS (
         SELECT id FROM tickets
          WHERE ${t.open} AND NOT ${t.breached} AND ${t.dueAt} IS NOT NULL
            AND ${t.warnAt} <= $1 AND NOT ${t.warned} AND sla_paused_since IS NULL
            AND status NOT IN ('resolved','closed')
          ORDER BY ${t.warnAt} LIMIT ${BATCH} FOR UPDATE SKIP LOCKED
       ), ${markSlaSql({
         flags: [t.warned],
         dueAt: t.dueAt,
         type: `'sla_warning'`,
         data: `jsonb_build_object('target', $2::text, 'dueAt', due_at, 'share', ${SLA_WARNING_SHARE})`,
         at: '$1',
         returning: `ticket_id, (data->>'dueAt')::timestamptz AS due_at`,
       })}`;
    if (!this.breachHooks.heedsWarnings) return ((await this.dataSource.query(sql, [now, target])) as unknown[]).length;
    // Listeners (the managers' mail) write in the transaction that records the warnings.
    return this.dataSource.transaction(async (manager) => {
      const rows: Array<{ ticket_id: string; due_at: Date }> = await manager.query(sql, [now, target]);
      for (const row of rows) await this.breachHooks.warned(manager, { ticketId: row.ticket_id, target, dueAt: new Date(row.due_at), at: now });
      return rows.length;
    });
  }

  private async breach(target: Target, now: Date): Promise<number> {
    const t = TARGETS[target];
    const breached = await this.dataSource.transaction(async (manager) => {
      const rows: Array<{ ticket_id: string; due_at: Date }> = await manager.query(
        `WITH due AS (
           SELECT id FROM tickets
            WHERE ${t.open} AND NOT ${t.breached} AND ${t.dueAt} IS NOT NULL
              AND ${t.dueAt} <= $1 AND sla_paused_since IS NULL
              AND status NOT IN ('resolved','closed')
            ORDER BY ${t.warnAt} LIMIT ${BATCH} FOR UPDATE SKIP LOCKED
         ), ${markSlaSql({
           flags: [t.breached, t.warned],
           dueAt: t.dueAt,
           type: `'sla_breached'`,
           data: `jsonb_build_object('target', $2::text, 'dueAt', due_at)`,
           at: '$1',
           returning: `ticket_id, (data->>'dueAt')::timestamptz AS due_at`,
         })}`,
        [now, target],
      );
      if (target === 'firstResponse') {
        for (const row of rows) await this.breachHooks.firstResponseBreached(manager, { ticketId: row.ticket_id, dueAt: new Date(row.due_at), at: now });
      }
      if (target === 'resolution' && rows.length > 0) {
        const tickets: Array<{ id: string; priority: 'P1' | 'P2' | 'P3' | 'P4'; category: 'billing' | 'subscription_management' | 'technical' | null; in_scope: boolean | null }> =
          await manager.query(`SELECT id, priority, category, in_scope FROM tickets WHERE id = ANY($1::uuid[])`, [rows.map((r) => r.ticket_id)]);
        for (const ticket of tickets) {
          await this.breachHooks.resolutionBreached(manager, { ticketId: ticket.id, priority: ticket.priority, category: ticket.category, inScope: ticket.in_scope, at: now });
        }
      }
      return rows;
    });
    // Committed: tell live dashboards.
    for (const row of breached) this.liveEvents.publish('sla.breached', { ticketId: row.ticket_id, target, dueAt: new Date(row.due_at).toISOString() });
    return breached.length;
  }
}
