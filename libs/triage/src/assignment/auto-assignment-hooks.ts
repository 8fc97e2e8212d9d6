import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/** A ticket the helpdesk itself gave an agent (`pick_agent`'s choice, when triaged or assigned later). */
export interface AutoAssignment {
  ticketId: string;
  agentId: string;
  /** The instant of the `assigned` change. */
  at: Date;
}

export interface AutoAssignmentHook {
  /** Runs inside the transaction that writes the assignments (each told once). */
  onAssigned(manager: EntityManager, assignments: readonly AutoAssignment[]): Promise<void>;
}

/**
 * Lets contexts built on triage (the agents' "assigned to you" mail) react to the tickets triage
 * assigns, in the transaction that assigns them, without triage depending on them.
 */
@Injectable()
export class AutoAssignmentHooks {
  private readonly hooks: AutoAssignmentHook[] = [];

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  register(hook: AutoAssignmentHook): void {
    this.hooks.push(hook);
  }

  /**
   * Runs an assigning write: alone on the pool (one statement, its own transaction) when nobody
   * listens; otherwise in a transaction with the listeners, given what `assigned` says it assigned.
   */
  async write<T>(write: (manager: EntityManager) => Promise<T>, assigned: (result: T) => AutoAssignment[]): Promise<T> {
    if (this.hooks.length === 0) return write(this.dataSource.manager);
    return this.dataSource.transaction(async (manager) => {
      const result = await write(manager);
      const assignments = assigned(result);
      if (assignments.length > 0) for (const hook of this.hooks) await hook.onAssigned(manager, assignments);
      return result;
    });
  }
}
