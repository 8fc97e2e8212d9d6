import { Module } from '@nestjs/common';
import { AuditModule } from '@helpdesk/audit';
import { AuthModule } from '@helpdesk/auth';
import { CommentHooks } from './comments/comment-hooks';
import { CommentsService } from './comments/comments.service';
import { ContactsService } from './customers/contacts.service';
import { CustomerPlanHooks } from './customers/customer-plan-hooks';
import { CustomerLocaleService } from './customers/customer-locale.service';
import { CustomersService } from './customers/customers.service';
import { DirectoryCache } from './directory/directory-cache';
import { SupportPlansService } from './support-plans/support-plans.service';
import { TicketFinder } from './tickets/ticket-finder.service';
import { ReleaseOnDeactivation } from './tickets/release-on-deactivation';
import { TicketHooks } from './tickets/ticket-hooks';
import { TicketBulkService } from './tickets/ticket-bulk.service';
import { TicketConversationService } from './tickets/ticket-conversation.service';
import { TicketLinksService } from './tickets/ticket-links.service';
import { TicketMergeService } from './tickets/ticket-merge.service';
import { TicketIntakeService } from './tickets/ticket-intake.service';
import { TicketPresenter } from './tickets/ticket-presenter';
import { TicketsService } from './tickets/tickets.service';
import { TimelineService } from './timeline/timeline.service';

const EXPORTED = [
  SupportPlansService,
  CustomersService,
  ContactsService,
  CustomerPlanHooks,
  TicketIntakeService,
  TicketsService,
  TicketConversationService,
  TicketPresenter,
  CommentsService,
  CommentHooks,
  TimelineService,
  TicketHooks,
  TicketBulkService,
  TicketMergeService,
  TicketLinksService,
  CustomerLocaleService,
];

/** Support plans, customers, tickets, comments and timelines: the front door. */
@Module({
  imports: [AuthModule, AuditModule],
  providers: [...EXPORTED, ReleaseOnDeactivation, TicketFinder, DirectoryCache],
  exports: EXPORTED,
})
export class IntakeModule {}
