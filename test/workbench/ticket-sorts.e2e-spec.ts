import { bearer, createAgent, createCustomer, createPlan, startTestApi, TestApi, ticketBody } from '../support';

/** GET /tickets sorts with keyset cursors, and the list filters (tags, several statuses, me / none). */
describe('ticket sorts and filters', () => {
  let api: TestApi;
  let customer: { id: string; token: string };
  let other: { id: string; token: string };
  let agent: { id: string; token: string };
  const byKey: Record<string, { id: string; number: string }> = {};

  const file = async (key: string, customerId = customer.id) => {
    const res = await api.http.post('/api/v1/tickets').set(bearer(agent.token)).send(ticketBody(customerId, { subject: `Ticket ${key}` }));
    expect(res.status).toBe(201);
    byKey[key] = res.body;
  };
  /** Test set-up of what triage and the SLA clock would have written. */
  const set = (key: string, columns: Record<string, unknown>) => {
    const names = Object.keys(columns);
    return api.dataSource.query(`UPDATE tickets SET ${names.map((c, i) => `${c} = $${i + 2}`).join(', ')} WHERE id = $1`, [byKey[key].id, ...names.map((c) => columns[c])]);
  };
  const keyOf = (id: string) => Object.keys(byKey).find((k) => byKey[k].id === id) ?? id;
  /** Every page of a list, following nextCursor. */
  const all = async (query: Record<string, string | string[]>, token = agent.token, limit = 2) => {
    const keys: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: { items: Array<{ id: string }>; nextCursor: string | null } } = await api.http.get('/api/v1/tickets').query({ ...query, limit: String(limit), ...(cursor ? { cursor } : {}) }).set(bearer(token));
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(limit);
      keys.push(...res.body.items.map((t: { id: string }) => keyOf(t.id)));
      cursor = res.body.nextCursor;
    } while (cursor);
    return keys;
  };
  const inMinutes = (m: number) => new Date(Date.now() + m * 60_000);

  beforeAll(async () => {
    api = await startTestApi();
    const plan = await createPlan(api);
    customer = await createCustomer(api, plan.id);
    other = await createCustomer(api, plan.id);
    agent = await createAgent(api, ['helpdesk_agent']);
    for (const key of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']) await file(key);
    await file('x', other.id);
    // a, b, c, d: running clocks (b and c due at the same instant); e: paused; f: resolved; g, h: no clock yet.
    const tie = inMinutes(90);
    await set('a', { status: 'in_progress', priority: 'P3', resolution_due_at: inMinutes(30) });
    await set('b', { status: 'triaged', priority: 'P2', resolution_due_at: tie });
    await set('c', { status: 'escalated', priority: 'P2', resolution_due_at: tie });
    await set('d', { status: 'in_progress', priority: 'P1', resolution_due_at: inMinutes(600) });
    await set('e', { status: 'waiting_on_customer', priority: 'P1', resolution_due_at: inMinutes(5), sla_paused_since: new Date() });
    await set('f', { status: 'resolved', priority: 'P2', resolution_due_at: inMinutes(1) });
    await set('g', { priority: 'P1' });
    await set('x', { status: 'in_progress', resolution_due_at: inMinutes(2) });
  });
  afterAll(async () => {
    await api.close();
  });

  it('newest first by default, in pages', async () => {
    expect(await all({ customerId: customer.id })).toEqual(['h', 'g', 'f', 'e', 'd', 'c', 'b', 'a']);
  });

  it('due: running resolution clocks soonest first (ties by number), then every other ticket newest first', async () => {
    expect(await all({ customerId: customer.id, sort: 'due' })).toEqual(['a', 'b', 'c', 'd', 'h', 'g', 'f', 'e']);
    expect(await all({ customerId: customer.id, sort: 'due' }, agent.token, 3)).toEqual(['a', 'b', 'c', 'd', 'h', 'g', 'f', 'e']);
  });

  it('priority: P1 first, each priority by due, then its tickets without a running clock newest first', async () => {
    expect(await all({ customerId: customer.id, sort: 'priority' })).toEqual(['d', 'g', 'e', 'b', 'c', 'f', 'a', 'h']);
  });

  it('-updated: last changed first, ties newest first', async () => {
    const at = new Date(Date.now() + 3_600_000);
    for (const key of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']) await set(key, { updated_at: at });
    await set('c', { updated_at: new Date(at.getTime() + 1) });
    await set('f', { updated_at: new Date(at.getTime() - 1000) });
    expect(await all({ customerId: customer.id, sort: '-updated' })).toEqual(['c', 'h', 'g', 'e', 'd', 'b', 'a', 'f']);
  });

  it('a sort combines with the filters', async () => {
    expect(await all({ customerId: customer.id, sort: 'due', status: ['in_progress', 'escalated'] })).toEqual(['a', 'c', 'd']);
    expect(await all({ customerId: customer.id, sort: 'priority', priority: ['P1', 'P3'] })).toEqual(['d', 'g', 'e', 'a', 'h']);
  });

  it('customers sort their own tickets only', async () => {
    expect(await all({ sort: 'due' }, other.token)).toEqual(['x']);
    expect(await all({ sort: 'due' }, customer.token)).toEqual(['a', 'b', 'c', 'd', 'h', 'g', 'f', 'e']);
  });

  it('assigneeId me and none', async () => {
    await set('a', { assignee_id: agent.id });
    expect(await all({ customerId: customer.id, assigneeId: 'me' })).toEqual(['a']);
    expect(await all({ customerId: customer.id, assigneeId: agent.id.toUpperCase() })).toEqual(['a']);
    expect(await all({ customerId: customer.id, assigneeId: 'none' })).toEqual(['h', 'g', 'f', 'e', 'd', 'c', 'b']);
  });

  it('tags: tickets with all of the tags asked for, trimmed and lower-cased', async () => {
    await set('a', { tags: ['vip', 'outage'] });
    await set('b', { tags: ['vip'] });
    await set('c', { tags: ['outage', 'vip', 'billing'] });
    expect(await all({ customerId: customer.id, tag: 'vip' })).toEqual(['c', 'b', 'a']);
    expect(await all({ customerId: customer.id, tag: ['vip', 'outage'] })).toEqual(['c', 'a']);
    expect(await all({ customerId: customer.id, tag: [' VIP ', 'Outage'] })).toEqual(['c', 'a']);
    expect(await all({ customerId: customer.id, tag: ['vip', 'nope'] })).toEqual([]);
  });

  it.each([
    ['an unknown sort', { sort: 'oldest' }, 'sort'],
    ['a tag of 41 characters', { tag: 'x'.repeat(41) }, 'tag'],
    ['an empty tag', { tag: '  ' }, 'tag'],
    ['21 tags', { tag: Array.from({ length: 21 }, (_v, i) => `t${i}`) }, 'tag'],
    ['an unknown status among several', { status: ['new', 'lost'] }, 'status'],
    ['an unknown priority', { priority: 'P0' }, 'priority'],
    ['an assignee that is not an id', { assigneeId: 'bob' }, 'assigneeId'],
    ['a cursor that is not one', { cursor: 'abc' }, 'cursor'],
    ['a limit of 0', { limit: '0' }, 'limit'],
  ])('400 naming the field for %s', async (_c, query, field) => {
    const res = await api.http.get('/api/v1/tickets').query(query).set(bearer(agent.token));
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('a cursor belongs to its sort, and an edited cursor is a 400 naming cursor', async () => {
    const first = await api.http.get('/api/v1/tickets').query({ customerId: customer.id, sort: 'due', limit: '2' }).set(bearer(agent.token));
    const cursor: string = first.body.nextCursor;
    const [body, mac] = cursor.split('.');
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString());
    const forged = `${Buffer.from(JSON.stringify({ ...payload, g: 1 })).toString('base64url')}.${mac}`;
    const legacy = Buffer.from(JSON.stringify({ n: '5' })).toString('base64url');
    for (const query of [
      { sort: '-updated', cursor },
      { sort: 'priority', cursor },
      { sort: 'due', cursor: forged },
      { sort: 'due', cursor: `${cursor}x` },
      { cursor: legacy },
    ]) {
      const res = await api.http.get('/api/v1/tickets').query({ customerId: customer.id, ...query }).set(bearer(agent.token));
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'cursor', message: expect.any(String), code: 'invalid', params: {} }]);
    }
    const next = await api.http.get('/api/v1/tickets').query({ customerId: customer.id, sort: 'due', limit: '2', cursor }).set(bearer(agent.token));
    expect(next.status).toBe(200);
    expect(next.body.items.map((t: { id: string }) => keyOf(t.id))).toEqual(['c', 'd']);
  });
});
