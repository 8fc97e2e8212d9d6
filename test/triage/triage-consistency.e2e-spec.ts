import { INestApplicationContext } from '@nestjs/common';
import { bearer, createAgent, createCustomer, createPlan, eventually, startTestApi, startTestWorker, TestApi, ticketBody } from '../support';

/**
 * What the worker keeps or skips for speed must never show: rules are cached per version, agents'
 * open tickets are counted by a trigger, known issues are searched per scope and by their rarest
 * words (bench/README.md, "Triage").
 */
describe('triage: cached rules, known-issue search and agent caps stay exact', () => {
  let api: TestApi;
  let worker: INestApplicationContext;
  let customer: { id: string; token: string };
  let admin: string;

  const post = async (body: object): Promise<string> => {
    const res = await api.http.post('/api/v1/tickets').set(bearer(customer.token)).send(body);
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const get = async (id: string) => (await api.http.get(`/api/v1/tickets/${id}`).set(bearer(admin))).body;
  const triaged = (id: string) => eventually(() => get(id), (t) => t.status !== 'new', 20_000, `ticket ${id} triaged`);
  const knownIssue = async (body: Record<string, unknown>): Promise<string> => {
    const res = await api.http.post('/api/v1/known-issues').set(bearer(admin)).send({ resolution: 'Fix it', inScope: true, ...body });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const openTickets = async (agentId: string) => (await api.dataSource.query(`SELECT open_tickets FROM agents WHERE id = $1`, [agentId]))[0].open_tickets as number;

  beforeAll(async () => {
    api = await startTestApi();
    admin = api.adminToken;
    const plan = await createPlan(api, { businessHours: [], holidays: [] });
    customer = await createCustomer(api, plan.id, 'Fabrikam Consistency');
    worker = await startTestWorker({ DATABASE_URL: api.database.url, REDIS_URL: JSON.parse(process.env.HELPDESK_TEST_STACK!).redisUrl, QUEUE_PREFIX: api.queuePrefix });
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
  });

  it('applies a rule change (edit, disable, delete) to the very next ticket triaged', async () => {
    const body = ticketBody(undefined, { subject: 'Zeppelin dashboard', description: 'The zeppelin dashboard is slow' });
    const rule = await api.http.post('/api/v1/triage-rules').set(bearer(admin)).send({
      name: 'zeppelin', position: 1, enabled: true, stopOnMatch: false, conditions: { anyKeywords: ['zeppelin'] }, actions: { queue: 'zeppelin-a' },
    });
    expect(rule.status).toBe(201);
    expect((await triaged(await post(body))).queue).toBe('zeppelin-a');

    await api.http.patch(`/api/v1/triage-rules/${rule.body.id}`).set(bearer(admin)).send({ actions: { queue: 'zeppelin-b', tags: ['airship'] } }).expect(200);
    expect(await triaged(await post(body))).toMatchObject({ queue: 'zeppelin-b', tags: ['airship'] });

    await api.http.patch(`/api/v1/triage-rules/${rule.body.id}`).set(bearer(admin)).send({ enabled: false }).expect(200);
    expect((await triaged(await post(body))).queue).toBe('technical');

    await api.http.patch(`/api/v1/triage-rules/${rule.body.id}`).set(bearer(admin)).send({ enabled: true }).expect(200);
    expect((await triaged(await post(body))).queue).toBe('zeppelin-b');

    await api.http.delete(`/api/v1/triage-rules/${rule.body.id}`).set(bearer(admin)).expect(204);
    expect((await triaged(await post(body))).queue).toBe('technical');
  });

  it('suggests the best known issues of the ticket\'s category and product that share at least two words', async () => {
    const best = await knownIssue({ title: 'Quorum witness offline after failover', symptoms: 'The cluster quorum witness goes offline after a failover of the storage nodes', category: 'technical', product: 'azure' });
    const anyScope = await knownIssue({ title: 'Quorum witness offline', symptoms: 'Witness unreachable' });
    const otherCategory = await knownIssue({ title: 'Quorum witness offline after failover', symptoms: 'The cluster quorum witness goes offline after a failover of the storage nodes', category: 'billing', product: 'azure' });
    const otherProduct = await knownIssue({ title: 'Quorum witness offline after failover', symptoms: 'The cluster quorum witness goes offline after a failover of the storage nodes', category: 'technical', product: 'dynamics_365' });
    const oneWord = await knownIssue({ title: 'Quorum licensing', symptoms: 'Licences for the quorum product', category: 'technical', product: 'azure' });

    const t = await triaged(await post(ticketBody(undefined, {
      subject: 'Cluster quorum witness offline', description: 'After a failover the quorum witness of the storage cluster went offline.', category: 'technical', product: 'azure',
    })));
    const suggested = (t.diagnosis.suggestions as Array<{ knownIssueId: string; score: number }>).map((s) => s.knownIssueId);
    expect(suggested).toEqual([best, anyScope]);
    expect(suggested).not.toEqual(expect.arrayContaining([otherCategory, otherProduct, oneWord]));
    expect(t.diagnosis.summary).toContain('Quorum witness offline after failover');
  });

  it('searches a long ticket by its rarest words and still finds an issue added after the word statistics were read', async () => {
    // Common words: in many issues, so a long ticket's candidates are found by its rarer words.
    for (let i = 0; i < 6; i++) {
      await knownIssue({ title: `Virtual machine stopped answering (region ${i})`, symptoms: 'The virtual machine stopped answering after maintenance in the west europe region', category: 'technical', product: 'azure' });
    }
    const kernel = await knownIssue({ title: 'Kernel panic on boot after host maintenance', symptoms: 'Boot diagnostics show a kernel panic; the virtual machine stopped answering', category: 'technical', product: 'azure' });
    const long = 'The virtual machine stopped answering after maintenance in the west europe region; boot diagnostics show a kernel panic. ' +
      'We restarted twice, checked networking, firewall rules, disks and quotas without success yesterday evening.';
    const first = await triaged(await post(ticketBody(undefined, { subject: 'VM down', description: long, category: 'technical', product: 'azure' })));
    expect(first.diagnosis.suggestions[0].knownIssueId).toBe(kernel);

    // The worker keeps its word statistics for a minute: this issue's words are new to them.
    const fresh = await knownIssue({ title: 'Xylofonix agent crash loop', symptoms: 'The xylofonix monitoring agent crashes in a loop after the update', category: 'technical', product: 'azure' });
    const second = await triaged(await post(ticketBody(undefined, {
      subject: 'Xylofonix agent crash loop',
      description: 'The xylofonix monitoring agent crashes in a loop since the update; we restarted twice, checked networking, firewall rules, disks and quotas, ' +
        'reinstalled packages, rotated certificates and collected traces without success yesterday evening.',
      category: 'technical', product: 'azure',
    })));
    expect(second.diagnosis.suggestions[0].knownIssueId).toBe(fresh);
  });

  it('counts an agent\'s open tickets through resolve, reopen and manual reassignment, and assigns up to the cap only', async () => {
    const a = await createAgent(api, ['helpdesk_agent']);
    const b = await createAgent(api, ['helpdesk_agent']);
    await api.http.patch(`/api/v1/agents/${a.id}`).set(bearer(admin)).send({ queues: ['capped'], maxOpenTickets: 1 }).expect(200);
    const rule = await api.http.post('/api/v1/triage-rules').set(bearer(admin)).send({
      name: 'capped', position: 1, enabled: true, stopOnMatch: true, conditions: { anyKeywords: ['kestrel'] }, actions: { queue: 'capped' },
    });
    const body = ticketBody(undefined, { subject: 'Kestrel', description: 'Kestrel server error' });
    const patch = (id: string, change: object) => api.http.patch(`/api/v1/tickets/${id}`).set(bearer(admin)).send(change).expect(200);

    const first = await post(body);
    expect((await eventually(() => get(first), (t) => t.assigneeId !== null, 20_000, 'assigned')).assigneeId).toBe(a.id);
    expect(await openTickets(a.id)).toBe(1);
    // At the cap: the next ticket waits for someone.
    const second = await post(body);
    expect((await triaged(second)).assigneeId).toBeNull();

    await patch(first, { status: 'in_progress' });
    await patch(first, { status: 'resolved' });
    expect(await openTickets(a.id)).toBe(0);
    const third = await post(body);
    expect((await eventually(() => get(third), (t) => t.assigneeId !== null, 20_000, 'assigned')).assigneeId).toBe(a.id);
    expect(await openTickets(a.id)).toBe(1);

    // Reopening counts again; handing a ticket over moves it to the other agent.
    await patch(first, { status: 'in_progress' });
    expect(await openTickets(a.id)).toBe(2);
    await patch(third, { assigneeId: b.id });
    expect([await openTickets(a.id), await openTickets(b.id)]).toEqual([1, 1]);
    const counted = await api.dataSource.query(
      `SELECT a.id, a.open_tickets, (SELECT count(*)::int FROM tickets t WHERE t.assignee_id = a.id AND t.status NOT IN ('resolved','closed')) AS actual
         FROM agents a WHERE a.id = ANY($1::uuid[])`,
      [[a.id, b.id]],
    );
    for (const row of counted) expect(row.open_tickets).toBe(row.actual);
    await api.http.delete(`/api/v1/triage-rules/${rule.body.id}`).set(bearer(admin)).expect(204);
  });
});
