import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EscalationTier } from '../routing/tiers';

export interface EscalationFailed {
  escalationId: string;
  ticketId: string;
  tier: EscalationTier;
  /** The delivery round that failed: a retried escalation that fails again is a new failure. */
  round: number;
  attempts: number;
  error: string;
}

export interface EscalationFailureHook {
  /** Runs inside the transaction that marks the escalation failed and records `escalation_failed` (once per round). */
  onFailed(manager: EntityManager, failed: EscalationFailed): Promise<void>;
}

/**
 * Lets contexts downstream of escalation (channels' mail to the ticket's queue managers) act when an
 * escalation's delivery fails for good, in the same transaction, without escalation depending on them.
 */
@Injectable()
export class EscalationFailureHooks {
  private readonly hooks: EscalationFailureHook[] = [];

  register(hook: EscalationFailureHook): void {
    this.hooks.push(hook);
  }

  async failed(manager: EntityManager, failed: EscalationFailed): Promise<void> {
    for (const hook of this.hooks) await hook.onFailed(manager, failed);
  }
}
