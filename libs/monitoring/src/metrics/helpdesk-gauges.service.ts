import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import { Gauge, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { ALL_QUEUES, withTimeout } from '@helpdesk/queue';
import { METRICS_REGISTRY } from './metrics-registry';

/** How long one scrape-time read (Redis or PostgreSQL) may take before its gauge is left empty. */
export const SCRAPE_READ_TIMEOUT_MS = 2_000;

/** BullMQ job states reported by `helpdesk_queue_jobs`. */
export const QUEUE_JOB_STATES = ['waiting', 'prioritized', 'active', 'delayed', 'waiting-children', 'failed', 'completed'] as const;

/**
 * The helpdesk's own gauges of the api, read when Prometheus scrapes (nothing is polled in
 * between): queue depths from BullMQ, outbox backlog, SLA breaches and escalations from
 * PostgreSQL. A read that fails or is slow leaves its gauge without samples for that scrape.
 */
@Injectable()
export class HelpdeskGaugesService implements OnModuleInit {
  private readonly logger = new Logger('Metrics');
  private readonly queues = new Map<string, Queue>();

  constructor(
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly moduleRef: ModuleRef,
  ) {}

  onModuleInit(): void {
    for (const name of ALL_QUEUES) this.queues.set(name, this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }));
    const registers = [this.registry];
    const read = this.read.bind(this);
    const queues = this.queues;

    new Gauge({
      name: 'helpdesk_queue_jobs',
      help: 'BullMQ jobs per queue and state, read at scrape time',
      labelNames: ['queue', 'state'],
      registers,
      async collect() {
        this.reset();
        await Promise.all(
          [...queues].map(async ([name, queue]) => {
            const counts = await read(`job counts of ${name}`, () => queue.getJobCounts(...QUEUE_JOB_STATES));
            for (const state of QUEUE_JOB_STATES) if (counts) this.set({ queue: name, state }, counts[state] ?? 0);
          }),
        );
      },
    });

    new Gauge({
      name: 'helpdesk_outbox_pending',
      help: 'Outbox rows not yet relayed to BullMQ',
      registers,
      async collect() {
        this.reset();
        const rows = await read<Array<{ n: number }>>('outbox size', (ds) => ds.query(`SELECT count(*)::int AS n FROM outbox`));
        if (rows) this.set(rows[0].n);
      },
    });

    new Gauge({
      name: 'helpdesk_outbox_lag_seconds',
      help: 'Age of the oldest outbox row not yet relayed (0 when the outbox is empty)',
      registers,
      async collect() {
        this.reset();
        const rows = await read<Array<{ lag: number | null }>>('outbox lag', (ds) =>
          ds.query(`SELECT EXTRACT(EPOCH FROM clock_timestamp() - created_at)::float8 AS lag FROM outbox ORDER BY id LIMIT 1`),
        );
        if (rows) this.set(Math.max(0, rows[0]?.lag ?? 0));
      },
    });

    new Gauge({
      name: 'helpdesk_sla_breaches',
      help: 'Tickets whose SLA target (first_response, resolution) is breached, by whether the ticket is still open',
      labelNames: ['target', 'state'],
      registers,
      async collect() {
        this.reset();
        const rows = await read<Array<{ open: boolean; first_response: number; resolution: number }>>('SLA breaches', (ds) =>
          ds.query(
            `SELECT status NOT IN ('resolved','closed') AS open,
                    count(*) FILTER (WHERE sla_first_response_breached)::int AS first_response,
                    count(*) FILTER (WHERE sla_resolution_breached)::int AS resolution
               FROM tickets
              WHERE sla_first_response_breached OR sla_resolution_breached
              GROUP BY 1`,
          ),
        );
        if (!rows) return;
        for (const state of ['open', 'closed'] as const) {
          const row = rows.find((r) => r.open === (state === 'open'));
          this.set({ target: 'first_response', state }, row?.first_response ?? 0);
          this.set({ target: 'resolution', state }, row?.resolution ?? 0);
        }
      },
    });

    new Gauge({
      name: 'helpdesk_escalations',
      help: 'Vendor escalations by tier and status',
      labelNames: ['tier', 'status'],
      registers,
      async collect() {
        this.reset();
        const rows = await read<Array<{ tier: string; status: string; n: number }>>('escalations', (ds) =>
          ds.query(`SELECT tier, status, count(*)::int AS n FROM escalations GROUP BY tier, status`),
        );
        for (const r of rows ?? []) this.set({ tier: r.tier, status: r.status }, r.n);
      },
    });

    new Gauge({
      name: 'helpdesk_escalation_delivery_attempts',
      help: 'Webhook delivery attempts of vendor escalations by tier and outcome (delivered, failed, in_flight)',
      labelNames: ['tier', 'outcome'],
      registers,
      async collect() {
        this.reset();
        const rows = await read<Array<{ tier: string; outcome: string; n: number }>>('escalation deliveries', (ds) =>
          ds.query(
            `SELECT e.tier, CASE WHEN a.state = 'in_flight' THEN 'in_flight' WHEN a.error IS NULL THEN 'delivered' ELSE 'failed' END AS outcome, count(*)::int AS n
               FROM escalation_attempts a JOIN escalations e ON e.id = a.escalation_id
              GROUP BY 1, 2`,
          ),
        );
        for (const r of rows ?? []) this.set({ tier: r.tier, outcome: r.outcome }, r.n);
      },
    });
  }

  /** One scrape-time read, bounded in time; `undefined` (logged) when it fails. */
  private async read<T>(what: string, work: (dataSource: DataSource) => Promise<T>): Promise<T | undefined> {
    try {
      return await withTimeout(work(this.dataSource), SCRAPE_READ_TIMEOUT_MS, what);
    } catch (error) {
      this.logger.warn(`metrics: ${what} unavailable: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }
}
