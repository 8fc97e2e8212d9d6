import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { SYSTEM_ACTOR } from '@helpdesk/auth';
import { formatTicketNumber, TimelineService } from '@helpdesk/intake';
import { EscalationRow } from '../escalations/escalation.view';
import { TierConfig } from '../tiers/escalation-tiers.service';
import { signBody } from './signature';

export type DeliveryOutcome =
  | { kind: 'skipped'; status: string }
  | { kind: 'awaiting_vendor_case' }
  | { kind: 'submitted'; vendorCaseId: string | null }
  | { kind: 'retry'; error: string }
  | { kind: 'failed'; error: string; ticketId: string };

export interface AttemptContext {
  /** 1-based number of this attempt within the current delivery round. */
  attempt: number;
  maxAttempts: number;
}

/** How much of a receiver's answer is read (for its caseId); the rest is ignored. */
const MAX_RESPONSE_CHARS = 64 * 1024;

/**
 * Delivers one escalation to its tier: reloads it by id, sends the signed webhook (or parks a
 * manual case), records the attempt, and moves the status with a conditional UPDATE so a repeat
 * (a stalled job after a crash) never writes `submitted` twice.
 */
@Injectable()
export class EscalationDeliveryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly timeline: TimelineService,
  ) {}

  async deliver(escalationId: string, tier: TierConfig | null, ctx: AttemptContext): Promise<DeliveryOutcome> {
    const [row]: EscalationRow[] = await this.dataSource.query(`SELECT * FROM escalations WHERE id = $1`, [escalationId]);
    if (!row || row.status !== 'queued') return { kind: 'skipped', status: row?.status ?? 'missing' };

    if (tier?.delivery === 'manual') {
      await this.dataSource.transaction(async (manager) => {
        if (await this.move(manager, row, 'awaiting_vendor_case', {})) {
          await this.timeline.record(manager, row.ticket_id, 'escalation_awaiting_vendor_case', SYSTEM_ACTOR, { escalationId: row.id, tier: row.tier });
        }
      });
      return { kind: 'awaiting_vendor_case' };
    }

    const deliveryId = randomUUID();
    const started = Date.now();
    const at = new Date();
    let httpStatus: number | null = null;
    let error: string | null = null;
    let vendorCaseId: string | null = null;

    if (!tier?.webhookUrl || !tier.secret) {
      error = `the ${row.tier} tier has no webhook configured`;
    } else {
      const body = JSON.stringify(await this.payload(row));
      try {
        const response = await fetch(tier.webhookUrl, {
          method: 'POST',
          redirect: 'manual',
          signal: AbortSignal.timeout(tier.timeoutMs),
          headers: {
            'Content-Type': 'application/json',
            'X-Helpdesk-Event': 'escalation.created',
            'X-Helpdesk-Delivery': deliveryId,
            'Idempotency-Key': row.id,
            'X-Helpdesk-Signature': signBody(body, tier.secret),
          },
          body,
        });
        httpStatus = response.status;
        const text = (await response.text()).slice(0, MAX_RESPONSE_CHARS);
        if (response.ok) vendorCaseId = caseIdOf(text);
        else error = `HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`;
      } catch (e) {
        error = describeFetchError(e, tier.timeoutMs);
      }
    }
    const durationMs = Date.now() - started;
    const final = ctx.attempt >= ctx.maxAttempts;

    return this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO escalation_attempts (escalation_id, delivery_id, at, http_status, error, duration_ms) VALUES ($1, $2, $3, $4, $5, $6)`,
        [row.id, deliveryId, at, httpStatus, error, durationMs],
      );
      if (error === null) {
        const moved = await this.move(manager, row, 'submitted', { vendor_case_id: vendorCaseId, submitted_at: new Date(), last_error: null });
        if (moved) {
          await this.timeline.record(manager, row.ticket_id, 'escalation_submitted', SYSTEM_ACTOR, {
            escalationId: row.id,
            tier: row.tier,
            vendorCaseId,
            deliveryId,
          });
        }
        return { kind: 'submitted' as const, vendorCaseId };
      }
      if (!final) {
        await manager.query(`UPDATE escalations SET last_error = $2, updated_at = now() WHERE id = $1 AND status = 'queued'`, [row.id, error]);
        return { kind: 'retry' as const, error };
      }
      if (await this.move(manager, row, 'failed', { last_error: error })) {
        await this.timeline.record(manager, row.ticket_id, 'escalation_failed', SYSTEM_ACTOR, {
          escalationId: row.id,
          tier: row.tier,
          attempts: ctx.attempt,
          error,
        });
      }
      return { kind: 'failed' as const, error, ticketId: row.ticket_id };
    });
  }

  /**
   * queued → `to`, only if still queued. The ticket is key-share locked first so that every
   * writer takes the ticket before the escalation (no deadlock with agents' changes).
   */
  private async move(manager: EntityManager, row: EscalationRow, to: string, columns: Record<string, unknown>): Promise<boolean> {
    await manager.query(`SELECT 1 FROM tickets WHERE id = $1 FOR KEY SHARE`, [row.ticket_id]);
    const names = Object.keys(columns);
    const [, count]: [unknown[], number] = await manager.query(
      `UPDATE escalations SET status = $2, ${names.map((c, i) => `${c} = $${i + 3}`).join(', ')}${names.length ? ', ' : ''}updated_at = now()
        WHERE id = $1 AND status = 'queued'`,
      [row.id, to, ...names.map((c) => columns[c])],
    );
    return count === 1;
  }

  /** What the vendor receives. */
  private async payload(row: EscalationRow): Promise<Record<string, unknown>> {
    const [ticket] = await this.dataSource.query(`SELECT * FROM tickets WHERE id = $1`, [row.ticket_id]);
    const [customer] = await this.dataSource.query(`SELECT id, name, domain FROM customers WHERE id = $1`, [ticket.customer_id]);
    const events = await this.timeline.list(row.ticket_id);
    return {
      escalationId: row.id,
      tier: row.tier,
      reason: row.reason,
      ticket: {
        id: ticket.id,
        number: formatTicketNumber(ticket.number),
        subject: ticket.subject,
        description: ticket.description,
        category: ticket.category,
        product: ticket.product,
        priority: ticket.priority,
        status: ticket.status,
        createdAt: new Date(ticket.created_at).toISOString(),
        diagnosis: ticket.diagnosis ?? null,
        inScope: ticket.in_scope ?? null,
        timeline: events.map((e) => ({ type: e.type, at: e.at, actor: e.actor.kind })),
      },
      customer: { id: customer.id, name: customer.name, domain: customer.domain },
      entitlementsSnapshot: row.entitlements_snapshot,
      escalatedAt: new Date(row.created_at).toISOString(),
    };
  }
}

function caseIdOf(text: string): string | null {
  try {
    const parsed = JSON.parse(text) as { caseId?: unknown };
    if (typeof parsed?.caseId === 'string' && parsed.caseId.length > 0) return parsed.caseId.slice(0, 200);
    if (typeof parsed?.caseId === 'number') return String(parsed.caseId);
  } catch {
    // a 2xx without JSON is still accepted
  }
  return null;
}

function describeFetchError(e: unknown, timeoutMs: number): string {
  const error = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (error?.name === 'TimeoutError' || error?.name === 'AbortError') return `timed out after ${timeoutMs} ms`;
  const cause = error?.cause?.code ?? error?.cause?.message;
  return `${error?.message ?? 'request failed'}${cause ? ` (${cause})` : ''}`.slice(0, 500);
}
