import { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { generateWebhookSecret, signWebhook, WEBHOOK_TOLERANCE_SECONDS } from '@helpdesk/webhooks';
import { bearer, createCustomer, createPlan, startTestApi, startTestWorker, TestApi, testStack } from '../support';
import { escalate, eventually, LOCAL_RECEIVER_ENV, NO_CONTRACT, putEntitlements, ReceivedRequest, Receiver, signedWith, workedTicket } from '../escalation/support';

/**
 * What an attacker (or a careless admin) tries against vendor webhooks, against the real api and
 * worker, PostgreSQL, Redis and real local receivers: replaying, re-dating or reflecting signed
 * callbacks, and pointing webhooks at addresses inside the network.
 */

interface Stack {
  api: TestApi;
  worker: INestApplicationContext;
  customerId: string;
}

async function startStack(env: Record<string, string>): Promise<Stack> {
  const api = await startTestApi({ env });
  const worker = await startTestWorker({
    DATABASE_URL: api.database.url,
    REDIS_URL: testStack().redisUrl,
    QUEUE_PREFIX: api.queuePrefix,
    ESCALATION_BACKOFF_MS: '1',
    ESCALATION_ATTEMPTS: '2',
    ...env,
  });
  const customerId = (await createCustomer(api, (await createPlan(api)).id)).id;
  await putEntitlements(api, 'none', NO_CONTRACT, NO_CONTRACT);
  return { api, worker, customerId };
}

const stopStack = async (stack: Stack | undefined) => {
  await stack?.worker.close();
  await stack?.api.close();
};

const escalationOf = async (api: TestApi, id: string) => (await api.http.get(`/api/v1/escalations/${id}`).set(bearer(api.adminToken))).body;
const settled = (api: TestApi, id: string, wanted: string) => eventually(() => escalationOf(api, id), (e) => e.status === wanted);
const putTier = (api: TestApi, body: Record<string, unknown>) => api.http.put('/api/v1/escalation-tiers/commercial').set(bearer(api.adminToken)).send(body);

/** A billing ticket escalated to the commercial tier. */
async function escalated(stack: Stack): Promise<{ id: string; ticketId: string }> {
  const ticketId = await workedTicket(stack.api, stack.customerId, { category: 'billing', priority: 'P3' });
  const res = await escalate(stack.api, ticketId);
  expect([res.status, res.body.tier]).toEqual([202, 'commercial']);
  return { id: res.body.id, ticketId };
}

describe('signed vendor callbacks cannot be replayed, re-dated, reflected or forged', () => {
  const SECRET = generateWebhookSecret();
  const CALLBACK_SECRET = generateWebhookSecret();
  let stack: Stack;
  let receiver: Receiver;

  /** An escalation the vendor has received (the request it got) and that is now `submitted`. */
  async function submitted(): Promise<{ id: string; ticketId: string; delivery: ReceivedRequest }> {
    const e = await escalated(stack);
    await settled(stack.api, e.id, 'submitted');
    return { ...e, delivery: receiver.for(e.id)[0] };
  }
  const send = (raw: string, headers: Record<string, string | undefined>, contentType: string | null = 'application/json') => {
    const req = stack.api.http.post('/api/v1/escalations/callbacks/commercial');
    if (contentType !== null) req.set('Content-Type', contentType);
    for (const [k, v] of Object.entries(headers)) if (v !== undefined) req.set(k, v);
    return req.send(raw);
  };
  const signedBy = (secret: string, body: Record<string, unknown>, id = randomUUID(), at = new Date()) => {
    const raw = JSON.stringify(body);
    return { raw, headers: { ...signWebhook(id, raw, [secret], at) } };
  };
  const sendSigned = (secret: string, body: Record<string, unknown>) => {
    const { raw, headers } = signedBy(secret, body);
    return send(raw, headers);
  };
  /** What a callback could have changed: the status, the vendor's events on the timeline, the ids kept. */
  const vendorTrace = async (e: { id: string; ticketId: string }) => ({
    status: (await escalationOf(stack.api, e.id)).status,
    events: (await stack.api.dataSource.query(`SELECT count(*)::int AS n FROM ticket_events WHERE ticket_id = $1 AND type IN ('escalation_acknowledged','escalation_resolved','escalation_rejected')`, [e.ticketId]))[0].n,
    ids: (await stack.api.dataSource.query(`SELECT count(*)::int AS n FROM escalation_callback_deliveries WHERE escalation_id = $1`, [e.id]))[0].n,
  });

  beforeAll(async () => {
    receiver = await new Receiver(SECRET).start();
    stack = await startStack({ ...LOCAL_RECEIVER_ENV });
    const put = await putTier(stack.api, { delivery: 'webhook', webhookUrl: `${receiver.url}/commercial`, secret: SECRET, callbackSecret: CALLBACK_SECRET, timeoutMs: 2000 });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ hasSecret: true, hasCallbackSecret: true, previousSecretValidUntil: null, previousCallbackSecretValidUntil: null });
  });
  afterAll(async () => {
    await stopStack(stack);
    await receiver?.stop();
  });

  it('a captured callback replayed as is is a 401 and applies nothing; concurrent copies apply once', async () => {
    const e = await submitted();
    const captured = signedBy(CALLBACK_SECRET, { escalationId: e.id, vendorCaseId: 'VENDOR-A' });
    expect((await send(captured.raw, captured.headers)).status).toBe(200);
    expect((await sendSigned(CALLBACK_SECRET, { escalationId: e.id, vendorCaseId: 'VENDOR-B' })).status).toBe(200);
    // The probe's attack: the first report again, to put its case id back (and again, and again).
    for (let i = 0; i < 3; i++) {
      const replay = await send(captured.raw, captured.headers);
      expect([replay.status, replay.body.detail]).toEqual([401, expect.stringMatching(/webhook-id .* was already received/)]);
    }
    expect((await escalationOf(stack.api, e.id)).vendorCaseId).toBe('VENDOR-B');

    const other = await submitted();
    const report = signedBy(CALLBACK_SECRET, { escalationId: other.id, status: 'acknowledged' });
    const answers = await Promise.all(Array.from({ length: 6 }, () => send(report.raw, report.headers)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 401, 401, 401, 401, 401]);
    expect(await vendorTrace(other)).toEqual({ status: 'acknowledged', events: 1, ids: 1 });
  });

  it('a captured callback under a new webhook-id or a new timestamp is a 401: both are signed', async () => {
    const e = await submitted();
    const captured = signedBy(CALLBACK_SECRET, { escalationId: e.id, status: 'acknowledged' });
    const now = String(Math.floor(Date.now() / 1000) + 1);
    for (const headers of [
      { ...captured.headers, 'webhook-id': randomUUID() },
      { ...captured.headers, 'webhook-timestamp': now },
      { ...captured.headers, 'webhook-id': randomUUID(), 'webhook-timestamp': now },
    ]) {
      const res = await send(captured.raw, headers);
      expect([res.status, res.body.detail]).toEqual([401, expect.stringMatching(/does not sign this id, timestamp and body/)]);
    }
    expect(await vendorTrace(e)).toEqual({ status: 'submitted', events: 0, ids: 0 });
  });

  it('a well-signed callback more than five minutes old or ahead is a 401', async () => {
    const e = await submitted();
    const body = { escalationId: e.id, status: 'acknowledged' };
    const off = (seconds: number) => new Date(Date.now() + seconds * 1000);
    const stale = signedBy(CALLBACK_SECRET, body, randomUUID(), off(-(WEBHOOK_TOLERANCE_SECONDS + 60)));
    const future = signedBy(CALLBACK_SECRET, body, randomUUID(), off(WEBHOOK_TOLERANCE_SECONDS + 60));
    const [late, early] = [await send(stale.raw, stale.headers), await send(future.raw, future.headers)];
    expect([late.status, late.body.detail]).toEqual([401, expect.stringMatching(/more than 300 seconds old/)]);
    expect([early.status, early.body.detail]).toEqual([401, expect.stringMatching(/more than 300 seconds ahead/)]);
    expect(await vendorTrace(e)).toEqual({ status: 'submitted', events: 0, ids: 0 });
    // Within the window it is accepted (the vendor's clock may be a little off either way).
    const skewed = signedBy(CALLBACK_SECRET, body, randomUUID(), off(-(WEBHOOK_TOLERANCE_SECONDS - 30)));
    expect((await send(skewed.raw, skewed.headers)).status).toBe(200);
  });

  it('our own outgoing delivery, sent back to the callback route, is a 401', async () => {
    const e = await submitted();
    const delivery = e.delivery;
    expect(delivery.validSignature).toBe(true);
    const ours = { 'webhook-id': delivery.headers['webhook-id'] as string, 'webhook-timestamp': delivery.headers['webhook-timestamp'] as string, 'webhook-signature': delivery.headers['webhook-signature'] as string };
    const reflected = await send(delivery.raw, ours);
    expect([reflected.status, reflected.body.detail]).toEqual([401, expect.stringMatching(/does not sign/)]);
    // Even re-signed in full with the delivery key, with a body that would apply.
    const resigned = signedBy(SECRET, { escalationId: e.id, status: 'acknowledged' });
    expect((await send(resigned.raw, resigned.headers)).status).toBe(401);
    expect(await vendorTrace(e)).toEqual({ status: 'submitted', events: 0, ids: 0 });
  });

  it('a callback signed with any other secret, or not signed, is a 401', async () => {
    const e = await submitted();
    const body = { escalationId: e.id, status: 'acknowledged' };
    const wrong = signedBy(generateWebhookSecret(), body);
    expect((await send(wrong.raw, wrong.headers)).status).toBe(401);
    expect((await send(JSON.stringify(body), {})).status).toBe(401);
    // The old scheme (a body-only HMAC header) is no longer believed.
    expect((await send(JSON.stringify(body), { 'X-Helpdesk-Signature': 'sha256=00', 'X-Helpdesk-Delivery': randomUUID() })).status).toBe(401);
    expect(await vendorTrace(e)).toEqual({ status: 'submitted', events: 0, ids: 0 });
  });

  it('takes the signed body whatever its content type; other routes still take JSON only', async () => {
    for (const contentType of ['text/plain', 'application/octet-stream', 'application/x-www-form-urlencoded', null]) {
      const e = await submitted();
      const cb = signedBy(CALLBACK_SECRET, { escalationId: e.id, status: 'acknowledged', note: `as ${contentType}` });
      const res = await send(cb.raw, cb.headers, contentType);
      expect([contentType, res.status, res.body.status]).toEqual([contentType, 200, 'acknowledged']);
      // ... and an unsigned one with that type is refused like any other.
      const unsigned = await send(cb.raw, {}, contentType);
      expect([contentType, unsigned.status]).toEqual([contentType, 401]);
    }
    const elsewhere = await stack.api.http.post('/api/v1/tickets').set(bearer(stack.api.adminToken)).set('Content-Type', 'text/plain').send('subject=x');
    expect([elsewhere.status, elsewhere.body.type]).toEqual([415, expect.stringMatching(/unsupported-media-type$/)]);
    const unknown = await stack.api.http.post('/api/v1/no-such-route').set(bearer(stack.api.adminToken)).set('Content-Type', 'text/plain').send('x');
    expect(unknown.status).toBe(404);
    const tooLarge = await send('x'.repeat(1024 * 1024 + 1), {}, 'text/plain');
    expect(tooLarge.status).toBe(413);
  });

  it('a rotated callbackSecret: the previous one is accepted during the overlap, then refused', async () => {
    const rotated = generateWebhookSecret();
    const put = await putTier(stack.api, { delivery: 'webhook', webhookUrl: `${receiver.url}/commercial`, callbackSecret: rotated, rotationOverlapSeconds: 3 });
    expect(put.status).toBe(200);
    expect(Date.parse(put.body.previousCallbackSecretValidUntil) - Date.now()).toBeGreaterThan(1000);
    expect(put.body.previousSecretValidUntil).toBeNull();

    const e = await submitted();
    expect((await sendSigned(CALLBACK_SECRET, { escalationId: e.id, note: 'signed with the previous key' })).status).toBe(200);
    expect((await sendSigned(rotated, { escalationId: e.id, status: 'acknowledged' })).status).toBe(200);
    // The old key, past the overlap: a signed empty object is a 400 while the key is believed
    // (the body is read), a 401 once it is not.
    expect((await sendSigned(CALLBACK_SECRET, {})).status).toBe(400);
    await eventually(async () => (await sendSigned(CALLBACK_SECRET, {})).status, (status) => status === 401, 10_000);
    expect((await sendSigned(CALLBACK_SECRET, { escalationId: e.id, status: 'resolved' })).status).toBe(401);
    expect((await sendSigned(rotated, {})).status).toBe(400);
    expect((await stack.api.http.get('/api/v1/escalation-tiers').set(bearer(stack.api.adminToken))).body[0].previousCallbackSecretValidUntil).toBeNull();
    // Back to the first key, at once.
    expect((await putTier(stack.api, { delivery: 'webhook', webhookUrl: `${receiver.url}/commercial`, callbackSecret: CALLBACK_SECRET, rotationOverlapSeconds: 0 })).status).toBe(200);
  });

  it('a rotated secret: deliveries carry both signatures during the overlap; ending it leaves the new one', async () => {
    const rotated = generateWebhookSecret();
    const put = await putTier(stack.api, { delivery: 'webhook', webhookUrl: `${receiver.url}/commercial`, secret: rotated });
    expect(Date.parse(put.body.previousSecretValidUntil) - Date.now()).toBeGreaterThan(23 * 3600 * 1000); // a day by default
    const during = (await submitted()).delivery;
    expect((during.headers['webhook-signature'] as string).split(' ')).toHaveLength(2);
    expect([signedWith(rotated, during.raw, during.headers), signedWith(SECRET, during.raw, during.headers)]).toEqual([true, true]);

    // No new secret, an overlap of 0: the running overlap ends now.
    const ended = await putTier(stack.api, { delivery: 'webhook', webhookUrl: `${receiver.url}/commercial`, rotationOverlapSeconds: 0 });
    expect(ended.body.previousSecretValidUntil).toBeNull();
    const after = (await submitted()).delivery;
    expect((after.headers['webhook-signature'] as string).split(' ')).toHaveLength(1);
    expect([signedWith(rotated, after.raw, after.headers), signedWith(SECRET, after.raw, after.headers)]).toEqual([true, false]);
    expect(new Webhook(rotated).verify(after.raw, after.headers as Record<string, string>)).toMatchObject({ tier: 'commercial' });

    expect((await putTier(stack.api, { delivery: 'webhook', webhookUrl: `${receiver.url}/commercial`, secret: SECRET, rotationOverlapSeconds: 0 })).status).toBe(200);
  });

  it('PUT takes whsec_ secrets only, one key per direction, and a bounded overlap: 400 naming the field, nothing written', async () => {
    const before = await stack.api.dataSource.query(`SELECT * FROM escalation_tiers WHERE tier = 'commercial'`);
    const base = { delivery: 'webhook', webhookUrl: `${receiver.url}/commercial` };
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ secret: 'vendor-shared-secret-0123456789' }, 'secret', /secret must be whsec_ followed by the base64/],
      [{ secret: `whsec_${Buffer.alloc(16, 1).toString('base64')}` }, 'secret', /24 to 64 bytes \(this one has 16\)/],
      [{ secret: 'whsec_not base64!' }, 'secret', /whsec_/],
      [{ secret: null }, 'secret', /secret must be a string/],
      [{ callbackSecret: 'plain-text-callback-secret' }, 'callbackSecret', /callbackSecret must be whsec_/],
      [{ callbackSecret: SECRET }, 'callbackSecret', /must differ from the tier's secret/],
      [{ secret: CALLBACK_SECRET }, 'secret', /must differ from the tier's callbackSecret/],
      [{ secret: CALLBACK_SECRET, callbackSecret: CALLBACK_SECRET }, 'callbackSecret', /must differ/],
      [{ rotationOverlapSeconds: -1 }, 'rotationOverlapSeconds', /must not be less than 0/],
      [{ rotationOverlapSeconds: 8 * 24 * 3600 }, 'rotationOverlapSeconds', /must not be greater than 604800/],
    ];
    for (const [body, field, message] of cases) {
      const res = await putTier(stack.api, { ...base, ...body });
      expect([body, res.status, res.body.errors?.map((e: { field: string }) => e.field)]).toEqual([body, 400, [field]]);
      expect(res.body.errors[0].message).toMatch(message);
      // One key for both directions is a service's check, said by its code.
      if (String(message).includes('must differ')) expect(res.body.errors[0].code).toBe('sameSecret');
      expect(JSON.stringify(res.body)).not.toContain(SECRET.slice(6));
      expect(JSON.stringify(res.body)).not.toContain(CALLBACK_SECRET.slice(6));
    }
    // The manual tier may take a callback secret (the vendor reports on cases filed by hand), not a delivery secret.
    expect((await stack.api.http.put('/api/v1/escalation-tiers/premier').set(bearer(stack.api.adminToken)).send({ delivery: 'manual', callbackSecret: generateWebhookSecret() })).body).toMatchObject({ hasSecret: false, hasCallbackSecret: true });
    expect(await stack.api.dataSource.query(`SELECT * FROM escalation_tiers WHERE tier = 'commercial'`)).toEqual(before);
  });

  it("never stores or shows a failing endpoint's answer: the status and a short reason only", async () => {
    const MARKER = 'INTERNAL-ONLY-7f3a';
    receiver.plan({ status: 500, body: { error: `${MARKER} db=postgres://admin:pw@10.0.0.5/prod` } }, { status: 503, body: `${MARKER} maintenance` });
    const e = await escalated(stack);
    const failed = await settled(stack.api, e.id, 'failed');
    expect(failed.lastError).toBe('HTTP 503 Service Unavailable');
    expect(failed.attempts.map((a: { httpStatus: number; error: string }) => [a.httpStatus, a.error])).toEqual([
      [500, 'HTTP 500 Internal Server Error'],
      [503, 'HTTP 503 Service Unavailable'],
    ]);
    const readable = [
      JSON.stringify(failed),
      JSON.stringify((await stack.api.http.get('/api/v1/escalations?status=failed').set(bearer(stack.api.adminToken))).body),
      JSON.stringify((await stack.api.http.get(`/api/v1/tickets/${e.ticketId}/events`).set(bearer(stack.api.adminToken))).body),
      JSON.stringify(await stack.api.dataSource.query(`SELECT * FROM escalation_attempts WHERE escalation_id = $1`, [e.id])),
      JSON.stringify(await stack.api.dataSource.query(`SELECT * FROM escalations WHERE id = $1`, [e.id])),
      JSON.stringify(await stack.api.dataSource.query(`SELECT * FROM ticket_events WHERE ticket_id = $1`, [e.ticketId])),
    ];
    expect(receiver.for(e.id)).toHaveLength(2);
    for (const text of readable) expect(text).not.toContain(MARKER);
  });
});

