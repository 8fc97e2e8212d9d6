import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '@helpdesk/auth';
import type { TicketRow } from '../tickets/ticket.view';

export interface CommentAdded {
  ticket: TicketRow;
  comment: { id: string; body: string; visibility: 'public' | 'internal'; createdAt: Date };
  actor: Actor;
  /** The staff author's name (null for a customer, the system, or an agent without one): read once for the comment and its hooks. */
  authorName: string | null;
}

/**
 * How contexts downstream of intake (channels' e-mail to the customer, …) act on a new comment
 * inside its transaction, without intake depending on them. Throwing rolls the comment back.
 */
export interface CommentHook {
  afterAdd(manager: EntityManager, added: CommentAdded): Promise<void>;
}

@Injectable()
export class CommentHooks {
  private readonly hooks: CommentHook[] = [];

  register(hook: CommentHook): void {
    this.hooks.push(hook);
  }

  async afterAdd(manager: EntityManager, added: CommentAdded): Promise<void> {
    for (const hook of this.hooks) await hook.afterAdd(manager, added);
  }
}
