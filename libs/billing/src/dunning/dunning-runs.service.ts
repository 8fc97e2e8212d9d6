import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, actorOf, Principal, SYSTEM_ACTOR } from '@helpdesk/auth';
import { OutboxService } from '@helpdesk/database';
import { DomainError, DomainErrorCode, FieldErrorCode } from '@helpdesk/http';
import { QueueName } from '@helpdesk/queue';
import { LocalDate } from '../calendar/partner-calendar';
import { BillingClock } from '../clock/billing-clock';
import { enqueueMany } from '../outbox-rows';
import { CollectionsPolicyService } from '../policy/collections-policy.service';
import { DunningEngine, DunningOutcome } from './dunning-engine.service';

export type RunTrigger = 'manual' | 'schedule' | 'import';

export interface DunningRunView {
  id: string;
  trigger: RunTrigger;
  asOf: LocalDate | null;
  dryRun: boolean;
  customers: number | null;
  status: 'queued' | 'running' | 'completed' | 'failed';
  result: DunningOutcome | null;
  error: string | null;
  requestedBy: Actor;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

interface RunRow {
  id: string;
  trigger: RunTrigger;
  as_of: string | null;
  dry_run: boolean;
  customer_ids: string[] | null;
  status: DunningRunView['status'];
  result: DunningOutcome | null;
  error: string | null;
  actor_kind: Actor['kind'];
  actor_id: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

const SELECT_RUN = `SELECT id, trigger, as_of::text AS as_of, dry_run, customer_ids, status, result, error, actor_kind, actor_id, created_at, started_at, finished_at FROM dunning_runs`;

function runView(r: RunRow): DunningRunView {
  return {
    id: r.id,
    trigger: r.trigger,
    asOf: r.as_of,
    dryRun: r.dry_run,
    customers: r.customer_ids ? r.customer_ids.length : null,
    status: r.status,
    result: r.result,
    error: r.error,
    requestedBy: { kind: r.actor_kind, id: r.actor_id },
    createdAt: new Date(r.created_at).toISOString(),
    startedAt: r.started_at ? new Date(r.started_at).toISOString() : null,
    finishedAt: r.finished_at ? new Date(r.finished_at).toISOString() : null,
  };
}

/** Recorded dunning runs: asked for now (billing_admin), by the daily schedule, or after an import. */
@Injectable()
export class DunningRunsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly engine: DunningEngine,
    private readonly policy: CollectionsPolicyService,
    private readonly outbox: OutboxService,
    private readonly clock: BillingClock,
  ) {}

  /**
   * A dry run answers at once with what a run would do; a real one is queued (the worker runs it)
   * and answers with its record. A future `asOf` may only be previewed.
   */
  async request(principal: Principal, input: { asOf?: LocalDate; dryRun?: boolean }): Promise<{ dryRun: true; outcome: DunningOutcome } | { dryRun: false; run: DunningRunView }> {
    const today = await this.policy.today();
    if (input.asOf !== undefined && input.asOf > today && !input.dryRun) {
      throw new DomainError(DomainErrorCode.Unprocessable, `asOf ${input.asOf} is after today (${today}); a future date can only be a dry run`, {
        errors: [{ field: 'asOf', message: `asOf must not be after today (${today}) unless dryRun is true`, code: FieldErrorCode.AfterToday, params: { today } }],
      });
    }
    if (input.dryRun) return { dryRun: true, outcome: await this.engine.run({ asOf: input.asOf, dryRun: true }) };
    const id = await this.dataSource.transaction((manager) => this.enqueue(manager, { trigger: 'manual', asOf: input.asOf ?? null, actor: actorOf(principal) }));
    this.outbox.wakeRelays();
    return { dryRun: false, run: await this.get(id) };
  }

  /** Records a queued run and hands it to the worker, in the caller's transaction. */
  async enqueue(manager: EntityManager, input: { trigger: RunTrigger; asOf?: LocalDate | null; customerIds?: string[] | null; actor: Actor }): Promise<string> {
    const id = randomUUID();
    await manager.query(
      `INSERT INTO dunning_runs (id, trigger, as_of, customer_ids, status, actor_kind, actor_id, created_at) VALUES ($1, $2, $3, $4, 'queued', $5, $6, $7)`,
      [id, input.trigger, input.asOf ?? null, input.customerIds ?? null, input.actor.kind, input.actor.id, this.clock.now()],
    );
    await enqueueMany(manager, QueueName.BillingDunning, [{ jobId: id, payload: { runId: id } }]);
    return id;
  }

  /**
   * Runs a queued run (or, without an id, the daily one, recorded now). A run already completed is
   * not run again; a failed or interrupted one runs again and applies only what is still due.
   */
  async execute(runId?: string): Promise<DunningRunView> {
    let row: RunRow | undefined;
    if (runId) {
      [[row]] = await this.dataSource.query(
        `UPDATE dunning_runs SET status = 'running', started_at = $2, error = NULL WHERE id = $1 AND status <> 'completed'
         RETURNING id, trigger, as_of::text AS as_of, dry_run, customer_ids, status, result, error, actor_kind, actor_id, created_at, started_at, finished_at`,
        [runId, new Date()],
      );
      if (!row) return this.get(runId);
    } else {
      [row] = await this.dataSource.query(
        `INSERT INTO dunning_runs (id, trigger, status, actor_kind, created_at, started_at) VALUES ($1, 'schedule', 'running', $2, $3, $4)
         RETURNING id, trigger, as_of::text AS as_of, dry_run, customer_ids, status, result, error, actor_kind, actor_id, created_at, started_at, finished_at`,
        [randomUUID(), SYSTEM_ACTOR.kind, this.clock.now(), new Date()],
      );
    }
    try {
      const outcome = await this.engine.run({ asOf: row!.as_of ?? undefined, customerIds: row!.customer_ids ?? undefined, runId: row!.id });
      await this.dataSource.query(`UPDATE dunning_runs SET status = 'completed', result = $2, finished_at = $3 WHERE id = $1`, [row!.id, JSON.stringify(outcome), new Date()]);
    } catch (error) {
      await this.dataSource
        .query(`UPDATE dunning_runs SET status = 'failed', error = $2, finished_at = $3 WHERE id = $1`, [row!.id, error instanceof Error ? error.message.slice(0, 500) : 'failed', new Date()])
        .catch(() => undefined);
      throw error;
    }
    return this.get(row!.id);
  }

  async get(id: string): Promise<DunningRunView> {
    const [row]: RunRow[] = await this.dataSource.query(`${SELECT_RUN} WHERE id = $1`, [id]);
    if (!row) throw DomainError.notFound('Dunning run', id);
    return runView(row);
  }

  async list(limit = 50): Promise<DunningRunView[]> {
    const rows: RunRow[] = await this.dataSource.query(`${SELECT_RUN} ORDER BY created_at DESC, id LIMIT $1`, [limit]);
    return rows.map(runView);
  }
}
