import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { actorOf, mayWorkTicket, Principal, StaffRole } from '@helpdesk/auth';
import { OutboxService, queryPrepared } from '@helpdesk/database';
import { DomainError, DomainErrorCode, FieldErrorCode } from '@helpdesk/http';
import { JOB_NAME, LiveEvents, QueueName } from '@helpdesk/queue';
import type { Priority } from '../support-plans/support-plan.entity';
import type { TicketCategory, TicketChannel, TicketProduct } from './ticket-fields';
import { CustomerTicketView, TicketPresenter } from './ticket-presenter';
import { TicketRow, TicketView } from './ticket.view';
import { INSERT_CHANNEL_TICKETS, INSERT_TICKET } from './ticket-writes';

export interface NewTicket {
  customerId?: string;
  subject: string;
  description: string;
  category?: TicketCategory;
  product?: TicketProduct;
  severity?: Priority;
  channel?: TicketChannel;
  requester: { name: string; email: string };
  externalId?: string;
}

/** A ticket a channel files for a customer (no category, product or severity: triage sets them). */
export interface ChannelTicket {
  customerId: string;
  subject: string;
  description: string;
  channel: TicketChannel;
  requester: { name: string; email: string };
  externalId: string;
}

export interface IntakeResult {
  ticket: TicketView | CustomerTicketView;
  /** false when an idempotent repeat returned the original ticket. */
  created: boolean;
}

