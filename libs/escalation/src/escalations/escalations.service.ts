import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, actorOf, hasRole, Principal, StaffRole } from '@helpdesk/auth';
import { ProductHold, SuspendedProducts } from '@helpdesk/billing';
import { OutboxService, preparedFirst, outboxRowPerRowSql, prepared, queryPrepared } from '@helpdesk/database';
import { DOMAIN_ERROR_STATUS, DomainError, DomainErrorCode, FieldErrorCode } from '@helpdesk/http';
import { assertTransition, eventPerRowSql, ticketChangeSql, TicketRow, TicketsService } from '@helpdesk/intake';
import { ESCALATION_QUEUES, JOB_NAME, LiveEvents } from '@helpdesk/queue';
import { RoutingDecision, RoutingError, RoutingErrorKind, routeEscalation } from '../routing/route-escalation';
import { EscalationTier, TECHNICAL_TIERS } from '../routing/tiers';
import { StoredEntitlements, todayUtc } from '../entitlements/entitlements.service';
import { EscalationRow, EscalationStatus, EscalationTrigger, EscalationView, escalationView } from './escalation.view';
import { isOpenSql, mapOpenEscalationConflict } from './open-escalation';

export interface EscalateInput {
  reason: string;
  tier?: EscalationTier;
  /** Why a technical case goes to the vendor although the partner suspended the product (admins only). */
  billingOverride?: string;
}

/** What escalating needs to know besides the ticket. */
export interface EscalationContext {
  open: { id: string; status: EscalationStatus } | null;
  entitlements: StoredEntitlements;
  /** The partner's suspensions of the ticket's product for this customer (billing's SuspendedProducts). */
  holds?: ProductHold[];
}

/** Why escalating would be refused (the `reason` of its 409/422 problem). */
export const ESCALATION_REFUSAL_CODES = Object.freeze([
  'ticket_closed',
  'open_escalation',
  'no_category',
  'no_eligible_tier',
  'tier_not_eligible',
  'tier_not_applicable',
  'product_suspended',
  'invalid_transition',
] as const);

export type EscalationRefusalCode = (typeof ESCALATION_REFUSAL_CODES)[number];

/** Every routing refusal is one of the codes above (a new routing error kind fails to compile until listed). */
const ROUTING_KINDS_LISTED: RoutingErrorKind extends EscalationRefusalCode ? true : never = true;
void ROUTING_KINDS_LISTED;

export interface EscalationRefusal {
  code: EscalationRefusalCode;
  /** The HTTP status escalating would answer. */
  status: number;
  /** The problem's detail, in English. */
  detail: string;
  /** product_suspended: the suspended product, the roles that may escalate with billingOverride, and whether the caller has one. */
  product?: string | null;
  overridableBy?: StaffRole[];
  mayOverride?: boolean;
}

/** What POST /tickets/:id/escalations would decide now (nothing is written). */
export interface EscalationPreview extends RoutingDecision {
  refusal: EscalationRefusal | null;
  competency: StoredEntitlements['competency'];
  premier: StoredEntitlements['premier'];
  advanced: StoredEntitlements['advanced'];
  /** The date the contracts were judged on (YYYY-MM-DD, UTC). */
  today: string;
}

/** The refusals a preview describes instead of answering them (a 404 stays a 404). */
const REFUSALS = new Set([DomainErrorCode.Conflict, DomainErrorCode.InvalidTransition, DomainErrorCode.Unprocessable]);

/** Who may send a technical case about a product the partner suspended to the vendor anyway. */
const BILLING_OVERRIDERS: readonly StaffRole[] = [StaffRole.GlobalAdmin, StaffRole.AdminAgent];

/** Columns read next to the locked ticket (suffixed so that they never clash with a ticket column). */
interface LockedTicketExtras {
  open_escalation__: { id: string; status: EscalationStatus } | null;
  competency__: StoredEntitlements['competency'];
  premier__: StoredEntitlements['premier'];
  advanced__: StoredEntitlements['advanced'];
}

