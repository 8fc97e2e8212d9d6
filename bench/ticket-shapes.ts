/**
 * How the seeded tickets are spread, shared by the benches that seed a million of them (list,
 * workbench): queues with a few big ones and a long tail; statuses with the newest 3 % open work and
 * older tickets mostly closed or resolved, with a thin stale tail still open.
 */

/** Queues and their share of the tickets. */
export const QUEUES: ReadonlyArray<readonly [string, number]> = [
  ['billing', 0.22], ['subscriptions', 0.14], ['technical', 0.14], ['microsoft-365', 0.12], ['azure', 0.1],
  ['dynamics', 0.07], ['licensing', 0.06], ['security', 0.05], ['onboarding', 0.05], ['migrations', 0.03], ['vip', 0.02],
];

/** SQL: a queue by share, from a random number `r` in [0, 1). */
export function queueCase(r: string): string {
  let acc = 0;
  const arms = QUEUES.map(([name, share]) => {
    acc += share;
    return `WHEN ${r} < ${acc.toFixed(4)} THEN '${name}'`;
  });
  return `CASE ${arms.join(' ')} ELSE '${QUEUES[QUEUES.length - 1][0]}' END`;
}

/** A queue by share, in JavaScript. */
export function pickQueue(): string {
  let r = Math.random();
  for (const [name, share] of QUEUES) if ((r -= share) < 0) return name;
  return QUEUES[0][0];
}

/** SQL: a status from the ticket's age (its number over the total, 0–1) and a random `r`. */
export const statusCase = (age: string, r: string): string => `CASE
    WHEN ${age} > 0.97 THEN CASE WHEN ${r} < 0.15 THEN 'new' WHEN ${r} < 0.40 THEN 'triaged' WHEN ${r} < 0.70 THEN 'in_progress'
                                WHEN ${r} < 0.85 THEN 'waiting_on_customer' WHEN ${r} < 0.90 THEN 'escalated' ELSE 'resolved' END
    ELSE CASE WHEN ${r} < 0.85 THEN 'closed' WHEN ${r} < 0.97 THEN 'resolved' WHEN ${r} < 0.98 THEN 'waiting_on_customer'
              WHEN ${r} < 0.99 THEN 'in_progress' WHEN ${r} < 0.995 THEN 'escalated' ELSE 'triaged' END
  END`;

/** SQL: a priority from a random `r` (3 % P1, 17 % P2, 55 % P3, 25 % P4). */
export const priorityCase = (r: string): string => `CASE WHEN ${r} < 0.03 THEN 'P1' WHEN ${r} < 0.2 THEN 'P2' WHEN ${r} < 0.75 THEN 'P3' ELSE 'P4' END`;
