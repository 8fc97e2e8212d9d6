import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export interface ResolutionBreach {
  ticketId: string;
  priority: 'P1' | 'P2' | 'P3' | 'P4';
  category: 'billing' | 'subscription_management' | 'technical' | null;
  /** The diagnosis' verdict: false = outside the partner's baseline scope; null = unknown. */
  inScope: boolean | null;
  at: Date;
}

/** A ticket whose first-response target passed without a first response (the monitor's `sla_breached`). */
export interface FirstResponseBreach {
  ticketId: string;
  dueAt: Date;
  at: Date;
}

/** A ticket at 75 % of a target's business time (the monitor's `sla_warning`). */
export interface SlaWarning {
  ticketId: string;
  target: 'firstResponse' | 'resolution';
  dueAt: Date;
  at: Date;
}

export interface SlaBreachHook {
  /** Runs inside the transaction that records the breach (once per ticket). */
  onResolutionBreach?(manager: EntityManager, breach: ResolutionBreach): Promise<void>;
  /** Runs inside the transaction that records the breach (once per ticket). */
  onFirstResponseBreach?(manager: EntityManager, breach: FirstResponseBreach): Promise<void>;
  /** Runs inside the transaction that records the warning (once per ticket and target). */
  onWarning?(manager: EntityManager, warning: SlaWarning): Promise<void>;
}

/**
 * Lets contexts built on triage (escalation's auto-escalation policy) react to an SLA breach in
 * the same transaction, without triage depending on them.
 */
@Injectable()
export class SlaBreachHooks {
  private readonly hooks: SlaBreachHook[] = [];

  register(hook: SlaBreachHook): void {
    this.hooks.push(hook);
  }

  async resolutionBreached(manager: EntityManager, breach: ResolutionBreach): Promise<void> {
    for (const hook of this.hooks) await hook.onResolutionBreach?.(manager, breach);
  }

  async firstResponseBreached(manager: EntityManager, breach: FirstResponseBreach): Promise<void> {
    for (const hook of this.hooks) await hook.onFirstResponseBreach?.(manager, breach);
  }

  /** Whether anyone listens for warnings (the monitor then records them in a transaction it can share). */
  get heedsWarnings(): boolean {
    return this.hooks.some((hook) => hook.onWarning !== undefined);
  }

  async warned(manager: EntityManager, warning: SlaWarning): Promise<void> {
    for (const hook of this.hooks) await hook.onWarning?.(manager, warning);
  }
}