const CONTEXT_COLUMNS = `
  (SELECT json_build_object('id', o.id, 'status', o.status) FROM escalations o
    WHERE o.ticket_id = $1 AND ${isOpenSql('o')} LIMIT 1) AS open_escalation__,
  en.competency AS competency__, en.premier AS premier__, en.advanced AS advanced__`;

/** The ticket, locked, with its open escalation and the entitlements: one round trip. */
const LOCK_TICKET_WITH_CONTEXT = prepared(
  'escalation-lock-ticket-with-context',
  `SELECT t.*, ${CONTEXT_COLUMNS}
     FROM tickets t CROSS JOIN entitlements en
    WHERE t.id = $1 AND en.id = 1
      FOR UPDATE OF t`,
);

const ESCALATION_CONTEXT = `SELECT ${CONTEXT_COLUMNS} FROM entitlements en WHERE en.id = 1`;

/** The escalation, its `escalated` event and its queue hand-off (outbox row): one statement. */
const INSERT_ESCALATION = prepared(
  'escalation-insert',
  `
  WITH e AS (
    INSERT INTO escalations (id, ticket_id, tier, status, trigger, reason, routing, entitlements_snapshot, actor_kind, actor_id, created_at, updated_at)
    VALUES ($1, $2, $3, 'queued', $4, $5, $6, $7, $8, $9, $10, $10)
    RETURNING *
  ), event AS (
    ${eventPerRowSql('e', { ticketId: 'ticket_id', type: `'escalated'`, actorKind: '$8', actorId: '$9', data: '$11::jsonb', at: '$10' })}
  ), handoff AS (
    ${outboxRowPerRowSql('e', { queue: '$12', jobName: '$13', jobId: 'id::text', payload: `jsonb_build_object('escalationId', id)` })}
  )
  SELECT * FROM e`,
);

/** The ticket with what the rules need, read outside any transaction, and the versions the write checks. */
type ReadTicket = TicketRow &
  LockedTicketExtras & {
    /** The ticket's and the entitlements' `xmin`: they change with every write to the row. */
    row_version__: string;
    entitlements_version__: string;
  };

export const READ_TICKET_WITH_CONTEXT = prepared(
  'escalation-read-ticket-with-context',
  `SELECT t.*, t.xmin::text AS row_version__, en.xmin::text AS entitlements_version__, ${CONTEXT_COLUMNS}
     FROM tickets t CROSS JOIN entitlements en
    WHERE t.id = $1 AND en.id = 1`,
);

/**
 * The whole escalation as one statement (so one transaction): the ticket's status change with its
 * `status_changed` event (intake's ticketChangeSql, applied only if neither the ticket nor the
 * entitlements changed since they were read), then the escalation, its `escalated` event (in the
 * same ordered insert, after the ticket's events) and its outbox row. No row back: something
 * changed since the read (read and decide again). A second open escalation is still refused by
 * the `escalations_open_ticket_key` index (→ 409).
 */
const ESCALATE_CHANGE = ticketChangeSql(['status'], `(SELECT xmin FROM entitlements WHERE id = 1) = $16::text::xid`);
const ESCALATE = prepared(
  'escalation-escalate',
  `
  WITH ${ESCALATE_CHANGE.ctes},
  e AS (
    INSERT INTO escalations (id, ticket_id, tier, status, trigger, reason, routing, entitlements_snapshot, actor_kind, actor_id, created_at, updated_at)
    SELECT $8, changed.id, $9, 'queued', $10, $11, $12, $13, $4, $5, $3, $3 FROM changed
    RETURNING *
  ), handoff AS (
    ${outboxRowPerRowSql('e', { queue: '$14', jobName: '$15', jobId: 'id::text', payload: `jsonb_build_object('escalationId', id)` })}
  )
  SELECT * FROM e`,
);
if (ESCALATE_CHANGE.nextParam !== 8) throw new Error('escalation-escalate: the ticket change takes $1–$7');

/** Optimistic attempts (read, decide, write if unchanged) before escalating under a lock instead. */
const OPTIMISTIC_ATTEMPTS = 3;

