import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { AgentsService, Principal, StaffPrincipal, SYSTEM_ACTOR } from '@helpdesk/auth';
import { AppConfig } from '@helpdesk/config';
import { isStalePlanError, keepConnectionsWarm } from '@helpdesk/database';
import { DomainError, DomainErrorCode, FieldErrorCode, Problem, toProblem } from '@helpdesk/http';
import { hashRequest } from './ticket-intake.service';
import { changedTags, MAX_TAGS_PER_TICKET } from './ticket-tags';
import type { TicketChangePatch } from './ticket-writes';
import type { TicketRow } from './ticket.view';
import { TicketPatch, TicketsService } from './tickets.service';

export const MAX_BULK_TICKETS = 500;

/** Deadlock and serialization failures: the change is tried again, up to ATTEMPTS times. */
const RETRYABLE = new Set(['40P01', '40001']);
const ATTEMPTS = 3;

/**
 * Ticket changes of one bulk request running at once, at most. Each is a short transaction of its
 * own; several in flight hide the round trips of the others and keep both cores busy, while the
 * changes that assign one agent queue on that agent's row (see TicketsService.change) only for
 * their write and commit. Never more than half the API's pool with the request's own connection
 * (`bulkConcurrency`): the rest of the API keeps its connections while a bulk runs.
 */
const BULK_CONCURRENCY = 8;

/**
 * Bulk requests running at once in one process; more wait their turn. Each holds up to
 * 1 + bulkConcurrency connections, and a keyed one holds its claim's connection while its tickets
 * wait for theirs: without a bound, enough concurrent keyed requests would hold every connection
 * of the pool as claims and wait for ever.
 */
const BULK_REQUESTS_AT_ONCE = 1;

/** Ticket changes in flight for a pool of `poolSize` connections: with the claim, at most half of it. */
export function bulkConcurrency(poolSize: number): number {
  return Math.max(1, Math.min(BULK_CONCURRENCY, Math.floor(poolSize / 2) - 1));
}

/**
 * How each ticket's transaction of a bulk change begins: its commit not waiting for the WAL flush,
 * and the agents' open-ticket counter written at the commit (both explained at `one`).
 */
export const BULK_TICKET_BEGIN = `START TRANSACTION; SET LOCAL synchronous_commit = off; SET CONSTRAINTS tickets_agent_open_update DEFERRED`;

/** No ticket or agent has it: on a database without a closed ticket, the warm-up's statements find no row. */
const NO_ID = '00000000-0000-0000-0000-000000000000';

/**
 * The warm-up's own limits (its transaction only): it gives up rather than wait on a lock that
 * someone holds, and never runs long. It takes no lock a user waits on for longer than it runs: the
 * ticket it changes is one nobody holds (SKIP LOCKED), and an agent's row only FOR KEY SHARE (as
 * every assignment does), for the few milliseconds before its ROLLBACK.
 */
const WARM_UP_LIMITS = `SET LOCAL lock_timeout = '200ms'; SET LOCAL statement_timeout = '2s'`;

/** The row the warm-up changes and rolls back: the oldest closed ticket that nobody holds. */
const WARM_UP_TICKET = `SELECT id FROM tickets WHERE status = 'closed' ORDER BY number LIMIT 1 FOR UPDATE SKIP LOCKED`;

/** An active agent the warm-up's change assigns (not the ticket's own assignee: the assignment must change). */
const WARM_UP_AGENT = `SELECT id FROM agents WHERE deactivated_at IS NULL AND id IS DISTINCT FROM $1 ORDER BY created_at, id LIMIT 1`;

/** The tag the warm-up's change adds. */
export const WARM_UP_TAG = 'bulk-warm-up';

/**
 * The change the warm-up makes to a closed ticket (and rolls back): every field a bulk request may
 * set at once, so that the write fires every trigger a bulk change does (the status's, the
 * assignee's, the tags'), checks the assignee's foreign key and recomputes the SLA clock (the
 * priority). A closed ticket stays out of every open count whatever it becomes: `resolved` is not
 * open either, so the agents' open-ticket counters are not written (nor locked).
 */
