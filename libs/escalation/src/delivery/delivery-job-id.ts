/**
 * The BullMQ job id of an escalation's delivery round: the escalation id for the first round, then
 * `<id>-retry-<round>` for each retry or re-enqueue. Deterministic, so that adding the job of a
 * round twice adds it once, and a new round never collides with the job of an earlier one (BullMQ
 * keeps a failed job's id taken).
 */
export function deliveryJobId(escalationId: string, round: number): string {
  return round === 0 ? escalationId : `${escalationId}-retry-${round}`;
}

/** The round a delivery job id names, or null when it is not one (a foreign job on the queue). */
export function deliveryRoundOf(jobId: string | undefined, escalationId: string): number | null {
  if (jobId === escalationId) return 0;
  const prefix = `${escalationId}-retry-`;
  if (!jobId?.startsWith(prefix)) return null;
  const round = Number(jobId.slice(prefix.length));
  return Number.isInteger(round) && round > 0 ? round : null;
}

/** deliveryJobId in SQL, for an `escalations` row aliased `e` (id uuid, delivery_round int). */
export function deliveryJobIdSql(e: string): string {
  return `CASE ${e}.delivery_round WHEN 0 THEN ${e}.id::text ELSE ${e}.id::text || '-retry-' || ${e}.delivery_round END`;
}
