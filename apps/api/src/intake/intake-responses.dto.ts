import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { CONTACT_LOCALES, CONTACT_METHODS, EXCERPT_CHARACTERS, PRIORITIES, TICKET_CATEGORIES, TICKET_CHANNELS, TICKET_PRODUCTS, TICKET_STATUSES } from '@helpdesk/intake';
import type { ContactLocale, ContactMethod, Priority, TicketCategory, TicketChannel, TicketProduct, TicketStatus } from '@helpdesk/intake';
import { PRIORITY_SUGGESTION_WHY_CODES } from '@helpdesk/triage';
import type { PrioritySuggestionWhy } from '@helpdesk/triage';
import { TicketBillingDto } from '../billing/billing-status.dto';
import { BusinessWindowDto, ContactPointDto, PlanScopeDto, PlanScopesDto, PriceDto, TargetsDto } from './support-plan.dto';
import { RequesterDto } from './ticket.dto';

/**
 * What the intake routes answer, for the OpenAPI document (and so for the console's generated
 * client). The services build these shapes (TicketView, …); the browser tests read them back.
 */
export class ActorDto {
  @ApiProperty({ enum: ['staff', 'customer', 'system'] }) kind: 'staff' | 'customer' | 'system';
  @ApiProperty({ type: String, nullable: true, description: 'The agent or customer id; null for the system' }) id: string | null;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: "Who it was, by name: on comments, the agent's name or a customer's as their e-mailed reply gave it (the sender contact's name, else the address); on timeline events, only on such a customer comment",
  })
  name?: string | null;
}

export class SlaBreachesDto {
  @ApiProperty() firstResponse: boolean;
  @ApiProperty() resolution: boolean;
}

export class TicketSlaDto {
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) firstResponseDueAt: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: "When the SLA monitor warns: 75 % of the target's business time used (null until triage starts the clock)" })
  firstResponseWarnAt: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) resolutionDueAt: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: "When the SLA monitor warns: 75 % of the target's business time used" }) resolutionWarnAt: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) firstRespondedAt: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'Set while the clock waits on the customer' }) pausedSince: string | null;
  @ApiProperty({ type: SlaBreachesDto }) breached: SlaBreachesDto;
}

export class KnownIssueSuggestionDto {
  @ApiProperty() knownIssueId: string;
  @ApiProperty() title: string;
  @ApiProperty({ description: 'Full-text rank; higher is closer' }) score: number;
}

export class DiagnosisSummaryWhyParamsDto {
  @ApiProperty() knownIssueId: string;
  @ApiProperty() title: string;
  @ApiProperty() resolution: string;
}

export class DiagnosisSummaryWhyDto {
  @ApiProperty({ enum: ['known_issue'], description: 'Where the summary comes from, for a screen to say in its own language; more codes may come' }) code: 'known_issue';
  @ApiProperty({ type: DiagnosisSummaryWhyParamsDto }) params: DiagnosisSummaryWhyParamsDto;
}

export class DiagnosisDto {
  @ApiProperty({ type: [KnownIssueSuggestionDto] }) suggestions: KnownIssueSuggestionDto[];
  @ApiProperty({ type: Boolean, nullable: true, description: "Within the partner's baseline support; null when unknown" }) inScope: boolean | null;
  @ApiProperty({ type: String, nullable: true, description: "A rule's own words, or (in English) the best known issue's title and resolution" }) summary: string | null;
  @ApiProperty({
    type: DiagnosisSummaryWhyDto,
    required: false,
    description: 'The summary as a code and its values when it comes from a known issue (absent when a rule wrote it, and on diagnoses made before codes existed)',
  })
  summaryWhy?: DiagnosisSummaryWhyDto;
  @ApiProperty({ type: String, nullable: true }) runbookUrl: string | null;
}

export class PrioritySuggestionWhyParamsDto {
  @ApiProperty({ type: [String], description: 'The outage words matched' }) words: string[];
  @ApiProperty({ type: [String], required: false, description: 'outage_everyone: the words saying everyone is affected' }) everyone?: string[];
}

