/** RFC 9457 problem details, as every error leaves the API. */
export interface FieldError {
  field: string;
  /** In English, for people reading the API directly. */
  message: string;
  /**
   * Why, for a screen to say in its own words: class-validator's constraint name (`isLength`,
   * `maxLength`, `isIn`, `isEmail`, `whitelistValidation`…, our own validators' names such as
   * `isIanaZone`), or a FieldErrorCode for a check made by a service. Left out by a thrower, it is
   * `invalid` in the problem.
   */
  code?: string;
  /** The constraint's arguments a message needs: `{min, max}` for lengths and sizes, `{values}` for choices, `each` for a rule on each item of a list. */
  params?: Record<string, unknown>;
}

/** The codes of field errors found by services (the validators' codes are their constraint names). */
export enum FieldErrorCode {
  /** No code of its own: the message says why. */
  Invalid = 'invalid',
  /** Unique among its kind and already used (an e-mail, a name, a domain…). */
  Taken = 'taken',
  /** Names a record (by its id) that does not exist. */
  UnknownId = 'unknownId',
  /** Needs a role the caller does not have. */
  NotAllowed = 'notAllowed',
  /** A support plan's contact point whose address does not suit its channel: params `{channel}`. */
  ContactAddress = 'contactAddress',
  /** A contact point on a channel the plan does not offer: params `{channel, methods}`. */
  ContactChannel = 'contactChannel',
  /** A weekly window that ends before it starts: params `{start, end}`. */
  WindowOrder = 'windowOrder',
  /** A weekly window overlapping an earlier one of the list: params `{other}` (its field). */
  WindowOverlap = 'windowOverlap',
  /** A first-response target longer than the resolution target. */
  TargetOrder = 'targetOrder',
  /** A triage rule with no non-empty condition. */
  NoCondition = 'noCondition',
  /** A triage rule with no action. */
  NoAction = 'noAction',
  /** A template (macro, mail) naming placeholders that do not exist: params `{placeholders, allowed}`. */
  UnknownPlaceholder = 'unknownPlaceholder',
  /** A template holding sections, partials or other tags: params `{tags}`. */
  OnlyPlaceholders = 'onlyPlaceholders',
  /** A template that does not parse (an unclosed `{{`). */
  TemplateSyntax = 'templateSyntax',
  /** A mail subject with a line break or another control character. */
  OneLine = 'oneLine',
  /** A mail subject without the ticket-number tag a customer's answer is matched by: params `{tag}`. */
  KeepTag = 'keepTag',
  /** A date after the partner's today where only today or earlier is allowed: params `{today}`. */
  AfterToday = 'afterToday',
  /** A range's end (`to`) not after its start: params `{other}` (the start's field). */
  RangeOrder = 'rangeOrder',
  /** A range longer than allowed: params `{maxDays}`. */
  RangeTooLong = 'rangeTooLong',
  /** The relevance sort without a search to rank by. */
  NeedsSearch = 'needsSearch',
  /** A search with no word or ticket number in it. */
  SearchWord = 'searchWord',
  /** The same tags both added and removed: params `{tags}`. */
  AddAndRemove = 'addAndRemove',
  /** Tags beyond a ticket's cap: params `{max, total}` (the cap, and how many the change would make). */
  TooManyTags = 'tooManyTags',
  /** A ticket linked to itself. */
  LinkSelf = 'linkSelf',
  /** A contract's hours purchased below its hours remaining. */
  BelowRemaining = 'belowRemaining',
  /** A webhook URL or secret left out of a webhook delivery. */
  WebhookRequired = 'webhookRequired',
  /** A webhook URL or secret sent with a manual delivery. */
  ManualNoWebhook = 'manualNoWebhook',
  /** One key both signing deliveries and verifying callbacks. */
  SameSecret = 'sameSecret',
  /** Queues for an agent whose roles do not work tickets. */
  NoTicketWork = 'noTicketWork',
  /** Taking the global admin role from (or deactivating) the last active global admin. */
  LastGlobalAdmin = 'lastGlobalAdmin',
  /** An assignee whose roles do not work the ticket's category: params `{roles, category}` (category null: uncategorised). */
  MayNotWork = 'mayNotWork',
  /** A deactivated agent where an active one is needed (assigned, made available, changed). */
  Deactivated = 'deactivated',
  /** An assignee holding no valid token, who therefore cannot sign in. */
  NoToken = 'noToken',
  /** Deactivating one's own agent. */
  Yourself = 'yourself',
  /** A token that is revoked already. */
  Revoked = 'revoked',
  /** An internal comment or attachment sent by a customer: they may only write public ones. */
  PublicOnly = 'publicOnly',
  /** A webhook URL that may not be a target: params `{reason, host}` — reason `url` (not an absolute URL), `scheme` (not http or https) or the kind of address it reaches (`loopback`, `private`, `linkLocal`, `metadata`…, see address-policy.ts). */
  WebhookTarget = 'webhookTarget',
}

/**
 * The codes of problems a screen says in its own words, with or without fields (`code`, `params`
 * in the problem): mostly 409s about the state a record is in.
 */
export enum ProblemCode {
  /** A ticket status change the workflow does not allow: params `{from, to, allowed}` (the statuses it can go to from `from`; none for a closed ticket). */
  TicketTransition = 'ticketTransition',
  /** A comment or an attachment on a closed ticket. */
  TicketClosed = 'ticketClosed',
  /** Merging a ticket that was merged already: params `{ticket}` (its number). */
  MergedAlready = 'mergedAlready',
  /** Merging a closed ticket: params `{ticket}`. */
  MergeClosed = 'mergeClosed',
  /** Merging a ticket escalated to a vendor: params `{ticket}`. */
  MergeEscalated = 'mergeEscalated',
  /** Merging into a ticket that was itself merged (`cycle`: into this one): params `{ticket, cycle}`. */
  MergeTargetMerged = 'mergeTargetMerged',
  /** Merging into a closed ticket: params `{ticket}`. */
  MergeTargetClosed = 'mergeTargetClosed',
  /** Merging a ticket into itself. */
  MergeSelf = 'mergeSelf',
  /** Merging into another customer's ticket: params `{ticket}`. */
  MergeOtherCustomer = 'mergeOtherCustomer',
  /** Sending again a mail that is not failed: params `{status}` (`sent`, `pending`). */
  MailNotFailed = 'mailNotFailed',
  /** Filing again an incoming mail that is not unmatched: params `{status}`. */
  MailNotUnmatched = 'mailNotUnmatched',
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function titleFor(status: number): string {
  return TITLES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
}

/** `type` is a stable URN per kind of problem, e.g. `urn:helpdesk:problem:validation`. */
export function problemType(slug: string): string {
  return `urn:helpdesk:problem:${slug}`;
}
