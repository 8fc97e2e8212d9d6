import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Actor } from '@helpdesk/auth';
import { AGING_BUCKETS, DUNNING_ACTIONS, NOTICE_KINDS, PRODUCTS, PROVISIONING_STATUSES, RESTORE_REQUIREMENTS, SUBSCRIPTION_STATUSES } from '@helpdesk/billing';
import type {
  AccountView,
  AgingBucket,
  BillingEvent,
  BillingEventPage,
  BillingEventType,
  BillingStatus,
  CurrencyReceivables,
  DunningAction,
  DunningOutcome,
  DunningPreviewItem,
  DunningRunView,
  ImportResult,
  InvoicePage,
  InvoiceView,
  NoticeView,
  PartnerCalendar,
  PolicyStepView,
  PolicyView,
  Product,
  ProvisioningActionView,
  ProvisioningSettingsView,
  PublishedPolicyView,
  ReceivablesReport,
  RestoreRequirement,
  StatusChangeView,
  SubscriptionSnapshot,
  SubscriptionView,
  SuspensionView,
} from '@helpdesk/billing';
import { MoneyDto } from './billing-status.dto';

/*
 * The bodies of the billing routes, as libs/billing's views define them. Each class `implements`
 * its view, so a field added to or changed in a view fails the type check here until its schema
 * follows (and the console's generated client with it).
 */

const DATE = { example: '2026-12-31', description: "A date in the partner's calendar (YYYY-MM-DD)" };
const LOCALES = ['es', 'en'] as const;

export class BillingActorDto implements Actor {
  @ApiProperty({ enum: ['staff', 'customer', 'system'] }) kind: Actor['kind'];
  @ApiProperty({ type: String, nullable: true }) id: string | null;
}

export class BillingOverdueDto {
  @ApiProperty({ type: MoneyDto }) amount: MoneyDto;
  @ApiProperty() days: number;
  @ApiProperty() invoices: number;
}

export class BillingStatusDto implements BillingStatus {
  @ApiProperty() customerId: string;
  @ApiProperty({ enum: ['current', 'overdue', 'suspended'] }) state: BillingStatus['state'];
  @ApiProperty({ type: BillingOverdueDto, nullable: true }) overdue: BillingOverdueDto | null;
  @ApiProperty({ type: MoneyDto }) outstanding: MoneyDto;
  @ApiProperty({ enum: PRODUCTS, isArray: true }) suspendedProducts: Product[];
  @ApiProperty({ type: [String] }) disputedInvoices: string[];
}

class InvoiceLineViewDto {
  @ApiProperty() position: number;
  @ApiProperty() description: string;
  @ApiProperty({ type: MoneyDto }) amount: MoneyDto;
  @ApiProperty({ type: String, nullable: true }) subscriptionId: string | null;
}

class InvoicePaymentDto {
  @ApiProperty() id: string;
  @ApiProperty({ type: MoneyDto }) amount: MoneyDto;
  @ApiProperty(DATE) paidOn: string;
  @ApiProperty() reference: string;
  @ApiProperty({ format: 'date-time' }) recordedAt: string;
  @ApiProperty({ type: BillingActorDto }) recordedBy: BillingActorDto;
}

class InvoiceDunningStepDto {
  @ApiProperty({ enum: DUNNING_ACTIONS }) action: DunningAction;
  @ApiProperty() policyVersion: number;
  @ApiProperty() step: number;
  @ApiProperty(DATE) dueOn: string;
  @ApiProperty({ format: 'date-time' }) appliedAt: string;
  @ApiProperty({ ...DATE, type: String, nullable: true, description: 'The partner date of the run that applied it (null: applied before it was recorded)' }) appliedOn: string | null;
  @ApiProperty({ enum: ['applied', 'superseded'], description: 'superseded: a later warning was due too, so this one was recorded and not sent' }) outcome: 'applied' | 'superseded';
}

