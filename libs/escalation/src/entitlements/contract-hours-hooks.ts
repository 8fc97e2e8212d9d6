import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export interface ContractHoursLow {
  tier: 'premier' | 'advanced';
  hoursRemaining: number;
  hoursPurchased: number;
  /** The ticket whose resolved escalation used the hours that crossed the threshold. */
  ticketId: string;
  escalationId: string;
}

export interface ContractHoursHook {
  /** Runs inside the transaction that deducts the hours and records `contract_hours_low` (once per crossing). */
  onHoursLow(manager: EntityManager, low: ContractHoursLow): Promise<void>;
}

/**
 * Lets contexts downstream of escalation (channels' mail to the partner's managers) act when a paid
 * vendor contract falls under its low-hours threshold, in the same transaction, without escalation
 * depending on them.
 */
@Injectable()
export class ContractHoursHooks {
  private readonly hooks: ContractHoursHook[] = [];

  register(hook: ContractHoursHook): void {
    this.hooks.push(hook);
  }

  async hoursLow(manager: EntityManager, low: ContractHoursLow): Promise<void> {
    for (const hook of this.hooks) await hook.onHoursLow(manager, low);
  }
}
