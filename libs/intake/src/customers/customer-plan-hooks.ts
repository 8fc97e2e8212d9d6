import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Actor } from '@helpdesk/auth';

/** A customer moved from one support plan to another, at `at`. */
export interface PlanChange {
  customerId: string;
  fromPlanId: string;
  toPlanId: string;
  at: Date;
  actor: Actor;
}

export interface CustomerPlanHook {
  /** Inside the transaction that changes the plan; throwing rolls the change back. */
  onPlanChanged(manager: EntityManager, change: PlanChange): Promise<void>;
}

/**
 * How a context built on intake reacts to a customer's plan change inside its transaction,
 * without intake depending on it: triage's SLA clock moves the customer's open tickets onto the
 * new plan from the change on.
 */
@Injectable()
export class CustomerPlanHooks {
  private readonly hooks: CustomerPlanHook[] = [];

  register(hook: CustomerPlanHook): void {
    this.hooks.push(hook);
  }

  async changed(manager: EntityManager, change: PlanChange): Promise<void> {
    for (const hook of this.hooks) await hook.onPlanChanged(manager, change);
  }
}
