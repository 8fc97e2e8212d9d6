import { Injectable } from '@nestjs/common';
import type { Principal } from '@helpdesk/auth';
import { CommentsService, CommentView } from '../comments/comments.service';
import type { PublicTimelineEntry } from '../timeline/public-timeline';
import type { TimelineEntry } from '../timeline/timeline.service';
import type { CustomerTicketView } from './ticket-presenter';
import type { TicketView } from './ticket.view';
import { TicketsService } from './tickets.service';

/** A ticket with its comments and its timeline, each exactly as its own read gives it to the caller. */
export interface TicketConversation {
  ticket: TicketView | CustomerTicketView;
  comments: CommentView[];
  events: TimelineEntry[] | PublicTimelineEntry[];
}

/**
 * What a ticket page shows first, in one read: the ticket (TicketsService.get), its comments
 * (CommentsService.list) and its timeline (TicketsService.events), for the same caller with the same
 * limits. The ticket is looked up and its visibility decided once, not once per part.
 */
@Injectable()
export class TicketConversationService {
  constructor(
    private readonly tickets: TicketsService,
    private readonly comments: CommentsService,
  ) {}

  async get(principal: Principal, id: string): Promise<TicketConversation> {
    const row = await this.tickets.row(principal, id);
    const [ticket, comments, events] = await Promise.all([this.tickets.presentRow(principal, row), this.comments.listOf(principal, row), this.tickets.eventsOf(principal, row)]);
    return { ticket, comments, events };
  }
}
