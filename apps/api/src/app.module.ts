import { Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { AuditModule } from '@helpdesk/audit';
import { AuthModule, BootstrapAdminService } from '@helpdesk/auth';
import { ChannelsModule } from '@helpdesk/channels';
import { ConfigModule } from '@helpdesk/config';
import { DatabaseModule, OutboxModule } from '@helpdesk/database';
import { EscalationModule } from '@helpdesk/escalation';
import { createValidationPipe, ProblemDetailsFilter } from '@helpdesk/http';
import { IntakeModule } from '@helpdesk/intake';
import { LiveEventsModule, MetricsModule, ReportsModule, StatsModule } from '@helpdesk/monitoring';
import { QueueBoardModule } from '@helpdesk/monitoring/board';
import { QueueModule } from '@helpdesk/queue';
import { TriageModule } from '@helpdesk/triage';
import { AttachmentsApiModule } from './attachments/attachments-api.module';
import { BillingApiModule } from './billing/billing-api.module';
import { WorkbenchModule } from '@helpdesk/workbench';
import { AgentsController } from './agents/agents.controller';
import { AuditController } from './audit/audit.controller';
import { InboundEmailController } from './channels/inbound-email.controller';
import { NotificationTemplatesController } from './channels/notification-templates.controller';
import { OutboundMessagesController } from './channels/outbound-messages.controller';
import { Rfc822BodyParser } from './channels/rfc822-body';
import { RequestContextHooks } from './audit/request-context.hooks';
import { AnyContentTypeBodyParser } from './escalation/callback-body';
import { EscalationConfigController } from './escalation/escalation-config.controller';
import { EscalationsController } from './escalation/escalations.controller';
import { HealthController } from './health/health.controller';
import { CustomersController } from './intake/customers.controller';
import { SupportPlansController } from './intake/support-plans.controller';
import { SupportOfferingController } from './intake/support-offering.controller';
import { PortalSessionController } from './portal/portal-session.controller';
import { SignInLinkLimits } from './portal/sign-in-link-limits';
import { TicketsController } from './intake/tickets.controller';
import { KnownIssuesController } from './triage/known-issues.controller';
import { RetriageController } from './triage/retriage.controller';
import { TriageRulesController } from './triage/triage-rules.controller';
import { EdgeModule } from './edge/edge.module';
import { LoggingModule } from './logging.module';
import { MetricsController } from './monitoring/metrics.controller';
import { ReportsController } from './monitoring/reports.controller';
import { StreamController } from './monitoring/stream.controller';
import { StatsController } from './monitoring/stats.controller';
import { SessionController } from './session/session.controller';
import { MacrosModule } from '@helpdesk/macros';
import { WORKBENCH_CONTROLLERS } from './workbench/workbench-controllers';
import { TagsController } from './workbench/tags.controller';
import { ViewsController } from './workbench/views.controller';

@Module({
  imports: [ConfigModule, LoggingModule, EdgeModule, DatabaseModule, OutboxModule, QueueModule, TerminusModule.forRoot({ logger: false }), AuditModule, AuthModule, IntakeModule, TriageModule, StatsModule, LiveEventsModule, ReportsModule, MetricsModule, QueueBoardModule, EscalationModule, WorkbenchModule, BillingApiModule, ChannelsModule, MacrosModule, AttachmentsApiModule],
  controllers: [StatsController, HealthController, AgentsController, SupportPlansController, CustomersController, TicketsController, TriageRulesController, KnownIssuesController, RetriageController, EscalationConfigController, EscalationsController, StreamController, ReportsController, MetricsController, AuditController, ViewsController, TagsController, InboundEmailController, ...WORKBENCH_CONTROLLERS, SessionController, SupportOfferingController, PortalSessionController, NotificationTemplatesController, OutboundMessagesController],
  providers: [
    BootstrapAdminService,
    RequestContextHooks,
    AnyContentTypeBodyParser,
    Rfc822BodyParser,
    SignInLinkLimits,
    { provide: APP_PIPE, useFactory: createValidationPipe },
    { provide: APP_FILTER, useClass: ProblemDetailsFilter },
  ],
})
export class AppModule {}