describe('webhook targets inside the network are refused (SSRF), when saved and when delivered', () => {
  let stack: Stack;
  let receiver: Receiver;
  let receiver6: Receiver;

  beforeAll(async () => {
    [receiver, receiver6] = await Promise.all([new Receiver(generateWebhookSecret()).start(), new Receiver(generateWebhookSecret()).start('::1')]);
    stack = await startStack({ WEBHOOK_ALLOW_PRIVATE: 'false' });
    // A public name that resolves nowhere now: accepted (the delivery checks it again).
    const put = await putTier(stack.api, { delivery: 'webhook', webhookUrl: 'https://cases.vendor.invalid/helpdesk', secret: receiver.secret, timeoutMs: 2000 });
    expect(put.status).toBe(200);
  });
  afterAll(async () => {
    await stopStack(stack);
    await Promise.all([receiver?.stop(), receiver6?.stop()]);
  });

  const port = () => new URL(receiver.url).port;
  /** Each target, the kind of address it is refused as, and that kind's reason in the problem (for a screen's own words). */
  const targets = (): Array<[string, string, string]> => [
    [`http://127.0.0.1:${port()}/cases`, '127.0.0.1 is a loopback address', 'loopback'],
    [`http://[::1]:${new URL(receiver6.url).port}/cases`, '[::1] is a loopback address', 'loopback'],
    [`http://localhost:${port()}/cases`, 'localhost is a loopback address', 'loopback'],
    [`http://[::ffff:127.0.0.1]:${port()}/cases`, 'is a loopback address', 'loopback'],
    [`http://0.0.0.0:${port()}/cases`, '0.0.0.0 is an unspecified address', 'unspecified'],
    ['http://169.254.169.254/latest/meta-data/iam/security-credentials/', '169.254.169.254 is a cloud metadata address', 'metadata'],
    ['http://[fd00:ec2::254]/latest/meta-data/', '[fd00:ec2::254] is a cloud metadata address', 'metadata'],
    ['http://10.0.0.1/internal-only-path', '10.0.0.1 is a private (RFC 1918) address', 'private'],
    ['http://192.168.1.1/', 'a private (RFC 1918) address', 'private'],
    ['http://100.64.0.1/', 'a carrier-grade NAT (CGNAT, 100.64.0.0/10) address', 'carrierGradeNat'],
    ['http://[fd12:3456::1]/', 'a unique local (ULA, fc00::/7) address', 'uniqueLocal'],
    ['http://169.254.10.10/', 'a link-local address', 'linkLocal'],
    ['http://224.0.0.1/', 'a multicast address', 'multicast'],
  ];

  it('refuses them when saved: 400 naming webhookUrl, nothing written', async () => {
    const before = await stack.api.dataSource.query(`SELECT * FROM escalation_tiers`);
    for (const [url, kind, reason] of targets()) {
      const res = await putTier(stack.api, { delivery: 'webhook', webhookUrl: url, secret: receiver.secret });
      expect([url, res.status, res.body.errors?.map((e: { field: string }) => e.field)]).toEqual([url, 400, ['webhookUrl']]);
      expect(res.body.errors[0].message).toContain(kind);
      expect([url, res.body.errors[0].code, res.body.errors[0].params]).toEqual([url, 'webhookTarget', { reason, host: new URL(url).hostname }]);
      expect(res.body.errors[0].message).toMatch(/only public addresses are allowed unless WEBHOOK_ALLOW_PRIVATE=true/);
    }
    expect(await stack.api.dataSource.query(`SELECT * FROM escalation_tiers`)).toEqual(before);
  });

  it('refuses them when delivering (a URL stored before the check, or a name that now resolves inside): nothing is sent', async () => {
    for (const [url, kind] of targets().slice(0, 8)) {
      // As a tier saved before this check existed (or whose name resolved elsewhere then) would be.
      await stack.api.dataSource.query(`UPDATE escalation_tiers SET webhook_url = $1 WHERE tier = 'commercial'`, [url]);
      const e = await escalated(stack);
      const failed = await settled(stack.api, e.id, 'failed');
      expect([url, failed.attempts.map((a: { httpStatus: number | null }) => a.httpStatus)]).toEqual([url, [null, null]]);
      expect([url, failed.lastError.startsWith('refused: the webhook target '), failed.lastError.includes(kind)]).toEqual([url, true, true]);
    }
    expect([receiver.requests, receiver6.requests]).toEqual([[], []]);
  });
});

