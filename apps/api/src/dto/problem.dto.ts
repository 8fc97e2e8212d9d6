import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** One field a 4xx problem names: the English message, and a code with its params for a screen to say in its own language. */
export class FieldErrorDto {
  @ApiProperty({ example: 'name', description: 'The field, as a dotted path into the body (`contactPoints.0.address`), or a query parameter or header' }) field: string;
  @ApiProperty({ example: 'name must be shorter than or equal to 200 characters', description: 'In English' }) message: string;
  @ApiProperty({
    example: 'isLength',
    description:
      "Why, stable: a validation constraint's name — isLength, minLength, maxLength, min, max, arrayMinSize, arrayMaxSize, arrayUnique, isIn, isEnum, " +
      'isEmail, isUrl, isFQDN, isUUID, isInt, isNumber, isBoolean, isString, isArray, isObject, isDate, matches, nestedValidation, ' +
      'whitelistValidation (a field the body may not have), isCalendarDate, isIanaZone, isCurrencyCode, isDecimalAmount, isProductSelection, isWebhookSecret — ' +
      'or one found by a service: taken (already used), unknownId (names no record), notAllowed (needs a role the caller lacks), ' +
      "contactAddress {channel} (a contact point's address does not suit its channel), contactChannel {channel, methods} (a channel the plan does not offer), " +
      'windowOrder {start, end} (a window ending before it starts), windowOverlap {other} (overlaps the window at field other), targetOrder (first response over resolution), ' +
      'noCondition, noAction (a triage rule without one), unknownPlaceholder {placeholders, allowed} (a template naming placeholders that do not exist), ' +
      'onlyPlaceholders {tags} (sections, partials… in a template), templateSyntax (a template that does not parse), oneLine (a subject with a line break), ' +
      "keepTag {tag} (a subject without the ticket-number tag), afterToday {today} (a date after the partner's today), " +
      'rangeOrder {other} (a range whose end is not after its start, the field other), rangeTooLong {maxDays}, needsSearch (the relevance sort without a search), ' +
      'searchWord (a search with no word or ticket number), addAndRemove {tags} (tags both added and removed), tooManyTags {max, total} (past the cap of tags a ticket has), ' +
      "linkSelf (a ticket linked to itself), belowRemaining (a contract's hours purchased below its hours remaining), webhookRequired (a webhook delivery without its URL or secret), " +
      "manualNoWebhook (a manual delivery with a URL or secret), sameSecret (one key both signing deliveries and verifying callbacks), noTicketWork (queues for an agent whose roles do not work tickets), " +
      'lastGlobalAdmin (the last active global admin losing the role), mayNotWork {roles, category} (an assignee whose roles do not work the ticket), ' +
      'deactivated (a deactivated agent), noToken (an assignee with no valid token), yourself (deactivating yourself), revoked (a revoked token), ' +
      "publicOnly (a customer's internal comment or attachment), webhookTarget {reason, host} (a webhook URL that may not be a target: reason url, scheme or the address's kind, e.g. loopback, private, metadata), " +
      'a problem code (below) when the field is what it is about, ' +
      'invalid (no code of its own: read message). More codes may come; show message for one you do not know.',
  })
  code: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { min: 1, max: 200 },
    description: "The constraint's arguments: min and/or max (lengths, sizes, numbers), values (isIn, isEnum), each: true when the rule applies to each item of a list",
  })
  params: Record<string, unknown>;
}

/** Every error leaves the API as application/problem+json (RFC 9457). */
export class ProblemDto {
  @ApiProperty({ example: 'urn:helpdesk:problem:validation' }) type: string;
  @ApiProperty({ example: 'Invalid request' }) title: string;
  @ApiProperty({ example: 400 }) status: number;
  @ApiProperty({ description: 'In English' }) detail: string;
  @ApiPropertyOptional({ example: '/api/v1/agents' }) instance?: string;
  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'The fields at fault, when the problem is about some' }) errors?: FieldErrorDto[];
  @ApiPropertyOptional({ description: 'Also the X-Request-Id header' }) requestId?: string;
  @ApiPropertyOptional({
    example: 'ticketTransition',
    description:
      'Why, stable, for a screen to say in its own words (title and detail are in English), when the problem has a code: ' +
      'ticketTransition {from, to, allowed} (a status change the workflow does not allow; allowed: where the ticket can go from its status, none for a closed one), ticketClosed (a comment or attachment on a closed ticket), ' +
      'mergedAlready, mergeClosed, mergeEscalated {ticket} (the ticket to merge is merged already, closed, escalated), ' +
      'mergeTargetMerged {ticket, cycle}, mergeTargetClosed {ticket}, mergeOtherCustomer {ticket}, mergeSelf (the ticket to merge into), ' +
      'mailNotFailed {status} (sending again a mail that is sent or pending), mailNotUnmatched {status} (filing an incoming mail that is not unmatched). ' +
      'More codes may come; show title and detail for one you do not know.',
  })
  code?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { from: 'triaged', to: 'resolved', allowed: ['in_progress'] }, description: "The code's arguments" })
  params?: Record<string, unknown>;
}