/** The front door: accepts tickets exactly once. */
@Injectable()
export class TicketIntakeService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly presenter: TicketPresenter,
    private readonly liveEvents: LiveEvents,
    private readonly outbox: OutboxService,
  ) {}

  async create(principal: Principal, input: NewTicket, idempotencyKey?: string): Promise<IntakeResult> {
    const result = await this.accept(principal, input, idempotencyKey);
    if (result.created) {
      // Committed by now (one statement, or the idempotency transaction has returned).
      this.outbox.wakeRelays();
      const { id, number, customerId, subject, priority, channel } = result.ticket;
      this.liveEvents.publish('ticket.created', { id, number, customerId, subject, priority, channel });
    }
    return result;
  }

  /**
   * A ticket a channel (e-mail) files for a customer inside the channel's own transaction, so that
   * the channel records what it made of a message in the same commit. Repeats of an `externalId`
   * return the original (`created: false`). The caller wakes the relays after its commit. With the
   * stored row, for what the channel composes from it in the same transaction (no second read).
   */
  async fileInTransaction(manager: EntityManager, customerId: string, input: Omit<NewTicket, 'customerId'> & { channel: TicketChannel }): Promise<IntakeResult & { row: TicketRow }> {
    const principal: Principal = { kind: 'customer', customerId, tokenId: `channel:${input.channel}` };
    return this.insert(manager, principal, { ...input, customerId });
  }

  /**
   * fileInTransaction for many tickets in one statement (a channel's batch), each by its own
   * customer: the results in the order of `inputs`. A repeated (customer, externalId) — of an
   * earlier ticket, or twice in `inputs` — is the original ticket with `created: false`.
   * `prepared`: the statement is parsed and planned once per connection, also inside the caller's
   * transaction (planning it is about a third of its cost for a batch of four); a migration that
   * changed `tickets` meanwhile then aborts the transaction with a stale-plan error
   * (`isStalePlanError`), and the caller runs it again without.
   */
  async fileManyInTransaction(manager: EntityManager, inputs: readonly ChannelTicket[], options: { prepared?: boolean } = {}): Promise<Array<{ created: boolean; row: TicketRow }>> {
    if (inputs.length === 0) return [];
    const ids = inputs.map(() => randomUUID());
    let rows: TicketRow[];
    try {
      rows = await queryPrepared<TicketRow>(manager, INSERT_CHANNEL_TICKETS, [
        ids,
        inputs.map((t) => t.customerId),
        inputs.map((t) => t.subject),
        inputs.map((t) => t.description),
        inputs.map((t) => t.channel),
        inputs.map((t) => t.requester.name),
        inputs.map((t) => t.requester.email.toLowerCase()),
        inputs.map((t) => t.externalId),
        QueueName.Triage,
        JOB_NAME[QueueName.Triage],
      ], { nameInTransaction: options.prepared === true });
    } catch (error) {
      if ((error as { code?: string }).code === '23503') {
        throw DomainError.invalid('customerId', `no customer has one of the ids ${[...new Set(inputs.map((t) => t.customerId))].join(', ')}`, FieldErrorCode.UnknownId);
      }
      throw error;
    }
    const made = new Map(rows.map((row) => [row.id, row]));
    const key = (customerId: string, externalId: string) => `${customerId} ${externalId}`;
    const missing = inputs.filter((_, i) => !made.has(ids[i]));
    const originals = new Map<string, TicketRow>();
    if (missing.length > 0) {
      const existing: TicketRow[] = await manager.query(
        `SELECT t.* FROM tickets t JOIN unnest($1::uuid[], $2::text[]) AS k(customer_id, external_id)
            ON t.customer_id = k.customer_id AND t.external_id = k.external_id`,
        [missing.map((t) => t.customerId), missing.map((t) => t.externalId)],
      );
      for (const row of existing) originals.set(key(row.customer_id, row.external_id!), row);
    }
    return inputs.map((t, i) => {
      const row = made.get(ids[i]);
      if (row) return { created: true, row };
      const original = originals.get(key(t.customerId, t.externalId));
      if (!original) throw new Error(`ticket ${t.externalId} of customer ${t.customerId} was neither inserted nor found`);
      return { created: false, row: original };
    });
  }

  private async accept(principal: Principal, input: NewTicket, idempotencyKey?: string): Promise<IntakeResult> {
    assertMayFile(principal, input);
    const customerId = this.customerFor(principal, input.customerId);
    const ticket = { ...input, customerId, channel: input.channel ?? (principal.kind === 'customer' ? 'portal' : 'api') };

    if (!idempotencyKey) return this.insert(this.dataSource.manager, principal, ticket);

    const caller = principal.kind === 'staff' ? `staff:${principal.agentId}` : `customer:${principal.customerId}`;
    const requestHash = hashRequest(ticket);
    return this.dataSource.transaction(async (manager) => {
      const ticketId = randomUUID();
      // Concurrent repeats wait here on the key's unique index until the first one commits.
      const claimed: unknown[] = await manager.query(
        `INSERT INTO idempotency_keys (caller, key, request_hash, ticket_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT (caller, key) DO NOTHING RETURNING ticket_id`,
        [caller, idempotencyKey, requestHash, ticketId],
      );
      if (claimed.length === 0) {
        const [prior]: Array<{ request_hash: string; ticket_id: string }> = await manager.query(
          `SELECT request_hash, ticket_id FROM idempotency_keys WHERE caller = $1 AND key = $2`,
          [caller, idempotencyKey],
        );
        if (prior.request_hash !== requestHash) {
          throw new DomainError(
            DomainErrorCode.IdempotencyMismatch,
            'This Idempotency-Key was already used with a different request body',
            { errors: [{ field: 'Idempotency-Key', message: 'was used before with a different body' }] },
          );
        }
        return { ticket: await this.load(manager, prior.ticket_id, principal), created: false };
      }
      const result = await this.insert(manager, principal, ticket, ticketId);
      if (!result.created) {
        await manager.query(`UPDATE idempotency_keys SET ticket_id = $3 WHERE caller = $1 AND key = $2`, [caller, idempotencyKey, result.ticket.id]);
      }
      return result;
    });
  }

  private customerFor(principal: Principal, named?: string): string {
    if (principal.kind === 'customer') {
      if (named && named.toLowerCase() !== principal.customerId) {
        throw new DomainError(DomainErrorCode.Forbidden, 'A customer token may only file tickets for its own customer', {
          errors: [{ field: 'customerId', message: 'must be your own customer id (or left out)' }],
        });
      }
      return principal.customerId;
    }
    if (!named) throw DomainError.invalid('customerId', 'customerId is required for staff tokens');
    return named.toLowerCase();
  }

  private async insert(
    manager: EntityManager,
    principal: Principal,
    t: NewTicket & { customerId: string; channel: TicketChannel },
    id = randomUUID(),
  ): Promise<IntakeResult & { row: TicketRow }> {
    const actor = actorOf(principal);
    let rows: TicketRow[];
    try {
      rows = await queryPrepared<TicketRow>(manager, INSERT_TICKET, [
        id,
        t.customerId,
        t.subject,
        t.description,
        t.category ?? null,
        t.product ?? null,
        t.severity ?? null,
        t.severity ?? 'P3',
        t.channel,
        t.requester.name,
        t.requester.email.toLowerCase(),
        t.externalId ?? null,
        actor.kind,
        actor.id,
        QueueName.Triage,
        JOB_NAME[QueueName.Triage],
      ]);
    } catch (error) {
      if ((error as { code?: string }).code === '23503') {
        throw DomainError.invalid('customerId', `no customer has the id ${t.customerId}`, FieldErrorCode.UnknownId);
      }
      throw error;
    }
    // The answer to filing leaves out the fields that cost a query (billing status): GET has them.
    if (rows.length > 0) return { ticket: await this.presenter.presentOne(principal, rows[0], manager, false), created: true, row: rows[0] };
    // Same customer + externalId: the original ticket, nothing new.
    const [existing]: TicketRow[] = await manager.query(`SELECT * FROM tickets WHERE customer_id = $1 AND external_id = $2`, [t.customerId, t.externalId]);
    return { ticket: await this.presenter.presentOne(principal, existing, manager, false), created: false, row: existing };
  }

  private async load(manager: EntityManager, id: string, principal: Principal): Promise<TicketView | CustomerTicketView> {
    const [row]: TicketRow[] = await manager.query(`SELECT * FROM tickets WHERE id = $1`, [id]);
    return this.presenter.presentOne(principal, row, manager, false);
  }
}

/**
 * Staff file tickets they may work: billing_admin files billing matters only (category `billing`),
 * sales_agent none. Customers file their own (customerFor).
 */
function assertMayFile(principal: Principal, input: NewTicket): void {
  if (principal.kind !== 'staff' || mayWorkTicket(principal.roles, input.category ?? null)) return;
  if (principal.roles.includes(StaffRole.BillingAdmin)) {
    throw new DomainError(DomainErrorCode.Forbidden, 'A billing_admin files billing tickets only', {
      errors: [{ field: 'category', message: 'must be billing for a billing_admin' }],
    });
  }
  throw new DomainError(DomainErrorCode.Forbidden, `Staff with the roles ${principal.roles.join(', ')} do not file tickets`);
}

/** A stable hash of the request body (keys sorted), to tell a true repeat from a reused key. */
export function hashRequest(body: object): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.keys(v).sort().filter((k) => (v as Record<string, unknown>)[k] !== undefined).map((k) => [k, canonical((v as Record<string, unknown>)[k])]))
        : v;
  return createHash('sha256').update(JSON.stringify(canonical(body))).digest('hex');
}
