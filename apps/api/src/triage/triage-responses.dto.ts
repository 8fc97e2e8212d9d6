import { ApiProperty } from '@nestjs/swagger';
import { CLASSIFIER_WHY_CODES, RULE_BILLING_STATUSES, TRIAGE_WHY_CODES } from '@helpdesk/triage';
import type { ClassifierWhy, TriageWhyCode } from '@helpdesk/triage';
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

export class ClassifierWhyParamsDto {
  @ApiProperty({ type: [String], required: false, description: 'matched, matched_over: the words that decided' }) words?: string[];
  @ApiProperty({ enum: ['billing', 'subscription'], required: false, description: 'matched_over: the category that lost' }) other?: 'billing' | 'subscription';
  @ApiProperty({ type: [String], required: false, description: "matched_over: the losing category's words" }) otherWords?: string[];
  @ApiProperty({ required: false, description: 'matched_over: as many words each (billing wins a tie)' }) tie?: boolean;
}

export class ClassifierWhyDto {
  @ApiProperty({ enum: CLASSIFIER_WHY_CODES, description: "The classifier's reason; more codes may come" }) code: ClassifierWhy['code'];
  @ApiProperty({ type: ClassifierWhyParamsDto }) params: ClassifierWhyParamsDto;
}

export class TriageWhyParamsDto {
  @ApiProperty({ type: String, nullable: true, required: false, description: "rule: the rule's name (null: not found)" }) rule?: string | null;
  @ApiProperty({ type: ClassifierWhyDto, required: false, description: "classifier: the classifier's own reason" }) classifier?: ClassifierWhyDto;
  @ApiProperty({ enum: PRIORITIES, required: false, description: 'default_priority, kept_priority' }) priority?: Priority;
  @ApiProperty({ enum: TICKET_CATEGORIES, required: false, description: 'default_queue: the category whose queue it is' }) category?: TicketCategory;
}

export class TriageWhyDto {
  @ApiProperty({ enum: TRIAGE_WHY_CODES, description: 'Why the field got its value, for a screen to say in its own language; more codes may come' }) code: TriageWhyCode;
  @ApiProperty({ type: TriageWhyParamsDto, description: 'The values the sentence of the code needs' }) params: TriageWhyParamsDto;
}

/** The reasons as codes, by field (also the `why` of a `triaged` timeline event). */
export class TriageWhysDto {
  @ApiProperty({ type: TriageWhyDto }) category: TriageWhyDto;
  @ApiProperty({ type: TriageWhyDto }) product: TriageWhyDto;
  @ApiProperty({ type: TriageWhyDto }) priority: TriageWhyDto;
  @ApiProperty({ type: TriageWhyDto }) queue: TriageWhyDto;
}

export class DryRunResponseDto {
  @ApiProperty({ type: [RuleMatchDto] }) matchedRules: RuleMatchDto[];
  @ApiProperty({ type: String, nullable: true, description: 'The rule whose stopOnMatch ended the evaluation' }) stoppedBy: string | null;
  @ApiProperty({ type: TriageResultDto }) result: TriageResultDto;
  @ApiProperty({ type: TriageReasonsDto, description: 'In English' }) reasons: TriageReasonsDto;
  @ApiProperty({ type: TriageWhysDto, description: 'The reasons as codes and their values' }) why: TriageWhysDto;
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
