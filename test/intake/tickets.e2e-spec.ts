import { bearer, createAgent, createCustomer, createPlan, startTestApi, TestApi, ticketBody } from '../support';

describe('tickets: intake, idempotency, isolation and listing', () => {
  let api: TestApi;
  let customer: { id: string; token: string };
  let other: { id: string; token: string };
  let agent: { id: string; token: string };
  const count = async (sql: string, params: unknown[] = []) => (await api.dataSource.query(`SELECT count(*)::int AS n FROM ${sql}`, params))[0].n as number;

  beforeAll(async () => {
    api = await startTestApi();
    const plan = await createPlan(api);
    customer = await createCustomer(api, plan.id, 'Contoso');
    other = await createCustomer(api, plan.id, 'Northwind');
    agent = await createAgent(api, ['helpdesk_agent']);
  });
  afterAll(async () => {
    await api.close();
  });

  it('accepts a ticket: 201, the full shape, its created event and its triage hand-off in one go', async () => {
    const res = await api.http
      .post('/api/v1/tickets')
      .set(bearer(agent.token))
      .send(ticketBody(customer.id, { category: 'technical', product: 'microsoft_365', severity: 'P2', channel: 'email' }));
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/api/v1/tickets/${res.body.id}`);
    expect(res.body).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      number: expect.stringMatching(/^HD-\d{6}$/),
      customerId: customer.id,
      subject: 'Cannot sign in to Outlook',
      category: 'technical',
      product: 'microsoft_365',
      severity: 'P2',
      priority: 'P2',
      status: 'new',
      channel: 'email',
      requester: { name: 'Marta López', email: 'marta@contoso.example' },
      assigneeId: null,
      queue: null,
      externalId: null,
    });
    expect(new Date(res.body.createdAt).toISOString()).toBe(res.body.createdAt);
    const events = await api.http.get(`/api/v1/tickets/${res.body.id}/events`).set(bearer(agent.token));
    expect(events.body).toEqual([
      {
        id: expect.any(String),
        type: 'created',
        actor: { kind: 'staff', id: agent.id },
        data: expect.objectContaining({ channel: 'email', priority: 'P2' }),
        at: res.body.createdAt,
      },
    ]);
    const outbox = await api.dataSource.query(`SELECT queue, job_id, payload FROM outbox WHERE job_id = $1`, [res.body.id]);
    expect(outbox).toEqual([{ queue: 'triage', job_id: res.body.id, payload: { ticketId: res.body.id } }]);
  });

  it('numbers tickets HD-000001 upward, unique', async () => {
    const a = await api.http.post('/api/v1/tickets').set(bearer(agent.token)).send(ticketBody(customer.id));
    const b = await api.http.post('/api/v1/tickets').set(bearer(agent.token)).send(ticketBody(customer.id));
    const n = (s: string) => Number(s.slice(3));
    expect(n(b.body.number)).toBe(n(a.body.number) + 1);
  });

  it('defaults: a customer token files for its own customer on the portal with priority P3', async () => {
    const res = await api.http.post('/api/v1/tickets').set(bearer(customer.token)).send(ticketBody(undefined));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ customerId: customer.id, channel: 'portal', priority: 'P3', severity: null, category: null });
    const events = await api.dataSource.query(`SELECT actor_kind, actor_id FROM ticket_events WHERE ticket_id = $1`, [res.body.id]);
    expect(events).toEqual([{ actor_kind: 'customer', actor_id: customer.id }]);
  });

  it('never lets a customer token file for another customer', async () => {
    const before = await count('tickets');
    const res = await api.http.post('/api/v1/tickets').set(bearer(customer.token)).send(ticketBody(other.id));
    expect(res.status).toBe(403);
    expect(res.body.errors[0].field).toBe('customerId');
    expect(await count('tickets')).toBe(before);
  });

  it.each([
    ['subject missing', { subject: undefined }, 'subject'],
    ['subject empty', { subject: '' }, 'subject'],
    ['subject blank', { subject: '   ' }, 'subject'],
    ['subject too long', { subject: 'x'.repeat(201) }, 'subject'],
    ['description too long', { description: 'x'.repeat(20001) }, 'description'],
    ['category', { category: 'sales' }, 'category'],
    ['product', { product: 'aws' }, 'product'],
    ['severity', { severity: 'P0' }, 'severity'],
    ['channel', { channel: 'fax' }, 'channel'],
    ['requester missing', { requester: undefined }, 'requester'],
    ['requester email', { requester: { name: 'A', email: 'nope' } }, 'requester.email'],
    ['requester name', { requester: { name: '', email: 'a@b.example' } }, 'requester.name'],
    ['externalId empty', { externalId: '' }, 'externalId'],
    ['externalId too long', { externalId: 'x'.repeat(201) }, 'externalId'],
    ['customerId not a uuid', { customerId: 'contoso' }, 'customerId'],
    ['unknown field', { assignee: 'me' }, 'assignee'],
  ])('rejects %s with 400 naming %s and stores nothing', async (_c, override, field) => {
    const before = await count('tickets');
    const res = await api.http.post('/api/v1/tickets').set(bearer(agent.token)).send(ticketBody(customer.id, override));
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await count('tickets')).toBe(before);
  });

  it('needs a customerId from staff and a real customer', async () => {
    const missing = await api.http.post('/api/v1/tickets').set(bearer(agent.token)).send(ticketBody(undefined));
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([{ field: 'customerId', message: 'customerId is required for staff tokens', code: 'invalid', params: {} }]);
    const unknown = await api.http.post('/api/v1/tickets').set(bearer(agent.token)).send(ticketBody('00000000-0000-4000-8000-000000000000'));
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].field).toBe('customerId');
  });

  it('is idempotent on customerId + externalId, also under 20 concurrent repeats', async () => {
    const externalId = `mail-${Date.now()}`;
    const body = ticketBody(customer.id, { externalId });
    const results = await Promise.all(Array.from({ length: 20 }, () => api.http.post('/api/v1/tickets').set(bearer(agent.token)).send(body)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(19);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(await count(`tickets WHERE external_id = $1`, [externalId])).toBe(1);
    expect(await count(`ticket_events WHERE ticket_id = $1`, [results[0].body.id])).toBe(1);
    expect(await count(`outbox WHERE job_id = $1`, [results[0].body.id])).toBe(1);
    // The same externalId for another customer is another ticket.
    const otherRes = await api.http.post('/api/v1/tickets').set(bearer(agent.token)).send({ ...body, customerId: other.id });
    expect(otherRes.status).toBe(201);
  });

  it('is idempotent on the Idempotency-Key of the same caller, also under 20 concurrent repeats', async () => {
    const key = `key-${Date.now()}`;
    const body = ticketBody(customer.id, { subject: 'Idempotent' });
    const results = await Promise.all(
      Array.from({ length: 20 }, () => api.http.post('/api/v1/tickets').set(bearer(agent.token)).set('Idempotency-Key', key).send(body)),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 200)).toHaveLength(19);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(await count(`tickets WHERE subject = 'Idempotent'`)).toBe(1);

    // Same key, different body: 422, nothing written.
    const mismatch = await api.http.post('/api/v1/tickets').set(bearer(agent.token)).set('Idempotency-Key', key).send({ ...body, subject: 'Changed' });
    expect(mismatch.status).toBe(422);
    expect(mismatch.body.errors[0].field).toBe('Idempotency-Key');
    expect(await count(`tickets WHERE subject = 'Changed'`)).toBe(0);

    // Another caller may use the same key for its own request.
    const admin = await api.http.post('/api/v1/tickets').set(bearer(api.adminToken)).set('Idempotency-Key', key).send(body);
    expect(admin.status).toBe(201);
    expect(admin.body.id).not.toBe(results[0].body.id);
  });

  it('hides other customers\' tickets from a customer token (404), and shows staff everything', async () => {
    const mine = await api.http.post('/api/v1/tickets').set(bearer(customer.token)).send(ticketBody(undefined, { subject: 'Mine' }));
    const theirs = await api.http.post('/api/v1/tickets').set(bearer(other.token)).send(ticketBody(undefined, { subject: 'Theirs' }));
    expect((await api.http.get(`/api/v1/tickets/${mine.body.id}`).set(bearer(customer.token))).status).toBe(200);
    const hidden = await api.http.get(`/api/v1/tickets/${theirs.body.id}`).set(bearer(customer.token));
    expect(hidden.status).toBe(404);
    expect((await api.http.get(`/api/v1/tickets/${theirs.body.id}/comments`).set(bearer(customer.token))).status).toBe(404);
    expect((await api.http.post(`/api/v1/tickets/${theirs.body.id}/comments`).set(bearer(customer.token)).send({ body: 'hi', visibility: 'public' })).status).toBe(404);
    expect((await api.http.get(`/api/v1/tickets/${theirs.body.id}`).set(bearer(agent.token))).status).toBe(200);
    const list = await api.http.get('/api/v1/tickets?limit=200').set(bearer(customer.token));
    expect(list.status).toBe(200);
    expect(list.body.items.length).toBeGreaterThan(0);
    expect(list.body.items.every((t: { customerId: string }) => t.customerId === customer.id)).toBe(true);
    expect((await api.http.get(`/api/v1/tickets?customerId=${other.id}`).set(bearer(customer.token))).status).toBe(403);
    // Customers may not change tickets; they read only the public part of their own timelines (test/people/customer-view).
    expect((await api.http.patch(`/api/v1/tickets/${mine.body.id}`).set(bearer(customer.token)).send({ priority: 'P1' })).status).toBe(403);
    expect((await api.http.get(`/api/v1/tickets/${theirs.body.id}/events`).set(bearer(customer.token))).status).toBe(404);
  });

  it('404s unknown and malformed ticket ids', async () => {
    expect((await api.http.get('/api/v1/tickets/00000000-0000-4000-8000-000000000000').set(bearer(agent.token))).status).toBe(404);
    expect((await api.http.get('/api/v1/tickets/HD-000001').set(bearer(agent.token))).status).toBe(404);
    expect((await api.http.patch('/api/v1/tickets/00000000-0000-4000-8000-000000000000').set(bearer(agent.token)).send({ priority: 'P1' })).status).toBe(404);
    expect((await api.http.get('/api/v1/tickets/00000000-0000-4000-8000-000000000000/events').set(bearer(agent.token))).status).toBe(404);
  });

  it('lists newest first with filters and keyset pagination that is stable under inserts', async () => {
    const plan = await createPlan(api);
    const fresh = await createCustomer(api, plan.id, 'Paginated');
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const r = await api.http.post('/api/v1/tickets').set(bearer(agent.token)).send(ticketBody(fresh.id, { subject: `T${i}`, severity: i % 2 ? 'P1' : 'P4' }));
      ids.push(r.body.id);
    }
    const page1 = await api.http.get(`/api/v1/tickets?customerId=${fresh.id}&limit=3`).set(bearer(agent.token));
    expect(page1.status).toBe(200);
    expect(page1.body.items.map((t: { subject: string }) => t.subject)).toEqual(['T6', 'T5', 'T4']);
    expect(page1.body.nextCursor).toEqual(expect.any(String));
    // A ticket arriving between pages does not shift the next page.
    await api.http.post('/api/v1/tickets').set(bearer(agent.token)).send(ticketBody(fresh.id, { subject: 'T7' }));
    const page2 = await api.http.get(`/api/v1/tickets?customerId=${fresh.id}&limit=3&cursor=${page1.body.nextCursor}`).set(bearer(agent.token));
    expect(page2.body.items.map((t: { subject: string }) => t.subject)).toEqual(['T3', 'T2', 'T1']);
    const page3 = await api.http.get(`/api/v1/tickets?customerId=${fresh.id}&limit=3&cursor=${page2.body.nextCursor}`).set(bearer(agent.token));
    expect(page3.body.items.map((t: { subject: string }) => t.subject)).toEqual(['T0']);
    expect(page3.body.nextCursor).toBeNull();

    const p1 = await api.http.get(`/api/v1/tickets?customerId=${fresh.id}&priority=P1&status=new`).set(bearer(agent.token));
    expect(p1.body.items.map((t: { subject: string }) => t.subject)).toEqual(['T5', 'T3', 'T1']);
    const none = await api.http.get(`/api/v1/tickets?customerId=${fresh.id}&queue=billing`).set(bearer(agent.token));
    expect(none.body).toEqual({ items: [], nextCursor: null });
  });

  it('lists one queue newest first, page after page, also a small queue among big ones (its own statement shape)', async () => {
    const plan = await createPlan(api);
    const fresh = await createCustomer(api, plan.id, 'Queued');
    const small = `small-${Date.now()}`;
    const big = `big-${Date.now()}`;
    const inSmall: string[] = [];
    for (let i = 0; i < 12; i++) {
      const r = await api.http.post('/api/v1/tickets').set(bearer(agent.token)).send(ticketBody(fresh.id, { subject: `Q${i}` }));
      expect(r.status).toBe(201);
      // Every fourth ticket is the small queue's.
      await api.dataSource.query(`UPDATE tickets SET queue = $2 WHERE id = $1`, [r.body.id, i % 4 === 1 ? small : big]);
      if (i % 4 === 1) inSmall.unshift(`Q${i}`);
    }
    const subjects = (res: { body: { items: Array<{ subject: string; queue: string }> } }) => res.body.items.map((t) => t.subject);
    const page1 = await api.http.get(`/api/v1/tickets?queue=${small}&limit=2`).set(bearer(agent.token));
    expect(page1.status).toBe(200);
    expect(subjects(page1)).toEqual(inSmall.slice(0, 2));
    expect(page1.body.items.every((t: { queue: string }) => t.queue === small)).toBe(true);
    const page2 = await api.http.get(`/api/v1/tickets?queue=${small}&limit=2&cursor=${page1.body.nextCursor}`).set(bearer(agent.token));
    expect(subjects(page2)).toEqual(inSmall.slice(2, 3));
    expect(page2.body.nextCursor).toBeNull();

    const bigAll = await api.http.get(`/api/v1/tickets?queue=${big}&limit=50`).set(bearer(agent.token));
    expect(subjects(bigAll)).toEqual(['Q11', 'Q10', 'Q8', 'Q7', 'Q6', 'Q4', 'Q3', 'Q2', 'Q0']);
    // With a status too (another statement shape), the same tickets in the same order.
    const withStatus = await api.http.get(`/api/v1/tickets?queue=${small}&status=new`).set(bearer(agent.token));
    expect(subjects(withStatus)).toEqual(inSmall);
    // A cursor of another sort is refused, as before.
    const wrongSort = await api.http.get(`/api/v1/tickets?queue=${small}&sort=-updated&cursor=${page1.body.nextCursor}`).set(bearer(agent.token));
    expect(wrongSort.status).toBe(400);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=201', 'limit'],
    ['limit=abc', 'limit'],
    ['status=open', 'status'],
    ['priority=P9', 'priority'],
    ['cursor=garbage', 'cursor'],
    ['customerId=42', 'customerId'],
    ['sort=asc', 'sort'],
  ])('rejects the list query %s naming %s', async (query, field) => {
    const res = await api.http.get(`/api/v1/tickets?${query}`).set(bearer(agent.token));
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('lists items with an excerpt of the description, not all of it, and every other field as the ticket itself has it', async () => {
    const plan = await createPlan(api);
    const fresh = await createCustomer(api, plan.id, 'Excerpts');
    // The reference: whitespace runs one space, trimmed, the first 160 code points (Array.from: by code point), no space at the end.
    const excerpt = (description: string) => Array.from(description.replace(/\s+/g, ' ').trim()).slice(0, 160).join('').trimEnd();
    const descriptions = {
      short: '  Outlook\n\n   no arranca\t\thoy  ',
      // An emoji (two UTF-16 units) as the 160th character: kept whole, not cut in half.
      emoji: `${'a'.repeat(159)}😀${' b'.repeat(300)}`,
      // Two- and three-byte UTF-8 characters (a list reads 320 characters, not bytes), and a 160th character that is a space.
      accents: `${'ñandú é '.repeat(20)}${'日本語のテキスト'.repeat(40)}`,
      // No-break and ideographic spaces are whitespace too.
      spaces: 'Factura\u00a0\u00a0duplicada\u3000en\u2003marzo',
      // The start a list reads (320 characters) is nearly all line breaks: the rest of the description is read for the excerpt.
      breaks: `Inicio${'\r\n'.repeat(400)}${'x'.repeat(30)} ${'y'.repeat(200)}`,
      exact: 'z'.repeat(160),
    };
    const ids = new Map<string, string>();
    for (const [name, description] of Object.entries(descriptions)) {
      const res = await api.http.post('/api/v1/tickets').set(bearer(fresh.token)).send(ticketBody(undefined, { subject: name, description }));
      expect(res.status).toBe(201);
      ids.set(res.body.id, description);
    }
    // Every column a view reads set (no worker triages here): a list that did not select one would show it empty.
    await api.dataSource.query(
      `UPDATE tickets SET triaged_at = now(), diagnosis = '{"inScope": true, "summary": "Known issue", "runbookUrl": null, "suggestions": []}',
              in_scope = true, priority_suggestion = '{"priority": "P2", "reason": "outage words"}', first_response_due_at = now() + interval '1 hour',
              first_response_warn_at = now() + interval '45 minutes', resolution_due_at = now() + interval '1 day', resolution_warn_at = now() + interval '18 hours',
              sla_paused_since = now() - interval '1 minute', sla_first_response_breached = true, sla_resolution_breached = true, resolved_at = now(),
              first_responded_at = now(), tags = '{vip}', queue = 'billing', assignee_id = $2, external_id = 'ext-' || number, disputed_invoice = 'INV-1'
        WHERE id = ANY ($1::uuid[])`,
      [[...ids.keys()], agent.id],
    );
    expect(excerpt(descriptions.short)).toBe('Outlook no arranca hoy');
    expect(excerpt(descriptions.emoji)).toBe(`${'a'.repeat(159)}😀`);
    expect(excerpt(descriptions.spaces)).toBe('Factura duplicada en marzo');
    expect(excerpt(descriptions.breaks)).toBe(`Inicio ${'x'.repeat(30)} ${'y'.repeat(122)}`);
    expect(excerpt(descriptions.accents)).toBe('ñandú é '.repeat(20).trimEnd());

    for (const who of [agent.token, fresh.token]) {
      // Every list path: the default sort, a segment sort, a search (ranked: its rows are read by id).
      for (const query of [`customerId=${fresh.id}&limit=50`, `customerId=${fresh.id}&sort=-updated&limit=50`, `customerId=${fresh.id}&q=Outlook`]) {
        const list = await api.http.get(`/api/v1/tickets?${query}`).set(bearer(who));
        expect(list.status).toBe(200);
        const items: Array<Record<string, unknown> & { id: string }> = list.body.items;
        expect(items.length).toBe(query.includes('q=') ? 1 : ids.size);
        for (const item of items) {
          expect(item).not.toHaveProperty('description');
          expect(item.excerpt).toBe(excerpt(ids.get(item.id)!));
          expect(Array.from(item.excerpt as string).length).toBeLessThanOrEqual(160);
          // The same ticket by its own route, as this caller sees it: the same fields (SLA, triage, billing for staff; the customer's own view for a customer).
          const one = await api.http.get(`/api/v1/tickets/${item.id}`).set(bearer(who));
          const { description, ...fields } = one.body;
          expect(description).toBe(ids.get(item.id));
          expect(item).toEqual({ ...fields, excerpt: item.excerpt });
        }
        if (who === fresh.token) for (const item of items) for (const staffOnly of ['assigneeId', 'queue', 'diagnosis', 'billing', 'channelNotInPlan']) expect(item).not.toHaveProperty(staffOnly);
      }
    }
    // Another customer's list does not show them, excerpts or not.
    const theirs = await api.http.get('/api/v1/tickets?limit=200').set(bearer(other.token));
    expect(theirs.body.items.some((item: { id: string }) => ids.has(item.id))).toBe(false);
  });

  it('keeps sales read-only on tickets', async () => {
    const sales = await createAgent(api, ['sales_agent']);
    expect((await api.http.get('/api/v1/tickets').set(bearer(sales.token))).status).toBe(200);
    expect((await api.http.post('/api/v1/tickets').set(bearer(sales.token)).send(ticketBody(customer.id))).status).toBe(403);
  });
});