export class InvoiceDto implements InvoiceView {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'INV-2026-0042' }) number: string;
  @ApiProperty() customerId: string;
  @ApiProperty(DATE) issuedOn: string;
  @ApiProperty(DATE) dueOn: string;
  @ApiProperty({ example: 'EUR' }) currency: string;
  @ApiProperty({ type: MoneyDto }) total: MoneyDto;
  @ApiProperty({ type: MoneyDto }) paid: MoneyDto;
  @ApiProperty({ type: MoneyDto }) balance: MoneyDto;
  @ApiProperty({ enum: ['open', 'paid', 'void'] }) status: InvoiceView['status'];
  @ApiProperty({ description: "Open and past its due date (partner's calendar)" }) overdue: boolean;
  @ApiProperty() daysOverdue: number;
  @ApiPropertyOptional({ type: [InvoiceLineViewDto], description: 'One invoice read alone' }) lines?: InvoiceLineViewDto[];
  @ApiPropertyOptional({ type: [InvoicePaymentDto], description: 'One invoice read alone' }) payments?: InvoicePaymentDto[];
  @ApiPropertyOptional({ type: [InvoiceDunningStepDto], description: 'The collections steps applied to it (each once); one invoice read alone' }) dunning?: InvoiceDunningStepDto[];
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) paidAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class InvoicePageDto implements InvoicePage {
  @ApiProperty({ type: [InvoiceDto] }) items: InvoiceDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class ImportResultDto implements ImportResult {
  @ApiProperty() invoices: number;
  @ApiProperty() created: number;
  @ApiProperty() updated: number;
  @ApiProperty() unchanged: number;
  @ApiProperty({ type: String, nullable: true, description: 'The dunning run queued for the imported customers (null when nothing changed)' }) dunningRunId: string | null;
}

class SubscriptionSuspensionRefDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['collections', 'manual'] }) origin: 'collections' | 'manual';
}

export class SubscriptionDto implements SubscriptionView {
  @ApiProperty() id: string;
  @ApiProperty() customerId: string;
  @ApiProperty({ enum: PRODUCTS }) product: Product;
  @ApiProperty() vendorSubscriptionId: string;
  @ApiProperty() tenantId: string;
  @ApiProperty() offerName: string;
  @ApiProperty() quantity: number;
  @ApiProperty({ type: MoneyDto }) unitPrice: MoneyDto;
  @ApiProperty({ enum: SUBSCRIPTION_STATUSES }) status: SubscriptionView['status'];
  @ApiProperty({ type: SubscriptionSuspensionRefDto, nullable: true, description: 'While suspended: the suspension holding it' }) suspension: SubscriptionSuspensionRefDto | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class StatusChangeDto implements StatusChangeView {
  @ApiProperty({ enum: SUBSCRIPTION_STATUSES, nullable: true }) from: SubscriptionView['status'] | null;
  @ApiProperty({ enum: SUBSCRIPTION_STATUSES }) to: SubscriptionView['status'];
  @ApiProperty() reason: string;
  @ApiProperty({ type: String, nullable: true }) suspensionId: string | null;
  @ApiProperty({ type: BillingActorDto }) actor: BillingActorDto;
  @ApiProperty({ format: 'date-time' }) at: string;
}

export class SubscriptionWithHistoryDto extends SubscriptionDto {
  @ApiProperty({ type: [StatusChangeDto] }) history: StatusChangeDto[];
}

class SubscriptionSnapshotDto implements SubscriptionSnapshot {
  @ApiProperty() id: string;
  @ApiProperty({ enum: PRODUCTS }) product: Product;
  @ApiProperty() vendorSubscriptionId: string;
  @ApiProperty() tenantId: string;
  @ApiProperty() offerName: string;
  @ApiProperty() quantity: number;
}

class ProvisioningAttemptDto {
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ type: Number, nullable: true }) httpStatus: number | null;
  @ApiProperty({ type: String, nullable: true }) error: string | null;
  @ApiProperty() durationMs: number;
}

