/**
 * Where one escalation's POST → delivered went (bench:escalation, phase 2), from instants on the
 * machine's one clock (epoch ms): the bench's send, the escalation's `created_at` (the POST's
 * writing statement, PostgreSQL's now()), the BullMQ job's `timestamp` (the outbox relay's addBulk)
 * and `processedOn` (a worker took it), the attempt's `at` (the statement that read the batch and
 * began its attempts) and the receiver's arrival.
 */
export interface EscalationInstants {
  sent: number;
  created: number;
  relayed: number;
  picked: number;
  begun: number;
  received: number;
}

/**
 * The legs in the order they happen: the api's (postToInsert: parse, auth, the optimistic read),
 * the POST's write and the outbox relay's (insertToRelayed: the write, its commit, the wake-up, the
 * relay's batch gap and claim), the queue's (relayedToPicked), the worker's batching (pickedToBegun:
 * the read's micro-batch and statement) and the delivery's (begunToReceived: commit, signing, POST).
 */
export const LEGS = ['postToInsert', 'insertToRelayed', 'relayedToPicked', 'pickedToBegun', 'begunToReceived'] as const;
export type Leg = (typeof LEGS)[number];

export interface LegFigures {
  p50: number;
  p99: number;
  /** The mean of the leg over the slowest 1 % of escalations by POST → delivered. */
  slowestOnePercentMean: number;
}

export interface EscalationSplit {
  /** How many escalations had every instant. */
  escalations: number;
  legsMs: Record<Leg, LegFigures>;
  /** The slowest 1 % (at least one), slowest last: POST → delivered, when sent (s from the first send), each leg. */
  slowest: Array<{ totalMs: number; sentAtS: number } & Record<Leg, number>>;
}

const nearestRank = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
const r1 = (x: number) => Math.round(x * 10) / 10;

export function legsOf(i: EscalationInstants): Record<Leg, number> {
  return {
    postToInsert: i.created - i.sent,
    insertToRelayed: i.relayed - i.created,
    relayedToPicked: i.picked - i.relayed,
    pickedToBegun: i.begun - i.picked,
    begunToReceived: i.received - i.begun,
  };
}

/** The legs' p50/p99 over all escalations and their mean over the slowest 1 %; an escalation missing an instant (NaN) is left out. */
export function splitLatency(all: EscalationInstants[]): EscalationSplit {
  const complete = all.filter((i) => Object.values(i).every(Number.isFinite));
  if (complete.length === 0) throw new Error('no escalation has all its instants');
  const start = Math.min(...complete.map((i) => i.sent));
  const rows = complete.map((i) => ({ total: i.received - i.sent, sentAt: (i.sent - start) / 1000, legs: legsOf(i) })).sort((a, b) => a.total - b.total);
  const slowest = rows.slice(-Math.max(1, Math.ceil(rows.length / 100)));
  const figures = (leg: Leg): LegFigures => {
    const sorted = rows.map((r) => r.legs[leg]).sort((a, b) => a - b);
    return {
      p50: r1(nearestRank(sorted, 50)),
      p99: r1(nearestRank(sorted, 99)),
      slowestOnePercentMean: r1(slowest.reduce((s, r) => s + r.legs[leg], 0) / slowest.length),
    };
  };
  return {
    escalations: rows.length,
    legsMs: Object.fromEntries(LEGS.map((leg) => [leg, figures(leg)])) as Record<Leg, LegFigures>,
    slowest: slowest.map((r) => ({ totalMs: Math.round(r.total), sentAtS: r1(r.sentAt), ...(Object.fromEntries(LEGS.map((l) => [l, Math.round(r.legs[l])])) as Record<Leg, number>) })),
  };
}
