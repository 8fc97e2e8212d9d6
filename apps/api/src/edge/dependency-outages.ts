import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { Dependency, DEPENDENCY_NAMES, OutageReporter } from '@helpdesk/http';
import { ALL_QUEUES, RedisHealthIndicator, withTimeout } from '@helpdesk/queue';

/** How often an unreachable dependency is probed until it answers again. */
const PROBE_INTERVAL_MS = 1000;

interface Outage {
  since: number;
  refused: number;
}

/**
 * Outages of PostgreSQL or Redis as the API meets them — the problem filter reports every request
 * it answers 503 for one, the readiness check every failed check, the job queues' connections
 * every Redis error — logged once when an outage starts and once when it ends (found by probing
 * the dependency every second meanwhile), instead of a stack per request or per reconnection.
 * The requests need nothing from here: the pool and the clients reconnect by themselves.
 */
@Injectable()
export class DependencyOutages implements OutageReporter, OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Outage');
  private readonly outages = new Map<Dependency, Outage>();
  private timer?: NodeJS.Timeout;
  private probing = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly redis: RedisHealthIndicator,
    private readonly moduleRef: ModuleRef,
  ) {}

  onModuleInit(): void {
    // BullMQ prints every connection error of a queue without an 'error' listener to stderr, with
    // its stack, at each reconnection attempt.
    for (const name of ALL_QUEUES) {
      this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }).on('error', (error: Error) => this.report('redis', error));
    }
    // Started here, outside any request, so that the recovery line carries no request's id.
    this.timer = setInterval(() => void this.probe(), PROBE_INTERVAL_MS);
    this.timer.unref();
  }

  report(dependency: Dependency, error: unknown): void {
    const outage = this.outages.get(dependency);
    if (outage) {
      outage.refused++;
      return;
    }
    const reason = error instanceof Error ? error.message : String(error);
    this.logger.error(`${DEPENDENCY_NAMES[dependency]} is unreachable (${reason}): requests that need it are answered 503 until it is back`);
    this.outages.set(dependency, { since: Date.now(), refused: 1 });
  }

  /** Whether the API has met this dependency unreachable and it has not answered a probe since. */
  isDown(dependency: Dependency): boolean {
    return this.outages.has(dependency);
  }

  private async probe(): Promise<void> {
    if (this.probing || this.outages.size === 0) return;
    this.probing = true;
    try {
      for (const [dependency, outage] of [...this.outages]) {
        if (!(await this.answers(dependency))) continue;
        this.outages.delete(dependency);
        const seconds = Math.round((Date.now() - outage.since) / 1000);
        this.logger.log(`${DEPENDENCY_NAMES[dependency]} is reachable again after ${seconds} s; ${outage.refused} failure(s) met meanwhile`);
      }
    } finally {
      this.probing = false;
    }
  }

  private async answers(dependency: Dependency): Promise<boolean> {
    if (dependency === 'redis') return (await this.redis.pingCheck('redis', PROBE_INTERVAL_MS)).redis.status === 'up';
    return withTimeout(this.dataSource.query('SELECT 1'), PROBE_INTERVAL_MS, 'PostgreSQL').then(
      () => true,
      () => false,
    );
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }
}
