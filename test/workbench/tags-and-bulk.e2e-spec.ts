import { randomUUID } from 'node:crypto';
import { bearer, createAgent, createCustomer, createPlan, startTestApi, TestApi, ticketBody } from '../support';

type Event = { type: string; actor: { kind: string; id: string | null }; data: Record<string, unknown> };
type Result = { id: string; ok: boolean; status: number; problem?: { status: number; detail: string; type: string } };

describe('tags and bulk changes', () => {
  let api: TestApi;
  let customer: { id: string; token: string };
  let agent: { id: string; token: string };
  let colleague: { id: string; token: string };
  let sales: { id: string; token: string };
  let billing: { id: string; token: string };

  const newTicket = async () => (await api.http.post('/api/v1/tickets').set(bearer(customer.token)).send(ticketBody(undefined))).body as { id: string };
  const newTickets = async (n: number) => {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push((await newTicket()).id);
    return out;
  };
  const patch = (id: string, body: object, token = agent.token) => api.http.patch(`/api/v1/tickets/${id}`).set(bearer(token)).send(body);
  const bulk = (body: object, token = agent.token, key?: string) => {
    const req = api.http.post('/api/v1/tickets/bulk').set(bearer(token));
    return (key ? req.set('Idempotency-Key', key) : req).send(body);
  };
  const events = async (id: string) => (await api.http.get(`/api/v1/tickets/${id}/events`).set(bearer(agent.token))).body as Event[];
  const ticket = async (id: string) => (await api.http.get(`/api/v1/tickets/${id}`).set(bearer(agent.token))).body;
  const fields = (res: { body: { errors?: Array<{ field: string }> } }) => [...new Set((res.body.errors ?? []).map((e) => e.field))].sort();

  beforeAll(async () => {
    api = await startTestApi();
    customer = await createCustomer(api, (await createPlan(api)).id);
    agent = await createAgent(api, ['helpdesk_agent']);
    colleague = await createAgent(api, ['helpdesk_agent']);
    sales = await createAgent(api, ['sales_agent']);
    billing = await createAgent(api, ['billing_admin']);
  });
  afterAll(async () => {
    await api.close();
  });

  describe('tags on PATCH /tickets/:id', () => {
    it('adds trimmed, lower-cased tags once and removes them, each change with its tags_changed event', async () => {
      const t = await newTicket();
      const added = await patch(t.id, { addTags: ['  VIP ', 'outlook', 'vip', 'Facturación'] });
      expect(added.status).toBe(200);
      expect(added.body.tags).toEqual(['vip', 'outlook', 'facturación']);
      const again = await patch(t.id, { addTags: ['vip'] });
      expect(again.body.tags).toEqual(['vip', 'outlook', 'facturación']);
      const removed = await patch(t.id, { removeTags: ['OUTLOOK', 'never-there'], addTags: ['m365'] });
      expect(removed.body.tags).toEqual(['vip', 'facturación', 'm365']);
      const tagEvents = (await events(t.id)).filter((e) => e.type === 'tags_changed');
      expect(tagEvents).toEqual([
        expect.objectContaining({ actor: { kind: 'staff', id: agent.id }, data: { added: ['vip', 'outlook', 'facturación'], removed: [] } }),
        expect.objectContaining({ data: { added: ['m365'], removed: ['outlook'] } }),
      ]);
    });

    it('refuses malformed tags with a 400 naming the field, changing nothing', async () => {
      const t = await newTicket();
      for (const [body, field] of [
        [{ addTags: [''] }, 'addTags'],
        [{ addTags: ['   '] }, 'addTags'],
        [{ addTags: ['x'.repeat(41)] }, 'addTags'],
        [{ addTags: ['two words'] }, 'addTags'],
        [{ addTags: 'vip' }, 'addTags'],
        [{ addTags: [42] }, 'addTags'],
        [{ removeTags: ['a,b'] }, 'removeTags'],
        [{ addTags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, 'addTags'],
      ] as const) {
        const res = await patch(t.id, body);
        expect([JSON.stringify(body).slice(0, 40), res.status, res.headers['content-type']]).toEqual([JSON.stringify(body).slice(0, 40), 400, expect.stringMatching(/^application\/problem\+json/)]);
        expect(fields(res)).toEqual([field]);
      }
      expect((await patch(t.id, { addTags: ['a'], removeTags: ['A'] })).body.errors[0].field).toBe('removeTags');
      expect(await ticket(t.id)).toMatchObject({ tags: [] });
      expect((await events(t.id)).map((e) => e.type)).toEqual(['created']);
    });

    it('accepts a 40-character tag and refuses a 21st tag with a 422, leaving the 20', async () => {
      const t = await newTicket();
      const twenty = ['x'.repeat(40), ...Array.from({ length: 19 }, (_, i) => `tag-${i}`)];
      expect((await patch(t.id, { addTags: twenty })).body.tags).toHaveLength(20);
      const over = await patch(t.id, { addTags: ['one-more'], priority: 'P1' });
      expect(over.status).toBe(422);
      expect(over.body.errors).toEqual([{ field: 'addTags', message: expect.stringContaining('21'), code: 'tooManyTags', params: { max: 20, total: 21 } }]);
      expect(await ticket(t.id)).toMatchObject({ priority: 'P3', tags: twenty });
      // Swapping one for another keeps 20: allowed.
      expect((await patch(t.id, { removeTags: ['tag-0'], addTags: ['one-more'] })).body.tags).toHaveLength(20);
    });

    it('sets the queue with its event', async () => {
      const t = await newTicket();
      const res = await patch(t.id, { queue: ' billing ' });
      expect(res.body.queue).toBe('billing');
      expect((await events(t.id)).at(-1)).toMatchObject({ type: 'queue_changed', data: { from: null, to: 'billing' } });
      expect(fields(await patch(t.id, { queue: '' }))).toEqual(['queue']);
      expect(fields(await patch(t.id, { queue: null }))).toEqual(['queue']);
    });

    it('lets only staff who work tickets change tags', async () => {
      const t = await newTicket();
      for (const token of [sales.token, billing.token, customer.token]) {
        const res = await patch(t.id, { addTags: ['nope'] }, token);
        expect(res.status).toBe(403);
      }
      expect((await ticket(t.id)).tags).toEqual([]);
    });
  });

  describe('POST /tickets/bulk', () => {
    it('changes every ticket with its own events, reporting ok per id in the order sent', async () => {
      const ids = await newTickets(5);
      const res = await bulk({ ids, set: { status: 'triaged', priority: 'P2', assigneeId: colleague.id, queue: 'technical', addTags: ['Outage'] } });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ results: ids.map((id) => ({ id, ok: true, status: 200 })), succeeded: 5, failed: 0, replayed: false });
      for (const id of ids) {
        expect(await ticket(id)).toMatchObject({ status: 'triaged', priority: 'P2', assigneeId: colleague.id, queue: 'technical', tags: ['outage'] });
        // One write per ticket, its events in the order of a single PATCH's.
        expect((await events(id)).map((e) => e.type)).toEqual(['created', 'status_changed', 'priority_changed', 'assigned', 'queue_changed', 'tags_changed']);
        expect((await events(id))[1].actor).toEqual({ kind: 'staff', id: agent.id });
      }
      const [{ n }] = await api.dataSource.query(`SELECT open_tickets AS n FROM agents WHERE id = $1`, [colleague.id]);
      expect(n).toBeGreaterThanOrEqual(5);
    });

    it('reports a transition not allowed (409), an unknown id (404) and the tag cap (422) per ticket, applying the rest', async () => {
      const [fresh, inProgress, full] = await newTickets(3);
      await patch(inProgress, { status: 'triaged' });
      await patch(inProgress, { status: 'in_progress' });
      await patch(full, { status: 'triaged' });
      await patch(full, { status: 'in_progress', addTags: Array.from({ length: 20 }, (_, i) => `t${i}`) });
      const unknown = randomUUID();
      const res = await bulk({ ids: [fresh, inProgress, unknown, full], set: { status: 'resolved', addTags: ['bulk'] } });
      expect(res.status).toBe(200);
      expect(res.body.succeeded).toBe(1);
      expect(res.body.failed).toBe(3);
      const byId = Object.fromEntries((res.body.results as Result[]).map((r) => [r.id, r]));
      expect(byId[fresh]).toMatchObject({ ok: false, status: 409, problem: { status: 409, type: 'urn:helpdesk:problem:invalid-transition', detail: 'A ticket cannot go from new to resolved' } });
      expect(byId[inProgress]).toEqual({ id: inProgress, ok: true, status: 200 });
      expect(byId[unknown]).toMatchObject({ ok: false, status: 404, problem: { status: 404 } });
      expect(byId[full]).toMatchObject({ ok: false, status: 422, problem: { errors: [{ field: 'addTags' }] } });
      expect(res.body.results.map((r: Result) => r.id)).toEqual([fresh, inProgress, unknown, full]);
      // The refused tickets are untouched (their tags too: each ticket's change is all or nothing).
      expect(await ticket(fresh)).toMatchObject({ status: 'new', tags: [] });
      expect(await ticket(full)).toMatchObject({ status: 'in_progress' });
      expect((await ticket(full)).tags).not.toContain('bulk');
      expect(await ticket(inProgress)).toMatchObject({ status: 'resolved', tags: ['bulk'] });
    });

    it('gives each ticket of a large mixed bulk the result a single PATCH gives, in the order sent, changing only the allowed ones', async () => {
      // Four shapes, each with the path a ticket takes to it; more tickets than changes run at once.
      const shapes: Record<string, string[]> = {
        new: [],
        triaged: ['triaged'],
        waiting: ['triaged', 'in_progress', 'waiting_on_customer'],
        closed: ['triaged', 'in_progress', 'resolved', 'closed'],
      };
      const set = { status: 'in_progress', priority: 'P2', assigneeId: colleague.id, addTags: ['mixed'] };
      const make = async (shape: string) => {
        const { id } = await newTicket();
        for (const status of shapes[shape]) expect((await patch(id, { status })).status).toBe(200);
        return id;
      };
      // What a single PATCH of the same change answers for each shape (on a twin ticket).
      const single: Record<string, { status: number; type?: string; detail?: string }> = {};
      for (const shape of Object.keys(shapes)) {
        const res = await patch(await make(shape), set);
        single[shape] = res.status === 200 ? { status: 200 } : { status: res.status, type: res.body.type, detail: res.body.detail };
      }
      expect(Object.values(single).map((r) => r.status)).toEqual([409, 200, 200, 409]);

      const order = Array.from({ length: 28 }, (_, i) => Object.keys(shapes)[(i * 3) % 4]);
      const ids: string[] = [];
      for (const shape of order) ids.push(await make(shape));
      const eventsBefore = await Promise.all(ids.map(async (id) => (await events(id)).length));
      const [{ n: openBefore }] = await api.dataSource.query(`SELECT open_tickets AS n FROM agents WHERE id = $1`, [colleague.id]);

      const res = await bulk({ ids, set });
      expect(res.status).toBe(200);
      const results = res.body.results as Result[];
      expect(results.map((r) => r.id)).toEqual(ids);
      for (const [i, r] of results.entries()) {
        const expected = single[order[i]];
        expect([order[i], r.status, r.problem?.type, r.problem?.detail]).toEqual([order[i], expected.status, expected.type, expected.detail]);
      }
      const allowed = order.filter((shape) => single[shape].status === 200).length;
      expect(res.body).toMatchObject({ succeeded: allowed, failed: ids.length - allowed });
      for (const [i, id] of ids.entries()) {
        const after = await events(id);
        if (single[order[i]].status === 200) {
          expect(await ticket(id)).toMatchObject({ status: 'in_progress', priority: 'P2', assigneeId: colleague.id, tags: ['mixed'] });
          expect(after.slice(eventsBefore[i]).map((e) => e.type)).toEqual(['status_changed', 'priority_changed', 'assigned', 'tags_changed']);
        } else {
          expect(await ticket(id)).toMatchObject({ priority: 'P3', assigneeId: null, tags: [] });
          expect(after).toHaveLength(eventsBefore[i]);
        }
      }
      const [{ n: openAfter }] = await api.dataSource.query(`SELECT open_tickets AS n FROM agents WHERE id = $1`, [colleague.id]);
      expect(openAfter - openBefore).toBe(allowed);
    });

    it('validates the request as a whole: 1–500 ids, UUIDs, no repeats, a known assignee, something to set', async () => {
      const [t] = await newTickets(1);
      const ids501 = Array.from({ length: 501 }, () => randomUUID());
      const cases: Array<[object, string[]]> = [
        [{ ids: [], set: { priority: 'P1' } }, ['ids']],
        [{ ids: ids501, set: { priority: 'P1' } }, ['ids']],
        [{ ids: ['nope'], set: { priority: 'P1' } }, ['ids']],
        [{ ids: [t, t.toUpperCase()], set: { priority: 'P1' } }, ['ids']],
        [{ ids: [t], set: {} }, ['set']],
        [{ ids: [t] }, ['set']],
        [{ ids: [t], set: { priority: 'P9', status: 'done', subject: 'x' } }, ['set.priority', 'set.status', 'set.subject']],
        [{ ids: [t], set: { addTags: ['bad tag'] } }, ['set.addTags']],
        [{ ids: [t], set: { assigneeId: randomUUID() } }, ['set.assigneeId']],
      ];
      for (const [body, expected] of cases) {
        const res = await bulk(body);
        expect([JSON.stringify(body).slice(0, 60), res.status, fields(res)]).toEqual([JSON.stringify(body).slice(0, 60), 400, expected]);
      }
      expect(await ticket(t)).toMatchObject({ priority: 'P3', status: 'new' });
      expect((await events(t)).map((e) => e.type)).toEqual(['created']);
      // 500 is the most it takes.
      const ids500 = [t, ...ids501.slice(0, 499)];
      const res = await bulk({ ids: ids500, set: { priority: 'P4' } });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ succeeded: 1, failed: 499 });
    });

    it('refuses per ticket an assignee who may not work it or is deactivated (409 naming assigneeId), applying nothing of that ticket', async () => {
      const [a, b] = await newTickets(2);
      const toSales = await bulk({ ids: [a, b], set: { priority: 'P1', assigneeId: sales.id } });
      expect(toSales.status).toBe(200);
      expect(toSales.body).toMatchObject({ succeeded: 0, failed: 2 });
      for (const r of toSales.body.results as Result[]) expect(r).toMatchObject({ ok: false, status: 409, problem: { errors: [{ field: 'assigneeId' }] } });
      const leaver = await createAgent(api, ['helpdesk_agent']);
      expect((await api.http.post(`/api/v1/agents/${leaver.id}/deactivate`).set(bearer(api.adminToken))).status).toBe(200);
      const toLeaver = await bulk({ ids: [a], set: { assigneeId: leaver.id } });
      expect(toLeaver.body.results[0]).toMatchObject({ ok: false, status: 409, problem: { errors: [{ field: 'assigneeId', message: expect.stringContaining('deactivated'), code: 'deactivated' }] } });
      for (const id of [a, b]) {
        expect(await ticket(id)).toMatchObject({ priority: 'P3', assigneeId: null });
        expect((await events(id)).map((e) => e.type)).toEqual(['created']);
      }
      const [{ n }] = await api.dataSource.query(`SELECT count(*)::int AS n FROM ticket_bulk_requests WHERE caller = $1 AND change->>'assigneeId' = $2`, [`staff:${agent.id}`, sales.id]);
      expect(n).toBe(1);
    });

    it('is for staff who work tickets only', async () => {
      const [t] = await newTickets(1);
      for (const token of [sales.token, billing.token, customer.token]) {
        expect((await bulk({ ids: [t], set: { priority: 'P1' } }, token)).status).toBe(403);
      }
      expect((await ticket(t)).priority).toBe('P3');
    });

    it('replays an Idempotency-Key repeat without applying it again, and refuses the key with another body', async () => {
      const ids = await newTickets(3);
      await patch(ids[2], { status: 'triaged' });
      const body = { ids, set: { status: 'triaged', addTags: ['replay'] } };
      const key = `bulk-${randomUUID()}`;
      const first = await bulk(body, agent.token, key);
      expect(first.status).toBe(200);
      expect(first.body.results.map((r: Result) => r.status)).toEqual([200, 200, 200]);
      const eventCount = async () => Number((await api.dataSource.query(`SELECT count(*) AS n FROM ticket_events WHERE ticket_id = ANY($1)`, [ids]))[0].n);
      const before = await eventCount();
      // Meanwhile someone changes a ticket: a replay must not undo that.
      await patch(ids[0], { removeTags: ['replay'] });
      const replay = await bulk(body, agent.token, key);
      expect(replay.status).toBe(200);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body).toEqual({ ...first.body, replayed: true });
      expect(await eventCount()).toBe(before + 1);
      expect((await ticket(ids[0])).tags).toEqual([]);

      const other = await bulk({ ids, set: { status: 'in_progress' } }, agent.token, key);
      expect(other.status).toBe(422);
      expect(other.body.errors[0].field).toBe('Idempotency-Key');
      expect((await ticket(ids[1])).status).toBe('triaged');
      // The key is the caller's: a colleague's same key is another request.
      const colleagues = await bulk({ ids: [ids[1]], set: { status: 'in_progress' } }, colleague.token, key);
      expect(colleagues.body.results[0]).toMatchObject({ ok: true });
      expect((await bulk(body, agent.token, 'bad key with spaces')).status).toBe(400);
    });

    it('answers concurrent repeats of one key with one application', async () => {
      const ids = await newTickets(4);
      const key = `bulk-${randomUUID()}`;
      const body = { ids, set: { addTags: ['once'], priority: 'P1' } };
      const answers = await Promise.all([bulk(body, agent.token, key), bulk(body, agent.token, key), bulk(body, agent.token, key)]);
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
      expect(answers.filter((a) => a.body.replayed === false)).toHaveLength(1);
      for (const a of answers) expect(a.body.results).toEqual(answers[0].body.results);
      const [{ n }] = await api.dataSource.query(`SELECT count(*)::int AS n FROM ticket_events WHERE ticket_id = ANY($1) AND type IN ('tags_changed', 'priority_changed')`, [ids]);
      expect(n).toBe(8);
    });

    it('answers more concurrent keyed requests than the pool has connections (they take turns, none holds the pool)', async () => {
      const ids = await newTickets(4);
      const requests = Array.from({ length: 24 }, (_, i) => bulk({ ids, set: { priority: i % 2 ? 'P1' : 'P2' } }, agent.token, `turns-${randomUUID()}`));
      const answers = await Promise.all(requests);
      expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
      expect(answers.every((a) => a.body.succeeded === 4)).toBe(true);
    });
  });
});