export function warmUpChange(row: Pick<TicketRow, 'priority' | 'assignee_id' | 'tags'>, agentId: string | null): TicketChangePatch {
  const tags = row.tags ?? [];
  return {
    status: 'resolved',
    priority: row.priority === 'P2' ? 'P3' : 'P2',
    ...(agentId && agentId !== row.assignee_id ? { assigneeId: agentId } : {}),
    // At the cap, one removed instead of one added: a change of the tags all the same.
    tags: tags.length >= MAX_TAGS_PER_TICKET ? tags.slice(0, -1) : changedTags(tags, { addTags: [WARM_UP_TAG] }),
  };
}

/** What the bulk's warm-up needs of the services a bulk change runs through. */
export interface BulkWarmUpServices {
  tickets: Pick<TicketsService, 'lockedRow' | 'apply'>;
  agents: Pick<AgentsService, 'assertAssignable'>;
}

/**
 * A new session run through a bulk ticket change for real, rolled back: as a bulk change begins
 * (BULK_TICKET_BEGIN), then the lock of the ticket, the assignee's check and the change's write
 * planned and written by the same TicketsService code as a bulk change (its columns, the SLA
 * clock's, its events), then the deferred counter trigger fired, then ROLLBACK. The row is the
 * oldest closed ticket nobody holds (another session warming at the same time takes the next
 * one). So PostgreSQL compiles the triggers' PL/pgSQL, plans the foreign keys' checks and looks
 * up the catalog the first time here, not in the first bulk request; the ticket's lock and the
 * change's write are prepared on the session as a bulk change prepares them (the write's for the
 * warm-up's set of columns: a bulk that sets all of status, priority, assignee and tags); and the API runs its code for
 * a ticket change once per session. Nothing it writes is committed: no ticket, event, counter
 * or outbox row, no job, no live event. Without a closed ticket (a new database) only the lock
 * and the assignee's statements run, on a row that does not exist. Resolves true when it changed
 * (and rolled back) a ticket.
 */
export async function warmBulkSession(runner: QueryRunner, services: BulkWarmUpServices): Promise<boolean> {
  const { tickets, agents } = services;
  await runner.query(BULK_TICKET_BEGIN);
  try {
    await runner.query(WARM_UP_LIMITS);
    const [picked]: Array<{ id: string }> = await runner.query(WARM_UP_TICKET);
    if (!picked) {
      await tickets.lockedRow(runner.manager, NO_ID, true).catch(expectedRefusal);
      await agents.assertAssignable(runner.manager, NO_ID, null).catch(expectedRefusal);
      return false;
    }
    const before = await tickets.lockedRow(runner.manager, picked.id, true);
    const [agent]: Array<{ id: string }> = await runner.query(WARM_UP_AGENT, [before.assignee_id]);
    const change = warmUpChange(before, agent?.id ?? null);
    // An agent who may not work this ticket is refused as a bulk change's would be: the check ran.
    if (change.assigneeId) await agents.assertAssignable(runner.manager, change.assigneeId, before.category).catch(expectedRefusal);
    await tickets.apply(runner.manager, before, change, SYSTEM_ACTOR, new Date(), true);
    // A bulk change defers the agents' counter trigger to its commit; the warm-up fires it before its rollback.
    await runner.query(`SET CONSTRAINTS tickets_agent_open_update IMMEDIATE`);
    return true;
  } finally {
    await runner.query(`ROLLBACK`);
  }
}

/** A refusal by the rules (unknown ticket or agent, an agent who may not work it) is what the warm-up may meet; a database error is not. */
function expectedRefusal(error: unknown): void {
  if (!(error instanceof DomainError)) throw error;
}

/** What the warm-up at start did: the connections it keeps open, and on how many of them it changed (and rolled back) a ticket. */
export interface BulkWarmUp {
  connections: number;
  rowChanges: number;
}

export type BulkChange = Pick<TicketPatch, 'status' | 'priority' | 'assigneeId' | 'queue' | 'addTags' | 'removeTags'>;

export type BulkResult = { id: string; ok: true; status: 200 } | { id: string; ok: false; status: number; problem: Problem };

interface BulkRequest {
  caller: string;
  key: string | null;
  hash: string;
  change: BulkChange;
}

export interface BulkOutcome {
  results: BulkResult[];
  succeeded: number;
  failed: number;
  /** true when an Idempotency-Key repeat returned the results of the first request. */
  replayed: boolean;
}

/**
 * `POST /tickets/bulk`: the same change for up to 500 tickets, each through TicketsService.change
 * (the rules of a single PATCH) in a transaction of its own with its own events, so one ticket's
 * refusal (a transition not allowed, a tag cap, an unknown id) is that ticket's result and nobody
 * else's. Every request is recorded (`ticket_bulk_requests`: who, what it set, the results).
 */
