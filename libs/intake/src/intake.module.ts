import { Module } from '@nestjs/common';
import { AuthModule } from '@helpdesk/auth';
import { CommentsService } from './comments/comments.service';
import { CustomerLocaleService } from './customers/customer-locale.service';
import { CustomersService } from './customers/customers.service';
import { SupportPlansService } from './support-plans/support-plans.service';
import { TicketHooks } from './tickets/ticket-hooks';
import { TicketBulkService } from './tickets/ticket-bulk.service';
import { TicketLinksService } from './tickets/ticket-links.service';
import { TicketMergeService } from './tickets/ticket-merge.service';
import { TicketIntakeService } from './tickets/ticket-intake.service';
import { TicketsService } from './tickets/tickets.service';
import { TimelineService } from './timeline/timeline.service';

/** Support plans, customers, tickets, comments and timelines: the front door. */
@Module({
  imports: [AuthModule],
  providers: [SupportPlansService, CustomersService, TicketIntakeService, TicketsService, CommentsService, TimelineService, TicketHooks, TicketBulkService, TicketMergeService, TicketLinksService, CustomerLocaleService],
  exports: [SupportPlansService, CustomersService, TicketIntakeService, TicketsService, CommentsService, TimelineService, TicketHooks, TicketBulkService, TicketMergeService, TicketLinksService, CustomerLocaleService],
})
export class IntakeModule {}
