import { randomUUID } from 'node:crypto';
import { INestApplicationContext } from '@nestjs/common';
import { Client } from 'pg';
import { TriageService } from '@helpdesk/triage';
import { bearer, createAgent, createCustomer, createPlan, eventually, startTestApi, startTestWorker, TestApi } from '../support';

/**
 * The triages the worker runs at the same time are done in batches: one read, one known-issue
 * search, one write transaction for all of them (bench/README.md, "Triage"). Each ticket must still
 * come out as if triaged alone. The tickets here are written with SQL, without a triage job, and
 * handed to the worker's TriageService in one go: they leave in one batch, and one transaction
 * wrote them exactly when they share one `xmin`.
 */
describe('triage in batches: every ticket as if triaged alone', () => {
  let api: TestApi;
  let worker: INestApplicationContext;
  let triage: TriageService;
  let customerId: string;
  let admin: string;
  const redisUrl = () => JSON.parse(process.env.HELPDESK_TEST_STACK!).redisUrl as string;

  /** A ticket as intake stores it (with its `created` event) but with no triage job. */
  const newTicket = async (subject: string, description: string, extra: { category?: string; product?: string; severity?: string } = {}): Promise<string> => {
    const id = randomUUID();
    await api.dataSource.query(
      `INSERT INTO tickets (id, customer_id, subject, description, category, product, severity, priority, channel, requester_name, requester_email)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'api', 'Marta López', 'marta@contoso.example')`,
      [id, customerId, subject, description, extra.category ?? null, extra.product ?? null, extra.severity ?? null, extra.severity ?? 'P3'],
    );
    await api.dataSource.query(`INSERT INTO ticket_events (ticket_id, type, actor_kind, data) VALUES ($1, 'created', 'customer', '{}')`, [id]);
    return id;
  };
  interface Written {
    id: string;
    status: string;
    category: string;
    product: string;
    priority: string;
    queue: string;
    tags: string[];
    assignee_id: string | null;
    diagnosis: { suggestions: Array<{ knownIssueId: string }> };
    tx: string;
  }
  const rows = (ids: string[]): Promise<Written[]> =>
    api.dataSource.query(`SELECT id, status, category, product, priority, queue, tags, assignee_id, diagnosis, xmin::text AS tx FROM tickets WHERE id = ANY($1::uuid[])`, [ids]);
  const eventTypes = async (id: string) =>
    ((await api.dataSource.query(`SELECT type FROM ticket_events WHERE ticket_id = $1 ORDER BY seq`, [id])) as Array<{ type: string }>).map((e) => e.type);
  const rule = async (name: string, keyword: string, actions: Record<string, unknown>) => {
    const res = await api.http.post('/api/v1/triage-rules').set(bearer(admin)).send({ name, position: 1, enabled: true, stopOnMatch: true, conditions: { anyKeywords: [keyword] }, actions });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const agent = async (queue: string, maxOpenTickets: number) => {
    const a = await createAgent(api, ['helpdesk_agent']);
    await api.http.patch(`/api/v1/agents/${a.id}`).set(bearer(admin)).send({ queues: [queue], maxOpenTickets, available: true }).expect(200);
    return a.id;
  };

  beforeAll(async () => {
    api = await startTestApi();
    admin = api.adminToken;
    const plan = await createPlan(api, { businessHours: [], holidays: [] });
    customerId = (await createCustomer(api, plan.id, 'Northwind Batches')).id;
    worker = await startTestWorker({ DATABASE_URL: api.database.url, REDIS_URL: redisUrl(), QUEUE_PREFIX: api.queuePrefix });
    triage = worker.get(TriageService);
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
  });

  it('writes several tickets in one transaction, each with its own decision, diagnosis and events', async () => {
    const ruleId = await rule('batch heron', 'heron', { queue: 'heron', priority: 'P2', tags: ['bird'] });
    const issue = await api.http.post('/api/v1/known-issues').set(bearer(admin)).send({
      title: 'Mailbox quota exceeded after migration', symptoms: 'The mailbox quota is exceeded right after the migration to Exchange Online',
      category: 'technical', product: 'microsoft_365', resolution: 'Raise the quota', inScope: true,
    });
    expect(issue.status).toBe(201);
    const tickets = [
      { subject: 'Heron sync stalled', description: 'The heron connector stopped syncing', extra: {} },
      { subject: 'Factura duplicada', description: 'Hemos recibido la factura duplicada este mes', extra: {} },
      { subject: 'Mailbox quota exceeded', description: 'After the migration the mailbox quota is exceeded for every user', extra: { category: 'technical', product: 'microsoft_365' } },
      { subject: 'VM down', description: 'Our Azure VM is down', extra: { severity: 'P1' } },
    ];
    const ids: string[] = [];
    for (const t of tickets) ids.push(await newTicket(t.subject, t.description, t.extra));
    // What each would get alone (same rules, classifier and known-issue search; writes nothing).
    const alone = await Promise.all(tickets.map((t) => triage.preview({
      subject: t.subject, description: t.description, category: (t.extra as { category?: string }).category ?? null, product: (t.extra as { product?: string }).product ?? null,
      channel: 'api', customerId, requesterEmail: 'marta@contoso.example', severity: (t.extra as { severity?: string }).severity ?? null,
    })));

    expect(await Promise.all(ids.map((id) => triage.triage(id)))).toEqual(['triaged', 'triaged', 'triaged', 'triaged']);

    const byId = new Map((await rows(ids)).map((r) => [r.id, r]));
    expect(new Set(ids.map((id) => byId.get(id)!.tx)).size).toBe(1);
    ids.forEach((id, i) => {
      const r = byId.get(id)!;
      expect({ id, status: r.status, category: r.category, product: r.product, priority: r.priority, queue: r.queue, suggestions: r.diagnosis.suggestions }).toEqual({
        id, status: 'triaged', category: alone[i].category, product: alone[i].product, priority: alone[i].priority, queue: alone[i].queue, suggestions: alone[i].diagnosis.suggestions,
      });
    });
    expect(byId.get(ids[0])).toMatchObject({ queue: 'heron', priority: 'P2', tags: ['bird'] });
    expect(byId.get(ids[1])).toMatchObject({ category: 'billing', queue: 'billing', tags: [] });
    expect(byId.get(ids[2])!.diagnosis.suggestions[0].knownIssueId).toBe(issue.body.id);
    expect(byId.get(ids[3])).toMatchObject({ priority: 'P1', product: 'azure' });
    // The open statuses a search checks (open_ticket_statuses) followed the batch's write.
    const kept = (await api.dataSource.query(
      `SELECT t.id, o.status FROM tickets t JOIN open_ticket_statuses o ON o.number = t.number WHERE t.id = ANY($1::uuid[])`, [ids],
    )) as Array<{ id: string; status: string }>;
    expect(new Map(kept.map((k) => [k.id, k.status]))).toEqual(new Map(ids.map((id) => [id, 'triaged'])));
    expect(await eventTypes(ids[0])).toEqual(['created', 'status_changed', 'priority_changed', 'category_changed', 'product_changed', 'queue_changed', 'triaged']);
    expect(await eventTypes(ids[2])).toEqual(['created', 'status_changed', 'queue_changed', 'triaged']);
    // A repeat of a job after the batch committed only looks for an agent (the queue has none).
    expect(await triage.triage(ids[0])).toBe('triaged');
    expect(await eventTypes(ids[0])).toHaveLength(7);
    await api.http.delete(`/api/v1/triage-rules/${ruleId}`).set(bearer(admin)).expect(204);
  });

  it('never lets two tickets of a batch, or of two batches at once, take the same last slot', async () => {
    const ruleId = await rule('batch pelican', 'pelican', { queue: 'pelican' });
    const a = await agent('pelican', 2);
    const b = await agent('pelican', 1);
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await newTicket(`Pelican ${i}`, 'The pelican gateway is down'));
    await Promise.all(ids.map((id) => triage.triage(id)));
    const written = await rows(ids);
    expect(new Set(written.map((r) => r.tx)).size).toBe(1);
    const per = (list: Array<{ assignee_id: string | null }>, who: string | null) => list.filter((r) => r.assignee_id === who).length;
    expect([per(written, a), per(written, b), per(written, null)]).toEqual([2, 1, 3]);
    // Balanced: each agent's first ticket before anyone's second.
    const order = ids.map((id) => written.find((r) => r.id === id)!.assignee_id);
    expect(new Set(order.slice(0, 2))).toEqual(new Set([a, b]));

    // Two worker processes, a batch each, competing for 4 slots of another queue.
    const second = await startTestWorker({ DATABASE_URL: api.database.url, REDIS_URL: redisUrl(), QUEUE_PREFIX: api.queuePrefix });
    try {
      const rule2 = await rule('batch stork', 'stork', { queue: 'stork' });
      const agents = [await agent('stork', 1), await agent('stork', 1), await agent('stork', 2)];
      const first: string[] = [];
      const other: string[] = [];
      for (let i = 0; i < 6; i++) first.push(await newTicket(`Stork ${i}`, 'The stork portal is down'));
      for (let i = 0; i < 6; i++) other.push(await newTicket(`Stork ${i + 6}`, 'The stork portal is down'));
      await Promise.all([...first.map((id) => triage.triage(id)), ...other.map((id) => second.get(TriageService).triage(id))]);
      const all = await rows([...first, ...other]);
      expect(all.every((r) => r.status === 'triaged')).toBe(true);
      expect(agents.map((id) => per(all, id))).toEqual([1, 1, 2]);
      expect(per(all, null)).toBe(8);
      const counted = await api.dataSource.query(
        `SELECT a.open_tickets, (SELECT count(*)::int FROM tickets t WHERE t.assignee_id = a.id AND t.status NOT IN ('resolved','closed')) AS actual
           FROM agents a WHERE a.id = ANY($1::uuid[])`,
        [[a, b, ...agents]],
      );
      for (const row of counted) expect(row.open_tickets).toBe(row.actual);
      await api.http.delete(`/api/v1/triage-rules/${rule2}`).set(bearer(admin)).expect(204);
    } finally {
      await second.close();
    }
    await api.http.delete(`/api/v1/triage-rules/${ruleId}`).set(bearer(admin)).expect(204);
  });

  it('fails only the ticket that breaks the batch write; the others are written', async () => {
    // A ticket whose write PostgreSQL refuses (a stand-in for any per-ticket write error).
    await api.dataSource.query(`
      CREATE FUNCTION test_poison() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'poisoned ticket %', NEW.id; END $$`);
    await api.dataSource.query(`CREATE TRIGGER test_poison BEFORE UPDATE ON tickets FOR EACH ROW WHEN (NEW.subject = 'Poison pill') EXECUTE FUNCTION test_poison()`);
    try {
      const ids = [await newTicket('Teams down', 'Teams does not start'), await newTicket('Poison pill', 'Teams does not start'), await newTicket('Outlook down', 'Outlook does not start')];
      const outcomes = await Promise.allSettled(ids.map((id) => triage.triage(id)));
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(String((outcomes[1] as PromiseRejectedResult).reason)).toContain('poisoned ticket');
      const byId = new Map((await rows(ids)).map((r) => [r.id, r.status]));
      expect(ids.map((id) => byId.get(id))).toEqual(['triaged', 'new', 'triaged']);
      expect(await eventTypes(ids[1])).toEqual(['created']);
    } finally {
      await api.dataSource.query(`DROP TRIGGER test_poison ON tickets`);
      await api.dataSource.query(`DROP FUNCTION test_poison()`);
    }
  });

  it('reads and decides again only the ticket that changed between the read and the write', async () => {
    const ids = [await newTicket('Printer offline', 'The printer is offline'), await newTicket('Printer jammed', 'The printer is jammed'), await newTicket('Printer slow', 'The printer is slow')];
    const held = ids[1];
    const other = new Client({ connectionString: api.database.url });
    await other.connect();
    try {
      // Someone changes the ticket and has not committed yet: the batch reads the old version.
      await other.query('BEGIN');
      await other.query(`UPDATE tickets SET tags = tags || '{held}' WHERE id = $1`, [held]);
      const done = Promise.all(ids.map((id) => triage.triage(id)));
      // The batch's write waits for that ticket's lock …
      await eventually(
        () => api.dataSource.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%triage_write%'`),
        (r: Array<{ n: number }>) => r[0].n > 0,
        10_000,
        'the batch write waiting',
      );
      // … and, once the change commits, finds it changed: that ticket alone is decided again.
      await other.query('COMMIT');
      expect(await done).toEqual(['triaged', 'triaged', 'triaged']);
    } finally {
      await other.end();
    }
    const byId = new Map((await rows(ids)).map((r) => [r.id, r]));
    expect(byId.get(held)).toMatchObject({ status: 'triaged', tags: ['held'] });
    expect(byId.get(ids[0])!.tx).toBe(byId.get(ids[2])!.tx);
    expect(byId.get(held)!.tx).not.toBe(byId.get(ids[0])!.tx);
    for (const id of ids) expect((await eventTypes(id)).filter((t) => t === 'triaged')).toHaveLength(1);
  });

  it('turns away a malformed ticket id without touching the batch', async () => {
    const id = await newTicket('Teams slow', 'Teams is slow');
    const outcomes = await Promise.allSettled([triage.triage('not-a-uuid'), triage.triage(id), triage.triage(randomUUID())]);
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : 'rejected'))).toEqual(['rejected', 'triaged', 'skipped']);
  });
});