export class ProvisioningActionDto implements ProvisioningActionView {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['subscription.suspend', 'subscription.resume'] }) event: ProvisioningActionView['event'];
  @ApiProperty({ enum: ['suspend', 'resume'] }) kind: ProvisioningActionView['kind'];
  @ApiProperty() suspensionId: string;
  @ApiProperty() customerId: string;
  @ApiProperty({ type: [SubscriptionSnapshotDto] }) subscriptions: SubscriptionSnapshotDto[];
  @ApiProperty({ enum: ['webhook', 'manual'] }) mode: ProvisioningActionView['mode'];
  @ApiProperty({ enum: PROVISIONING_STATUSES }) status: ProvisioningActionView['status'];
  @ApiProperty({ type: String, nullable: true }) lastError: string | null;
  @ApiProperty({ type: String, nullable: true }) note: string | null;
  @ApiProperty({ type: BillingActorDto, nullable: true }) confirmedBy: BillingActorDto | null;
  @ApiPropertyOptional({ type: [ProvisioningAttemptDto], description: 'One delivery read alone' }) attempts?: ProvisioningAttemptDto[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) completedAt: string | null;
}

export class ProvisioningActionPageDto {
  @ApiProperty({ type: [ProvisioningActionDto] }) items: ProvisioningActionDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class ProvisioningSettingsDto implements ProvisioningSettingsView {
  @ApiProperty({ enum: ['webhook', 'manual'] }) delivery: ProvisioningSettingsView['delivery'];
  @ApiProperty({ type: String, nullable: true }) webhookUrl: string | null;
  @ApiProperty({ description: 'Whether a signing secret is stored (it is never shown)' }) hasSecret: boolean;
  @ApiProperty() timeoutMs: number;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class SuspensionDto implements SuspensionView {
  @ApiProperty() id: string;
  @ApiProperty() customerId: string;
  @ApiProperty({ enum: ['collections', 'manual'] }) origin: SuspensionView['origin'];
  @ApiProperty({ oneOf: [{ type: 'array', items: { type: 'string', enum: [...PRODUCTS] } }, { type: 'string', enum: ['all'] }] }) products: Product[] | 'all';
  @ApiProperty({ type: [String] }) subscriptionIds: string[];
  @ApiProperty({ type: [String], description: 'Invoice numbers' }) invoices: string[];
  @ApiProperty({ type: Number, nullable: true }) policyVersion: number | null;
  @ApiProperty({ type: Number, nullable: true }) step: number | null;
  @ApiProperty({ enum: RESTORE_REQUIREMENTS, nullable: true }) restoreRequires: RestoreRequirement | null;
  @ApiProperty() reason: string;
  @ApiProperty({ enum: ['active', 'cancelled', 'restored'] }) status: SuspensionView['status'];
  @ApiProperty({ type: BillingActorDto }) createdBy: BillingActorDto;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, nullable: true }) restoreId: string | null;
  @ApiProperty({ type: String, nullable: true }) endedReason: string | null;
  @ApiProperty({ type: BillingActorDto, nullable: true }) endedBy: BillingActorDto | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) endedAt: string | null;
  @ApiPropertyOptional({ type: [ProvisioningActionDto], description: 'One suspension read alone: its deliveries and their attempts' }) provisioning?: ProvisioningActionDto[];
}

class BillingContactViewDto {
  @ApiProperty() name: string;
  @ApiProperty() email: string;
}

class DunningPauseViewDto {
  @ApiProperty(DATE) until: string;
  @ApiProperty() reason: string;
}

