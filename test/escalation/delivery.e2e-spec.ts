import { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { generateWebhookSecret, signWebhook } from '@helpdesk/webhooks';
import { bearer, createAgent, createCustomer, createPlan, startTestApi, startTestWorker, TestApi } from '../support';
import { contract, escalate, eventually, LOCAL_RECEIVER_ENV, NO_CONTRACT, putEntitlements, Receiver, signedWith, workedTicket } from './support';

/** Signs what we send to the vendor. */
const SECRET = generateWebhookSecret();
/** Verifies what the vendor sends back: another key. */
const CALLBACK_SECRET = generateWebhookSecret();
const ATTEMPTS = 3;

describe('escalation delivery: signed webhooks, backoff, failure and retry, manual tiers, hours, callbacks', () => {
  let api: TestApi;
  let worker: INestApplicationContext;
  let receiver: Receiver;
  let customer: { id: string; token: string };
  let helpdesk: { id: string; token: string };
  let adminAgent: { id: string; token: string };

  const status = async (id: string) => (await api.http.get(`/api/v1/escalations/${id}`).set(bearer(api.adminToken))).body;
  const settled = (id: string, wanted: string) => eventually(() => status(id), (e) => e.status === wanted);
  const putTier = (tier: string, body: Record<string, unknown>) =>
    api.http.put(`/api/v1/escalation-tiers/${tier}`).set(bearer(api.adminToken)).send(body);
  const events = async (ticketId: string) =>
    (await api.http.get(`/api/v1/tickets/${ticketId}/events`).set(bearer(api.adminToken))).body as Array<{ type: string; actor: { kind: string }; data: Record<string, unknown> }>;
  const patchEscalation = (id: string, body: Record<string, unknown>, token = helpdesk.token) =>
    api.http.patch(`/api/v1/escalations/${id}`).set(bearer(token)).send(body);
  const entitlements = async () => (await api.http.get('/api/v1/entitlements').set(bearer(api.adminToken))).body;

  beforeAll(async () => {
    receiver = await new Receiver(SECRET).start();
    api = await startTestApi({ env: LOCAL_RECEIVER_ENV });
    worker = await startTestWorker({
      ...LOCAL_RECEIVER_ENV,
      DATABASE_URL: api.database.url,
      REDIS_URL: JSON.parse(process.env.HELPDESK_TEST_STACK!).redisUrl,
      QUEUE_PREFIX: api.queuePrefix,
      ESCALATION_BACKOFF_MS: '50',
      ESCALATION_ATTEMPTS: String(ATTEMPTS),
    });
    customer = await createCustomer(api, (await createPlan(api)).id);
    [helpdesk, adminAgent] = await Promise.all([createAgent(api, ['helpdesk_agent']), createAgent(api, ['admin_agent'])]);
    await putEntitlements(api, 'gold', contract(100, { hoursPurchased: 100 }), contract(20, { hoursPurchased: 40 }));
    for (const tier of ['commercial', 'signature_cloud']) {
      expect((await putTier(tier, { delivery: 'webhook', webhookUrl: `${receiver.url}/${tier}`, secret: SECRET, callbackSecret: CALLBACK_SECRET, timeoutMs: 500 })).status).toBe(200);
    }
    expect((await putTier('premier', { delivery: 'manual' })).status).toBe(200);
    expect((await putTier('advanced', { delivery: 'manual' })).status).toBe(200);
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await receiver?.stop();
  });

  it('posts the case signed per Standard Webhooks to the tier webhook and marks it submitted with the vendor case id', async () => {
    receiver.plan({ status: 201, body: { caseId: 'MS-2611-001' } });
    const ticketId = await workedTicket(api, customer.id, { category: 'billing', priority: 'P2' });
    const res = await escalate(api, ticketId, { reason: 'Invoice shows a duplicate Azure charge' }, helpdesk.token);
    expect(res.status).toBe(202);
    const done = await settled(res.body.id, 'submitted');
    expect(done.vendorCaseId).toBe('MS-2611-001');
    expect(done.attempts).toHaveLength(1);
    expect(done.attempts[0]).toMatchObject({ httpStatus: 201, error: null });
    expect(done.attempts[0].durationMs).toBeGreaterThanOrEqual(0);

    const [req] = receiver.for(res.body.id);
    expect(req.path).toBe('/commercial');
    expect(req.validSignature).toBe(true);
    // webhook-id is the escalation id (the idempotency key); the signature covers id, time and body.
    const sentAt = Number(req.headers['webhook-timestamp']);
    expect(Math.abs(sentAt - req.at / 1000)).toBeLessThan(5);
    expect(req.headers['webhook-id']).toBe(res.body.id);
    expect(req.headers['webhook-signature']).toBe(signWebhook(res.body.id, req.raw, [SECRET], new Date(sentAt * 1000))['webhook-signature']);
    expect(req.headers['x-helpdesk-signature']).toBeUndefined();
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['x-helpdesk-event']).toBe('escalation.created');
    expect(req.headers['idempotency-key']).toBe(res.body.id);
    expect(req.headers['x-helpdesk-delivery']).toBe(done.attempts[0].deliveryId);
    expect(req.body).toMatchObject({
      escalationId: res.body.id,
      tier: 'commercial',
      reason: 'Invoice shows a duplicate Azure charge',
      ticket: { id: ticketId, category: 'billing', priority: 'P2', status: 'escalated' },
      customer: { id: customer.id },
      entitlementsSnapshot: { competency: 'gold' },
      escalatedAt: res.body.createdAt,
    });
    const timeline = (req.body.ticket as { timeline: Array<{ type: string }> }).timeline.map((e) => e.type);
    expect(timeline).toContain('created');
    expect(timeline).toContain('escalated');
    expect(req.body.ticket).toHaveProperty('diagnosis');

    const submitted = (await events(ticketId)).filter((e) => e.type === 'escalation_submitted');
    expect(submitted).toHaveLength(1);
    expect(submitted[0]).toMatchObject({ actor: { kind: 'system' }, data: { vendorCaseId: 'MS-2611-001' } });
    // Submitted is not resolved: the ticket stays with the vendor. The vendor sees the ticket's
    // number as the API shows it (PostgreSQL writes it into the body: the same HD- format).
    const ticket = (await api.http.get(`/api/v1/tickets/${ticketId}`).set(bearer(api.adminToken))).body;
    expect(ticket.status).toBe('escalated');
    expect(req.body.ticket).toMatchObject({ number: ticket.number });
  });

  it('retries a failing receiver with growing, jittered delays, then succeeds (same webhook-id and Idempotency-Key, new delivery id each time)', async () => {
    receiver.plan({ status: 500, body: { error: 'busy' } }, { status: 503 });
    const ticketId = await workedTicket(api, customer.id, { category: 'technical', priority: 'P4' });
    const res = await escalate(api, ticketId);
    expect(res.body.tier).toBe('signature_cloud');
    const done = await settled(res.body.id, 'submitted');
    expect(done.attempts.map((a: { httpStatus: number }) => a.httpStatus)).toEqual([500, 503, 200]);
    expect(done.attempts[0].error).toMatch(/^HTTP 500/);
    expect(done.attempts[2].error).toBeNull();
    expect(done.lastError).toBeNull();
    const reqs = receiver.for(res.body.id);
    expect(reqs).toHaveLength(3);
    expect(new Set(reqs.map((r) => r.headers['idempotency-key']))).toEqual(new Set([res.body.id]));
    expect(new Set(reqs.map((r) => r.headers['webhook-id']))).toEqual(new Set([res.body.id]));
    expect(new Set(reqs.map((r) => r.headers['x-helpdesk-delivery'])).size).toBe(3);
    expect(reqs.every((r) => r.validSignature)).toBe(true);
    // base 50 ms: the 1st wait is 25–50 ms, the 2nd 50–100 ms (BullMQ timers are not exact: allow 5 ms early).
    expect(reqs[1].at - reqs[0].at).toBeGreaterThanOrEqual(20);
    expect(reqs[2].at - reqs[1].at).toBeGreaterThanOrEqual(45);
  });

  it('applies a PUT of the tier to the very next delivery: new URL, new secret (no stale settings in the worker)', async () => {
    const first = await workedTicket(api, customer.id, { category: 'billing', priority: 'P3' });
    const before = await escalate(api, first);
    await settled(before.body.id, 'submitted');
    expect(receiver.for(before.body.id)[0].path).toBe('/commercial');

    const rotated = generateWebhookSecret();
    const other = await new Receiver(rotated).start();
    try {
      const moved = { delivery: 'webhook', webhookUrl: `${other.url}/moved`, secret: rotated, rotationOverlapSeconds: 0, timeoutMs: 500 };
      expect((await putTier('commercial', moved)).status).toBe(200);
      const second = await workedTicket(api, customer.id, { category: 'billing', priority: 'P3' });
      const after = await escalate(api, second);
      await settled(after.body.id, 'submitted');
      expect(receiver.for(after.body.id)).toHaveLength(0);
      const [req] = other.for(after.body.id);
      expect([req.path, req.validSignature, signedWith(SECRET, req.raw, req.headers)]).toEqual(['/moved', true, false]);
    } finally {
      await putTier('commercial', { delivery: 'webhook', webhookUrl: `${receiver.url}/commercial`, secret: SECRET, rotationOverlapSeconds: 0, timeoutMs: 500 });
      await other.stop();
    }
  });

  it('counts a timeout and a refused connection as failed attempts', async () => {
    receiver.plan('hang');
    const ticketId = await workedTicket(api, customer.id, { category: 'subscription_management', priority: 'P3' });
    const res = await escalate(api, ticketId);
    const done = await settled(res.body.id, 'submitted');
    expect(done.attempts).toHaveLength(2);
    expect(done.attempts[0]).toMatchObject({ httpStatus: null, error: 'timed out after 500 ms' });
    expect(done.attempts[0].durationMs).toBeGreaterThanOrEqual(450);

    // A port nobody listens on.
    const closed = new Receiver(SECRET);
    await closed.start();
    const deadUrl = `${closed.url}/dead`;
    await closed.stop();
    expect((await putTier('commercial', { delivery: 'webhook', webhookUrl: deadUrl, timeoutMs: 500 })).status).toBe(200);
    try {
      const t2 = await workedTicket(api, customer.id, { category: 'billing', priority: 'P3' });
      const r2 = await escalate(api, t2);
      const failed = await settled(r2.body.id, 'failed');
      expect(failed.attempts).toHaveLength(ATTEMPTS);
      for (const a of failed.attempts) {
        expect(a.httpStatus).toBeNull();
        expect(a.error).toMatch(/ECONNREFUSED/);
      }
    } finally {
      await putTier('commercial', { delivery: 'webhook', webhookUrl: `${receiver.url}/commercial`, timeoutMs: 500 });
    }
  });

  it('marks the last failure failed (timeline event), and a manual retry starts delivery again', async () => {
    receiver.plan(...Array.from({ length: ATTEMPTS }, () => ({ status: 502 })));
    const ticketId = await workedTicket(api, customer.id, { category: 'billing', priority: 'P1' });
    const res = await escalate(api, ticketId);
    const failed = await settled(res.body.id, 'failed');
    expect(failed.attempts).toHaveLength(ATTEMPTS);
    expect(failed.lastError).toBe('HTTP 502 Bad Gateway');
    const failedEvents = (await events(ticketId)).filter((e) => e.type === 'escalation_failed');
    expect(failedEvents).toHaveLength(1);
    expect(failedEvents[0]).toMatchObject({ actor: { kind: 'system' }, data: { escalationId: res.body.id, attempts: ATTEMPTS } });
    // A failed escalation is still open: no second escalation, and the ticket stays escalated.
    expect((await escalate(api, ticketId)).status).toBe(409);

    expect((await api.http.post(`/api/v1/escalations/${res.body.id}/retry`).set(bearer(helpdesk.token))).status).toBe(403);
    const retry = await api.http.post(`/api/v1/escalations/${res.body.id}/retry`).set(bearer(adminAgent.token));
    expect(retry.status).toBe(202);
    expect(retry.body.status).toBe('queued');
    const done = await settled(res.body.id, 'submitted');
    expect(done.attempts).toHaveLength(ATTEMPTS + 1);
    expect(done.vendorCaseId).toMatch(/^CASE-/);
    expect(receiver.for(res.body.id).every((r) => r.headers['idempotency-key'] === res.body.id)).toBe(true);
    expect((await events(ticketId)).filter((e) => e.type === 'escalation_retried')).toHaveLength(1);

    const again = await api.http.post(`/api/v1/escalations/${res.body.id}/retry`).set(bearer(api.adminToken));
    expect(again.status).toBe(409);
  });

  it('parks a manual tier as awaiting_vendor_case until an agent records the vendor case id', async () => {
    const ticketId = await workedTicket(api, customer.id, { category: 'technical', priority: 'P1' });
    const res = await escalate(api, ticketId);
    expect(res.body.tier).toBe('premier');
    const waiting = await settled(res.body.id, 'awaiting_vendor_case');
    expect(waiting.attempts).toEqual([]);
    expect(receiver.for(res.body.id)).toEqual([]);

    // Vendor statuses need a submitted case first; hours only for resolved.
    expect((await patchEscalation(res.body.id, { status: 'acknowledged' })).status).toBe(409);
    expect((await patchEscalation(res.body.id, {})).status).toBe(400);
    expect((await patchEscalation(res.body.id, { vendorCaseId: '' })).status).toBe(400);
    expect((await patchEscalation(res.body.id, { vendorCaseId: 'X', hoursUsed: 2 })).status).toBe(400);
    // null is not a case id, a status or a number of hours: 400 naming the field, nothing written.
    for (const [body, field] of [
      [{ vendorCaseId: null }, 'vendorCaseId'],
      [{ status: null, note: 'n' }, 'status'],
      [{ note: null }, 'note'],
      [{ vendorCaseId: 'X', hoursUsed: null }, 'hoursUsed'],
    ] as const) {
      const refused = await patchEscalation(res.body.id, body);
      expect([body, refused.status, refused.body.errors?.[0]?.field]).toEqual([body, 400, field]);
    }
    expect((await status(res.body.id)).status).toBe('awaiting_vendor_case');

    const filed = await patchEscalation(res.body.id, { vendorCaseId: 'PREMIER-42' });
    expect(filed.status).toBe(200);
    expect(filed.body).toMatchObject({ status: 'submitted', vendorCaseId: 'PREMIER-42' });
    expect(filed.body.submittedAt).not.toBeNull();
    const ack = await patchEscalation(res.body.id, { status: 'acknowledged', note: 'Engineer assigned' });
    expect(ack.body).toMatchObject({ status: 'acknowledged', note: 'Engineer assigned' });
    expect((await patchEscalation(res.body.id, { status: 'acknowledged' })).status).toBe(409);

    // Resolving a Premier case needs the hours used, and deducts them with the status change.
    const noHours = await patchEscalation(res.body.id, { status: 'resolved' });
    expect(noHours.status).toBe(400);
    expect(noHours.body.errors).toEqual([{ field: 'hoursUsed', message: 'is required when a premier case is resolved', code: 'invalid', params: {} }]);
    expect((await patchEscalation(res.body.id, { status: 'resolved', hoursUsed: -1 })).status).toBe(400);
    expect((await patchEscalation(res.body.id, { status: 'resolved', hoursUsed: null })).status).toBe(400);
    expect((await entitlements()).premier.hoursRemaining).toBe(100);

    const resolved = await patchEscalation(res.body.id, { status: 'resolved', hoursUsed: 3.25, note: 'Fixed by the vendor' });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ status: 'resolved', hoursUsed: 3.25 });
    expect((await entitlements()).premier.hoursRemaining).toBe(96.75);
    const ticket = await api.http.get(`/api/v1/tickets/${ticketId}`).set(bearer(api.adminToken));
    expect(ticket.body.status).toBe('in_progress');
    const types = (await events(ticketId)).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['escalation_awaiting_vendor_case', 'escalation_submitted', 'escalation_acknowledged', 'escalation_resolved', 'contract_hours_deducted']));
    expect(types).not.toContain('contract_hours_low');
    expect((await patchEscalation(res.body.id, { status: 'rejected' })).status).toBe(409);
    // Closed: the ticket can be escalated again.
    expect((await escalate(api, ticketId)).status).toBe(202);
  });

  it('records contract_hours_low once, on the deduction that crosses 10 %, and never goes below zero', async () => {
    // Advanced: 20 of 40 hours left. 15.5 used → 4.5 left (< 4 = 10 %? no: 4.5 ≥ 4); then 1 → 3.5 (crosses).
    let ticketId = '';
    const resolveAdvanced = async (hoursUsed: number) => {
      ticketId = await workedTicket(api, customer.id, { category: 'technical', priority: 'P1' });
      const res = await escalate(api, ticketId, { reason: 'r', tier: 'advanced' });
      expect(res.status).toBe(202);
      await settled(res.body.id, 'awaiting_vendor_case');
      expect((await patchEscalation(res.body.id, { vendorCaseId: `ADV-${hoursUsed}` })).status).toBe(200);
      const done = await patchEscalation(res.body.id, { status: 'resolved', hoursUsed });
      expect(done.status).toBe(200);
      return (await events(ticketId)).filter((e) => e.type === 'contract_hours_low');
    };
    expect(await resolveAdvanced(15.5)).toEqual([]);
    expect((await entitlements()).advanced.hoursRemaining).toBe(4.5);
    const low = await resolveAdvanced(1);
    expect(low).toHaveLength(1);
    expect(low[0].data).toMatchObject({ tier: 'advanced', hoursRemaining: 3.5, hoursPurchased: 40 });
    // Composed for the partner's managers (admin_agent, global_admin) in the same transaction, not for helpdesk agents.
    const mails: Array<{ recipient: string; subject: string; body: string }> = await api.dataSource.query(
      `SELECT recipient, subject, body FROM outbound_messages WHERE ticket_id = $1 AND kind = 'contract_hours_low'`,
      [ticketId],
    );
    const [managerEmails, helpdeskEmail] = await Promise.all([
      api.dataSource.query(`SELECT email FROM agents WHERE id = ANY($1::uuid[]) OR 'global_admin' = ANY(roles)`, [[adminAgent.id]]),
      api.dataSource.query(`SELECT email FROM agents WHERE id = $1`, [helpdesk.id]),
    ]);
    expect(mails.map((m) => m.recipient).sort()).toEqual(managerEmails.map((a: { email: string }) => a.email).sort());
    expect(mails.map((m) => m.recipient)).not.toContain(helpdeskEmail[0].email);
    expect(mails[0].subject).toMatch(/^\[HD-\d{6,}\] Advanced contract hours low \/ Pocas horas en el contrato Advanced$/);
    expect(mails[0].body).toContain('has 3.5 of 40 hours left');
    expect(mails[0].body).toContain('le quedan 3,5 de 40 horas');
    expect(await resolveAdvanced(10)).toEqual([]); // already low: no second warning
    expect(await api.dataSource.query(`SELECT 1 FROM outbound_messages WHERE ticket_id = $1`, [ticketId])).toEqual([]);
    const after = await entitlements();
    expect(after.advanced.hoursRemaining).toBe(0);
    expect(after.tiers.find((t: { tier: string }) => t.tier === 'advanced')).toMatchObject({ eligible: false, reason: 'the Advanced contract has no hours left' });
  });

  describe('signed vendor callbacks (Standard Webhooks, the tier callbackSecret)', () => {
    let escalationId: string;
    let ticketId: string;
    const callback = (tier: string, raw: string, headers: Record<string, string | undefined>) => {
      const req = api.http.post(`/api/v1/escalations/callbacks/${tier}`).set('Content-Type', 'application/json');
      for (const [k, v] of Object.entries(headers)) if (v !== undefined) req.set(k, v);
      return req.send(raw);
    };
    const signed = (tier: string, body: Record<string, unknown>, webhookId = randomUUID(), secret = CALLBACK_SECRET) => {
      const raw = JSON.stringify(body);
      return callback(tier, raw, { ...signWebhook(webhookId, raw, [secret]) });
    };

    beforeAll(async () => {
      ticketId = await workedTicket(api, customer.id, { category: 'technical', priority: 'P3' });
      const res = await escalate(api, ticketId);
      expect(res.body.tier).toBe('signature_cloud');
      escalationId = res.body.id;
      await settled(escalationId, 'submitted');
    });

    it('refuses a missing, wrong or re-serialised signature with 401 and changes nothing', async () => {
      const body = { escalationId, status: 'acknowledged' };
      const raw = JSON.stringify(body);
      const headers = (secret: string, id = randomUUID()) => ({ ...signWebhook(id, raw, [secret]) });
      const refusals = [
        await callback('signature_cloud', raw, {}),
        await callback('signature_cloud', raw, { ...headers(CALLBACK_SECRET), 'webhook-signature': undefined }),
        await callback('signature_cloud', raw, headers(generateWebhookSecret())),
        // The key that signs our deliveries never verifies a callback.
        await callback('signature_cloud', raw, headers(SECRET)),
        await callback('signature_cloud', raw, { ...headers(CALLBACK_SECRET), 'webhook-signature': 'v1,zz' }),
        // Same JSON, different bytes: the HMAC is over the exact body.
        await callback('signature_cloud', JSON.stringify(body, null, 2), headers(CALLBACK_SECRET)),
        // A tier without a callback secret takes no callbacks.
        await callback('premier', raw, headers(CALLBACK_SECRET)),
      ];
      expect(refusals.map((r) => r.status)).toEqual([401, 401, 401, 401, 401, 401, 401]);
      expect(refusals[0].headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refusals[6].body.detail).toMatch(/premier tier takes no callbacks: it has no callbackSecret/);
      expect((await callback('platinum', raw, headers(CALLBACK_SECRET))).status).toBe(404);
      expect((await status(escalationId)).status).toBe('submitted');
      // Signed, but not JSON of the right shape: 400 naming the field.
      expect((await signed('signature_cloud', { escalationId, status: 'done' })).body.errors).toEqual([{ field: 'status', message: expect.any(String), code: 'invalid', params: {} }]);
      expect((await signed('signature_cloud', { escalationId: 'nope', status: 'acknowledged' })).status).toBe(400);
      // As JSON, the edge's input rule refuses NUL before the signature is checked; as any other type the callback's own parsing does.
      expect((await signed('signature_cloud', { escalationId, note: 'a\u0000b' })).body.errors).toEqual([{ field: 'note', message: 'note must not contain NUL characters (\\u0000)', code: 'invalid', params: {} }]);
      const nul = JSON.stringify({ escalationId, vendorCaseId: 'a\u0000b' });
      expect((await callback('signature_cloud', nul, { ...signWebhook(randomUUID(), nul, [CALLBACK_SECRET]), 'Content-Type': 'text/plain' })).body.errors).toEqual([{ field: 'vendorCaseId', message: 'must not contain NUL characters', code: 'invalid', params: {} }]);
      expect((await signed('signature_cloud', { escalationId: randomUUID(), status: 'acknowledged' })).status).toBe(404);
      expect((await status(escalationId)).status).toBe('submitted');
    });

    it('applies a signed report once; its webhook-id sent again (even freshly signed) is refused with 401', async () => {
      const webhookId = randomUUID();
      const first = await signed('signature_cloud', { escalationId, status: 'acknowledged', note: 'Vendor engineer assigned' }, webhookId);
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ webhookId, escalationId, status: 'acknowledged' });
      const replay = await signed('signature_cloud', { escalationId, status: 'acknowledged', note: 'Vendor engineer assigned' }, webhookId);
      expect(replay.status).toBe(401);
      expect(replay.body.detail).toMatch(/was already received/);
      expect((await events(ticketId)).filter((e) => e.type === 'escalation_acknowledged')).toHaveLength(1);

      const resolvedId = randomUUID();
      const resolved = await signed('signature_cloud', { escalationId, status: 'resolved', note: 'Patched' }, resolvedId);
      expect(resolved.body).toEqual({ webhookId: resolvedId, escalationId, status: 'resolved' });
      const replayResolved = await signed('signature_cloud', { escalationId, status: 'resolved' }, resolvedId);
      expect(replayResolved.status).toBe(401);
      const ticket = await api.http.get(`/api/v1/tickets/${ticketId}`).set(bearer(api.adminToken));
      expect(ticket.body.status).toBe('in_progress');
      const resolvedEvents = (await events(ticketId)).filter((e) => e.type === 'escalation_resolved');
      expect(resolvedEvents).toHaveLength(1);
      expect(resolvedEvents[0].actor.kind).toBe('system');
      // A fresh delivery id with a now-impossible transition is a conflict, not silently applied.
      expect((await signed('signature_cloud', { escalationId, status: 'acknowledged' })).status).toBe(409);
    });

    it('refuses contract hours on a tier without a contract', async () => {
      const t = await workedTicket(api, customer.id, { category: 'technical', priority: 'P4' });
      const res = await escalate(api, t);
      await settled(res.body.id, 'submitted');
      expect((await signed('signature_cloud', { escalationId: res.body.id, status: 'resolved', hoursUsed: 2 })).status).toBe(400);
      expect((await patchEscalation(res.body.id, { status: 'resolved', hoursUsed: 2 })).status).toBe(400);
      expect((await patchEscalation(res.body.id, { status: 'rejected', note: 'Vendor declined' })).body.status).toBe('rejected');
      expect((await api.http.get(`/api/v1/tickets/${t}`).set(bearer(api.adminToken))).body.status).toBe('in_progress');
      await putEntitlements(api, 'gold', NO_CONTRACT, NO_CONTRACT);
    });
  });
});
