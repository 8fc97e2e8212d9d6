import { COUNT_MAX_AGE_MS } from '@helpdesk/workbench';
import { bearer, createAgent, createCustomer, createPlan, startTestApi, TestApi, ticketBody } from '../support';

/** GET /tickets?q=…: full-text search over number, subject, description and comments. */
describe('ticket search', () => {
  let api: TestApi;
  let contoso: { id: string; token: string };
  let northwind: { id: string; token: string };
  let agent: { id: string; token: string };
  const tickets: Record<string, { id: string; number: string }> = {};

  const file = async (key: string, customerId: string, subject: string, description: string) => {
    const res = await api.http.post('/api/v1/tickets').set(bearer(agent.token)).send(ticketBody(customerId, { subject, description }));
    expect(res.status).toBe(201);
    tickets[key] = res.body;
  };
  const comment = async (key: string, body: string, visibility: 'public' | 'internal', token = agent.token) => {
    const res = await api.http.post(`/api/v1/tickets/${tickets[key].id}/comments`).set(bearer(token)).send({ body, visibility });
    expect(res.status).toBe(201);
  };
  const search = async (query: Record<string, string | string[]>, token = agent.token) => {
    const res = await api.http.get('/api/v1/tickets').query(query).set(bearer(token));
    expect(res.status).toBe(200);
    return res.body as { items: Array<{ id: string; number: string; subject: string }>; nextCursor: string | null };
  };
  const keysOf = (items: Array<{ id: string }>) => items.map((t) => Object.keys(tickets).find((k) => tickets[k].id === t.id) ?? t.id);

  beforeAll(async () => {
    api = await startTestApi();
    const plan = await createPlan(api);
    contoso = await createCustomer(api, plan.id, 'Contoso');
    northwind = await createCustomer(api, plan.id, 'Northwind');
    agent = await createAgent(api, ['helpdesk_agent']);
    await file('factura', contoso.id, 'La factura de Azure tiene un importe incorrecto', 'Nos cobran el mes completo de las licencias.');
    await file('facturas', contoso.id, 'Dudas con las facturas de noviembre', 'Necesitamos las facturas en PDF para contabilidad.');
    await file('sesion', contoso.id, 'No puedo iniciar sesión en Teams', 'Desde esta mañana aparece el error AADSTS50076.');
    await file('outlook', contoso.id, 'Cannot sign in to Outlook', 'Since this morning nobody in accounting can open Outlook on the web.');
    await file('invoice', contoso.id, 'Invoice shows the wrong number of licences', 'We bought 100 licences and the invoice charges 120.');
    await file('northwind', northwind.id, 'Northwind invoice question about licences', 'Our invoice for Teams licences looks wrong too.');
    await file('vm', contoso.id, 'Production VM unreachable', 'The virtual machine stopped answering at 03:12 UTC.');
    await comment('vm', 'The customer mentioned the kernel panic happened after patching.', 'public');
    await comment('vm', 'Internal: the hypervisor host westeurope-17 was drained by mistake.', 'internal');
    await comment('outlook', 'Confirmamos que también falla en la aplicación de escritorio.', 'public', contoso.token);
  });
  afterAll(async () => {
    await api.close();
  });

  it('finds Spanish words whatever their form or accents (stemming, unaccent)', async () => {
    expect(keysOf((await search({ q: 'factura' })).items).sort()).toEqual(['factura', 'facturas']);
    expect(keysOf((await search({ q: 'FACTURAS' })).items).sort()).toEqual(['factura', 'facturas']);
    expect(keysOf((await search({ q: 'sesion' })).items)).toEqual(['sesion']);
    expect(keysOf((await search({ q: 'sesión' })).items)).toEqual(['sesion']);
    expect(keysOf((await search({ q: 'mañana' })).items).sort()).toEqual(['sesion']);
    expect(keysOf((await search({ q: 'manana' })).items).sort()).toEqual(['sesion']);
  });

  it('finds English words whatever their form (stemming)', async () => {
    expect(keysOf((await search({ q: 'licence', customerId: contoso.id })).items)).toEqual(['invoice']);
    expect(keysOf((await search({ q: 'invoices' })).items).sort()).toEqual(['invoice', 'northwind']);
    expect(keysOf((await search({ q: 'charged' })).items)).toEqual(['invoice']);
  });

  it('searches comments: public and internal ones for staff', async () => {
    expect(keysOf((await search({ q: 'kernel panic' })).items)).toEqual(['vm']);
    expect(keysOf((await search({ q: 'hypervisor' })).items)).toEqual(['vm']);
    expect(keysOf((await search({ q: 'escritorio' })).items)).toEqual(['outlook']);
  });

  it('web-search syntax: "phrases", -excluded words and or', async () => {
    expect(keysOf((await search({ q: '"sign in" outlook' })).items)).toEqual(['outlook']);
    expect(keysOf((await search({ q: '"wrong number"' })).items)).toEqual(['invoice']);
    expect(keysOf((await search({ q: '"number wrong"' })).items)).toEqual([]);
    expect(keysOf((await search({ q: 'invoice -teams' })).items)).toEqual(['invoice']);
    expect(keysOf((await search({ q: 'hypervisor or outlook' })).items).sort()).toEqual(['outlook', 'vm']);
  });

  it('ranks subject matches above description and comment matches', async () => {
    await file('rank-comment', contoso.id, 'Printer offline', 'Nothing else.');
    await comment('rank-comment', 'Also the sharepoint site is slow.', 'public');
    await file('rank-description', contoso.id, 'Slow site', 'Our sharepoint portal takes a minute to load.');
    await file('rank-subject', contoso.id, 'SharePoint site down', 'Nobody can reach it.');
    expect(keysOf((await search({ q: 'sharepoint' })).items)).toEqual(['rank-subject', 'rank-description', 'rank-comment']);
  });

  it('finds a ticket by its number first, in any of its forms', async () => {
    const n = Number(tickets.vm.number.slice(3));
    for (const q of [tickets.vm.number, tickets.vm.number.toLowerCase(), `#${n}`, String(n)]) {
      const page = await search({ q });
      expect(keysOf(page.items)[0]).toBe('vm');
    }
  });

  it('combines with every filter and with the sorts', async () => {
    expect(keysOf((await search({ q: 'invoice', customerId: northwind.id })).items)).toEqual(['northwind']);
    expect(keysOf((await search({ q: 'invoice', status: 'new' })).items).sort()).toEqual(['invoice', 'northwind']);
    expect(keysOf((await search({ q: 'invoice', status: 'closed' })).items)).toEqual([]);
    expect(keysOf((await search({ q: 'invoice', priority: 'P1' })).items)).toEqual([]);
    expect(keysOf((await search({ q: 'invoice', assigneeId: 'none' })).items).sort()).toEqual(['invoice', 'northwind']);
    expect(keysOf((await search({ q: 'invoice', assigneeId: agent.id })).items)).toEqual([]);
    expect(keysOf((await search({ q: 'invoice', queue: 'billing' })).items)).toEqual([]);
    expect(keysOf((await search({ q: 'invoice', category: 'billing' })).items)).toEqual([]);
    expect(keysOf((await search({ q: 'invoice', tag: 'vip' })).items)).toEqual([]);
    await api.dataSource.query(`UPDATE tickets SET tags = '{vip}' WHERE id = $1`, [tickets.northwind.id]);
    expect(keysOf((await search({ q: 'invoice', tag: 'vip' })).items)).toEqual(['northwind']);
    // Newest first, oldest first by due (no clock: newest first), last updated first.
    expect(keysOf((await search({ q: 'factura', sort: '-number' })).items)).toEqual(['facturas', 'factura']);
    expect(keysOf((await search({ q: 'factura', sort: 'due' })).items)).toEqual(['facturas', 'factura']);
    await api.dataSource.query(`UPDATE tickets SET updated_at = now() + interval '1 minute' WHERE id = $1`, [tickets.factura.id]);
    expect(keysOf((await search({ q: 'factura', sort: '-updated' })).items)).toEqual(['factura', 'facturas']);
  });

  it('a customer searches only its own tickets, and only what it may read', async () => {
    expect(keysOf((await search({ q: 'invoice' }, contoso.token)).items)).toEqual(['invoice']);
    expect(keysOf((await search({ q: 'invoice' }, northwind.token)).items)).toEqual(['northwind']);
    // The internal comment is not found; the public one is.
    expect(keysOf((await search({ q: 'hypervisor' }, contoso.token)).items)).toEqual([]);
    expect(keysOf((await search({ q: 'westeurope' }, contoso.token)).items)).toEqual([]);
    expect(keysOf((await search({ q: 'kernel' }, contoso.token)).items)).toEqual(['vm']);
    expect(keysOf((await search({ q: 'hypervisor or kernel' }, contoso.token)).items)).toEqual(['vm']);
    expect(keysOf((await search({ q: 'hypervisor', sort: '-number' }, contoso.token)).items)).toEqual([]);
    // Another customer's number finds nothing.
    expect(keysOf((await search({ q: tickets.northwind.number }, contoso.token)).items)).toEqual([]);
    const forbidden = await api.http.get('/api/v1/tickets').query({ q: 'invoice', customerId: northwind.id }).set(bearer(contoso.token));
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.errors[0].field).toBe('customerId');
    const me = await api.http.get('/api/v1/tickets').query({ q: 'invoice', assigneeId: 'me' }).set(bearer(contoso.token));
    expect(me.status).toBe(400);
    expect(me.body.errors[0].field).toBe('assigneeId');
  });

  describe('staff who only read a ticket search its public part', () => {
    let sales: { id: string; token: string };
    let billing: { id: string; token: string };
    const categorise = async (key: string, category: string) => {
      expect((await api.http.patch(`/api/v1/tickets/${tickets[key].id}`).set(bearer(agent.token)).send({ category })).status).toBe(200);
    };
    beforeAll(async () => {
      [sales, billing] = await Promise.all([createAgent(api, ['sales_agent']), createAgent(api, ['billing_admin'])]);
      await file('refund', contoso.id, 'Refund for the duplicated Azure charge', 'We were charged twice in October.');
      await file('firmware', contoso.id, 'Switch keeps rebooting', 'The core switch restarts every hour.');
      await categorise('refund', 'billing');
      await categorise('firmware', 'technical');
      await comment('refund', 'Nota interna: el proveedor Fabrikam aprueba el abono.', 'internal');
      await comment('refund', 'We have asked the vendor for the credit note.', 'public');
      await comment('firmware', 'Internal: rollback of the quokka firmware on rack 12.', 'internal');
      await comment('firmware', 'We are replacing the power supply tonight.', 'public');
    });

    it.each([['relevance'], ['-number'], ['due']])('sales_agent never finds words of internal comments (sort %s)', async (sort) => {
      for (const q of ['fabrikam', 'quokka', 'hypervisor', 'westeurope', 'fabrikam or quokka']) {
        expect(keysOf((await search({ q, sort }, sales.token)).items)).toEqual([]);
      }
      expect(keysOf((await search({ q: 'credit note', sort }, sales.token)).items)).toEqual(['refund']);
      expect(keysOf((await search({ q: 'power supply', sort }, sales.token)).items)).toEqual(['firmware']);
      expect(keysOf((await search({ q: 'quokka or supply', sort }, sales.token)).items)).toEqual(['firmware']);
      expect(keysOf((await search({ q: 'kernel', sort }, sales.token)).items)).toEqual(['vm']);
    });

    it.each([['relevance'], ['-number']])('billing_admin finds internal comments of billing tickets only (sort %s)', async (sort) => {
      expect(keysOf((await search({ q: 'fabrikam', sort }, billing.token)).items)).toEqual(['refund']);
      expect(keysOf((await search({ q: 'abono', sort }, billing.token)).items)).toEqual(['refund']);
      for (const q of ['quokka', 'hypervisor', 'rack']) expect(keysOf((await search({ q, sort }, billing.token)).items)).toEqual([]);
      expect(keysOf((await search({ q: 'fabrikam or quokka or supply', sort }, billing.token)).items).sort()).toEqual(['firmware', 'refund']);
      expect(keysOf((await search({ q: 'supply', sort }, billing.token)).items)).toEqual(['firmware']);
    });

    it('ticket workers find every comment; a ticket moved out of billing hides its internal words from billing_admin at once', async () => {
      expect(keysOf((await search({ q: 'fabrikam or quokka' })).items).sort()).toEqual(['firmware', 'refund']);
      await categorise('refund', 'subscription_management');
      expect(keysOf((await search({ q: 'fabrikam' }, billing.token)).items)).toEqual([]);
      expect(keysOf((await search({ q: 'credit' }, billing.token)).items)).toEqual(['refund']);
      await categorise('refund', 'billing');
      expect(keysOf((await search({ q: 'fabrikam' }, billing.token)).items)).toEqual(['refund']);
    });

    it('a view\'s count counts what its owner may find', async () => {
      const create = async (token: string) => {
        const res = await api.http.post('/api/v1/views').set(bearer(token)).send({ name: 'Fabrikam', visibility: 'personal', filter: { q: 'fabrikam or quokka' } });
        expect(res.status).toBe(201);
        return res.body as { id: string; count: number };
      };
      expect((await create(sales.token)).count).toBe(0);
      expect((await create(billing.token)).count).toBe(1);
      expect((await create(agent.token)).count).toBe(2);
      const salesView = (await api.http.get('/api/v1/views').set(bearer(sales.token))).body.find((v: { name: string }) => v.name === 'Fabrikam');
      const page = await api.http.get(`/api/v1/views/${salesView.id}/tickets`).set(bearer(sales.token));
      expect(page.status).toBe(200);
      expect(page.body.items).toEqual([]);
    });
  });

  it('keeps the index current in the write transaction: a new comment is found at once', async () => {
    expect((await search({ q: 'zanahoria' })).items).toEqual([]);
    await comment('invoice', 'Una zanahoria en el informe.', 'internal');
    expect(keysOf((await search({ q: 'zanahorias' })).items)).toEqual(['invoice']);
    expect(keysOf((await search({ q: 'zanahorias' }, contoso.token)).items)).toEqual([]);
  });

  it('finds the words of a first public staff reply at once, in both languages, for staff and for the ticket\'s customer', async () => {
    // The ticket's first response: the comment, its events and the first-response mark are one statement.
    await comment('facturas', 'Adjuntamos los justificantes solicitados.', 'public');
    await comment('northwind', 'We refunded the overcharged seats.', 'public');
    expect(keysOf((await search({ q: 'justificante' })).items)).toEqual(['facturas']);
    expect(keysOf((await search({ q: 'justificante' }, contoso.token)).items)).toEqual(['facturas']);
    expect(keysOf((await search({ q: 'refund seat' })).items)).toEqual(['northwind']);
    expect(keysOf((await search({ q: 'refund seat' }, northwind.token)).items)).toEqual(['northwind']);
    expect(keysOf((await search({ q: 'refund seat' }, contoso.token)).items)).toEqual([]);
    const facturas = await api.http.get(`/api/v1/tickets/${tickets.facturas.id}`).set(bearer(agent.token));
    expect(facturas.body.firstRespondedAt).not.toBeNull();
  });

  it('a search in open statuses follows the ticket as it is resolved, closed and reopened (in every sort and in a view count)', async () => {
    await file('lifecycle', contoso.id, 'Wombat sighting in the datacenter', 'A wombat chewed the fibre.');
    const patch = async (status: string) => expect((await api.http.patch(`/api/v1/tickets/${tickets.lifecycle.id}`).set(bearer(agent.token)).send({ status })).status).toBe(200);
    const found = async (status: string[]) => {
      const ranked = keysOf((await search({ q: 'wombat', status })).items);
      const byDue = keysOf((await search({ q: 'wombat', status, sort: 'due' })).items);
      expect(byDue).toEqual(ranked);
      return ranked;
    };
    const open = ['new', 'triaged', 'in_progress', 'waiting_on_customer', 'escalated'];
    expect(await found(['new'])).toEqual(['lifecycle']);
    expect(await found(open)).toEqual(['lifecycle']);
    await patch('triaged');
    await patch('in_progress');
    expect(await found(['in_progress'])).toEqual(['lifecycle']);
    await patch('resolved');
    expect(await found(open)).toEqual([]);
    expect(await found(['resolved'])).toEqual(['lifecycle']);
    await patch('in_progress');
    expect(await found(['in_progress', 'waiting_on_customer'])).toEqual(['lifecycle']);
    const view = await api.http.post('/api/v1/views').set(bearer(agent.token)).send({ name: 'Wombats at work', visibility: 'personal', filter: { q: 'wombat', status: ['in_progress'] }, sort: 'due' });
    expect(view.status).toBe(201);
    expect(view.body.count).toBe(1);
    await patch('resolved');
    await patch('closed');
    const closedAt = Date.now();
    expect(await found(open)).toEqual([]);
    expect(await found(['closed'])).toEqual(['lifecycle']);
    // A search view's count is shared for a second: any request begun 2 s after the change shows it.
    for (;;) {
      const askedAt = Date.now();
      const { count } = (await api.http.get(`/api/v1/views/${view.body.id}`).set(bearer(agent.token))).body as { count: number };
      if (count === 0) break;
      if (askedAt - closedAt > COUNT_MAX_AGE_MS) expect(count).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  it.each([
    ['blank', { q: '   ' }, 'q'],
    ['empty', { q: '' }, 'q'],
    ['no word', { q: '"-" ()' }, 'q'],
    ['too long', { q: 'x'.repeat(201) }, 'q'],
    ['relevance without q', { sort: 'relevance' }, 'sort'],
    ['unknown sort', { q: 'invoice', sort: 'oldest' }, 'sort'],
  ])('400 naming the field for %s', async (_c, query, field) => {
    const res = await api.http.get('/api/v1/tickets').query(query).set(bearer(agent.token));
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    // The services' checks say why by their codes, for the console to say in its own words.
    if (_c === 'no word') expect(res.body.errors).toEqual([{ field: 'q', message: expect.any(String), code: 'searchWord', params: {} }]);
    if (_c === 'relevance without q') expect(res.body.errors).toEqual([{ field: 'sort', message: expect.any(String), code: 'needsSearch', params: {} }]);
  });

  describe('relevance pages over windows of matches', () => {
    let cheese: Set<string>;
    beforeAll(async () => {
      // More matches than a relevance window (500): a subject match every seventh ticket.
      const rows: Array<{ id: string }> = await api.dataSource.query(
        `INSERT INTO tickets (id, customer_id, subject, description, priority, channel, requester_name, requester_email)
         SELECT gen_random_uuid(), $1, CASE WHEN g % 7 = 0 THEN 'Queso manchego ' || g ELSE 'Pedido ' || g END,
                'Un pedido de queso número ' || g, 'P3', 'api', 'Marta', 'marta@contoso.example'
           FROM generate_series(1, 1200) g RETURNING id`,
        [contoso.id],
      );
      cheese = new Set(rows.map((r) => r.id));
    });

    it('pages through every match once, best first within each window', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: { items: Array<{ id: string; subject: string }>; nextCursor: string | null } = await search({ q: 'queso', limit: '200', ...(cursor ? { cursor } : {}) });
        seen.push(...page.items.map((t) => t.id));
        if (pages === 0) expect(page.items.slice(0, 20).every((t) => t.subject.startsWith('Queso'))).toBe(true);
        cursor = page.nextCursor;
        pages++;
      } while (cursor);
      expect(seen).toHaveLength(1200);
      expect(new Set(seen)).toEqual(cheese);
      expect(pages).toBe(6);
    });

    it('refuses a cursor of another q, of another sort, or edited', async () => {
      const page = await search({ q: 'queso', limit: '10' });
      const cursor = page.nextCursor!;
      for (const query of [
        { q: 'pedido', cursor },
        { q: 'queso', sort: '-number', cursor },
        { q: 'queso', cursor: cursor.slice(0, -2) + (cursor.endsWith('AA') ? 'BB' : 'AA') },
        { q: 'queso', cursor: 'eyJzIjoicmVsZXZhbmNlIn0' },
      ]) {
        const res = await api.http.get('/api/v1/tickets').query(query).set(bearer(agent.token));
        expect(res.status).toBe(400);
        expect(res.body.errors).toEqual([{ field: 'cursor', message: expect.any(String), code: 'invalid', params: {} }]);
      }
    });
  });
});
