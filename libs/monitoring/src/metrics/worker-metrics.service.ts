import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { WorkerHost } from '@nestjs/bullmq';
import { Job, Worker } from 'bullmq';
import { Counter, Histogram, Registry } from 'prom-client';
import { exposition, METRICS_REGISTRY } from './metrics-registry';

export const JOB_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

type Outcome = 'completed' | 'failed';

/**
 * Job metrics of this worker process: `helpdesk_jobs_total{queue, outcome}` and
 * `helpdesk_job_duration_seconds{queue, outcome}`, from the events of the BullMQ workers it runs
 * (each process counts only its own jobs, so the series add up across processes). The workers
 * are found among the providers: `@Processor` hosts, and services that own `Worker`s.
 */
@Injectable()
export class WorkerMetricsService implements OnApplicationBootstrap {
  private readonly jobs: Counter<'queue' | 'outcome'>;
  private readonly duration: Histogram<'queue' | 'outcome'>;
  private readonly observed = new WeakSet<Worker>();

  constructor(
    @Inject(METRICS_REGISTRY) readonly registry: Registry,
    private readonly discovery: DiscoveryService,
  ) {
    this.jobs = new Counter({
      name: 'helpdesk_jobs_total',
      help: 'Jobs processed by this worker process, by queue and outcome (completed, failed attempt)',
      labelNames: ['queue', 'outcome'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'helpdesk_job_duration_seconds',
      help: 'Processing time of jobs in this worker process, by queue and outcome',
      labelNames: ['queue', 'outcome'],
      buckets: JOB_DURATION_BUCKETS,
      registers: [registry],
    });
  }

  onApplicationBootstrap(): void {
    this.observeRunningWorkers();
  }

  /**
   * Starts observing every BullMQ worker of the process not observed yet. Idempotent; called once
   * more when every module has started (by the worker's health server), for workers that
   * services create in their own onApplicationBootstrap.
   */
  observeRunningWorkers(): number {
    let added = 0;
    for (const wrapper of this.discovery.getProviders()) {
      if (!wrapper.isDependencyTreeStatic() || wrapper.isTransient) continue;
      const instance: unknown = wrapper.instance;
      if (!instance || typeof instance !== 'object') continue;
      for (const worker of workersOf(instance)) {
        if (this.observed.has(worker)) continue;
        this.observed.add(worker);
        worker.on('completed', (job: Job) => this.record(worker.name, 'completed', job));
        worker.on('failed', (job: Job | undefined) => this.record(worker.name, 'failed', job));
        added++;
      }
    }
    return added;
  }

  /** The scrape body (the worker serves it on its own port). */
  scrape(): Promise<string> {
    return exposition(this.registry);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private record(queue: string, outcome: Outcome, job: Job | undefined): void {
    this.jobs.inc({ queue, outcome });
    if (job?.processedOn) {
      const seconds = Math.max(0, (job.finishedOn ?? Date.now()) - job.processedOn) / 1000;
      this.duration.observe({ queue, outcome }, seconds);
    }
  }
}

/** The BullMQ workers a provider runs: a `@Processor` host's, or `Worker`s held in its fields (alone, in a Map, Set or array). */
function workersOf(instance: object): Worker[] {
  const found: Worker[] = [];
  if (instance instanceof WorkerHost) {
    try {
      found.push(instance.worker);
    } catch {
      // Not registered (manualRegistration): nothing to observe yet.
    }
    return found;
  }
  for (const value of Object.values(instance)) {
    if (value instanceof Worker) found.push(value);
    else if (value instanceof Map || value instanceof Set || Array.isArray(value)) {
      for (const item of value.values()) if (item instanceof Worker) found.push(item);
    }
  }
  return found;
}
