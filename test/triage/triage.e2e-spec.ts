import { INestApplicationContext } from '@nestjs/common';
import { SlaMonitorService } from '@helpdesk/triage';
import { bearer, createAgent, createCustomer, createPlan, eventually, startTestApi, startTestWorker, TestApi, ticketBody } from '../support';

const MIN = 60_000;
const plus = (iso: string, minutes: number) => new Date(new Date(iso).getTime() + minutes * MIN).toISOString();

describe('triage: classification, rules, diagnosis, SLA clock, assignment and the SLA monitor', () => {
  let api: TestApi;
  let worker: INestApplicationContext;
  let customer: { id: string; token: string };
  let admin: string;

  const post = (body: object) => api.http.post('/api/v1/tickets').set(bearer(customer.token)).send(body);
  const get = async (id: string) => (await api.http.get(`/api/v1/tickets/${id}`).set(bearer(admin))).body;
  const events = async (id: string) => (await api.http.get(`/api/v1/tickets/${id}/events`).set(bearer(admin))).body as Array<{ type: string; data: Record<string, unknown>; actor: { kind: string } }>;
  const triaged = (id: string) => eventually(() => get(id), (t) => t.status !== 'new' && t.assigneeId !== undefined, 20_000, `ticket ${id} triaged`);
  const count = async (sql: string) => (await api.dataSource.query(`SELECT count(*)::int AS n FROM ${sql}`))[0].n as number;

  beforeAll(async () => {
    api = await startTestApi();
    admin = api.adminToken;
    // 24×7 so due dates are plain arithmetic here (the calendar itself is unit-tested hard).
    const plan = await createPlan(api, { businessHours: [], holidays: [] });
    customer = await createCustomer(api, plan.id, 'Contoso Iberia');
    worker = await startTestWorker({ DATABASE_URL: api.database.url, REDIS_URL: JSON.parse(process.env.HELPDESK_TEST_STACK!).redisUrl, QUEUE_PREFIX: api.queuePrefix });
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
  });

  it('takes a ticket without category through triage: category, queue, priority, diagnosis, SLA dates and agent', async () => {
    const billingAgent = await createAgent(api, ['helpdesk_agent']);
    await api.http.patch(`/api/v1/agents/${billingAgent.id}`).set(bearer(admin)).send({ queues: ['billing'], maxOpenTickets: 5, available: true }).expect(200);
    const issue = await api.http.post('/api/v1/known-issues').set(bearer(admin)).send({
      title: 'Factura duplicada tras cambio de suscripción',
      symptoms: 'El cliente recibe la factura duplicada del mes después de cambiar la suscripción de Microsoft 365',
      category: 'billing',
      resolution: 'Pedir abono de la factura duplicada al fabricante',
      runbookUrl: 'https://wiki.partner.example/runbooks/factura-duplicada',
      inScope: false,
    });
    expect(issue.status).toBe(201);

    const created = await post(ticketBody(undefined, { subject: 'Factura duplicada', description: 'Hemos recibido la factura duplicada este mes, el cargo aparece dos veces.' }));
    expect(created.status).toBe(201);
    await triaged(created.body.id);
    // Assignment commits right after triage, in its own short transaction.
    const t = await eventually(() => get(created.body.id), (x) => x.assigneeId !== null, 20_000, 'assigned');
    expect(t).toMatchObject({
      status: 'triaged',
      category: 'billing',
      queue: 'billing',
      priority: 'P3',
      assigneeId: billingAgent.id,
      inScope: false,
    });
    expect(t.diagnosis.suggestions[0]).toEqual({ knownIssueId: issue.body.id, title: issue.body.title, score: expect.any(Number) });
    expect(t.diagnosis.suggestions[0].score).toBeGreaterThan(0);
    expect(t.diagnosis.inScope).toBe(false);
    expect(t.diagnosis.summary).toContain('Factura duplicada tras cambio de suscripción');
    // 24×7 P3: 240 min to first response, 1440 to resolution, from creation; the monitor warns at 75 % of each.
    expect(t.sla).toEqual({
      firstResponseDueAt: plus(t.createdAt, 240),
      firstResponseWarnAt: plus(t.createdAt, 180),
      resolutionDueAt: plus(t.createdAt, 1440),
      resolutionWarnAt: plus(t.createdAt, 1080),
      firstRespondedAt: null,
      pausedSince: null,
      breached: { firstResponse: false, resolution: false },
    });
    const types = (await events(t.id)).map((e) => e.type);
    expect(types).toEqual(['created', 'status_changed', 'category_changed', 'product_changed', 'queue_changed', 'triaged', 'assigned']);
    const triagedEvent = (await events(t.id)).find((e) => e.type === 'triaged')!;
    expect(triagedEvent.actor.kind).toBe('system');
    expect(triagedEvent.data.reasons).toMatchObject({ category: expect.stringContaining('factura'), priority: 'default P3', queue: 'default queue for billing' });
    // The same reasons as codes and values, for a screen to say in Spanish or English.
    expect(triagedEvent.data.why).toEqual({
      category: { code: 'classifier', params: { classifier: { code: 'matched', params: { words: expect.arrayContaining(['factura']) } } } },
      product: { code: 'classifier', params: { classifier: { code: 'no_product_words', params: {} } } },
      priority: { code: 'default_priority', params: { priority: 'P3' } },
      queue: { code: 'default_queue', params: { category: 'billing' } },
    });
    expect(t.diagnosis.summaryWhy).toEqual({ code: 'known_issue', params: { knownIssueId: issue.body.id, title: issue.body.title, resolution: issue.body.resolution } });
  });

  it('records an outage wording as a priority suggestion without applying it, and keeps the customer severity', async () => {
    const a = await post(ticketBody(undefined, { subject: 'Teams caído', description: 'Teams no funciona para todos los usuarios de la empresa' }));
    const t = await triaged(a.body.id);
    expect(t.priority).toBe('P3');
    expect(t.product).toBe('microsoft_365');
    expect(t.category).toBe('technical');
    expect(t.queue).toBe('technical');
    expect(t.prioritySuggestion).toEqual({
      priority: 'P1',
      reason: expect.stringContaining('no funciona'),
      why: { code: 'outage_everyone', params: { words: expect.arrayContaining(['no funciona']), everyone: expect.any(Array) } },
    });
    expect(t.prioritySuggestion.why.params.everyone.length).toBeGreaterThan(0);
    const b = await post(ticketBody(undefined, { subject: 'VM down', description: 'Our Azure VM is down', severity: 'P1' }));
    const tb = await triaged(b.body.id);
    expect(tb).toMatchObject({ priority: 'P1', product: 'azure', prioritySuggestion: null });
    expect(tb.sla.firstResponseDueAt).toBe(plus(tb.createdAt, 30));
  });

  it('shows a customer the SLA of a triaged ticket but not the agents\' diagnosis or priority suggestion', async () => {
    const issue = await api.http.post('/api/v1/known-issues').set(bearer(admin)).send({
      title: 'Teams meetings drop audio', symptoms: 'Teams meetings lose audio for every participant after ten minutes',
      resolution: 'Internal: reset the tenant media policy', runbookUrl: 'https://wiki.partner.example/internal/teams-audio', inScope: false,
    });
    expect(issue.status).toBe(201);
    const body = ticketBody(undefined, { subject: 'Teams meetings drop audio', description: 'Teams is down: meetings lose audio for all users', externalId: 'teams-audio-1' });
    const created = await post(body);
    const staffView = await eventually(() => get(created.body.id), (t) => t.status !== 'new' && t.triagedAt !== null, 20_000, 'triaged');
    expect(staffView.diagnosis.suggestions[0].knownIssueId).toBe(issue.body.id);
    expect(staffView).toMatchObject({ inScope: false, prioritySuggestion: { priority: 'P1' } });

    const internal = ['diagnosis', 'inScope', 'prioritySuggestion'];
    const own = await api.http.get(`/api/v1/tickets/${created.body.id}`).set(bearer(customer.token));
    const listed = (await api.http.get('/api/v1/tickets').set(bearer(customer.token))).body.items.find((t: { id: string }) => t.id === created.body.id);
    const repeat = await post(body);
    expect(repeat.status).toBe(200);
    for (const view of [own.body, listed, repeat.body]) {
      for (const field of internal) expect(view).not.toHaveProperty(field);
      expect(view.sla).toEqual(staffView.sla);
      expect(JSON.stringify(view)).not.toMatch(/wiki\.partner\.example|media policy/);
    }
  });

  it('applies rules in position order, first writer wins per field, and stopOnMatch ends the run', async () => {
    const mk = (body: object) => api.http.post('/api/v1/triage-rules').set(bearer(admin)).send(body);
    const base = { enabled: true, stopOnMatch: false };
    const later = await mk({ ...base, name: 'later', position: 20, conditions: { anyKeywords: ['sharepoint'] }, actions: { queue: 'm365-l2', tags: ['sp'] }, stopOnMatch: true });
    const first = await mk({ ...base, name: 'first', position: 10, conditions: { anyKeywords: ['sharepoint'], requesterDomain: ['contoso.example'] }, actions: { queue: 'm365', priority: 'P2' } });
    const never = await mk({ ...base, name: 'after stop', position: 30, conditions: { anyKeywords: ['sharepoint'] }, actions: { tags: ['never'], inScope: true } });
    const disabled = await mk({ ...base, enabled: false, name: 'disabled', position: 5, conditions: { anyKeywords: ['sharepoint'] }, actions: { queue: 'disabled' } });
    for (const r of [later, first, never, disabled]) expect(r.status).toBe(201);

    const created = await post(ticketBody(undefined, { subject: 'SharePoint site slow', description: 'The SharePoint intranet takes a minute to load' }));
    const t = await triaged(created.body.id);
    expect(t).toMatchObject({ queue: 'm365', priority: 'P2', tags: ['sp'] });
    const triagedEvent = (await events(t.id)).find((e) => e.type === 'triaged')!;
    expect((triagedEvent.data.matchedRules as Array<{ name: string }>).map((m) => m.name)).toEqual(['first', 'later']);
    expect(triagedEvent.data.stoppedBy).toBe(later.body.id);
    for (const r of [later, first, never]) await api.http.delete(`/api/v1/triage-rules/${r.body.id}`).set(bearer(admin)).expect(204);
  });

  it('dry-run and impact show a rule\'s effect and write nothing', async () => {
    const rule = await api.http.post('/api/v1/triage-rules').set(bearer(admin)).send({
      name: 'facturación a billing-es', position: 1, enabled: false, stopOnMatch: false,
      conditions: { anyKeywords: ['facturación'] }, actions: { queue: 'billing-es', priority: 'P2', tags: ['es'] },
    });
    expect(rule.status).toBe(201);
    const before = await Promise.all(['tickets', 'ticket_events', 'outbox', 'triage_rules'].map((t) => count(t)));

    const dry = await api.http.post('/api/v1/triage-rules/dry-run').set(bearer(admin)).send({ subject: 'Problema de facturación', description: 'La FACTURACIÓN de octubre no cuadra', requesterEmail: 'x@contoso.example' });
    expect(dry.status).toBe(200);
    // The rule is disabled: the dry run reflects what triage would do now.
    expect(dry.body.matchedRules).toEqual([]);
    expect(dry.body.result).toMatchObject({ category: 'billing', queue: 'billing', priority: 'P3' });

    await post(ticketBody(undefined, { subject: 'Facturación', description: 'Duda sobre la facturación' }));
    await post(ticketBody(undefined, { subject: 'Factura', description: 'Una factura' }));
    await eventually(() => count(`tickets WHERE status = 'new'`), (n) => n === 0, 20_000, 'all triaged');
    const before2 = await Promise.all(['tickets', 'ticket_events', 'outbox', 'triage_rules'].map((t) => count(t)));
    const impact = await api.http.get(`/api/v1/triage-rules/${rule.body.id}/impact?last=1000`).set(bearer(admin));
    expect(impact.status).toBe(200);
    // "factura" alone is another word: only the facturación ticket matches.
    expect(impact.body).toMatchObject({ ruleId: rule.body.id, matched: 1, wouldChange: { queue: 1, priority: 1, tags: 1 } });
    // "factura*" says so: a prefix takes both (of the two newest tickets).
    const prefix = await api.http.post('/api/v1/triage-rules').set(bearer(admin)).send({
      name: 'factura* a billing-es', position: 2, enabled: false, stopOnMatch: false,
      conditions: { anyKeywords: ['factura*'] }, actions: { queue: 'billing-es' },
    });
    expect(prefix.status).toBe(201);
    const prefixImpact = await api.http.get(`/api/v1/triage-rules/${prefix.body.id}/impact?last=2`).set(bearer(admin));
    expect(prefixImpact.body).toMatchObject({ considered: 2, matched: 2, wouldChange: { queue: 2 } });
    await api.http.delete(`/api/v1/triage-rules/${prefix.body.id}`).set(bearer(admin)).expect(204);
    const after = await Promise.all(['tickets', 'ticket_events', 'outbox', 'triage_rules'].map((t) => count(t)));
    expect(after).toEqual(before2);
    expect(before2[0]).toBe(before[0] + 2);

    const enabled = await api.http.patch(`/api/v1/triage-rules/${rule.body.id}`).set(bearer(admin)).send({ enabled: true });
    expect(enabled.body.enabled).toBe(true);
    const dry2 = await api.http.post('/api/v1/triage-rules/dry-run').set(bearer(admin)).send({ subject: 'Problema de facturación', description: 'x' });
    expect(dry2.body.matchedRules.map((m: { name: string }) => m.name)).toEqual(['facturación a billing-es']);
    expect(dry2.body.result).toMatchObject({ queue: 'billing-es', priority: 'P2', tags: ['es'] });
    expect(dry2.body.reasons).toMatchObject({ priority: 'set by rule "facturación a billing-es"', queue: 'set by rule "facturación a billing-es"' });
    expect(dry2.body.why).toMatchObject({
      priority: { code: 'rule', params: { rule: 'facturación a billing-es' } },
      queue: { code: 'rule', params: { rule: 'facturación a billing-es' } },
      category: { code: 'classifier', params: { classifier: { code: 'matched', params: { words: ['facturación'] } } } },
    });
    // A category the ticket gives is its own reason.
    const summarised = await api.http.post('/api/v1/triage-rules/dry-run').set(bearer(admin)).send({ subject: 'Problema de facturación', description: 'x', category: 'billing' });
    expect(summarised.body.why.category).toEqual({ code: 'given', params: {} });
    await api.http.delete(`/api/v1/triage-rules/${rule.body.id}`).set(bearer(admin)).expect(204);
    expect((await api.http.delete(`/api/v1/triage-rules/${rule.body.id}`).set(bearer(admin))).status).toBe(404);
  });

  it('matches a customerId condition written in upper case (a UUID has no case)', async () => {
    const rule = await api.http.post('/api/v1/triage-rules').set(bearer(admin)).send({
      name: 'vip by id', position: 1, enabled: true, stopOnMatch: false, conditions: { customerId: [customer.id.toUpperCase()] }, actions: { tags: ['vip'] },
    });
    expect(rule.status).toBe(201);
    expect(rule.body.conditions.customerId).toEqual([customer.id]);
    for (const customerId of [customer.id, customer.id.toUpperCase()]) {
      const dry = await api.http.post('/api/v1/triage-rules/dry-run').set(bearer(admin)).send({ customerId, subject: 'Hello', description: 'Question' });
      expect(dry.body.matchedRules.map((m: { name: string }) => m.name)).toEqual(['vip by id']);
    }
    await api.http.delete(`/api/v1/triage-rules/${rule.body.id}`).set(bearer(admin)).expect(204);
  });

  it('impact does not count a priority change on a ticket whose customer gave a severity (severity wins)', async () => {
    const rule = await api.http.post('/api/v1/triage-rules').set(bearer(admin)).send({
      name: 'quasar priority', position: 1, enabled: false, stopOnMatch: false, conditions: { anyKeywords: ['quasar'] }, actions: { priority: 'P1' },
    });
    expect(rule.status).toBe(201);
    await post(ticketBody(undefined, { subject: 'Quasar portal', description: 'The quasar portal is slow' }));
    await post(ticketBody(undefined, { subject: 'Quasar portal', description: 'The quasar portal is slow', severity: 'P2' }));
    const impact = await api.http.get(`/api/v1/triage-rules/${rule.body.id}/impact?last=2`).set(bearer(admin));
    expect(impact.body).toMatchObject({ considered: 2, matched: 2, wouldChange: { priority: 1 } });
    await api.http.delete(`/api/v1/triage-rules/${rule.body.id}`).set(bearer(admin)).expect(204);
  });

  it('dry-runs a ticket body as POST /tickets takes it, requester included', async () => {
    const rule = await api.http.post('/api/v1/triage-rules').set(bearer(admin)).send({
      name: 'contoso requesters', position: 1, enabled: true, stopOnMatch: false, conditions: { requesterDomain: ['contoso.example'] }, actions: { tags: ['contoso'] },
    });
    expect(rule.status).toBe(201);
    const before = await count('tickets');
    const dry = await api.http.post('/api/v1/triage-rules/dry-run').set(bearer(admin)).send(ticketBody(customer.id, { severity: 'P2', externalId: 'dry-1' }));
    expect(dry.status).toBe(200);
    expect(dry.body.matchedRules.map((m: { name: string }) => m.name)).toEqual(['contoso requesters']);
    expect(dry.body.result).toMatchObject({ tags: ['contoso'], priority: 'P2' });
    const badRequester = await api.http.post('/api/v1/triage-rules/dry-run').set(bearer(admin)).send(ticketBody(customer.id, { requester: { name: 'X', email: 'nope' } }));
    expect(badRequester.status).toBe(400);
    expect(badRequester.body.errors.map((e: { field: string }) => e.field)).toContain('requester.email');
    expect(await count('tickets')).toBe(before);
    await api.http.delete(`/api/v1/triage-rules/${rule.body.id}`).set(bearer(admin)).expect(204);
  });

  it('impact judges a rule on the category and product a ticket arrived with, and never counts a change to what the customer gave', async () => {
    // Arrives without a category (the classifier makes it billing), then one the customer files as billing.
    const classified = await triaged((await post(ticketBody(undefined, { subject: 'Factura de octubre', description: 'La factura de Azure no cuadra' }))).body.id);
    const given = await triaged((await post(ticketBody(undefined, { subject: 'Factura de octubre', description: 'La factura de Azure no cuadra', category: 'billing' }))).body.id);
    expect([classified.category, given.category]).toEqual(['billing', 'billing']);
    const mk = async (conditions: object, actions: object) => {
      const res = await api.http.post('/api/v1/triage-rules').set(bearer(admin)).send({ name: 'impact', position: 1, enabled: false, stopOnMatch: false, conditions, actions });
      expect(res.status).toBe(201);
      const impact = await api.http.get(`/api/v1/triage-rules/${res.body.id}/impact?last=2`).set(bearer(admin));
      await api.http.delete(`/api/v1/triage-rules/${res.body.id}`).set(bearer(admin)).expect(204);
      return impact.body as { considered: number; matched: number; wouldChange: Record<string, number>; sampleTicketIds: string[] };
    };
    // Triage never saw "billing" on the first ticket: only the customer's category matches.
    const byCategory = await mk({ category: ['billing'] }, { queue: 'billing-vip' });
    expect(byCategory).toMatchObject({ considered: 2, matched: 1, wouldChange: { queue: 1 }, sampleTicketIds: [given.id] });
    // Both match by words; the rule's category would replace the classifier's, never the customer's.
    const recategorise = await mk({ anyKeywords: ['azure'] }, { category: 'technical', product: 'azure' });
    expect(recategorise).toMatchObject({ considered: 2, matched: 2, wouldChange: { category: 1 } });
    expect(recategorise.wouldChange.product).toBeUndefined();
  });

  it.each([
    ['an empty rule', { conditions: {}, actions: { queue: 'x' } }, 'conditions'],
    ['no action', { conditions: { anyKeywords: ['x'] }, actions: {} }, 'actions'],
    ['an unknown category', { conditions: { category: ['sales'] }, actions: { queue: 'x' } }, 'conditions.category'],
    ['an unknown priority', { conditions: { anyKeywords: ['x'] }, actions: { priority: 'P0' } }, 'actions.priority'],
    ['a bad runbook URL', { conditions: { anyKeywords: ['x'] }, actions: { diagnosis: { summary: 's', runbookUrl: 'not a url' } } }, 'actions.diagnosis.runbookUrl'],
    ['a bad queue name', { conditions: { anyKeywords: ['x'] }, actions: { queue: 'Bad Queue!' } }, 'actions.queue'],
    ['a keyword without a letter or digit', { conditions: { anyKeywords: ['factura', '*'] }, actions: { queue: 'x' } }, 'conditions.anyKeywords'],
    ['a "*" inside a word', { conditions: { allKeywords: ['fac*tura'] }, actions: { queue: 'x' } }, 'conditions.allKeywords'],
    ['a missing position', { position: undefined, conditions: { anyKeywords: ['x'] }, actions: { queue: 'x' } }, 'position'],
    // Keywords match whole words: one without a letter or digit would leave a rule that never matches.
    ['a keyword without a letter or digit', { conditions: { anyKeywords: ['factura', '!!!'] }, actions: { queue: 'x' } }, 'conditions.anyKeywords'],
    ['a blank keyword', { conditions: { allKeywords: ['  '] }, actions: { queue: 'x' } }, 'conditions.allKeywords'],
    // null is no value: stored, `anyKeywords: null` broke the triage of every P1 ticket, `category: null` wrote no category.
    ['a null keyword list', { conditions: { anyKeywords: null, severity: ['P1'] }, actions: { queue: 'x' } }, 'conditions.anyKeywords'],
    ['a null action', { conditions: { anyKeywords: ['x'] }, actions: { category: null, priority: 'P2' } }, 'actions.category'],
    ['a null runbook URL', { conditions: { anyKeywords: ['x'] }, actions: { diagnosis: { summary: 's', runbookUrl: null } } }, 'actions.diagnosis.runbookUrl'],
  ])('rejects %s with 400 naming %s', async (_c, override, field) => {
    const before = await count('triage_rules');
    const res = await api.http.post('/api/v1/triage-rules').set(bearer(admin)).send({ name: 'r', position: 1, enabled: true, stopOnMatch: false, ...override });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await count('triage_rules')).toBe(before);
  });

  it.each([
    ['name', { name: null }],
    ['position', { position: null }],
    ['enabled', { enabled: null }],
    ['stopOnMatch', { stopOnMatch: null }],
    ['conditions', { conditions: null }],
    ['actions', { actions: null }],
    ['conditions.anyKeywords', { conditions: { anyKeywords: null, severity: ['P1'] } }],
  ])('refuses a patch setting %s to null with 400, keeping the rule', async (field, patch) => {
    const rule = await api.http.post('/api/v1/triage-rules').set(bearer(admin)).send({
      name: 'null patch', position: 1, enabled: false, stopOnMatch: false, conditions: { anyKeywords: ['zz-null'] }, actions: { queue: 'x' },
    });
    expect(rule.status).toBe(201);
    const res = await api.http.patch(`/api/v1/triage-rules/${rule.body.id}`).set(bearer(admin)).send(patch);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect((await api.http.get(`/api/v1/triage-rules/${rule.body.id}`).set(bearer(admin))).body).toEqual(rule.body);
    await api.http.delete(`/api/v1/triage-rules/${rule.body.id}`).set(bearer(admin)).expect(204);
  });

  it.each(['title', 'symptoms', 'resolution'])('refuses a known issue with a blank %s (400), on create and on patch', async (field) => {
    const body = { title: 'Blank check', symptoms: 'Mailbox full', resolution: 'Archive', inScope: true };
    const before = await count('known_issues');
    const created = await api.http.post('/api/v1/known-issues').set(bearer(admin)).send({ ...body, [field]: '   ' });
    expect(created.status).toBe(400);
    expect(created.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await count('known_issues')).toBe(before);
    const issue = await api.http.post('/api/v1/known-issues').set(bearer(admin)).send(body);
    const patched = await api.http.patch(`/api/v1/known-issues/${issue.body.id}`).set(bearer(admin)).send({ [field]: ' \n ' });
    expect(patched.status).toBe(400);
    expect((await api.http.get(`/api/v1/known-issues/${issue.body.id}`).set(bearer(admin))).body).toEqual(issue.body);
    await api.http.delete(`/api/v1/known-issues/${issue.body.id}`).set(bearer(admin)).expect(204);
  });

  it('patches a known issue: null clears product, category or runbookUrl and is refused (400) for the other fields', async () => {
    const issue = await api.http.post('/api/v1/known-issues').set(bearer(admin)).send({
      title: 'Null patch', symptoms: 'Nothing', product: 'azure', category: 'technical', resolution: 'None', runbookUrl: 'https://wiki.example/x', inScope: true,
    });
    expect(issue.status).toBe(201);
    for (const field of ['title', 'symptoms', 'resolution', 'inScope']) {
      const res = await api.http.patch(`/api/v1/known-issues/${issue.body.id}`).set(bearer(admin)).send({ [field]: null });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect((await api.http.get(`/api/v1/known-issues/${issue.body.id}`).set(bearer(admin))).body).toEqual(issue.body);
    const cleared = await api.http.patch(`/api/v1/known-issues/${issue.body.id}`).set(bearer(admin)).send({ product: null, category: null, runbookUrl: null });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({ product: null, category: null, runbookUrl: null, title: 'Null patch' });
    await api.http.delete(`/api/v1/known-issues/${issue.body.id}`).set(bearer(admin)).expect(204);
  });

  it('pauses the clock while waiting on the customer and moves the due dates by the time paused; a priority change recomputes from creation', async () => {
    const created = await post(ticketBody(undefined, { subject: 'Azure VM slow', description: 'The VM is slow' }));
    const t = await triaged(created.body.id);
    await api.http.patch(`/api/v1/tickets/${t.id}`).set(bearer(admin)).send({ status: 'in_progress' }).expect(200);
    const waiting = await api.http.patch(`/api/v1/tickets/${t.id}`).set(bearer(admin)).send({ status: 'waiting_on_customer' });
    expect(waiting.body.sla.pausedSince).toEqual(expect.any(String));
    // 90 minutes pass while paused (moved back in the database, the clock's own record of time).
    await api.dataSource.query(`UPDATE tickets SET sla_paused_since = sla_paused_since - interval '90 minutes' WHERE id = $1`, [t.id]);
    const resumed = await api.http.patch(`/api/v1/tickets/${t.id}`).set(bearer(admin)).send({ status: 'in_progress' });
    expect(resumed.body.sla.pausedSince).toBeNull();
    const moved = new Date(resumed.body.sla.resolutionDueAt).getTime() - new Date(plus(t.createdAt, 1440)).getTime();
    expect(moved / MIN).toBeCloseTo(90, 0);
    expect(new Date(resumed.body.sla.firstResponseDueAt).getTime() - new Date(plus(t.createdAt, 240)).getTime()).toBe(moved);

    const p1 = await api.http.patch(`/api/v1/tickets/${t.id}`).set(bearer(admin)).send({ priority: 'P1' });
    expect(new Date(p1.body.sla.firstResponseDueAt).getTime()).toBe(new Date(plus(t.createdAt, 30)).getTime() + moved);
    expect(new Date(p1.body.sla.resolutionDueAt).getTime()).toBe(new Date(plus(t.createdAt, 240)).getTime() + moved);
    const types = (await events(t.id)).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['sla_paused', 'sla_resumed', 'priority_changed']));
  });

  it('the monitor records sla_warning at 75 % and sla_breached at 100 %, once each', async () => {
    const created = await post(ticketBody(undefined, { subject: 'Exchange mailbox full', description: 'Mailbox quota', severity: 'P4' }));
    const t = await triaged(created.body.id);
    const monitor = worker.get(SlaMonitorService);
    // P4: 480 min first response. 70 %: nothing; 80 %: warning; 110 %: breach.
    await monitor.scan(new Date(plus(t.createdAt, 480 * 0.7)));
    expect((await events(t.id)).filter((e) => e.type.startsWith('sla_'))).toEqual([]);
    await monitor.scan(new Date(plus(t.createdAt, 480 * 0.8)));
    await monitor.scan(new Date(plus(t.createdAt, 480 * 0.8 + 1)));
    let sla = (await events(t.id)).filter((e) => e.type.startsWith('sla_'));
    expect(sla.map((e) => [e.type, e.data.target])).toEqual([['sla_warning', 'firstResponse']]);
    await monitor.scan(new Date(plus(t.createdAt, 480 * 1.1)));
    await monitor.scan(new Date(plus(t.createdAt, 480 * 1.2)));
    sla = (await events(t.id)).filter((e) => e.type.startsWith('sla_'));
    expect(sla.map((e) => [e.type, e.data.target])).toEqual([['sla_warning', 'firstResponse'], ['sla_breached', 'firstResponse']]);
    expect((await get(t.id)).sla.breached).toEqual({ firstResponse: true, resolution: false });
    // A paused clock never breaches.
    await api.http.patch(`/api/v1/tickets/${t.id}`).set(bearer(admin)).send({ status: 'in_progress' });
    await api.http.patch(`/api/v1/tickets/${t.id}`).set(bearer(admin)).send({ status: 'waiting_on_customer' });
    await monitor.scan(new Date(plus(t.createdAt, 2880 * 5)));
    expect((await events(t.id)).filter((e) => e.type === 'sla_breached')).toHaveLength(1);
  });

  it('never pushes an agent over the cap with two triage workers at once, and balances by open tickets', async () => {
    const second = await startTestWorker({ DATABASE_URL: api.database.url, REDIS_URL: JSON.parse(process.env.HELPDESK_TEST_STACK!).redisUrl, QUEUE_PREFIX: api.queuePrefix });
    try {
      const a = await createAgent(api, ['helpdesk_agent']);
      const b = await createAgent(api, ['helpdesk_agent']);
      await api.http.patch(`/api/v1/agents/${a.id}`).set(bearer(admin)).send({ queues: ['dynamics'], maxOpenTickets: 2 }).expect(200);
      await api.http.patch(`/api/v1/agents/${b.id}`).set(bearer(admin)).send({ queues: ['dynamics'], maxOpenTickets: 3 }).expect(200);
      const rule = await api.http.post('/api/v1/triage-rules').set(bearer(admin)).send({ name: 'crm', position: 1, enabled: true, stopOnMatch: true, conditions: { anyKeywords: ['crm'] }, actions: { queue: 'dynamics' } });
      const ids = await Promise.all(Array.from({ length: 12 }, (_, i) => post(ticketBody(undefined, { subject: `CRM sync ${i}`, description: 'The CRM does not sync' })).then((r) => r.body.id as string)));
      await eventually(() => count(`tickets WHERE id = ANY('{${ids.join(',')}}'::uuid[]) AND status = 'triaged'`), (n) => n === 12, 30_000, 'all 12 triaged');
      const perAgent = await api.dataSource.query(`SELECT assignee_id, count(*)::int AS n FROM tickets WHERE id = ANY($1::uuid[]) GROUP BY assignee_id`, [ids]);
      const byAgent = Object.fromEntries(perAgent.map((r: { assignee_id: string | null; n: number }) => [r.assignee_id ?? 'none', r.n]));
      expect({ ...byAgent, a: a.id, b: b.id }).toEqual({ [a.id]: 2, [b.id]: 3, none: 7, a: a.id, b: b.id });
      await api.http.delete(`/api/v1/triage-rules/${rule.body.id}`).set(bearer(admin));
    } finally {
      await second.close();
    }
  });

  it('retriages on request and keeps what an agent chose', async () => {
    const created = await post(ticketBody(undefined, { subject: 'Licencias', description: 'Necesitamos renovar licencias' }));
    const t = await triaged(created.body.id);
    expect(t.category).toBe('subscription_management');
    expect(t.queue).toBe('subscriptions');
    await api.http.patch(`/api/v1/tickets/${t.id}`).set(bearer(admin)).send({ priority: 'P2' }).expect(200);
    const res = await api.http.post(`/api/v1/tickets/${t.id}/retriage`).set(bearer(admin));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'triaged', priority: 'P2', category: 'subscription_management' });
    const triagedEvents = (await events(t.id)).filter((e) => e.type === 'triaged');
    expect(triagedEvents.map((e) => e.data.retriage)).toEqual([false, true]);
    expect((await api.http.post('/api/v1/tickets/00000000-0000-4000-8000-000000000000/retriage').set(bearer(admin))).status).toBe(404);
    expect((await api.http.post(`/api/v1/tickets/${t.id}/retriage`).set(bearer(customer.token))).status).toBe(403);
  });
});