export class PrioritySuggestionWhyDto {
  @ApiProperty({ enum: PRIORITY_SUGGESTION_WHY_CODES, description: 'Why the priority is suggested, for a screen to say in its own language; more codes may come' }) code: PrioritySuggestionWhy['code'];
  @ApiProperty({ type: PrioritySuggestionWhyParamsDto }) params: PrioritySuggestionWhyParamsDto;
}

export class PrioritySuggestionDto {
  @ApiProperty({ enum: ['P1', 'P2'] }) priority: 'P1' | 'P2';
  @ApiProperty({ example: 'outage words "down" affecting everyone: "all users"', description: 'In English' }) reason: string;
  @ApiProperty({ type: PrioritySuggestionWhyDto, required: false, description: 'The reason as a code and its values (absent on suggestions made before codes existed)' }) why?: PrioritySuggestionWhyDto;
}

export class TicketResponseDto {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'HD-000042' }) number: string;
  @ApiProperty() customerId: string;
  @ApiProperty() subject: string;
  @ApiProperty() description: string;
  @ApiProperty({ enum: TICKET_CATEGORIES, nullable: true }) category: TicketCategory | null;
  @ApiProperty({ enum: TICKET_PRODUCTS, nullable: true }) product: TicketProduct | null;
  @ApiProperty({ enum: PRIORITIES, nullable: true, description: "The customer's own assessment" }) severity: Priority | null;
  @ApiProperty({ enum: PRIORITIES }) priority: Priority;
  @ApiProperty({ enum: TICKET_STATUSES }) status: TicketStatus;
  @ApiProperty({ enum: TICKET_CHANNELS }) channel: TicketChannel;
  @ApiProperty({ type: RequesterDto }) requester: RequesterDto;
  @ApiProperty({ type: String, nullable: true }) assigneeId: string | null;
  @ApiProperty({ type: String, nullable: true }) queue: string | null;
  @ApiProperty({ type: [String] }) tags: string[];
  @ApiProperty({ type: String, nullable: true }) externalId: string | null;
  @ApiProperty({ type: String, nullable: true, description: "The customer's invoice this ticket disputes (billing's dispute grace)" }) disputedInvoice: string | null;
  @ApiProperty({ description: "It came by a channel the customer's plan does not include (kept, flagged to the agent; a channel_not_in_plan event on its timeline)" }) channelNotInPlan: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'The ticket this duplicate was merged into (POST /tickets/:id/merge)' }) mergedInto: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) firstRespondedAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ type: TicketSlaDto }) sla: TicketSlaDto;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) triagedAt: string | null;
  @ApiPropertyOptional({ type: DiagnosisDto, nullable: true, description: 'Staff only' }) diagnosis?: DiagnosisDto | null;
  @ApiPropertyOptional({ type: Boolean, nullable: true, description: 'Staff only' }) inScope?: boolean | null;
  @ApiPropertyOptional({ type: PrioritySuggestionDto, nullable: true, description: 'Staff only' }) prioritySuggestion?: PrioritySuggestionDto | null;
  @ApiPropertyOptional({ type: TicketBillingDto, nullable: true, description: "Staff only, on reads (not in the answer to POST /tickets): the customer's billing status (null: no billing account)" }) billing?: TicketBillingDto | null;
}

/**
 * A ticket in a list (GET /tickets, GET /views/:id/tickets): every field of the ticket but its
 * description, which can be 20,000 characters and which a list does not show; an excerpt instead.
 */
export class TicketListItemDto extends OmitType(TicketResponseDto, ['description'] as const) {
  @ApiProperty({
    maxLength: EXCERPT_CHARACTERS,
    example: 'Since this morning no user of the tenant can sign in to Outlook; the Teams client works.',
    description: `The start of the description: its runs of whitespace (line breaks, tabs…) made one space, trimmed, at most ${EXCERPT_CHARACTERS} characters (Unicode code points), with no ellipsis added when cut. The whole description is on GET /tickets/:id.`,
  })
  excerpt: string;
}

