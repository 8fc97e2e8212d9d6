import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Actor } from './principal';

export interface AgentDeactivation {
  agentId: string;
  actor: Actor;
  at: Date;
}

/** What a context built on auth does inside the transaction that deactivates an agent. */
export interface AgentHook {
  /** Before commit; throwing rolls the deactivation back. */
  onDeactivated(manager: EntityManager, deactivation: AgentDeactivation): Promise<void>;
}

/**
 * How contexts above auth take part in an agent's deactivation without auth depending on them:
 * intake registers the return of the agent's open tickets to their queues.
 */
@Injectable()
export class AgentHooks {
  private readonly hooks: AgentHook[] = [];

  register(hook: AgentHook): void {
    this.hooks.push(hook);
  }

  async deactivated(manager: EntityManager, deactivation: AgentDeactivation): Promise<void> {
    for (const hook of this.hooks) await hook.onDeactivated(manager, deactivation);
  }
}
