/**
 * Issue #17, "rights that outlive their removal": a revocation, a deactivation or a role change made
 * through one API process holds at once in another (two apps on one database and one Redis, as two
 * processes of a deployment), open live streams of the caller end, and stream tickets carry no
 * roles of their own. Unknown tokens are cached briefly; a token issued with a hash cached as
 * unknown works at once.
 */
import { createHash, randomBytes } from 'node:crypto';
import { AgentsService, StaffRole, TokenInvalidationBus } from '@helpdesk/auth';
import { bearer, createAgent, eventually, SseClient, startTestApi, TestApi } from '../support';

describe('rights change at once across api processes', () => {
  let first: TestApi;
  let second: TestApi;
  const streams: SseClient[] = [];

  const live = (api: TestApi) => eventually(async () => api.app.get(TokenInvalidationBus).live, (ok) => ok, 10_000, 'the invalidation subscription');
  const tokenIdOf = async (agentId: string): Promise<string> => {
    const [row] = await first.dataSource.query(`SELECT id FROM api_tokens WHERE agent_id = $1 AND revoked_at IS NULL ORDER BY created_at LIMIT 1`, [agentId]);
    return row.id;
  };
  const openStream = async (api: TestApi, headers: Record<string, string> = {}, query = '') => {
    const stream = await SseClient.open(`${api.url}/api/v1/queues/stream${query}`, headers);
    streams.push(stream);
    return stream;
  };

  beforeAll(async () => {
    first = await startTestApi();
    second = await startTestApi({ database: first.database, env: { QUEUE_PREFIX: first.queuePrefix, BOOTSTRAP_ADMIN_TOKEN: first.adminToken } });
    // Both processes resolve a token once, which subscribes them; from then on they cache.
    for (const api of [first, second]) expect((await api.http.get('/api/v1/agents').set(bearer(first.adminToken))).status).toBe(200);
    await live(first);
    await live(second);
  });
  afterAll(async () => {
    for (const s of streams) s.close();
    await second?.close({ keepDatabase: true });
    await first?.close();
  });

  it('refuses a token revoked through the other process on the very next request', async () => {
    const agent = await createAgent(first, ['helpdesk_agent']);
    // Cached by both processes.
    for (const api of [second, first, second]) expect((await api.http.get('/api/v1/tickets').set(bearer(agent.token))).status).toBe(200);

    const revoked = await first.http.delete(`/api/v1/agents/${agent.id}/tokens/${await tokenIdOf(agent.id)}`).set(bearer(first.adminToken));
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));

    const refused = await second.http.get('/api/v1/tickets').set(bearer(agent.token));
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toContain('invalid_token');
    expect((await first.http.get('/api/v1/tickets').set(bearer(agent.token))).status).toBe(401);
  });

  it('takes admin rights away in the other process on the very next request when an admin is demoted', async () => {
    const admin = await createAgent(first, ['admin_agent']);
    for (const api of [second, first]) expect((await api.http.get('/api/v1/agents').set(bearer(admin.token))).status).toBe(200);

    const demoted = await first.http.patch(`/api/v1/agents/${admin.id}`).set(bearer(first.adminToken)).send({ roles: ['helpdesk_agent'] });
    expect(demoted.status).toBe(200);

    expect((await second.http.get('/api/v1/agents').set(bearer(admin.token))).status).toBe(403);
    expect((await second.http.get('/api/v1/tickets').set(bearer(admin.token))).status).toBe(200);
  });

  it("stops a deactivated agent's every token in the other process on the very next request, and lets them back in on reactivation", async () => {
    const agent = await createAgent(first, ['helpdesk_agent']);
    const spare = await first.http.post(`/api/v1/agents/${agent.id}/tokens`).set(bearer(agent.token));
    expect(spare.status).toBe(201);
    for (const token of [agent.token, spare.body.token]) expect((await second.http.get('/api/v1/tickets').set(bearer(token))).status).toBe(200);

    expect((await first.http.post(`/api/v1/agents/${agent.id}/deactivate`).set(bearer(first.adminToken))).status).toBe(200);
    for (const token of [agent.token, spare.body.token]) {
      expect((await second.http.get('/api/v1/tickets').set(bearer(token))).status).toBe(401);
      expect((await first.http.get('/api/v1/tickets').set(bearer(token))).status).toBe(401);
    }

    expect((await first.http.post(`/api/v1/agents/${agent.id}/reactivate`).set(bearer(first.adminToken))).status).toBe(200);
    // "No such token" was cached for both while deactivated: reactivation drops that at once too.
    for (const token of [agent.token, spare.body.token]) expect((await second.http.get('/api/v1/tickets').set(bearer(token))).status).toBe(200);
  });

  it('ends an open live stream in the other process at once when its admin is demoted', async () => {
    const admin = await createAgent(first, ['admin_agent']);
    const stream = await openStream(second, bearer(admin.token));
    expect(stream.status).toBe(200);
    await stream.next((e) => e.event === 'stats', 5000, 'stats');

    const demotedAt = Date.now();
    expect((await first.http.patch(`/api/v1/agents/${admin.id}`).set(bearer(first.adminToken)).send({ roles: ['helpdesk_agent'] })).status).toBe(200);
    const ended = await stream.next((e) => e.event === 'stream.ended', 3000, 'stream.ended');
    expect(ended.data).toEqual({ reason: 'forbidden', at: expect.any(String) });
    await stream.closedByServer(3000);
    expect(Date.now() - demotedAt).toBeLessThan(3000);
  });

  it("ends open live streams at once when their token is revoked or their agent deactivated, whichever process they are on", async () => {
    const admin = await createAgent(first, ['admin_agent']);
    const other = await first.http.post(`/api/v1/agents/${admin.id}/tokens`).set(bearer(admin.token));
    const onSecond = await openStream(second, bearer(admin.token));
    const onFirst = await openStream(first, bearer(other.body.token));
    for (const s of [onSecond, onFirst]) await s.next((e) => e.event === 'stats', 5000, 'stats');

    expect((await first.http.delete(`/api/v1/agents/${admin.id}/tokens/${await tokenIdOf(admin.id)}`).set(bearer(first.adminToken))).status).toBe(200);
    expect((await onSecond.next((e) => e.event === 'stream.ended', 3000, 'stream.ended')).data.reason).toBe('revoked');
    await onSecond.closedByServer(3000);
    // The stream of the agent's other token goes on.
    const before = onFirst.events.length;
    await onFirst.next((e) => e.event === 'stats' && onFirst.events.indexOf(e) >= before, 5000, 'stats after the revocation');
    expect(onFirst.ended).toBe(false);

    expect((await second.http.post(`/api/v1/agents/${admin.id}/deactivate`).set(bearer(first.adminToken))).status).toBe(200);
    expect((await onFirst.next((e) => e.event === 'stream.ended', 3000, 'stream.ended')).data.reason).toBe('revoked');
    await onFirst.closedByServer(3000);
  });

  it('gives a stream ticket the rights its token has when it is used, not those it had when issued', async () => {
    const admin = await createAgent(first, ['admin_agent']);
    const issued = await first.http.post('/api/v1/queues/stream-tokens').set(bearer(admin.token));
    expect(issued.status).toBe(201);
    expect((await first.http.patch(`/api/v1/agents/${admin.id}`).set(bearer(first.adminToken)).send({ roles: ['helpdesk_agent'] })).status).toBe(200);
    const stream = await openStream(second, {}, `?token=${issued.body.token}`);
    expect(stream.status).toBe(403);

    const again = await first.http.patch(`/api/v1/agents/${admin.id}`).set(bearer(first.adminToken)).send({ roles: ['admin_agent'] });
    expect(again.status).toBe(200);
    const revokedTicket = await first.http.post('/api/v1/queues/stream-tokens').set(bearer(admin.token));
    expect((await first.http.delete(`/api/v1/agents/${admin.id}/tokens/${await tokenIdOf(admin.id)}`).set(bearer(first.adminToken))).status).toBe(200);
    const refused = await openStream(second, {}, `?token=${revokedTicket.body.token}`);
    expect(refused.status).toBe(401);
  });

  it('answers a flood of one unknown token from its cache, not the database', async () => {
    const made = `hds_${randomBytes(32).toString('base64url')}`;
    for (let i = 0; i < 20; i++) expect((await second.http.get('/api/v1/tickets').set(bearer(made))).status).toBe(401);
    // The token comes into being behind the API's back (no invalidation): the cached "unknown"
    // still answers, so no query was made for it; it expires after a few seconds.
    const [admin] = await first.dataSource.query(`SELECT id FROM agents ORDER BY created_at LIMIT 1`);
    await first.dataSource.query(`INSERT INTO api_tokens (token_hash, kind, agent_id) VALUES ($1, 'staff', $2)`, [createHash('sha256').update(made).digest('hex'), admin.id]);
    expect((await second.http.get('/api/v1/tickets').set(bearer(made))).status).toBe(401);
    await eventually(async () => (await second.http.get('/api/v1/tickets').set(bearer(made))).status, (s) => s === 200, 10_000, 'the unknown-token cache to expire');
  });

  it('accepts at once, everywhere, a token issued with a hash that was cached as unknown', async () => {
    const chosen = `hds_${randomBytes(32).toString('base64url')}`;
    for (const api of [first, second]) expect((await api.http.get('/api/v1/tickets').set(bearer(chosen))).status).toBe(401);
    await first.app.get(AgentsService).create({ name: 'Chosen', email: `chosen-${randomBytes(3).toString('hex')}@partner.example`, roles: [StaffRole.HelpdeskAgent] }, chosen);
    for (const api of [second, first]) expect((await api.http.get('/api/v1/tickets').set(bearer(chosen))).status).toBe(200);
  });

  it('answers a change only once the other process has applied it, even when that process reads its messages late', async () => {
    const chosen = `hds_${randomBytes(32).toString('base64url')}`;
    for (const api of [first, second]) expect((await api.http.get('/api/v1/tickets').set(bearer(chosen))).status).toBe(401);
    // The other process's subscription falls behind: Redis has handed it the message, it has not read it.
    const subscription = (second.app.get(TokenInvalidationBus) as unknown as { broadcast: { subscriber: { stream: { pause(): void; resume(): void } } } }).broadcast.subscriber.stream;
    subscription.pause();
    let answered = false;
    const issuing = first.app
      .get(AgentsService)
      .create({ name: 'Late', email: `late-${randomBytes(3).toString('hex')}@partner.example`, roles: [StaffRole.HelpdeskAgent] }, chosen)
      .then(() => (answered = true));
    try {
      await eventually(async () => first.dataSource.query(`SELECT 1 FROM api_tokens WHERE token_hash = $1`, [createHash('sha256').update(chosen).digest('hex')]), (rows) => rows.length === 1, 5000, 'the token to be committed');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(answered).toBe(false);
    } finally {
      subscription.resume();
    }
    await issuing;
    expect((await second.http.get('/api/v1/tickets').set(bearer(chosen))).status).toBe(200);
  });
});
