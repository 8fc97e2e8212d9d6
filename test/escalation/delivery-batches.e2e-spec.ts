import { randomUUID } from 'node:crypto';
import { CUT_SHORT_ERROR, DeliveryStore, DeliveryWrite, EscalationTier, FinishDelivery } from '@helpdesk/escalation';
import { AppProcess, killAppProcesses } from '../support/app-processes';
import { bearer, TestApi } from '../support';
import { commercialWebhookStack, escalate, eventually, putWebhookTier, Receiver, startDeliveryWorker, workedTicket } from './support';

/** A vendor's key (the bytes of 'vendor-shared-secret-0123456789') in the whsec_ form. */
const SECRET = 'whsec_dmVuZG9yLXNoYXJlZC1zZWNyZXQtMDEyMzQ1Njc4OQ==';

/**
 * The deliveries a worker has in flight write their attempts and outcomes together (one statement,
 * one transaction per batch). What must still hold one delivery at a time: a write that fails
 * fails alone, a second write of the same escalation waits for the next batch, and a worker killed
 * after the vendor answered but before its batch committed leaves the escalation to be delivered
 * again (same Idempotency-Key) and recorded once.
 */
describe('escalation deliveries written in batches', () => {
  let api: TestApi;
  let receiver: Receiver;
  let customerId: string;

  /** Queued escalations (no worker runs: their jobs wait in the outbox). */
  const queued = async (n: number) => {
    const out: Array<{ id: string; ticketId: string }> = [];
    for (let i = 0; i < n; i++) {
      const ticketId = await workedTicket(api, customerId, { category: 'billing', priority: 'P3' });
      const res = await escalate(api, ticketId);
      expect(res.status).toBe(202);
      out.push({ id: res.body.id as string, ticketId });
    }
    return out;
  };
  const rows = async (ids: string[]) =>
    (await api.dataSource.query(
      `SELECT e.id, e.status, e.last_error, e.xmin::text AS version,
              (SELECT count(*)::int FROM ticket_events ev WHERE ev.ticket_id = e.ticket_id AND ev.type = 'escalation_submitted') AS submitted_events
         FROM escalations e WHERE e.id = ANY($1) ORDER BY array_position($1::uuid[], e.id)`,
      [ids],
    )) as Array<{ id: string; status: string; last_error: string | null; version: string; submitted_events: number }>;
  const attempts = (id: string) =>
    api.dataSource.query(`SELECT delivery_id, state, http_status, error, xmin::text AS version FROM escalation_attempts WHERE escalation_id = $1 ORDER BY id`, [id]) as Promise<
      Array<{ delivery_id: string; state: string; http_status: number | null; error: string | null; version: string }>
    >;
  const submitted = (e: { id: string; ticketId: string }, attemptId: string, deliveryId: string): FinishDelivery => ({
    kind: 'finish',
    escalationId: e.id,
    ticketId: e.ticketId,
    attempt: { id: attemptId, httpStatus: 200, error: null, durationMs: 3 },
    move: { to: 'submitted', vendorCaseId: `CASE-${e.id.slice(0, 8)}`, eventType: 'escalation_submitted', eventData: { escalationId: e.id, tier: 'commercial', deliveryId } },
  });

  beforeAll(async () => {
    ({ api, receiver, customerId } = await commercialWebhookStack(SECRET));
  });
  afterAll(async () => {
    await killAppProcesses();
    await api?.close();
    await receiver?.stop();
  });

  describe('the store (batches of the writes made in one event-loop turn)', () => {
    let store: DeliveryStore;
    beforeAll(() => {
      store = new DeliveryStore(api.dataSource);
    });
    afterEach(async () => {
      await api.dataSource.query(`DROP TRIGGER IF EXISTS test_refuse_submission ON escalations`);
      await api.dataSource.query(`DROP FUNCTION IF EXISTS test_refuse_submission()`);
    });

    it('commits the batch together; an outcome PostgreSQL refuses fails alone and leaves its escalation queued', async () => {
      const escalations = await queued(4);
      const deliveryIds = escalations.map(() => randomUUID());
      const begun = await Promise.all(escalations.map((e, i) => store.write({ kind: 'begin', escalationId: e.id, deliveryId: deliveryIds[i], at: new Date() })));
      const firstAttempts = await Promise.all(escalations.map((e) => attempts(e.id)));
      // One transaction wrote every attempt row.
      expect(new Set(firstAttempts.map(([a]) => a.version)).size).toBe(1);
      expect(firstAttempts.map((a) => a.map(({ delivery_id, state }) => ({ delivery_id, state })))).toEqual(deliveryIds.map((delivery_id) => [{ delivery_id, state: 'in_flight' }]));

      const refused = escalations[2];
      await api.dataSource.query(`
        CREATE FUNCTION test_refuse_submission() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.id = '${refused.id}' AND NEW.status = 'submitted' THEN RAISE EXCEPTION 'refused by the test'; END IF;
          RETURN NEW;
        END $$`);
      await api.dataSource.query(`CREATE TRIGGER test_refuse_submission BEFORE UPDATE ON escalations FOR EACH ROW EXECUTE FUNCTION test_refuse_submission()`);

      const outcomes = await Promise.allSettled(escalations.map((e, i) => store.write(submitted(e, begun[i].attemptId!, deliveryIds[i]))));
      expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value.moved : (o.reason as Error).message))).toEqual([
        { round: 0 },
        { round: 0 },
        expect.stringContaining('refused by the test'),
        { round: 0 },
      ]);
      const after = await rows(escalations.map((e) => e.id));
      expect(after.map((r) => [r.status, r.submitted_events])).toEqual([
        ['submitted', 1],
        ['submitted', 1],
        ['queued', 0],
        ['submitted', 1],
      ]);
      // The refused one's attempt stays in flight: its next attempt marks it cut short.
      expect((await attempts(refused.id)).map((a) => a.state)).toEqual(['in_flight']);
      for (const e of escalations.filter((x) => x !== refused)) expect((await attempts(e.id)).map((a) => [a.state, a.http_status])).toEqual([['finished', 200]]);
    });

    it('writes a second write of the same escalation in the next batch, after the first committed', async () => {
      const [e] = await queued(1);
      const [first, second] = [randomUUID(), randomUUID()];
      // Same turn, same escalation: the second begin must see the first's row (and cut it short).
      const [a, b] = await Promise.all([first, second].map((deliveryId) => store.write({ kind: 'begin', escalationId: e.id, deliveryId, at: new Date() })));
      expect(a.attemptId).not.toBe(b.attemptId);
      expect((await attempts(e.id)).map(({ delivery_id, state, error }) => ({ delivery_id, state, error }))).toEqual([
        { delivery_id: first, state: 'cut_short', error: CUT_SHORT_ERROR },
        { delivery_id: second, state: 'in_flight', error: null },
      ]);
    });

    it('records a stale repeat’s attempt without moving the status or writing the event again', async () => {
      const [e] = await queued(1);
      const [first, second]: DeliveryWrite[] = [randomUUID(), randomUUID()].map((deliveryId) => ({ kind: 'begin', escalationId: e.id, deliveryId, at: new Date() }));
      const a = await store.write(first);
      const b = await store.write(second);
      const done = await store.write(submitted(e, b.attemptId!, randomUUID()));
      expect(done.moved).toEqual({ round: 0 });
      // The job that was cut short comes back (a stalled job) with its answer: attempt kept, no second move.
      const repeat = await store.write(submitted(e, a.attemptId!, randomUUID()));
      expect(repeat.moved).toBeNull();
      expect((await rows([e.id])).map((r) => [r.status, r.submitted_events])).toEqual([['submitted', 1]]);
      expect((await attempts(e.id)).map((x) => [x.state, x.http_status])).toEqual([
        ['finished', 200],
        ['finished', 200],
      ]);
    });

    it('reads a turn’s deliveries in one statement that begins the attempts of those sent right away, in one transaction', async () => {
      const escalations = await queued(3);
      // A delivery of the first was cut off before: its attempt is still in flight.
      const leftover = randomUUID();
      await store.write({ kind: 'begin', escalationId: escalations[0].id, deliveryId: leftover, at: new Date() });

      const loaded = await Promise.all(escalations.map((e) => store.loadAndBegin(e.id, EscalationTier.Commercial)));
      expect(loaded.map((p) => [p.escalationId, p.ticketId, p.status, p.settings?.delivery, p.body === null])).toEqual(escalations.map((e) => [e.id, e.ticketId, 'queued', 'webhook', false]));
      expect(JSON.parse(loaded[1].body!.toString('utf8'))).toMatchObject({ escalationId: escalations[1].id, tier: 'commercial', ticket: { id: escalations[1].ticketId } });
      const after = await Promise.all(escalations.map((e) => attempts(e.id)));
      const begun = after.map((a) => a[a.length - 1]);
      expect(begun.map(({ delivery_id, state }) => ({ delivery_id, state }))).toEqual(loaded.map((p) => ({ delivery_id: p.attempt!.deliveryId, state: 'in_flight' })));
      // One transaction wrote every attempt row.
      expect(new Set(begun.map((a) => a.version)).size).toBe(1);
      expect(after[0].map(({ delivery_id, state, error }) => ({ delivery_id, state, error }))).toEqual([
        { delivery_id: leftover, state: 'cut_short', error: CUT_SHORT_ERROR },
        { delivery_id: loaded[0].attempt!.deliveryId, state: 'in_flight', error: null },
      ]);

      // The attempt it began is the one the outcome finishes.
      const attemptIds = (await api.dataSource.query(`SELECT id::text FROM escalation_attempts WHERE delivery_id = $1`, [loaded[2].attempt!.deliveryId])) as Array<{ id: string }>;
      expect(attemptIds).toEqual([{ id: loaded[2].attempt!.id }]);
      expect((await store.write(submitted(escalations[2], loaded[2].attempt!.id, loaded[2].attempt!.deliveryId))).moved).toEqual({ round: 0 });
      expect((await attempts(escalations[2].id)).map((a) => [a.state, a.http_status])).toEqual([['finished', 200]]);
    });

    it('begins no attempt with the read when nothing is sent right away: a manual or rate-limited tier, an escalation not queued or gone', async () => {
      expect((await api.http.put('/api/v1/escalation-tiers/premier').set(bearer(api.adminToken)).send({ delivery: 'manual' })).status).toBe(200);
      await putWebhookTier(api, 'advanced', receiver, SECRET, { maxPerMinute: 5 });
      const [manual, limited, done, unconfigured] = await queued(4);
      await api.dataSource.query(`UPDATE escalations SET status = 'submitted' WHERE id = $1`, [done.id]);

      // The store reads the settings of the tier it is given (the queue the job came from).
      const loaded = await Promise.all([
        store.loadAndBegin(manual.id, EscalationTier.Premier),
        store.loadAndBegin(limited.id, EscalationTier.Advanced),
        store.loadAndBegin(done.id, EscalationTier.Commercial),
        store.loadAndBegin(randomUUID(), EscalationTier.Commercial),
        store.loadAndBegin(unconfigured.id, EscalationTier.SignatureCloud),
      ]);
      expect(loaded.map((p) => [p.status, p.settings?.delivery ?? null, p.settings?.maxPerMinute ?? null, p.body === null, p.attempt === null])).toEqual([
        ['queued', 'manual', null, true, true],
        ['queued', 'webhook', 5, false, true],
        ['submitted', 'webhook', null, true, true],
        ['missing', null, null, true, true],
        // No settings: the attempt begins, and records that the tier has no webhook.
        ['queued', null, null, true, false],
      ]);
      for (const e of [manual, limited, done]) expect(await attempts(e.id)).toEqual([]);
      expect((await attempts(unconfigured.id)).map((a) => [a.delivery_id, a.state])).toEqual([[loaded[4].attempt!.deliveryId, 'in_flight']]);
    });

    it('reads a second load of the same escalation in the next batch, whose attempt cuts the first one short', async () => {
      const [e] = await queued(1);
      const [a, b] = await Promise.all([store.loadAndBegin(e.id, EscalationTier.Commercial), store.loadAndBegin(e.id, EscalationTier.Commercial)]);
      expect(a.attempt!.id).not.toBe(b.attempt!.id);
      expect((await attempts(e.id)).map(({ delivery_id, state }) => ({ delivery_id, state }))).toEqual([
        { delivery_id: a.attempt!.deliveryId, state: 'cut_short' },
        { delivery_id: b.attempt!.deliveryId, state: 'in_flight' },
      ]);
    });

    it('reads one batch at a time: the loads that arrive while a read runs, in two turns, leave together in the next read', async () => {
      const escalations = await queued(5);
      const turn = () => new Promise<void>((next) => setImmediate(next));
      const load = (e: { id: string }) => store.loadAndBegin(e.id, EscalationTier.Commercial);
      const running = escalations.slice(0, 2).map(load);
      // The first read has left (at the end of its turn) and waits for PostgreSQL meanwhile.
      await turn();
      const secondTurn = escalations.slice(2, 4).map(load);
      await turn();
      const thirdTurn = escalations.slice(4).map(load);
      const loaded = await Promise.all([...running, ...secondTurn, ...thirdTurn]);
      expect(loaded.map((p) => p.status)).toEqual(escalations.map(() => 'queued'));
      const transactionOf = async (e: { id: string }) => (await attempts(e.id)).map((a) => a.version);
      const versions = await Promise.all(escalations.map(transactionOf));
      // Two reads, two transactions: the first two, then the three that waited for it.
      expect(versions.map((v) => v.length)).toEqual([1, 1, 1, 1, 1]);
      const [first, , later] = [versions[0][0], versions[1][0], versions[2][0]];
      expect(versions.map(([v]) => v)).toEqual([first, first, later, later, later]);
      expect(later).not.toBe(first);
    });

    it('rejects a begin for an escalation that no longer exists, and only that one', async () => {
      const [e] = await queued(1);
      const outcomes = await Promise.allSettled(
        [e.id, randomUUID()].map((escalationId) => store.write({ kind: 'begin', escalationId, deliveryId: randomUUID(), at: new Date() })),
      );
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected']);
      expect(((outcomes[1] as PromiseRejectedResult).reason as Error).message).toMatch(/no longer exists/);
      expect((await attempts(e.id)).map((a) => a.state)).toEqual(['in_flight']);
    });
  });

  it(
    'SIGKILL after the vendor answered but before the batch committed: each escalation is delivered again with the same Idempotency-Key and submitted once',
    async () => {
      const escalations = await queued(4);
      const ids = escalations.map((e) => e.id);
      // The outcomes' write waits for the tickets' locks (held here) after the vendor answered.
      // Answered late, so every attempt has begun (and committed) before any outcome is written.
      receiver.plan(...ids.map(() => ({ status: 200, body: { caseId: 'CASE-NEVER-RECORDED' }, delayMs: 300 })));
      const lock = api.dataSource.createQueryRunner();
      await lock.startTransaction();
      let first: AppProcess | undefined;
      try {
        await lock.query(`SELECT id FROM tickets WHERE id = ANY($1) FOR UPDATE`, [escalations.map((e) => e.ticketId)]);
        first = await startDeliveryWorker(api);
        await eventually(async () => ids.map((id) => receiver.for(id).length), (n) => n.every((x) => x === 1));
        const blocked = `datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%jsonb_to_recordset%' AND query LIKE '%escalation_attempts%'`;
        await eventually(async () => (await api.dataSource.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE ${blocked}`))[0].n as number, (n) => n >= 1);
        expect(await first.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
        // PostgreSQL would otherwise only notice the dead client when it answers, possibly after the
        // commit; ended now, the batch never commits (what a worker killed before it is sent meets).
        await api.dataSource.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE ${blocked}`);
        await lock.commitTransaction();
      } finally {
        if (lock.isTransactionActive) await lock.rollbackTransaction();
        await lock.release();
      }
      expect((await rows(ids)).map((r) => [r.status, r.submitted_events])).toEqual(ids.map(() => ['queued', 0]));
      for (const id of ids) expect((await attempts(id)).map((a) => a.state)).toEqual(['in_flight']);

      const second = await startDeliveryWorker(api);
      try {
        await eventually(() => rows(ids), (r) => r.every((x) => x.status === 'submitted'), 30_000);
        expect((await rows(ids)).map((r) => r.submitted_events)).toEqual(ids.map(() => 1));
        for (const id of ids) {
          const requests = receiver.for(id);
          expect(requests.map((r) => [r.headers['idempotency-key'], r.headers['webhook-id'], r.validSignature])).toEqual([
            [id, id, true],
            [id, id, true],
          ]);
          expect((await attempts(id)).map(({ delivery_id, state, http_status }) => ({ delivery_id, state, http_status }))).toEqual([
            { delivery_id: requests[0].headers['x-helpdesk-delivery'], state: 'cut_short', http_status: null },
            { delivery_id: requests[1].headers['x-helpdesk-delivery'], state: 'finished', http_status: 200 },
          ]);
        }
      } finally {
        expect(await second.stop('SIGTERM')).toEqual({ code: null, signal: 'SIGTERM' });
      }
    },
    90_000,
  );

  it('a delivery in a batch that the vendor refuses is retried alone; the others of its batch are submitted once', async () => {
    const escalations = await queued(5);
    const ids = escalations.map((e) => e.id);
    const refused = ids[3];
    // Every request answers 200 but the refused escalation's first two, which answer 503.
    receiver.respondTo(refused, { status: 503 }, { status: 503 });
    const worker = await startDeliveryWorker(api);
    try {
      await eventually(() => rows(ids), (r) => r.every((x) => x.status === 'submitted'), 30_000);
      expect((await rows(ids)).map((r) => r.submitted_events)).toEqual(ids.map(() => 1));
      for (const id of ids) {
        const expected = id === refused ? [503, 503, 200] : [200];
        expect((await attempts(id)).map((a) => [a.state, a.http_status])).toEqual(expected.map((s) => ['finished', s]));
        expect(receiver.for(id).map((r) => r.headers['idempotency-key'])).toEqual(expected.map(() => id));
      }
    } finally {
      expect(await worker.stop('SIGTERM')).toEqual({ code: null, signal: 'SIGTERM' });
    }
  }, 60_000);
});
