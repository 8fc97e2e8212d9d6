import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { actorOf, AgentsService, Principal } from '@helpdesk/auth';
import {
  CommentsService,
  CommentView,
  CustomerLocaleService,
  CustomersService,
  formatTicketNumber,
  Locale,
  planHoursText,
  SupportPlansService,
  TicketRow,
  TicketsService,
  TicketView,
  TimelineService,
} from '@helpdesk/intake';
import { MacroActions, MacroView } from './macro';
import { MacroValues, renderMacroBody } from './macro-template';
import { MacrosService } from './macros.service';

/** What applying a macro would write: the comment in the customer's locale, and the changes. */
export interface MacroPreview {
  macroId: string;
  locale: Locale;
  body: string;
  visibility: MacroView['visibility'];
  actions: MacroActions;
}

export interface MacroApplied {
  comment: CommentView;
  ticket: TicketView;
  locale: Locale;
}

/**
 * Applying a macro to a ticket (`POST /tickets/:id/macros/:macroId`): its body in the requester's
 * language with the placeholders filled, posted as a comment, and its actions made by the rules
 * of PATCH, in one transaction with a `macro_applied` event: any refusal (a closed ticket, a
 * transition not allowed, an assignee who may not work it) leaves the ticket as it was.
 */
@Injectable()
export class MacroApplyService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly macros: MacrosService,
    private readonly tickets: TicketsService,
    private readonly comments: CommentsService,
    private readonly customers: CustomersService,
    private readonly plans: SupportPlansService,
    private readonly locales: CustomerLocaleService,
    private readonly agents: AgentsService,
    private readonly timeline: TimelineService,
  ) {}

  /** What `apply` would write now, writing nothing (the caller must be able to apply it). */
  async preview(principal: Principal, ticketId: string, macroId: string): Promise<MacroPreview> {
    const macro = await this.macros.get(principal, macroId);
    const ticket = await this.tickets.row(principal, ticketId);
    this.tickets.assertWorks(principal, ticket);
    return this.render(this.dataSource.manager, principal, ticket, macro);
  }

  async apply(principal: Principal, ticketId: string, macroId: string): Promise<MacroApplied> {
    const macro = await this.macros.get(principal, macroId);
    return this.dataSource.transaction(async (manager) => {
      const ticket = this.tickets.visible(principal, ticketId, await this.tickets.lockedRow(manager, ticketId));
      this.tickets.assertWorks(principal, ticket);
      const preview = await this.render(manager, principal, ticket, macro);
      const comment = await this.comments.addInTransaction(manager, principal, ticketId, { body: preview.body, visibility: macro.visibility });
      const changed = Object.values(macro.actions).some((v) => v !== undefined)
        ? await this.tickets.change(manager, principal, ticketId, macro.actions)
        : await this.tickets.lockedRow(manager, ticketId);
      await this.timeline.record(manager, ticketId, 'macro_applied', actorOf(principal), { macroId: macro.id, name: macro.name, commentId: comment.id, locale: preview.locale });
      return { comment, ticket: this.tickets.view(changed), locale: preview.locale };
    });
  }

  private async render(manager: EntityManager, principal: Principal, ticket: TicketRow, macro: MacroView): Promise<MacroPreview> {
    const locale = await this.locales.requesterLocale(manager, ticket);
    const customer = await this.customers.viewIn(manager, ticket.customer_id);
    const plan = await this.plans.entity(customer.supportPlanId);
    const agentId = principal.kind === 'staff' ? principal.agentId : null;
    const names = agentId ? await this.agents.displayNames([agentId], manager) : new Map<string, string>();
    const values: MacroValues = {
      'customer.name': customer.name,
      'ticket.number': formatTicketNumber(ticket.number),
      'agent.name': (agentId && names.get(agentId)) || '',
      'plan.hours': planHoursText(plan, locale),
    };
    return { macroId: macro.id, locale, body: renderMacroBody(macro.bodies[locale], values), visibility: macro.visibility, actions: macro.actions };
  }
}
