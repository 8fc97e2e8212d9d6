import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { JOB_NAME, QueueName } from '@helpdesk/queue';
import { addDays, LocalDate, startOfLocalDay } from '../calendar/partner-calendar';
import { BillingClock } from '../clock/billing-clock';
import { CollectionsPolicyService } from '../policy/collections-policy.service';
import { versionFor, warningBefore } from '../policy/collections-policy';
import { DunningEngine, DunningOutcome } from './dunning-engine.service';

/** The job id of a customer's deadline: one delayed job per (customer, instant), however often it is scheduled. */
export const deadlineJobId = (customerId: string, at: Date): string => `${customerId}-at-${at.getTime()}`;

/**
 * Deadline-driven dunning, between daily runs: one customer's dunning now, then a delayed job at
 * the next instant one of its steps falls due (00:00 of the step's date in the version's time
 * zone) or its pause ends.
 */
@Injectable()
export class DunningDeadlines {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QueueName.BillingDeadlines) private readonly queue: Queue,
    private readonly engine: DunningEngine,
    private readonly policy: CollectionsPolicyService,
    private readonly clock: BillingClock,
  ) {}

  /**
   * `currentJobId`: the job running this check. A deadline job that fires a little early (clocks
   * differ) finds its own instant still ahead; the next job then needs another id, since BullMQ
   * ignores a job whose id is still in use.
   */
  async check(customerId: string, currentJobId?: string): Promise<{ outcome: DunningOutcome; next: Date | null }> {
    const outcome = await this.engine.run({ customerIds: [customerId] });
    const next = await this.next(customerId);
    if (next) {
      const jobId = deadlineJobId(customerId, next);
      await this.queue.add(
        JOB_NAME[QueueName.BillingDeadlines],
        { customerId },
        { jobId: currentJobId?.startsWith(jobId) ? `${jobId}-again-${Date.now()}` : jobId, delay: Math.max(0, next.getTime() - this.clock.now().getTime()) },
      );
    }
    return { outcome, next };
  }

  /** The next instant something may become due for the customer (null: nothing pending). */
  async next(customerId: string): Promise<Date | null> {
    const versions = await this.policy.versions();
    if (versions.length === 0) return null;
    const [account]: Array<{ paused_until: LocalDate | null }> = await this.dataSource.query(
      `SELECT paused_until::text AS paused_until FROM billing_accounts WHERE customer_id = $1`,
      [customerId],
    );
    if (!account) return null;
    const invoices: Array<{ id: string; due_on: LocalDate; applied: Array<{ version: number; step: number; on: LocalDate }> }> = await this.dataSource.query(
      `SELECT i.id, i.due_on::text AS due_on,
              COALESCE((SELECT json_agg(json_build_object('version', d.policy_version, 'step', d.step, 'on', COALESCE(d.applied_on, d.due_on)::text))
                          FROM dunning_actions d WHERE d.invoice_id = i.id), '[]') AS applied
         FROM invoices i WHERE i.customer_id = $1 AND i.status = 'open'`,
      [customerId],
    );
    const now = this.clock.now();
    let next: Date | null = null;
    const consider = (at: Date) => {
      if (at > now && (next === null || at < next)) next = at;
    };
    for (const invoice of invoices) {
      const version = versionFor(versions, invoice.due_on)!;
      const appliedOn = new Map(invoice.applied.filter((a) => a.version === version.version).map((a) => [a.step, a.on]));
      version.steps.forEach((step, i) => {
        if (appliedOn.has(i)) return;
        let on = addDays(invoice.due_on, step.days);
        // A suspension waits for the notice period after the warning actually sent (see DunningEngine).
        const warning = step.action === 'suspend' ? warningBefore(version.steps, i) : null;
        const warned = warning ? appliedOn.get(warning.step) : undefined;
        if (warning && warned !== undefined && addDays(warned, warning.noticeDays) > on) on = addDays(warned, warning.noticeDays);
        consider(startOfLocalDay(on, version.timezone));
      });
    }
    if (account.paused_until && invoices.length > 0) consider(startOfLocalDay(addDays(account.paused_until, 1), versions[versions.length - 1].timezone));
    return next;
  }
}
