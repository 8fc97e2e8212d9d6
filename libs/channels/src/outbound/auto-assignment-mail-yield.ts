/** What the "assigned to you" job looks at before it runs, and what it was told to give way to. */
export interface YieldInput {
  /** Tickets waiting in the triage queue now (a job of an arrival batch of mail carries several). */
  triageWaiting: number;
  /** AUTO_ASSIGNMENT_MAIL_YIELD_ABOVE: more waiting than this is a backlog. */
  yieldAbove: number;
  /** Ms since the last run that read the assignments (the cursor's `pending_at`). */
  sinceLastRunMs: number;
  /** AUTO_ASSIGNMENT_MAIL_MAX_DEFER_MS: never skip once the last run is this long ago (0: never skip). */
  maxDeferMs: number;
}

/**
 * Whether a run of the job is skipped to leave the cores to triage: only while the triage queue has
 * a backlog, and never once the last run that read the assignments is `maxDeferMs` ago, so that
 * no mail waits more than about `maxDeferMs` plus the schedule's interval, backlog or not.
 */
export function shouldYieldToTriage(input: YieldInput): boolean {
  return input.triageWaiting > input.yieldAbove && input.sinceLastRunMs < input.maxDeferMs;
}
