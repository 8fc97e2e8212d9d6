import { Injectable, OnModuleInit } from '@nestjs/common';
import { AgentHooks } from '@helpdesk/auth';
import { RELEASE_AGENT_TICKETS } from './ticket-writes';

/** A deactivated agent's open tickets go back to their queues, unassigned, in the deactivation's transaction. */
@Injectable()
export class ReleaseOnDeactivation implements OnModuleInit {
  constructor(private readonly agentHooks: AgentHooks) {}

  onModuleInit(): void {
    this.agentHooks.register({
      onDeactivated: async (manager, { agentId, actor, at }) => {
        await manager.query(RELEASE_AGENT_TICKETS, [agentId, at, actor.kind, actor.id]);
      },
    });
  }
}
