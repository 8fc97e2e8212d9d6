/**
 * The web console's sign-in (#14): a staff token exchanged once for an HttpOnly, SameSite=Strict
 * session cookie, stored server-side as a hash, expiring, signed out server-side, with a CSRF token
 * on every cookie-authenticated write; revocation and deactivation end sessions at once.
 */
import { createHash } from 'node:crypto';
import { bearer, createAgent, createCustomer, createPlan, SseClient, startTestApi, TestApi, ticketBody } from '../support';

type Response = { status: number; body: Record<string, unknown>; headers: Record<string, unknown> };

/** Every Set-Cookie line of the session cookie (the cookie at `/`, and the clearing of an older one at `/api`). */
const sessionCookieLines = (res: Response): string[] => ((res.headers['set-cookie'] as string[] | undefined) ?? []).filter((line) => line.startsWith('helpdesk_session='));

/** The Set-Cookie line of the session cookie at its path, `/` (the console's page and the API), if the response has one. */
const sessionSetCookie = (res: Response): string | undefined => sessionCookieLines(res).find((line) => /;\s*Path=\/(;|$)/i.test(line));

/** Both cookies cleared: the one at `/` and an older sign-in's at `/api`. */
const BOTH_CLEARED = [
  expect.stringMatching(/^helpdesk_session=; Path=\/; Expires=Thu, 01 Jan 1970/),
  expect.stringMatching(/^helpdesk_session=; Path=\/api; Expires=Thu, 01 Jan 1970/),
];

const cookieValue = (line: string): string => decodeURIComponent(line.split(';')[0].slice('helpdesk_session='.length));