describe('with WEBHOOK_ALLOW_PRIVATE=true, local targets are allowed (cloud metadata never)', () => {
  let stack: Stack;
  let receiver: Receiver;
  let receiver6: Receiver;

  beforeAll(async () => {
    const secret = generateWebhookSecret();
    [receiver, receiver6] = await Promise.all([new Receiver(secret).start(), new Receiver(secret).start('::1')]);
    stack = await startStack({ WEBHOOK_ALLOW_PRIVATE: 'true' });
  });
  afterAll(async () => {
    await stopStack(stack);
    await Promise.all([receiver?.stop(), receiver6?.stop()]);
  });

  it('delivers to 127.0.0.1, [::1] and localhost', async () => {
    const port = new URL(receiver.url).port;
    for (const [url, target] of [
      [`http://127.0.0.1:${port}/a`, receiver],
      [`${receiver6.url}/b`, receiver6],
      [`http://localhost:${port}/c`, receiver],
    ] as const) {
      expect((await putTier(stack.api, { delivery: 'webhook', webhookUrl: url, secret: receiver.secret })).status).toBe(200);
      const e = await escalated(stack);
      await settled(stack.api, e.id, 'submitted');
      expect([url, target.for(e.id).map((r) => r.validSignature)]).toEqual([url, [true]]);
    }
  });

  it('still refuses cloud metadata addresses, when saved and when delivered', async () => {
    const saved = await putTier(stack.api, { delivery: 'webhook', webhookUrl: 'http://169.254.169.254/latest/meta-data/', secret: receiver.secret });
    expect([saved.status, saved.body.errors]).toEqual([400, [{ field: 'webhookUrl', message: expect.stringMatching(/a cloud metadata address/), code: 'webhookTarget', params: { reason: 'metadata', host: '169.254.169.254' } }]]);
    await stack.api.dataSource.query(`UPDATE escalation_tiers SET webhook_url = 'http://169.254.169.254/latest/meta-data/' WHERE tier = 'commercial'`);
    const e = await escalated(stack);
    expect((await settled(stack.api, e.id, 'failed')).lastError).toMatch(/^refused: the webhook target 169.254.169.254 is a cloud metadata address/);
  });
});
