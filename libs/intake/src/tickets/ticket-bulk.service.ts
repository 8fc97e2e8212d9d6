import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Principal, StaffPrincipal } from '@helpdesk/auth';
import { DomainError, DomainErrorCode, Problem, toProblem } from '@helpdesk/http';
import { hashRequest } from './ticket-intake.service';
import { TicketPatch, TicketsService } from './tickets.service';

export const MAX_BULK_TICKETS = 500;

/** Deadlock and serialization failures: the change is tried again, up to ATTEMPTS times. */
const RETRYABLE = new Set(['40P01', '40001']);
const ATTEMPTS = 3;

/**
 * Ticket changes of one bulk request running at once. Each is a short transaction of its own; a
 * few in flight hide the round trips and commits of the others without taking the pool away from
 * the rest of the API.
 */
const BULK_CONCURRENCY = 4;

export type BulkChange = Pick<TicketPatch, 'status' | 'priority' | 'assigneeId' | 'queue' | 'addTags' | 'removeTags'>;

export type BulkResult = { id: string; ok: true; status: 200 } | { id: string; ok: false; status: number; problem: Problem };

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
 * else's.
 */
@Injectable()
export class TicketBulkService {
  private readonly logger = new Logger(TicketBulkService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tickets: TicketsService,
  ) {}

  async apply(principal: StaffPrincipal, ids: readonly string[], change: BulkChange, idempotencyKey?: string): Promise<BulkOutcome> {
    const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
    if (repeated.length > 0) throw DomainError.invalid('ids', `each id may appear once; repeated: ${[...new Set(repeated)].join(', ')}`);
    if (Object.values(change).every((v) => v === undefined)) throw DomainError.invalid('set', 'names no change (status, priority, assigneeId, queue, addTags or removeTags)');
    if (change.assigneeId) await this.tickets.assertAssignable(this.dataSource.manager, change.assigneeId, 'set.assigneeId');
    if (!idempotencyKey) return this.run(principal, ids, change);
    return this.once(principal, idempotencyKey, hashRequest({ ids, set: change }), () => this.run(principal, ids, change));
  }

  /**
   * Runs `work` once per caller and key. The key's row is claimed in a transaction that stays open
   * while the work runs (on other connections) and commits with its results: a concurrent repeat
   * waits on the row, then returns those results; if this process dies first, the claim rolls back
   * and a retry applies the change again (setting what is already set changes nothing).
   */
  private async once(principal: StaffPrincipal, key: string, requestHash: string, work: () => Promise<BulkOutcome>): Promise<BulkOutcome> {
    const caller = `staff:${principal.agentId}`;
    return this.dataSource.transaction(async (manager: EntityManager) => {
      const claimed: unknown[] = await manager.query(
        `INSERT INTO ticket_bulk_requests (caller, key, request_hash) VALUES ($1, $2, $3)
         ON CONFLICT (caller, key) DO NOTHING RETURNING key`,
        [caller, key, requestHash],
      );
      if (claimed.length === 0) {
        const [prior]: Array<{ request_hash: string; results: BulkOutcome }> = await manager.query(
          `SELECT request_hash, results FROM ticket_bulk_requests WHERE caller = $1 AND key = $2`,
          [caller, key],
        );
        if (prior.request_hash !== requestHash) {
          throw new DomainError(DomainErrorCode.IdempotencyMismatch, 'This Idempotency-Key was already used with a different request body', {
            errors: [{ field: 'Idempotency-Key', message: 'was used before with a different body' }],
          });
        }
        return { ...prior.results, replayed: true };
      }
      const outcome = await work();
      await manager.query(`UPDATE ticket_bulk_requests SET results = $3 WHERE caller = $1 AND key = $2`, [caller, key, JSON.stringify(outcome)]);
      return outcome;
    });
  }

  private async run(principal: Principal, ids: readonly string[], change: BulkChange): Promise<BulkOutcome> {
    const results = new Array<BulkResult>(ids.length);
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < ids.length; i = next++) results[i] = await this.one(principal, ids[i], change);
    };
    await Promise.all(Array.from({ length: Math.min(BULK_CONCURRENCY, ids.length) }, worker));
    const succeeded = results.filter((r) => r.ok).length;
    return { results, succeeded, failed: results.length - succeeded, replayed: false };
  }

  private async one(principal: Principal, id: string, change: BulkChange): Promise<BulkResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.dataSource.transaction((manager) => this.tickets.change(manager, principal, id, change));
        return { id, ok: true, status: 200 };
      } catch (error) {
        // A deadlock with a concurrent change (agents' open-ticket counters, …) is worth another try.
        if (RETRYABLE.has((error as { code?: string }).code ?? '') && attempt < ATTEMPTS) continue;
        const problem = toProblem(error);
        if (problem.status >= 500) this.logger.error(`bulk change of ticket ${id} failed: ${error instanceof Error ? error.stack : String(error)}`);
        return { id, ok: false, status: problem.status, problem };
      }
    }
  }
}
