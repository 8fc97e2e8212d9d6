import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { DependencyUnavailableError } from '@helpdesk/http';
import { ALL_QUEUES, QueueName, withTimeout } from '@helpdesk/queue';
import { TicketCounters } from './ticket-counters.service';

export interface TicketQueueStats {
  queue: string | null;
  open: number;
  unassigned: number;
  byStatus: Record<string, number>;
  byPriority: Record<string, number>;
  slaAtRisk: number;
  slaBreached: number;
  oldestOpenAt: string | null;
}

export interface EscalationTierStats {
  tier: string;
  queued: number;
  awaitingVendorCase: number;
  submitted: number;
  acknowledged: number;
  failed: number;
  deliveredLastHour: number;
  p95DeliveryMs: number | null;
}

export interface JobQueueStats {
  name: string;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  completedLastMinute: number;
}

export interface QueueStatsSnapshot {
  at: string;
  ticketQueues: TicketQueueStats[];
  escalations: EscalationTierStats[];
  jobQueues: JobQueueStats[];
  workers: Array<{ queue: string; count: number }>;
}

const CLOSED = new Set(['resolved', 'closed']);
/**
 * BullMQ's connection waits for Redis as long as it takes (its workers need that); a snapshot
 * does not: past this it is answered 503 (Redis unreachable) instead of hanging.
 */
const JOB_COUNTS_TIMEOUT_MS = 2000;
const TIERS = ['commercial', 'premier', 'advanced', 'signature_cloud'];
/** A connection's name in a `CLIENT LIST` line (the field is `name=` followed by no space; Redis escapes none in names). */
const CLIENT_NAME = /(?:^| )name=(\S*)/gm;

/**
 * Where work piles up: PostgreSQL for tickets and escalations (counters maintained by trigger,
 * partial indexes for the rest), BullMQ's own counts for the job queues.
 */