describe('console sessions: a token for an HttpOnly session cookie, CSRF on writes, sign-out, expiry, revocation', () => {
  let api: TestApi;
  let agent: { id: string; token: string };
  let customer: { id: string; token: string };
  let ticketId: string;

  /** Signs `token` in; the cookie's value and the answer. */
  const signIn = async (token: string) => {
    const res = await api.http.post('/api/v1/session').send({ token });
    expect(res.status).toBe(201);
    const line = sessionSetCookie(res);
    expect(line).toBeDefined();
    return { session: cookieValue(line!), line: line!, lines: sessionCookieLines(res), body: res.body as { csrfToken: string; expiresAt: string; agentId: string; roles: string[]; name: string } };
  };
  const withCookie = (session: string) => ({ Cookie: `helpdesk_session=${encodeURIComponent(session)}` });
  const sessionRows = async (tokenOwner: string) =>
    Number(
      (
        await api.dataSource.query(`SELECT count(*)::int AS n FROM console_sessions s JOIN api_tokens t ON t.id = s.token_id WHERE t.agent_id = $1`, [tokenOwner])
      )[0].n,
    );

  beforeAll(async () => {
    api = await startTestApi({ env: { SESSION_TTL_MINUTES: '90' } });
    customer = await createCustomer(api, (await createPlan(api)).id);
    agent = await createAgent(api, ['helpdesk_agent']);
    ticketId = (await api.http.post('/api/v1/tickets').set(bearer(api.adminToken)).send(ticketBody(customer.id))).body.id;
  });
  afterAll(async () => {
    await api.close();
  });

  it('exchanges a staff token for an HttpOnly, SameSite=Strict cookie to the whole origin that expires with the session; only its hash is stored', async () => {
    const before = Date.now();
    const { session, line, body, lines } = await signIn(agent.token);
    const attributes = line.split(';').map((a) => a.trim().toLowerCase());
    expect(attributes).toEqual(expect.arrayContaining(['httponly', 'samesite=strict', 'path=/']));
    // The cookie an older sign-in left at /api (which the browser would send first to the API) is cleared.
    expect(lines).toEqual([expect.stringMatching(/^helpdesk_session=; (Max-Age=0; )?Path=\/api; Expires=Thu, 01 Jan 1970/), line]);
    // Plain HTTP here: no Secure (the browser would drop the cookie).
    expect(attributes).not.toContain('secure');
    const expires = Date.parse(attributes.find((a) => a.startsWith('expires='))!.slice('expires='.length));
    expect(body).toEqual({ agentId: agent.id, name: expect.any(String), roles: ['helpdesk_agent'], expiresAt: expect.any(String), csrfToken: expect.any(String) });
    const expiresAt = Date.parse(body.expiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 90 * 60_000 - 1000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 90 * 60_000);
    expect(Math.abs(expires - expiresAt)).toBeLessThan(1000);
    // The session id is not the token, and the table holds neither it nor the token.
    expect(session).not.toBe(agent.token);
    expect(session.length).toBeGreaterThanOrEqual(43);
    const rows: Array<{ id_hash: string }> = await api.dataSource.query(`SELECT id_hash FROM console_sessions`);
    expect(rows.map((r) => r.id_hash)).toContain(createHash('sha256').update(session).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(session);

    // The cookie alone authenticates reads; GET /session says who, and hands the CSRF token again (after a reload).
    const who = await api.http.get('/api/v1/session').set(withCookie(session));
    expect(who.status).toBe(200);
    expect(who.body).toEqual(body);
    expect((await api.http.get(`/api/v1/tickets/${ticketId}`).set(withCookie(session))).status).toBe(200);
  });

  it('marks the cookie Secure when the console is reached over HTTPS (a proxy on this machine saying so)', async () => {
    const res = await api.http.post('/api/v1/session').set('X-Forwarded-Proto', 'https').send({ token: agent.token });
    expect(res.status).toBe(201);
    expect(sessionSetCookie(res)!.toLowerCase()).toContain('; secure');
  });

  it('refuses an unknown token (401), a customer token (403, naming token) and no token (400), setting no cookie', async () => {
    const unknown = await api.http.post('/api/v1/session').send({ token: 'hds_no_such_token_0000000000000000000000' });
    expect(unknown.status).toBe(401);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
    expect(sessionSetCookie(unknown)).toBeUndefined();

    const asCustomer = await api.http.post('/api/v1/session').send({ token: customer.token });
    expect(asCustomer.status).toBe(403);
    expect(asCustomer.body.errors).toEqual([{ field: 'token', message: 'is a customer token', code: 'invalid', params: {} }]);
    expect(sessionSetCookie(asCustomer)).toBeUndefined();

    const missing = await api.http.post('/api/v1/session').send({});
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body.errors)).toContain('token');

    // A form another site posts (no JSON) never reaches the sign-in: 415.
    const form = await api.http.post('/api/v1/session').type('form').send(`token=${agent.token}`);
    expect(form.status).toBe(415);
    expect(sessionSetCookie(form)).toBeUndefined();
    expect(await api.dataSource.query(`SELECT 1 FROM console_sessions s JOIN api_tokens t ON t.id = s.token_id WHERE t.customer_id IS NOT NULL`)).toEqual([]);
  });

  it('refuses a cookie-authenticated write without the CSRF token, or with a wrong one or another session\'s, and changes nothing', async () => {
    const { session, body } = await signIn(agent.token);
    const other = await signIn(agent.token);
    const patch = (headers: Record<string, string>) => api.http.patch(`/api/v1/tickets/${ticketId}`).set({ ...withCookie(session), ...headers }).send({ priority: 'P1' });

    const wrong: Array<Record<string, string>> = [{}, { 'X-CSRF-Token': 'not-the-token' }, { 'X-CSRF-Token': other.body.csrfToken }, { 'X-CSRF-Token': '' }];
    for (const headers of wrong) {
      const refused = await patch(headers);
      expect(refused.status).toBe(403);
      expect(refused.body.detail).toContain('x-csrf-token');
    }
    const comment = await api.http.post(`/api/v1/tickets/${ticketId}/comments`).set(withCookie(session)).send({ body: 'forged', visibility: 'public' });
    expect(comment.status).toBe(403);
    const ticket = (await api.http.get(`/api/v1/tickets/${ticketId}`).set(bearer(api.adminToken))).body;
    expect(ticket.priority).not.toBe('P1');
    expect((await api.http.get(`/api/v1/tickets/${ticketId}/comments`).set(bearer(api.adminToken))).body).toEqual([]);

    const allowed = await patch({ 'X-CSRF-Token': body.csrfToken });
    expect(allowed.status).toBe(200);
    expect(allowed.body.priority).toBe('P1');
  });

  it('keeps bearer tokens working for API clients, with or without a cookie beside them (the bearer token decides)', async () => {
    const { session } = await signIn(agent.token);
    const asAdmin = await api.http.get('/api/v1/agents').set({ ...bearer(api.adminToken), ...withCookie(session) });
    expect(asAdmin.status).toBe(200);
    // A bearer write needs no CSRF token: no browser attaches an Authorization header on its own.
    const write = await api.http.patch(`/api/v1/tickets/${ticketId}`).set(bearer(agent.token)).send({ priority: 'P2' });
    expect(write.status).toBe(200);
    const who = await api.http.get('/api/v1/session').set(bearer(agent.token));
    expect(who.body).toMatchObject({ agentId: agent.id, roles: ['helpdesk_agent'], expiresAt: null, csrfToken: null });
    // A bad bearer token is not rescued by a good cookie.
    expect((await api.http.get('/api/v1/tickets').set({ ...bearer('hds_wrong'), ...withCookie(session) })).status).toBe(401);
  });

  it("is checked at the edge before the body is read: a cookie write without the CSRF token, or with an ended session, is refused whatever its size", async () => {
    const { session, body } = await signIn(agent.token);
    // Over the 1 MiB body limit: read, it would be a 413.
    const big = { body: 'x'.repeat(2 * 1024 * 1024), visibility: 'public' };
    const forged = await api.http.post(`/api/v1/tickets/${ticketId}/comments`).set(withCookie(session)).send(big);
    expect(forged.status).toBe(403);
    expect(forged.body.detail).toContain('x-csrf-token');
    const tooBig = await api.http.post(`/api/v1/tickets/${ticketId}/comments`).set({ ...withCookie(session), 'X-CSRF-Token': body.csrfToken }).send(big);
    expect(tooBig.status).toBe(413);

    await api.dataSource.query(`DELETE FROM console_sessions WHERE id_hash = $1`, [createHash('sha256').update(session).digest('hex')]);
    const ended = await api.http.post(`/api/v1/tickets/${ticketId}/comments`).set({ ...withCookie(session), 'X-CSRF-Token': body.csrfToken }).send(big);
    expect(ended.status).toBe(401);
    expect(ended.body.detail).toContain('sign in again');
    expect(sessionCookieLines(ended)).toEqual(BOTH_CLEARED);
    expect((await api.http.get(`/api/v1/tickets/${ticketId}/comments`).set(bearer(api.adminToken))).body).toEqual([]);
  });

  it('signs out server-side: DELETE needs the CSRF token, then the cookie is cleared and its value never works again', async () => {
    const { session, body } = await signIn(agent.token);
    const refused = await api.http.delete('/api/v1/session').set(withCookie(session));
    expect(refused.status).toBe(403);
    expect((await api.http.get('/api/v1/session').set(withCookie(session))).status).toBe(200);

    const out = await api.http.delete('/api/v1/session').set({ ...withCookie(session), 'X-CSRF-Token': body.csrfToken });
    expect(out.status).toBe(204);
    // Cleared at both paths it may have (`/`, and an older sign-in's `/api`).
    expect(sessionCookieLines(out).map((l) => /Path=([^;]+)/.exec(l)![1]).sort()).toEqual(['/', '/api']);
    const cleared = sessionSetCookie(out)!;
    expect(cleared).toMatch(/^helpdesk_session=;/);
    expect(Date.parse(/Expires=([^;]+)/i.exec(cleared)![1])).toBeLessThan(Date.now());
    // Whoever kept the value (a copied cookie) is refused: the session is gone from the server.
    const after = await api.http.get('/api/v1/tickets').set(withCookie(session));
    expect(after.status).toBe(401);
    expect(after.body.detail).toContain('sign in again');
    expect(await api.dataSource.query(`SELECT 1 FROM console_sessions WHERE id_hash = $1`, [createHash('sha256').update(session).digest('hex')])).toEqual([]);
  });

  it("ends the live stream with the session: an open stream gets stream.ended 'signed-out' at sign-out, and its unspent stream tokens open nothing", async () => {
    const manager = await createAgent(api, ['admin_agent']);
    const { session, body } = await signIn(manager.token);
    const auth = { ...withCookie(session), 'X-CSRF-Token': body.csrfToken };
    const issue = async () => {
      const res = await api.http.post('/api/v1/queues/stream-tokens').set(auth);
      expect(res.status).toBe(201);
      return res.body.token as string;
    };
    const stream = await SseClient.open(`${api.url}/api/v1/queues/stream?token=${await issue()}`);
    const spare = await issue();
    // A bearer stream of the same token is the token's, not the session's: sign-out leaves it open.
    const bearerStream = await SseClient.open(`${api.url}/api/v1/queues/stream`, bearer(manager.token));
    try {
      expect(stream.status).toBe(200);
      expect(bearerStream.status).toBe(200);
      await stream.next((e) => e.event === 'stats', 5000, 'stats');

      const signedOutAt = Date.now();
      expect((await api.http.delete('/api/v1/session').set(auth)).status).toBe(204);
      const ended = await stream.next((e) => e.event === 'stream.ended', 3000, 'stream.ended');
      expect(ended.data).toEqual({ reason: 'signed-out', at: expect.any(String) });
      await stream.closedByServer(3000);
      expect(Date.now() - signedOutAt).toBeLessThan(3000);

      // The stream token taken before the sign-out is refused (and spent).
      const late = await SseClient.open(`${api.url}/api/v1/queues/stream?token=${spare}`);
      expect(late.status).toBe(401);
      expect(late.body?.detail).toContain('session');
      late.close();
      // …while the bearer stream goes on.
      const statsAfter = await bearerStream.next((e) => e.event === 'stats' && e.receivedAt > signedOutAt + 100, 5000, 'stats after the sign-out');
      expect(statsAfter.event).toBe('stats');
      expect(bearerStream.events.some((e) => e.event === 'stream.ended')).toBe(false);
    } finally {
      stream.close();
      bearerStream.close();
    }
  });

  it('ends a stream opened from a session that expires (checked again on the next change of its token)', async () => {
    const manager = await createAgent(api, ['admin_agent']);
    const { session, body } = await signIn(manager.token);
    const token = (await api.http.post('/api/v1/queues/stream-tokens').set({ ...withCookie(session), 'X-CSRF-Token': body.csrfToken })).body.token as string;
    const stream = await SseClient.open(`${api.url}/api/v1/queues/stream?token=${token}`);
    try {
      expect(stream.status).toBe(200);
      await stream.next((e) => e.event === 'stats', 5000, 'stats');
      await api.dataSource.query(`UPDATE console_sessions SET expires_at = now() - interval '1 second' WHERE id_hash = $1`, [createHash('sha256').update(session).digest('hex')]);
      // A role change makes every process read the stream's rights again (the role still allows the stream).
      expect((await api.http.patch(`/api/v1/agents/${manager.id}`).set(bearer(api.adminToken)).send({ roles: ['admin_agent', 'helpdesk_agent'] })).status).toBe(200);
      const ended = await stream.next((e) => e.event === 'stream.ended', 3000, 'stream.ended');
      expect(ended.data).toEqual({ reason: 'signed-out', at: expect.any(String) });
    } finally {
      stream.close();
    }
  });

  it('ends a session when it expires, and a later sign-in clears expired sessions away', async () => {
    const { session } = await signIn(agent.token);
    const hash = createHash('sha256').update(session).digest('hex');
    await api.dataSource.query(`UPDATE console_sessions SET expires_at = now() - interval '1 second' WHERE id_hash = $1`, [hash]);
    const expired = await api.http.get('/api/v1/tickets').set(withCookie(session));
    expect(expired.status).toBe(401);
    // …and tells the browser to forget the cookie.
    expect(sessionCookieLines(expired)).toEqual(BOTH_CLEARED);
    expect((await api.http.get('/api/v1/session').set(withCookie(session))).status).toBe(401);
    await signIn(agent.token);
    expect(await api.dataSource.query(`SELECT 1 FROM console_sessions WHERE id_hash = $1`, [hash])).toEqual([]);
  });

  it("ends every session of a revoked token at once, and of a deactivated agent (not brought back by reactivation)", async () => {
    const revokedAgent = await createAgent(api, ['helpdesk_agent']);
    const first = await signIn(revokedAgent.token);
    const [token] = (await api.http.get(`/api/v1/agents/${revokedAgent.id}/tokens`).set(bearer(api.adminToken))).body as Array<{ id: string }>;
    expect((await api.http.delete(`/api/v1/agents/${revokedAgent.id}/tokens/${token.id}`).set(bearer(api.adminToken))).status).toBe(200);
    expect((await api.http.get('/api/v1/tickets').set(withCookie(first.session))).status).toBe(401);
    expect(await sessionRows(revokedAgent.id)).toBe(0);

    const leaving = await createAgent(api, ['helpdesk_agent']);
    const sessions = [await signIn(leaving.token), await signIn(leaving.token)];
    expect(await sessionRows(leaving.id)).toBe(2);
    expect((await api.http.post(`/api/v1/agents/${leaving.id}/deactivate`).set(bearer(api.adminToken))).status).toBe(200);
    for (const { session } of sessions) expect((await api.http.get('/api/v1/tickets').set(withCookie(session))).status).toBe(401);
    expect(await sessionRows(leaving.id)).toBe(0);
    expect((await api.http.post(`/api/v1/agents/${leaving.id}/reactivate`).set(bearer(api.adminToken))).status).toBe(200);
    for (const { session } of sessions) expect((await api.http.get('/api/v1/tickets').set(withCookie(session))).status).toBe(401);
    // Their token works again, and signs in anew.
    expect((await api.http.get('/api/v1/tickets').set(bearer(leaving.token))).status).toBe(200);
    await signIn(leaving.token);
  });

  it('follows role changes at once (the session resolves its token as it stands now)', async () => {
    const promoted = await createAgent(api, ['helpdesk_agent']);
    const { session } = await signIn(promoted.token);
    expect((await api.http.get('/api/v1/agents').set(withCookie(session))).status).toBe(403);
    expect((await api.http.patch(`/api/v1/agents/${promoted.id}`).set(bearer(api.adminToken)).send({ roles: ['admin_agent'] })).status).toBe(200);
    expect((await api.http.get('/api/v1/agents').set(withCookie(session))).status).toBe(200);
    expect((await api.http.get('/api/v1/session').set(withCookie(session))).body.roles).toEqual(['admin_agent']);
  });
});

