import { bearer, createAgent, createCustomer, createPlan, startTestApi, TestApi, ticketBody } from '../support';

/**
 * GET /tickets?q=… over ticket numbers far apart: the search walks number ranges newest first, the
 * wide ones (10^4 … 10^6 numbers) read by sub-ranges while nothing is found yet, and with a ticket
 * filter (customer, status) one scan each. Whatever the path, a page holds exactly the matches the
 * filters allow, best ranked first (ts_rank of the document read, subject above description above
 * comments), equal ranks newest first: checked against one plain statement over every match.
 */
describe('ticket search across far apart ticket numbers', () => {
  let api: TestApi;
  let contoso: { id: string; token: string };
  let northwind: { id: string; token: string };
  let agent: { id: string; token: string };
  const ids: Record<string, string> = {};

  const file = async (key: string, customerId: string, subject: string, description: string, status?: string) => {
    const res = await api.http.post('/api/v1/tickets').set(bearer(agent.token)).send(ticketBody(customerId, { subject, description }));
    expect(res.status).toBe(201);
    ids[key] = res.body.id;
    for (const s of status === 'resolved' ? ['triaged', 'in_progress', 'resolved'] : status === 'in_progress' ? ['triaged', 'in_progress'] : []) {
      expect((await api.http.patch(`/api/v1/tickets/${res.body.id}`).set(bearer(agent.token)).send({ status: s })).status).toBe(200);
    }
  };
  const comment = async (key: string, body: string, visibility: 'public' | 'internal') => {
    expect((await api.http.post(`/api/v1/tickets/${ids[key]}/comments`).set(bearer(agent.token)).send({ body, visibility })).status).toBe(201);
  };
  /** The next ticket filed gets this number. */
  const jumpTo = (number: number) => api.dataSource.query(`SELECT setval('ticket_number_seq', $1, false)`, [number]);
  const search = async (query: Record<string, string | string[]>, token = agent.token) => {
    const res = await api.http.get('/api/v1/tickets').query(query).set(bearer(token));
    expect(res.status).toBe(200);
    return (res.body as { items: Array<{ id: string }> }).items.map((t) => t.id);
  };
  /** Every match in one statement, in the order the search promises (fewer matches than a window). */
  const expected = async (q: string, doc: 'staff_doc' | 'public_doc', filter: { customerId?: string; status?: string[] } = {}) => {
    const rows: Array<{ id: string }> = await api.dataSource.query(
      `SELECT t.id FROM tickets t JOIN ticket_search s ON s.ticket_id = t.id
        WHERE s.${doc} @@ ticket_search_query($1)
          AND ($2::uuid IS NULL OR t.customer_id = $2) AND ($3::text[] IS NULL OR t.status = ANY ($3))
        ORDER BY ts_rank(s.${doc}, ticket_search_query($1), 1) DESC, t.number DESC`,
      [q, filter.customerId ?? null, filter.status ?? null],
    );
    return rows.map((r) => r.id);
  };
  const keysOf = (found: string[]) => found.map((id) => Object.keys(ids).find((k) => ids[k] === id) ?? id);

  beforeAll(async () => {
    api = await startTestApi();
    const plan = await createPlan(api);
    contoso = await createCustomer(api, plan.id, 'Contoso');
    northwind = await createCustomer(api, plan.id, 'Northwind');
    agent = await createAgent(api, ['helpdesk_agent']);
    await file('old-subject', contoso.id, 'Wombat in the server room', 'It chewed a cable.', 'resolved');
    await file('old-other', northwind.id, 'Printer offline', 'Nothing about animals.');
    await jumpTo(23_456);
    await file('mid-description', northwind.id, 'Cable damage', 'A wombat chewed the fibre between the racks.', 'in_progress');
    await file('mid-comment', contoso.id, 'Rack 12 offline', 'The rack lost power at night.');
    await comment('mid-comment', 'The wombat is back, and a koala too.', 'public');
    await jumpTo(187_654);
    await file('two-words', contoso.id, 'Wombat and koala sighting', 'Both near the loading dock.', 'in_progress');
    await file('internal', northwind.id, 'Door sensor alarm', 'The alarm goes off at night.');
    await comment('internal', 'Internal: the wombat set the alarm off again.', 'internal');
    await jumpTo(1_203_001);
    await file('new-subject', northwind.id, 'Wombat tracks on the roof', 'Seen by the cleaning crew.');
    // The newest tickets lack the word: the walk's first steps find nothing.
    await jumpTo(1_204_500);
    for (let i = 0; i < 3; i++) await file(`newest-${i}`, contoso.id, 'Password reset', 'Please reset the password.');
  }, 180_000);
  afterAll(async () => {
    await api.close();
  });

  it('staff: every match, best ranked first, equal ranks newest first', async () => {
    const found = await search({ q: 'wombat' });
    expect(found).toEqual(await expected('wombat', 'staff_doc'));
    expect(keysOf(found).sort()).toEqual(['internal', 'mid-comment', 'mid-description', 'new-subject', 'old-subject', 'two-words']);
    // Subject matches above the description's, above the comments'.
    const at = (key: string) => keysOf(found).indexOf(key);
    expect(Math.max(at('new-subject'), at('old-subject'))).toBeLessThan(at('mid-description'));
    expect(at('mid-description')).toBeLessThan(Math.min(at('mid-comment'), at('internal')));
  });

  it('two words: only the tickets with both', async () => {
    const found = await search({ q: 'wombat koala' });
    expect(found).toEqual(await expected('wombat koala', 'staff_doc'));
    expect(keysOf(found)).toEqual(['two-words', 'mid-comment']);
  });

  it.each([
    ['a customer', { customerId: 'northwind' }],
    ['an open status', { status: ['in_progress'] }],
    ['a closed status', { status: ['resolved'] }],
    ['a customer and a status', { customerId: 'contoso', status: ['in_progress'] }],
  ])('staff with %s: only the matches the filter allows, in the same order', async (_label, filter: { customerId?: string; status?: string[] }) => {
    const customerId = filter.customerId === undefined ? undefined : { contoso: contoso.id, northwind: northwind.id }[filter.customerId];
    const query = { q: 'wombat', ...(customerId ? { customerId } : {}), ...(filter.status ? { status: filter.status } : {}) };
    const found = await search(query);
    expect(found.length).toBeGreaterThan(0);
    expect(found).toEqual(await expected('wombat', 'staff_doc', { customerId, status: filter.status }));
  });

  it('a customer finds only its own tickets, and not words of internal comments', async () => {
    const contosoFound = await search({ q: 'wombat' }, contoso.token);
    expect(contosoFound).toEqual(await expected('wombat', 'public_doc', { customerId: contoso.id }));
    expect(keysOf(contosoFound).sort()).toEqual(['mid-comment', 'old-subject', 'two-words']);
    const northwindFound = await search({ q: 'wombat' }, northwind.token);
    expect(northwindFound).toEqual(await expected('wombat', 'public_doc', { customerId: northwind.id }));
    // Northwind's internal comment holds the word: not found by Northwind.
    expect(keysOf(northwindFound).sort()).toEqual(['mid-description', 'new-subject']);
    expect(await search({ q: 'wombat', status: ['in_progress'] }, northwind.token)).toEqual([ids['mid-description']]);
    expect(await search({ q: 'alarm' }, contoso.token)).toEqual([]);
  });

  it('pages of one: the same order, each match once', async () => {
    const all = await expected('wombat', 'staff_doc');
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: { items: Array<{ id: string }>; nextCursor: string | null } } = await api.http.get('/api/v1/tickets').query({ q: 'wombat', limit: '1', ...(cursor ? { cursor } : {}) }).set(bearer(agent.token));
      expect(res.status).toBe(200);
      seen.push(...(res.body.items as Array<{ id: string }>).map((t) => t.id));
      cursor = res.body.nextCursor;
    } while (cursor && seen.length <= all.length);
    expect(seen).toEqual(all);
  });

  it.each([
    ['an open status with few matches far apart', ['in_progress'], 2],
    ['two open statuses', ['new', 'in_progress'], 5],
    ['a closed status', ['resolved'], 1],
  ])('%s: pages of one go through exactly its matches, in order, each once', async (_label, status: string[], count: number) => {
    const all = await expected('wombat', 'staff_doc', { status });
    expect(all).toHaveLength(count);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: { items: Array<{ id: string; status: string }>; nextCursor: string | null } } = await api.http
        .get('/api/v1/tickets')
        .query({ q: 'wombat', status, limit: '1', ...(cursor ? { cursor } : {}) })
        .set(bearer(agent.token));
      expect(res.status).toBe(200);
      for (const t of res.body.items) expect(status).toContain(t.status);
      seen.push(...res.body.items.map((t) => t.id));
      cursor = res.body.nextCursor;
    } while (cursor && seen.length <= all.length);
    expect(seen).toEqual(all);
  });

  it('a status none of the matches is in: no tickets, no cursor', async () => {
    const res = await api.http.get('/api/v1/tickets').query({ q: 'wombat', status: ['escalated'] }).set(bearer(agent.token));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ items: [], nextCursor: null });
  });
  it("a status change moves the ticket between the open statuses' searches (open_ticket_statuses, kept in the write's transaction)", async () => {
    await file('moving', contoso.id, 'Wombat in the lift shaft', 'Stuck between floors.');
    const kept = async () =>
      (await api.dataSource.query(`SELECT o.status FROM open_ticket_statuses o JOIN tickets t ON t.number = o.number WHERE t.id = $1`, [ids['moving']])) as Array<{ status: string }>;
    const openStatuses = ['new', 'triaged', 'in_progress', 'waiting_on_customer', 'escalated'];
    const foundUnder = async () => {
      const under: string[] = [];
      for (const status of [...openStatuses, 'resolved']) {
        const found = await search({ q: 'wombat', status: [status] });
        expect(found).toEqual(await expected('wombat', 'staff_doc', { status: [status] }));
        if (found.includes(ids['moving'])) under.push(status);
      }
      return under;
    };
    const [{ status: filed }] = (await api.dataSource.query(`SELECT status FROM tickets WHERE id = $1`, [ids['moving']])) as Array<{ status: string }>;
    expect(await kept()).toEqual([{ status: filed }]);
    expect(await foundUnder()).toEqual([filed]);
    const path = filed === 'new' ? ['triaged', 'in_progress', 'waiting_on_customer'] : ['in_progress', 'waiting_on_customer'];
    for (const status of path) {
      expect((await api.http.patch(`/api/v1/tickets/${ids['moving']}`).set(bearer(agent.token)).send({ status })).status).toBe(200);
      expect(await kept()).toEqual([{ status }]);
      expect(await foundUnder()).toEqual([status]);
    }
    // Resolved: under no open status (its row gone), then reopened.
    expect((await api.http.patch(`/api/v1/tickets/${ids['moving']}`).set(bearer(agent.token)).send({ status: 'resolved' })).status).toBe(200);
    expect(await kept()).toEqual([]);
    expect(await foundUnder()).toEqual(['resolved']);
    expect((await api.http.patch(`/api/v1/tickets/${ids['moving']}`).set(bearer(agent.token)).send({ status: 'in_progress' })).status).toBe(200);
    expect(await foundUnder()).toEqual(['in_progress']);
    // A refused change (in_progress → closed) changes nothing.
    expect((await api.http.patch(`/api/v1/tickets/${ids['moving']}`).set(bearer(agent.token)).send({ status: 'closed' })).status).toBe(409);
    expect(await kept()).toEqual([{ status: 'in_progress' }]);
    // Every open ticket, and only those, with its status.
    const [{ differ }] = (await api.dataSource.query(
      `SELECT count(*)::int AS differ FROM (
         (SELECT number, status FROM tickets WHERE status NOT IN ('resolved', 'closed') EXCEPT SELECT number, status FROM open_ticket_statuses)
         UNION ALL (SELECT number, status FROM open_ticket_statuses EXCEPT SELECT number, status FROM tickets WHERE status NOT IN ('resolved', 'closed'))) d`,
    )) as Array<{ differ: number }>;
    expect(differ).toBe(0);
  });
});