@Injectable()
export class StatsService implements OnModuleInit {
  private queues: Array<{ name: QueueName; queue: Queue }> = [];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly moduleRef: ModuleRef,
    private readonly counters: TicketCounters,
  ) {}

  onModuleInit(): void {
    this.queues = ALL_QUEUES.map((name) => ({ name, queue: this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }) }));
  }

  async snapshot(): Promise<QueueStatsSnapshot> {
    const [ticketQueues, escalations, jobs] = await Promise.all([this.ticketQueues(), this.escalations(), this.jobQueues()]);
    return { at: new Date().toISOString(), ticketQueues, escalations, jobQueues: jobs.jobQueues, workers: jobs.workers };
  }

  async ticketQueues(): Promise<TicketQueueStats[]> {
    const [counters, flagged, oldest] = await Promise.all([
      this.counters.rows(),
      this.dataSource.query(
        `SELECT COALESCE(queue, '') AS queue,
                count(*) FILTER (WHERE sla_first_response_breached OR sla_resolution_breached)::int AS breached,
                count(*) FILTER (WHERE NOT (sla_first_response_breached OR sla_resolution_breached))::int AS at_risk
           FROM tickets
          WHERE status NOT IN ('resolved','closed') AND (sla_first_response_warned OR sla_resolution_warned)
          GROUP BY 1`,
      ) as Promise<Array<{ queue: string; breached: number; at_risk: number }>>,
      // One probe per queue into the partial index of open tickets (queue, created_at): min() reads one entry.
      this.dataSource.query(
        `SELECT q.queue, (SELECT min(t.created_at) FROM tickets t WHERE t.queue = q.queue AND t.status NOT IN ('resolved','closed')) AS oldest
           FROM (SELECT queue FROM ticket_queue_counters WHERE queue <> '' UNION SELECT queue FROM ticket_queue_counter_deltas WHERE queue <> '') q
         UNION ALL
         SELECT '', (SELECT min(created_at) FROM tickets WHERE queue IS NULL AND status NOT IN ('resolved','closed'))`,
      ) as Promise<Array<{ queue: string; oldest: Date | null }>>,
    ]);

    const byQueue = new Map<string, TicketQueueStats>();
    const entry = (queue: string): TicketQueueStats => {
      let e = byQueue.get(queue);
      if (!e) {
        e = { queue: queue === '' ? null : queue, open: 0, unassigned: 0, byStatus: {}, byPriority: {}, slaAtRisk: 0, slaBreached: 0, oldestOpenAt: null };
        byQueue.set(queue, e);
      }
      return e;
    };
    for (const c of counters) {
      const e = entry(c.queue);
      e.byStatus[c.status] = (e.byStatus[c.status] ?? 0) + c.n;
      if (CLOSED.has(c.status)) continue;
      e.open += c.n;
      e.byPriority[c.priority] = (e.byPriority[c.priority] ?? 0) + c.n;
      if (c.unassigned) e.unassigned += c.n;
    }
    for (const f of flagged) {
      const e = entry(f.queue);
      e.slaBreached = f.breached;
      e.slaAtRisk = f.at_risk;
    }
    for (const o of oldest) if (byQueue.has(o.queue) && o.oldest) entry(o.queue).oldestOpenAt = new Date(o.oldest).toISOString();
    return [...byQueue.values()].sort((a, b) => (a.queue ?? '').localeCompare(b.queue ?? ''));
  }

  async escalations(): Promise<EscalationTierStats[]> {
    const rows: Array<{ tier: string; status: string; n: number }> = await this.dataSource.query(
      `SELECT tier, status, count(*)::int AS n FROM escalations
        WHERE status IN ('queued','awaiting_vendor_case','submitted','acknowledged','failed') GROUP BY 1, 2`,
    );
    const delivered: Array<{ tier: string; n: number; p95: number | null }> = await this.dataSource.query(
      `SELECT tier, count(*)::int AS n,
              percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM submitted_at - created_at) * 1000) AS p95
         FROM escalations WHERE submitted_at > now() - interval '1 hour' GROUP BY 1`,
    );
    return TIERS.map((tier) => {
      const count = (status: string) => rows.find((r) => r.tier === tier && r.status === status)?.n ?? 0;
      const d = delivered.find((r) => r.tier === tier);
      return {
        tier,
        queued: count('queued'),
        awaitingVendorCase: count('awaiting_vendor_case'),
        submitted: count('submitted'),
        acknowledged: count('acknowledged'),
        failed: count('failed'),
        deliveredLastHour: d?.n ?? 0,
        p95DeliveryMs: d?.p95 === null || d?.p95 === undefined ? null : Math.round(Number(d.p95)),
      };
    });
  }

  async jobQueues(): Promise<{ jobQueues: JobQueueStats[]; workers: Array<{ queue: string; count: number }> }> {
    const now = Date.now();
    const reading = Promise.all([
      Promise.all(
        this.queues.map(async ({ name, queue }) => {
          const [counts, metrics] = await Promise.all([
            queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized', 'waiting-children'),
            queue.getMetrics('completed', 0, 1).catch(() => null),
          ]);
          // Worker metrics are per-minute buckets, newest first; the first covers the current minute.
          const completedLastMinute = metrics && metrics.meta.prevTS && now - metrics.meta.prevTS < 120_000 ? Number(metrics.data[0] ?? 0) : 0;
          return {
            name,
            waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts['waiting-children'] ?? 0),
            active: counts.active ?? 0,
            delayed: counts.delayed ?? 0,
            failed: counts.failed ?? 0,
            completedLastMinute,
          };
        }),
      ),
      this.workerCounts(),
    ]);
    const [jobQueues, workers] = await withTimeout(reading, JOB_COUNTS_TIMEOUT_MS, 'Redis').catch((error: unknown) => {
      throw new DependencyUnavailableError('redis', error instanceof Error ? error.message : String(error));
    });
    return { jobQueues, workers };
  }

  /**
   * The workers connected to each queue, from one `CLIENT LIST` for all of them: BullMQ's
   * `getWorkersCount()` asks Redis for the whole list and parses every field of it once per queue.
   * A worker's connection is named after its queue (BullMQ's `clientName()`, alone or followed by
   * `:w:<worker name>`), which is all this reads; on a cluster, the node with the most of them counts.
   */
  private async workerCounts(): Promise<Array<{ queue: string; count: number }>> {
    if (this.queues.length === 0) return [];
    const lists = await this.queues[0].queue.backend.getClientList();
    const names = lists.map((list) => Array.from(list.matchAll(CLIENT_NAME), (match) => match[1]));
    return this.queues.map(({ name, queue }) => {
      const own = queue.backend.clientName();
      const named = `${own}:w:`;
      const count = Math.max(0, ...names.map((node) => node.filter((client) => client === own || client.startsWith(named)).length));
      return { queue: name, count };
    });
  }
}
