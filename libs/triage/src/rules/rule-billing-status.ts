import { Injectable } from '@nestjs/common';
import { BillingStatusService } from '@helpdesk/billing';
import { testsBillingStatus } from './rule-matcher';
import type { TriageRuleSpec } from './triage-rule';

/**
 * The customers' billing status that `billingStatus` rule conditions test, read through billing's
 * exported service (never its tables): one statement for a whole batch of tickets, and none at all
 * while no enabled rule tests it, so triage pays nothing for billing it does not use.
 */
@Injectable()
export class RuleBillingStatus {
  constructor(private readonly billing: BillingStatusService) {}

  /** Each customer's state (`current`, `overdue`, `suspended`); customers without a billing account are absent. */
  async states(rules: readonly TriageRuleSpec[], customerIds: readonly string[]): Promise<Map<string, string>> {
    if (!testsBillingStatus(rules) || customerIds.length === 0) return new Map();
    return this.statesOf(customerIds);
  }

  /** The same, whatever the rules (a dry run shows it). */
  async statesOf(customerIds: readonly string[]): Promise<Map<string, string>> {
    const found = await this.billing.statuses([...new Set(customerIds)]);
    return new Map([...found].map(([id, status]) => [id, status.state]));
  }
}