/**
 * Escalating tickets to vendor tiers: an agent's request and the SLA policy's. What follows (the
 * vendor's progress, retries) is EscalationUpdatesService; reading is EscalationReadsService.
 */
@Injectable()
export class EscalationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tickets: TicketsService,
    private readonly outbox: OutboxService,
    private readonly live: LiveEvents,
    private readonly suspended: SuspendedProducts,
  ) {}

  /**
   * One transaction: the escalation, the ticket's status, its timeline and the queue hand-off.
   *
   * Optimistic, like triage: the ticket, its open escalation and the entitlements are read outside
   * any transaction (one prepared statement), the rules decide, and everything is written by one
   * prepared statement (ESCALATE) that applies only if the ticket and the entitlements are still as
   * read; otherwise it is read and decided again: two round trips, no open transaction. When a ticket
   * hook has work to do for this change (the SLA clock resuming on a waiting_on_customer ticket),
   * or the ticket kept changing, the escalation is made in a transaction holding the ticket's lock.
   */
  async escalate(principal: Principal, ticketId: string, input: EscalateInput): Promise<EscalationView> {
    const actor = actorOf(principal);
    if (input.billingOverride !== undefined && !hasRole(principal, BILLING_OVERRIDERS)) {
      throw new DomainError(DomainErrorCode.Forbidden, 'Only global_admin and admin_agent may override a billing suspension when escalating', {
        errors: [{ field: 'billingOverride', message: 'needs the global_admin or admin_agent role', code: FieldErrorCode.NotAllowed }],
      });
    }
    let row: EscalationRow | null = null;
    for (let attempt = 1; row === null && attempt <= OPTIMISTIC_ATTEMPTS; attempt++) {
      const outcome = await this.escalateOptimistically(ticketId, input, actor);
      if (outcome === 'needs-lock') break;
      row = outcome;
    }
    row ??= await this.escalateUnderLock(ticketId, input, actor);
    this.outbox.wakeRelays();
    this.live.publish('ticket.escalated', { escalationId: row.id, ticketId: row.ticket_id, tier: row.tier, trigger: 'manual' });
    return escalationView(row);
  }

  /**
   * Read, decide, write if unchanged. The escalation; null when the ticket or the entitlements
   * changed since the read (nothing written); 'needs-lock' when a hook must run in the change's
   * transaction.
   */
  private async escalateOptimistically(ticketId: string, input: EscalateInput, actor: Actor): Promise<EscalationRow | null | 'needs-lock'> {
    const { ticket, open, entitlements, holds, rowVersion, entitlementsVersion } = await this.read(ticketId);
    const at = new Date();
    const routing = this.decide(ticket, input, { open, entitlements, holds }, at);
    const change = this.tickets.planChange(ticket, { status: 'escalated' }, actor, at);
    if (!change) return 'needs-lock';
    const tier = routing.chosen!;
    const id = randomUUID();
    const queue = ESCALATION_QUEUES[tier];
    const escalated = { type: 'escalated', data: { escalationId: id, tier, trigger: 'manual', reason: input.reason, routing, ...overridden(input, holds) } };
    const rows = await mapOpenEscalationConflict(() =>
      queryPrepared<EscalationRow>(this.dataSource.manager, ESCALATE, [
        ticket.id,
        rowVersion,
        at,
        actor.kind,
        actor.id,
        JSON.stringify([...change.events, escalated]),
        ...change.values,
        id,
        tier,
        'manual',
        input.reason,
        JSON.stringify(routing),
        JSON.stringify(entitlements),
        queue,
        JOB_NAME[queue],
        entitlementsVersion,
      ]),
    );
    return rows[0] ?? null;
  }

  /**
   * What escalating the ticket would decide now, written nowhere: the same read and the same rules
   * (`decide`) as `escalate`, with a refusal described instead of thrown. A billing override is not
   * assumed: a suspended product shows as a refusal that names who may override it.
   */
  async preview(principal: Principal, ticketId: string, input: { tier?: EscalationTier }): Promise<EscalationPreview> {
    const { ticket, open, entitlements, holds } = await this.read(ticketId);
    const at = new Date();
    const contracts = { competency: entitlements.competency, premier: entitlements.premier, advanced: entitlements.advanced, today: todayUtc(at) };
    try {
      const routing = this.decide(ticket, { reason: '', tier: input.tier }, { open, entitlements, holds }, at);
      return { ...routing, refusal: null, ...contracts };
    } catch (error) {
      if (!(error instanceof DomainError) || !REFUSALS.has(error.code)) throw error;
      const { reason, routing } = error.extensions as { reason?: EscalationRefusalCode; routing?: RoutingDecision };
      const code: EscalationRefusalCode = reason ?? 'invalid_transition';
      const refusal: EscalationRefusal = { code, status: DOMAIN_ERROR_STATUS[error.code], detail: error.message };
      if (code === 'product_suspended') {
        refusal.product = ticket.product;
        refusal.overridableBy = [...BILLING_OVERRIDERS];
        refusal.mayOverride = hasRole(principal, BILLING_OVERRIDERS);
      }
      // A suspended product still shows the tier an override would send the case to.
      return { considered: routing?.considered ?? [], chosen: code === 'product_suspended' ? (routing?.chosen ?? null) : null, refusal, ...contracts };
    }
  }

  /** The ticket with what the rules need (one prepared statement, no transaction) and the product's suspensions. */
  private async read(ticketId: string) {
    const [found] = await queryPrepared<ReadTicket>(this.dataSource.manager, READ_TICKET_WITH_CONTEXT, [ticketId]);
    if (!found) throw DomainError.notFound('Ticket', ticketId);
    const {
      open_escalation__: open,
      competency__: competency,
      premier__: premier,
      advanced__: advanced,
      row_version__: rowVersion,
      entitlements_version__: entitlementsVersion,
      ...rest
    } = found;
    const ticket = rest as TicketRow;
    const holds = await this.holds(this.dataSource.manager, ticket);
    return { ticket, open, entitlements: { competency, premier, advanced }, holds, rowVersion, entitlementsVersion };
  }

  /** The same escalation in a transaction that locks the ticket first (hooks run inside it). */
  private async escalateUnderLock(ticketId: string, input: EscalateInput, actor: Actor): Promise<EscalationRow> {
    const attempt = (prepare: boolean) =>
      this.inTransaction(async (manager) => {
        const [found] = await queryPrepared<TicketRow & LockedTicketExtras>(manager, LOCK_TICKET_WITH_CONTEXT, [ticketId], {
          nameInTransaction: prepare,
        });
        if (!found) throw DomainError.notFound('Ticket', ticketId);
        const { open_escalation__: open, competency__: competency, premier__: premier, advanced__: advanced, ...ticket } = found;
        return this.escalateLocked(manager, ticket as TicketRow, input, actor, 'manual', new Date(), { open, entitlements: { competency, premier, advanced } }, prepare);
      });
    // Again unprepared when a migration changed `tickets` under this process's prepared statement.
    return preparedFirst(attempt);
  }

  /**
   * Escalates a ticket locked by the caller's transaction (manual requests and the SLA policy).
   * `known` is what the caller read with the lock (the open escalation, entitlements); it is read
   * here (one query) when not given.
   */
  async escalateLocked(
    manager: EntityManager,
    ticket: TicketRow,
    input: EscalateInput,
    actor: Actor,
    trigger: EscalationTrigger,
    at = new Date(),
    known?: EscalationContext,
    prepare = false,
  ): Promise<EscalationRow> {
    const { entitlements, open } = known ?? (await this.context(manager, ticket.id));
    const holds = known?.holds ?? (await this.holds(manager, ticket));
    const routing = this.decide(ticket, input, { open, entitlements, holds }, at);
    const tier = routing.chosen!;

    // The ticket change first (its status_changed event precedes `escalated` on the timeline).
    await this.tickets.apply(manager, ticket, { status: 'escalated' }, actor, at);
    const id = randomUUID();
    const queue = ESCALATION_QUEUES[tier];
    const [row] = await queryPrepared<EscalationRow>(manager, INSERT_ESCALATION, [
      id,
      ticket.id,
      tier,
      trigger,
      input.reason,
      JSON.stringify(routing),
      JSON.stringify(entitlements),
      actor.kind,
      actor.id,
      at,
      JSON.stringify({ escalationId: id, tier, trigger, reason: input.reason, routing, ...overridden(input, holds) }),
      queue,
      JOB_NAME[queue],
    ], { nameInTransaction: prepare });
    return row;
  }

  /**
   * The rules of escalating, on the ticket as read and what was read with it: 409 for a resolved or
   * closed ticket or an open escalation, 422 without a category or without a tier the partner may
   * use (entitlements and routing), the ticket's transition to `escalated`. The routing decision.
   */
  private decide(ticket: TicketRow, input: EscalateInput, { open, entitlements, holds = [] }: EscalationContext, at: Date): RoutingDecision {
    if (ticket.status === 'resolved' || ticket.status === 'closed') {
      throw new DomainError(DomainErrorCode.Conflict, `Ticket ${ticket.id} is ${ticket.status}; reopen it before escalating`, {
        reason: 'ticket_closed' satisfies EscalationRefusalCode,
      });
    }
    if (open) {
      throw new DomainError(DomainErrorCode.Conflict, `Ticket ${ticket.id} already has an open escalation (${open.id}, ${open.status})`, {
        reason: 'open_escalation' satisfies EscalationRefusalCode,
        escalationId: open.id,
      });
    }
    if (ticket.category === null) {
      throw new DomainError(DomainErrorCode.Unprocessable, 'The ticket has no category yet; triage it before escalating', {
        reason: 'no_category' satisfies EscalationRefusalCode,
      });
    }
    let routing: RoutingDecision;
    try {
      routing = routeEscalation({
        category: ticket.category,
        priority: ticket.priority,
        requestedTier: input.tier,
        entitlements,
        today: todayUtc(at),
      });
    } catch (error) {
      if (error instanceof RoutingError) {
        throw new DomainError(DomainErrorCode.Unprocessable, error.message, { reason: error.kind, routing: error.decision });
      }
      throw error;
    }
    if (holds.length > 0 && TECHNICAL_TIERS.includes(routing.chosen!) && input.billingOverride === undefined) {
      throw new DomainError(
        DomainErrorCode.Unprocessable,
        `The partner has suspended ${ticket.product} for this customer (${holds[0].origin === 'collections' ? 'non-payment' : holds[0].reason}): ` +
          'the vendor cannot work a technical case about a product the customer cannot use. Restore it first, or an admin may escalate with billingOverride (a reason).',
        { reason: 'product_suspended' satisfies EscalationRefusalCode, product: ticket.product, suspensions: holds, routing },
      );
    }
    assertTransition(ticket.status, 'escalated', 'system');
    return routing;
  }

  /** The partner's suspensions of the ticket's product (none when the ticket names no product). */
  private holds(manager: EntityManager, ticket: TicketRow): Promise<ProductHold[]> {
    return ticket.product === null ? Promise.resolve([]) : this.suspended.holds(ticket.customer_id, ticket.product, manager);
  }

  /** What escalating a ticket checks besides the ticket: its open escalation and today's entitlements (one query). */
  private async context(manager: EntityManager, ticketId: string): Promise<EscalationContext> {
    const [row]: Array<LockedTicketExtras> = await manager.query(ESCALATION_CONTEXT, [ticketId]);
    return { open: row.open_escalation__, entitlements: { competency: row.competency__, premier: row.premier__, advanced: row.advanced__ } };
  }

  /** Runs `work` in a transaction; the one-open-escalation index turns a race into a 409. */
  private inTransaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return mapOpenEscalationConflict(() => this.dataSource.transaction(work));
  }


}

/** What the escalated event records of an override: its reason and the suspensions it went past. */
function overridden(input: EscalateInput, holds: readonly ProductHold[]): { billingOverride?: { reason: string; suspensions: string[] } } {
  return input.billingOverride !== undefined && holds.length > 0 ? { billingOverride: { reason: input.billingOverride, suspensions: holds.map((h) => h.suspensionId) } } : {};
}