export class BillingAccountDto implements AccountView {
  @ApiProperty() customerId: string;
  @ApiProperty() customerName: string;
  @ApiProperty({ example: 'EUR' }) currency: string;
  @ApiProperty() paymentTermsDays: number;
  @ApiProperty({ type: BillingContactViewDto }) contact: BillingContactViewDto;
  @ApiProperty({ enum: LOCALES }) locale: AccountView['locale'];
  @ApiProperty({ type: BillingStatusDto }) status: BillingStatusDto;
  @ApiProperty({ type: DunningPauseViewDto, nullable: true }) dunningPause: DunningPauseViewDto | null;
  @ApiProperty({ type: [SubscriptionDto] }) subscriptions: SubscriptionDto[];
  @ApiProperty({ type: [InvoiceDto] }) openInvoices: InvoiceDto[];
  @ApiProperty({ type: [SuspensionDto] }) activeSuspensions: SuspensionDto[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class NoticeDto implements NoticeView {
  @ApiProperty() id: string;
  @ApiProperty({ enum: NOTICE_KINDS, description: 'A reminder, a final notice, a suspension for non-payment or its end (restoration)' }) kind: NoticeView['kind'];
  @ApiProperty({ type: [String], description: 'Invoice numbers' }) invoices: string[];
  @ApiProperty({ type: MoneyDto }) amountDue: MoneyDto;
  @ApiProperty({ enum: LOCALES }) locale: NoticeView['locale'];
  @ApiProperty({ ...DATE, type: String, nullable: true, description: 'The oldest due date of its invoices' }) dueOn: string | null;
  @ApiProperty({ ...DATE, type: String, nullable: true, description: 'A final notice: the first date its suspension may be applied' }) suspendOn: string | null;
  @ApiProperty() subject: string;
  @ApiProperty() body: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

const BILLING_EVENT_TYPES: readonly BillingEventType[] = [
  'account_created',
  'account_updated',
  'subscription_added',
  'subscription_updated',
  'invoice_created',
  'invoice_updated',
  'payment_recorded',
  'invoice_paid',
  'notice_sent',
  'suspension_created',
  'suspension_delivered',
  'suspension_confirmed',
  'suspension_delivery_failed',
  'suspension_cancelled',
  'subscriptions_restored',
  'restore_delivered',
  'restore_confirmed',
  'restore_delivery_failed',
  'provisioning_retried',
  'suspend_step_without_subscriptions',
  'dunning_paused',
  'dunning_resumed',
];

export class BillingEventDto implements BillingEvent {
  @ApiProperty() id: string;
  @ApiProperty({ enum: BILLING_EVENT_TYPES }) type: BillingEventType;
  @ApiProperty({ type: BillingActorDto }) actor: BillingActorDto;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'What happened (by type): invoice numbers, amounts, reasons' }) data: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) at: string;
}

