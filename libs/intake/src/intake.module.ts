import { Module } from '@nestjs/common';
import { AuditModule } from '@helpdesk/audit';
import { AuthModule } from '@helpdesk/auth';
import { CommentsService } from './comments/comments.service';
import { ContactsService } from './customers/contacts.service';
import { CustomerPlanHooks } from './customers/customer-plan-hooks';
import { CustomersService } from './customers/customers.service';
import { SupportPlansService } from './support-plans/support-plans.service';
import { TicketFinder } from './tickets/ticket-finder.service';
import { ReleaseOnDeactivation } from './tickets/release-on-deactivation';
import { TicketHooks } from './tickets/ticket-hooks';
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
  TicketPresenter,
  CommentsService,
  TimelineService,
  TicketHooks,
];

/** Support plans, customers, tickets, comments and timelines: the front door. */
@Module({
  imports: [AuthModule, AuditModule],
  providers: [...EXPORTED, ReleaseOnDeactivation, TicketFinder],
  exports: EXPORTED,
})
export class IntakeModule {}