describe("console sessions and rate limits: a session spends its token's budget", () => {
  let api: TestApi;
  const BUDGETS = { RATE_LIMIT_STAFF: '6', RATE_LIMIT_WINDOW_MS: '60000' };

  beforeAll(async () => {
    api = await startTestApi({ env: BUDGETS });
  });
  afterAll(async () => {
    await api?.close();
    Object.assign(process.env, { RATE_LIMIT_STAFF: '1000000000' });
    delete process.env.RATE_LIMIT_WINDOW_MS;
  });

  it('counts bearer and cookie requests of one token together, and answers the session 429 with Retry-After', async () => {
    const agent = await createAgent(api, ['helpdesk_agent']);
    const signedIn = await api.http.post('/api/v1/session').send({ token: agent.token });
    expect(signedIn.status).toBe(201);
    const cookie = { Cookie: sessionSetCookie(signedIn)!.split(';')[0] };
    const answers: number[] = [];
    for (let i = 0; i < 3; i++) {
      answers.push((await api.http.get('/api/v1/tickets').set(bearer(agent.token))).status);
      answers.push((await api.http.get('/api/v1/tickets').set(cookie)).status);
    }
    expect(answers).toEqual(Array(6).fill(200));
    const limited = await api.http.get('/api/v1/session').set(cookie);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await api.http.get('/api/v1/tickets').set(bearer(agent.token))).status).toBe(429);
    // Another agent's budget is its own.
    const other = await createAgent(api, ['helpdesk_agent']);
    expect((await api.http.get('/api/v1/tickets').set(bearer(other.token))).status).toBe(200);
  });
});
