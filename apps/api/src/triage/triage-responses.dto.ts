import { ApiProperty } from '@nestjs/swagger';
import { RULE_BILLING_STATUSES } from '@helpdesk/triage';
import { PRIORITIES, TICKET_CATEGORIES, TICKET_PRODUCTS } from '@helpdesk/intake';
import type { Priority, TicketCategory, TicketProduct } from '@helpdesk/intake';
import { DiagnosisDto, PrioritySuggestionDto } from '../intake/intake-responses.dto';
import { RuleActionsDto, RuleConditionsDto } from './triage-rule.dto';

const RULE_FIELDS = ['category', 'product', 'priority', 'queue', 'tags', 'inScope', 'diagnosis'] as const;

/** What the triage routes answer, for the OpenAPI document (and so for the console's generated client). */
export class TriageRuleResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'Lower runs first' }) position: number;
  @ApiProperty() enabled: boolean;
  @ApiProperty() stopOnMatch: boolean;
  @ApiProperty({ type: RuleConditionsDto }) conditions: RuleConditionsDto;
  @ApiProperty({ type: RuleActionsDto }) actions: RuleActionsDto;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class RuleMatchDto {
  @ApiProperty() ruleId: string;
  @ApiProperty() name: string;
  @ApiProperty() position: number;
  @ApiProperty({ enum: RULE_FIELDS, isArray: true, description: 'The fields this rule set (no earlier rule had set them)' }) set: Array<(typeof RULE_FIELDS)[number]>;
}

export class TriageResultDto {
  @ApiProperty({ enum: TICKET_CATEGORIES }) category: TicketCategory;
  @ApiProperty({ enum: TICKET_PRODUCTS }) product: TicketProduct;
  @ApiProperty({ enum: PRIORITIES }) priority: Priority;
  @ApiProperty() queue: string;
  @ApiProperty({ type: [String] }) tags: string[];
  @ApiProperty({ type: Boolean, nullable: true }) inScope: boolean | null;
  @ApiProperty({ type: DiagnosisDto }) diagnosis: DiagnosisDto;
  @ApiProperty({ type: PrioritySuggestionDto, nullable: true }) prioritySuggestion: PrioritySuggestionDto | null;
}

export class TriageReasonsDto {
  @ApiProperty({ example: 'classifier: matched "factura"' }) category: string;
  @ApiProperty() product: string;
  @ApiProperty({ example: 'set by rule "Invoices"' }) priority: string;
  @ApiProperty() queue: string;
}

export class DryRunResponseDto {
  @ApiProperty({ type: [RuleMatchDto] }) matchedRules: RuleMatchDto[];
  @ApiProperty({ type: String, nullable: true, description: 'The rule whose stopOnMatch ended the evaluation' }) stoppedBy: string | null;
  @ApiProperty({ type: TriageResultDto }) result: TriageResultDto;
  @ApiProperty({ type: TriageReasonsDto }) reasons: TriageReasonsDto;
  @ApiProperty({ type: String, nullable: true, enum: RULE_BILLING_STATUSES, description: "The customer's billing status the rules saw (null: no customerId, or no billing account)" })
  billingStatus: string | null;
}

export class RuleImpactDto {
  @ApiProperty() ruleId: string;
  @ApiProperty() enabled: boolean;
  @ApiProperty({ description: 'Tickets looked at (the last N)' }) considered: number;
  @ApiProperty() matched: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, example: { queue: 12, tags: 3 }, description: 'Per field: how many matched tickets the rule would change' })
  wouldChange: Record<string, number>;
  @ApiProperty({ type: [String] }) sampleTicketIds: string[];
}

export class KnownIssueResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() title: string;
  @ApiProperty() symptoms: string;
  @ApiProperty({ enum: TICKET_PRODUCTS, nullable: true }) product: TicketProduct | null;
  @ApiProperty({ enum: TICKET_CATEGORIES, nullable: true }) category: TicketCategory | null;
  @ApiProperty() resolution: string;
  @ApiProperty({ type: String, nullable: true }) runbookUrl: string | null;
  @ApiProperty() inScope: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}