export class BillingEventPageDto implements BillingEventPage {
  @ApiProperty({ type: [BillingEventDto] }) items: BillingEventDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

class PolicyStepViewDto implements PolicyStepView {
  @ApiProperty() position: number;
  @ApiProperty({ enum: DUNNING_ACTIONS }) action: DunningAction;
  @ApiProperty({ description: 'Days after the due date' }) days: number;
  @ApiPropertyOptional({ oneOf: [{ type: 'array', items: { type: 'string', enum: [...PRODUCTS] } }, { type: 'string', enum: ['all'] }], description: 'suspend only' }) products?: Product[] | 'all';
  @ApiPropertyOptional({ enum: RESTORE_REQUIREMENTS, description: 'suspend only' }) restoreRequires?: RestoreRequirement;
}

export class CollectionsPolicyDto implements PolicyView {
  @ApiProperty() version: number;
  @ApiProperty(DATE) effectiveOn: string;
  @ApiProperty({ example: 'Europe/Madrid' }) timezone: string;
  @ApiProperty({ type: [PolicyStepViewDto] }) steps: PolicyStepViewDto[];
  @ApiProperty({ type: [MoneyDto] }) minimumAmounts: MoneyDto[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class PartnerCalendarDto implements PartnerCalendar {
  @ApiProperty({ ...DATE, description: "Today in the partner's time zone: the latest date a real dunning run or a payment may be dated" }) today: string;
  @ApiProperty({ example: 'Europe/Madrid', description: "The collections policy's time zone (UTC before there is a policy)" }) timezone: string;
}

export class PublishedPolicyDto extends CollectionsPolicyDto implements PublishedPolicyView {
  @ApiProperty({ enum: LOCALES }) locale: PublishedPolicyView['locale'];
  @ApiProperty() title: string;
  @ApiProperty({ type: [String] }) paragraphs: string[];
}

class DunningPreviewItemDto implements DunningPreviewItem {
  @ApiProperty() customerId: string;
  @ApiProperty({ description: 'The invoice number' }) invoice: string;
  @ApiProperty({ enum: DUNNING_ACTIONS }) action: DunningAction;
  @ApiProperty() policyVersion: number;
  @ApiProperty() step: number;
  @ApiProperty(DATE) stepDueOn: string;
}

class DunningAppliedDto {
  @ApiProperty() remind: number;
  @ApiProperty() final_notice: number;
  @ApiProperty() suspend: number;
}

class DunningSkippedDto {
  @ApiProperty() paused: number;
  @ApiProperty() belowMinimum: number;
  @ApiProperty() disputed: number;
}

export class DunningOutcomeDto implements DunningOutcome {
  @ApiProperty({ ...DATE, type: String, nullable: true }) asOf: string | null;
  @ApiProperty() customers: number;
  @ApiProperty({ type: DunningAppliedDto }) applied: DunningAppliedDto;
  @ApiProperty() notices: number;
  @ApiProperty() suspensions: number;
  @ApiProperty() subscriptionsSuspended: number;
  @ApiProperty({ type: DunningSkippedDto, description: 'Customers left alone, by why' }) skipped: DunningSkippedDto;
  @ApiProperty({ description: '(invoice, step) pairs due but held while a dispute is open' }) held: number;
  @ApiProperty({ description: 'Warning steps found already past a later warning of the same invoice: recorded, not sent (only the latest warning due goes out)' })
  superseded: number;
  @ApiProperty({ description: '(invoice, suspend step) pairs due by their days but waiting for the notice period after the warning actually sent' })
  deferred: number;
  @ApiPropertyOptional({ type: [DunningPreviewItemDto], description: 'Dry runs: the first (invoice, step) pairs that would be applied' }) preview?: DunningPreviewItemDto[];
}

/** A dry run's answer (200): what the run would do. */
export class DunningDryRunDto extends DunningOutcomeDto {
  @ApiProperty({ enum: [true] }) dryRun: true;
}

export class DunningRunViewDto implements DunningRunView {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['manual', 'schedule', 'import'] }) trigger: DunningRunView['trigger'];
  @ApiProperty({ ...DATE, type: String, nullable: true }) asOf: string | null;
  @ApiProperty() dryRun: boolean;
  @ApiProperty({ type: Number, nullable: true }) customers: number | null;
  @ApiProperty({ enum: ['queued', 'running', 'completed', 'failed'] }) status: DunningRunView['status'];
  @ApiProperty({ type: DunningOutcomeDto, nullable: true }) result: DunningOutcomeDto | null;
  @ApiProperty({ type: String, nullable: true }) error: string | null;
  @ApiProperty({ type: BillingActorDto }) requestedBy: BillingActorDto;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) startedAt: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) finishedAt: string | null;
}

class AgingDto implements Record<AgingBucket, MoneyDto> {
  @ApiProperty({ type: MoneyDto, description: 'Not yet due' }) current: MoneyDto;
  @ApiProperty({ type: MoneyDto }) days1to30: MoneyDto;
  @ApiProperty({ type: MoneyDto }) days31to60: MoneyDto;
  @ApiProperty({ type: MoneyDto }) days61to90: MoneyDto;
  @ApiProperty({ type: MoneyDto }) over90: MoneyDto;
}

class CurrencyReceivablesDto implements CurrencyReceivables {
  @ApiProperty({ example: 'EUR' }) currency: string;
  @ApiProperty({ type: MoneyDto }) outstanding: MoneyDto;
  @ApiProperty({ type: AgingDto, description: `Outstanding by age: ${AGING_BUCKETS.join(', ')}` }) aging: AgingDto;
  @ApiProperty({ type: MoneyDto }) salesLast90Days: MoneyDto;
  @ApiProperty({ type: Number, nullable: true, description: 'Days sales outstanding (null without sales)' }) dso: number | null;
  @ApiProperty({ type: MoneyDto }) recoveredAfterSuspension: MoneyDto;
}

export class ReceivablesReportDto implements ReceivablesReport {
  @ApiProperty(DATE) asOf: string;
  @ApiProperty() timezone: string;
  @ApiProperty({ type: [CurrencyReceivablesDto] }) currencies: CurrencyReceivablesDto[];
  @ApiProperty() customersSuspended: number;
  @ApiProperty() subscriptionsSuspended: number;
}
