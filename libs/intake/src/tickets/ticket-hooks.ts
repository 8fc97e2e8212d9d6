import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '@helpdesk/auth';
import { TicketRow, TicketView } from './ticket.view';

export interface TicketChange {
  before: TicketRow;
  after: TicketRow;
  actor: Actor;
  at: Date;
}

/**
 * How contexts downstream of intake (triage's SLA clock, …) take part in a ticket change without
 * intake depending on them: they register here and run inside the change's transaction.
 */
export interface TicketHook {
  /**
   * After the row changed, before commit. Throwing rolls the whole change back. Answers true when
   * it wrote to the ticket row itself (so the caller re-reads the row).
   */
  afterChange?(manager: EntityManager, change: TicketChange): Promise<boolean>;
  /** Adds the context's fields to a ticket view (e.g. `sla`, `diagnosis`). */
  extendView?(row: TicketRow, view: TicketView): void;
}

@Injectable()
export class TicketHooks {
  private readonly hooks: TicketHook[] = [];

  register(hook: TicketHook): void {
    this.hooks.push(hook);
  }

  /** Runs every hook; true when any of them wrote to the ticket row. */
  async afterChange(manager: EntityManager, change: TicketChange): Promise<boolean> {
    let wrote = false;
    for (const hook of this.hooks) if (await hook.afterChange?.(manager, change)) wrote = true;
    return wrote;
  }

  extendView(row: TicketRow, view: TicketView): TicketView {
    for (const hook of this.hooks) hook.extendView?.(row, view);
    return view;
  }
}