@Injectable()
export class TicketBulkService {
  private readonly logger = new Logger(TicketBulkService.name);
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly concurrency: number;
  private warming?: Promise<BulkWarmUp>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tickets: TicketsService,
    private readonly agents: AgentsService,
    config: AppConfig,
  ) {
    this.concurrency = bulkConcurrency(config.DATABASE_POOL_SIZE);
  }

  /**
   * Opens the connections a bulk request uses at once (its ticket changes in flight and the
   * claim of its Idempotency-Key), warms each session with a bulk ticket change rolled back
   * (warmBulkSession) and keeps them open while idle, so that the first bulk request after the API
   * starts opens none and finds its sessions' triggers, checks and catalog look-ups done. Once per
   * process (until it succeeds).
   */
  keepConnectionsReady(): Promise<BulkWarmUp> {
    // A failure (PostgreSQL not reachable yet) is not remembered: the next call tries again.
    this.warming ??= this.warmUp().catch((error: unknown) => {
      this.warming = undefined;
      throw error;
    });
    return this.warming;
  }

  private async warmUp(): Promise<BulkWarmUp> {
    let rowChanges = 0;
    const services = { tickets: this.tickets, agents: this.agents };
    const connections = await keepConnectionsWarm(this.dataSource, this.concurrency + 1, async (runner) => {
      // A session whose ticket change failed (a lock not had in time, …) is rolled back and kept all the same.
      const changed = await warmBulkSession(runner, services).catch((error: unknown) => {
        this.logger.warn(`bulk warm-up of a session failed: ${error instanceof Error ? error.message : String(error)}`);
        return false;
      });
      if (changed) rowChanges++;
    });
    return { connections, rowChanges };
  }

  async apply(principal: StaffPrincipal, ids: readonly string[], change: BulkChange, idempotencyKey?: string): Promise<BulkOutcome> {
    const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
    if (repeated.length > 0) throw DomainError.invalid('ids', `each id may appear once; repeated: ${[...new Set(repeated)].join(', ')}`);
    if (Object.values(change).every((v) => v === undefined)) throw DomainError.invalid('set', 'names no change (status, priority, assigneeId, queue, addTags or removeTags)');
    // An unknown agent is the request's mistake (400); one who may not work a ticket is that ticket's 409.
    if (change.assigneeId && !(await this.agents.displayNames([change.assigneeId])).has(change.assigneeId)) {
      throw DomainError.invalid('set.assigneeId', `no agent has the id ${change.assigneeId}`, FieldErrorCode.UnknownId);
    }
    const request = { caller: `staff:${principal.agentId}`, key: idempotencyKey ?? null, hash: hashRequest({ ids, set: change }), change };
    return this.inTurn(async () => {
      if (!idempotencyKey) {
        const outcome = await this.run(principal, ids, change);
        await this.record(this.dataSource.manager, request, outcome);
        return outcome;
      }
      return this.once(request, () => this.run(principal, ids, change));
    });
  }

  /** Runs `work` when fewer than BULK_REQUESTS_AT_ONCE bulk requests are running in this process. */
  private async inTurn<T>(work: () => Promise<T>): Promise<T> {
    while (this.running >= BULK_REQUESTS_AT_ONCE) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }

  /**
   * Runs `work` once per caller and key. The key's row is claimed in a transaction that stays open
   * while the work runs (on other connections) and commits with its results: a concurrent repeat
   * waits on the row, then returns those results; if this process dies first, the claim rolls back
   * and a retry applies the change again (setting what is already set changes nothing).
   */
  private async once(request: BulkRequest, work: () => Promise<BulkOutcome>): Promise<BulkOutcome> {
    return this.dataSource.transaction(async (manager: EntityManager) => {
      const [claim]: Array<{ id: string }> = await manager.query(
        `INSERT INTO ticket_bulk_requests (caller, key, request_hash, change) VALUES ($1, $2, $3, $4)
         ON CONFLICT (caller, key) WHERE key IS NOT NULL DO NOTHING RETURNING id`,
        [request.caller, request.key, request.hash, JSON.stringify(request.change)],
      );
      if (!claim) {
        const [prior]: Array<{ request_hash: string; results: BulkOutcome }> = await manager.query(
          `SELECT request_hash, results FROM ticket_bulk_requests WHERE caller = $1 AND key = $2`,
          [request.caller, request.key],
        );
        if (prior.request_hash !== request.hash) {
          throw new DomainError(DomainErrorCode.IdempotencyMismatch, 'This Idempotency-Key was already used with a different request body', {
            errors: [{ field: 'Idempotency-Key', message: 'was used before with a different body' }],
          });
        }
        return { ...prior.results, replayed: true };
      }
      const outcome = await work();
      await manager.query(`UPDATE ticket_bulk_requests SET results = $2 WHERE id = $1`, [claim.id, JSON.stringify(outcome)]);
      return outcome;
    });
  }

  /**
   * Records the request and its results. Its commit is synchronous, so it also makes durable every
   * ticket change of the request before the answer is sent (see `one`).
   */
  private async record(manager: EntityManager, request: BulkRequest, outcome: BulkOutcome): Promise<void> {
    await manager.query(`INSERT INTO ticket_bulk_requests (caller, key, request_hash, change, results) VALUES ($1, $2, $3, $4, $5)`, [
      request.caller,
      request.key,
      request.hash,
      JSON.stringify(request.change),
      JSON.stringify(outcome),
    ]);
  }

  private async run(principal: Principal, ids: readonly string[], change: BulkChange): Promise<BulkOutcome> {
    const results = new Array<BulkResult>(ids.length);
    let next = 0;
    const worker = async () => {
      const runner = this.dataSource.createQueryRunner();
      await runner.connect();
      // Its statements prepared until one meets a stale plan on this connection (see `one`).
      const session = { prepare: true };
      try {
        for (let i = next++; i < ids.length; i = next++) results[i] = await this.one(runner, session, principal, ids[i], change);
      } finally {
        await runner.release();
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, ids.length) }, worker));
    const succeeded = results.filter((r) => r.ok).length;
    return { results, succeeded, failed: results.length - succeeded, replayed: false };
  }

  /**
   * One ticket's change, in its own transaction, through the same TicketsService.change as a
   * single PATCH (one lock, one write with its events and the SLA clock's columns, the assignee
   * checked last). It commits without waiting for the WAL flush: the request's record commits
   * synchronously after all of them, and that flush writes the WAL up to it, so every change is
   * durable before the answer says `ok` (a crash before then loses only changes nobody was told
   * about, and a retry makes them again). A flush per ticket would be 500 flushes, most of a bulk
   * request's time on a busy disk.
   *
   * The assignee's open-ticket counter is written at the commit (its trigger deferred: migration
   * 1764005310000): nothing in the change reads it, and the changes assigning many tickets to one
   * agent then wait on that agent's row only for one another's commit, not for one another's
   * whole write. The counter stays exact (each commit adds to the row as it then stands), and
   * auto-assignment still cannot pass a cap: `pick_agent` locks the agent FOR UPDATE, which waits
   * for this change's lock on the agent (assertAssignable) until its counter is written and committed.
   *
   * The lock and the write are prepared on the connection (planned once per connection, not per
   * ticket: planning them weighs every index of `tickets`). A migration that changed `tickets` under
   * a connection's plan ("cached plan must not change result type") rolls the change back; it runs
   * again unprepared, and so does the rest of this connection's share of the request (the stale
   * plan stays on the connection).
   */
  private async one(runner: QueryRunner, session: { prepare: boolean }, principal: Principal, id: string, change: BulkChange): Promise<BulkResult> {
    for (let attempt = 1; ; attempt++) {
      // Begun and ended by hand: TypeORM's transaction would cost another round trip for SET LOCAL.
      await runner.query(BULK_TICKET_BEGIN);
      try {
        await this.tickets.change(runner.manager, principal, id, change, session.prepare);
        await runner.query(`COMMIT`);
        return { id, ok: true, status: 200 };
      } catch (error) {
        await runner.query(`ROLLBACK`);
        if (session.prepare && isStalePlanError(error)) {
          // Not one of the ticket's attempts: nothing of it was written.
          session.prepare = false;
          attempt--;
          continue;
        }
        // A deadlock with a concurrent change (agents' open-ticket counters, …) is worth another try.
        if (RETRYABLE.has((error as { code?: string }).code ?? '') && attempt < ATTEMPTS) continue;
        const problem = toProblem(error);
        if (problem.status >= 500) this.logger.error(`bulk change of ticket ${id} failed: ${error instanceof Error ? error.stack : String(error)}`);
        return { id, ok: false, status: problem.status, problem };
      }
    }
  }
}