export class TicketPageDto {
  @ApiProperty({ type: [TicketListItemDto], description: 'In the requested sort' }) items: TicketListItemDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next page; null on the last page' }) nextCursor: string | null;
}

export class CommentResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() ticketId: string;
  @ApiProperty({ type: ActorDto }) author: ActorDto;
  @ApiProperty() body: string;
  @ApiProperty({ enum: ['public', 'internal'] }) visibility: 'public' | 'internal';
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class TicketEventDto {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'status_changed', description: 'created, status_changed, assigned, commented, triaged, escalated, sla_warning, sla_breached, …' }) type: string;
  @ApiProperty({ type: ActorDto }) actor: ActorDto;
  @ApiProperty({ type: 'object', additionalProperties: true, description: "The event's details; their fields depend on the type. triaged: reasons (in English, by field) and why (the same as codes, a TriageWhysDto; absent on triages made before codes existed), matchedRules, stoppedBy, prioritySuggestion, diagnosis" }) data: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) at: string;
}

/** GET /tickets/:id/conversation: what GET /tickets/:id, /comments and /events answer, in one answer. */
export class TicketConversationDto {
  @ApiProperty({ type: TicketResponseDto, description: 'As GET /tickets/:id gives it to the caller' }) ticket: TicketResponseDto;
  @ApiProperty({ type: [CommentResponseDto], description: 'As GET /tickets/:id/comments: oldest first, internal ones only for staff who work the ticket' }) comments: CommentResponseDto[];
  @ApiProperty({ type: [TicketEventDto], description: 'As GET /tickets/:id/events: oldest first, its public part for customers and for staff who only read the ticket' }) events: TicketEventDto[];
}

export class CustomerResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'The primary domain: the first of domains' }) domain: string;
  @ApiProperty({ type: [String], description: "Every domain the customer's people mail from" }) domains: string[];
  @ApiProperty() supportPlanId: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class ContactResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() customerId: string;
  @ApiProperty() name: string;
  @ApiProperty() email: string;
  @ApiProperty({ type: String, nullable: true }) phone: string | null;
  @ApiProperty({ enum: CONTACT_LOCALES, description: 'The language the contact hears back in' }) locale: ContactLocale;
  @ApiProperty() primary: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class SupportPlanResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: 'Europe/Madrid' }) timezone: string;
  @ApiProperty({ type: [BusinessWindowDto], description: 'Empty = 24×7' }) businessHours: BusinessWindowDto[];
  @ApiProperty({ type: [String], example: ['2026-12-25'] }) holidays: string[];
  @ApiProperty({ enum: CONTACT_METHODS, isArray: true }) contactMethods: ContactMethod[];
  @ApiProperty({ type: PriceDto, nullable: true }) price: PriceDto | null;
  @ApiProperty({ type: TargetsDto }) targets: TargetsDto;
  @ApiProperty({ type: PlanScopesDto, nullable: true }) scope: PlanScopesDto | null;
  @ApiProperty({ type: [ContactPointDto] }) contactPoints: ContactPointDto[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

/** A customer's own plan, as declared to it, in its language. */
export class SupportOfferingResponseDto {
  @ApiProperty() planId: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['es', 'en'] }) locale: 'es' | 'en';
  @ApiProperty({ type: PlanScopeDto, nullable: true, description: 'null while the partner has not written it' }) scope: PlanScopeDto | null;
  @ApiProperty({ enum: CONTACT_METHODS, isArray: true }) contactMethods: ContactMethod[];
  @ApiProperty({ type: [ContactPointDto] }) contactPoints: ContactPointDto[];
  @ApiProperty({ example: 'Europe/Madrid' }) timezone: string;
  @ApiProperty({ type: [BusinessWindowDto], description: 'Empty = 24×7' }) businessHours: BusinessWindowDto[];
  @ApiProperty({ type: [String] }) holidays: string[];
  @ApiProperty({ type: PriceDto, nullable: true }) price: PriceDto | null;
  @ApiProperty({ type: TargetsDto }) targets: TargetsDto;
}
