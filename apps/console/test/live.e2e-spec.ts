import { bearer, createAgent, createCustomer, createPlan, eventually, ticketBody } from '../../../test/support';
import { openPage, signIn, startConsoleStack, type ConsoleStack } from './support/console-stack';

jest.setTimeout(120_000);

describe('console: live updates over the SSE stream (real Chromium, API, worker, Redis pub/sub)', () => {
  let stack: ConsoleStack;
  let admin: { id: string; token: string };
  let customerId: string;

  beforeAll(async () => {
    stack = await startConsoleStack();
    customerId = (await createCustomer(stack.api, (await createPlan(stack.api)).id, 'Northwind')).id;
    admin = await createAgent(stack.api, ['admin_agent']);
  });
  afterAll(() => stack?.close());

  it('shows a ticket created through the API in an open inbox without a reload', async () => {
    const { context, page, problems } = await openPage(stack);
    await signIn(page, admin.token);
    await page.getByText('Live', { exact: true }).waitFor();
    await page.getByText('No tickets match these filters.').waitFor();
    // Nothing reloads the page from here on: a marker on window would vanish with a reload.
    await page.evaluate(() => ((window as unknown as { untouched: boolean }).untouched = true));

    const created = await stack.api.http.post('/api/v1/tickets').set(bearer(stack.api.adminToken)).send(ticketBody(customerId, { subject: 'Teams calls drop every ten minutes' }));
    expect(created.status).toBe(201);
    await page.getByRole('row').filter({ hasText: 'Teams calls drop every ten minutes' }).waitFor({ timeout: 10_000 });
    await page.getByRole('row').filter({ hasText: created.body.number }).waitFor();
    expect(await page.evaluate(() => (window as unknown as { untouched?: boolean }).untouched)).toBe(true);
    expect(problems).toEqual({ errors: [], cspViolations: [] });
    await context.close();
  });

  it('asks again for what the stream announced while it was down, once it opens again', async () => {
    expect((await stack.api.http.post('/api/v1/tickets').set(bearer(stack.api.adminToken)).send(ticketBody(customerId, { subject: 'Made before the page opened' }))).status).toBe(201);
    const { context, page, problems } = await openPage(stack);
    // The tab's first stream opens and ends at once (a dropped connection); every later one is refused
    // until the route is lifted, so the ticket made meanwhile is announced to nobody in this tab.
    let streams = 0;
    await page.route('**/api/v1/queues/stream?**', (route) =>
      streams++ === 0
        ? route.fulfill({ status: 200, headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store' }, body: ': opened\n\n' })
        : route.fulfill({ status: 503, contentType: 'text/plain', body: 'down' }),
    );
    await signIn(page, admin.token);
    await page.getByRole('row').filter({ hasText: 'Made before the page opened' }).waitFor();
    await page.getByText('Reconnecting…', { exact: true }).waitFor();
    await page.evaluate(() => ((window as unknown as { untouched: boolean }).untouched = true));
    const refused = streams;

    const created = await stack.api.http.post('/api/v1/tickets').set(bearer(stack.api.adminToken)).send(ticketBody(customerId, { subject: 'Backups fail while the stream is down' }));
    expect(created.status).toBe(201);
    await eventually(async () => streams, (n) => n > refused, 10_000, 'a refused reconnect after the ticket was made');
    await expect(page.getByRole('row').filter({ hasText: 'Backups fail while the stream is down' }).count()).resolves.toBe(0);

    await page.unroute('**/api/v1/queues/stream?**');
    await page.getByText('Live', { exact: true }).waitFor({ timeout: 10_000 });
    // The inbox asks for its first page every 30 s anyway: well before that, the reopened stream made it ask.
    await page.getByRole('row').filter({ hasText: 'Backups fail while the stream is down' }).waitFor({ timeout: 10_000 });
    expect(await page.evaluate(() => (window as unknown as { untouched?: boolean }).untouched)).toBe(true);
    expect(problems.cspViolations).toEqual([]);
    await context.close();
  });

  it('keeps the dashboard tiles current from the stream, without asking for the snapshot again', async () => {
    const { context, page } = await openPage(stack);
    await signIn(page, admin.token);
    const snapshots: string[] = [];
    page.on('request', (request) => request.url().endsWith('/api/v1/queues/stats') && snapshots.push(request.url()));
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('heading', { name: 'Ticket queues' }).waitFor();
    const before = await stack.api.http.get('/api/v1/queues/stats').set(bearer(stack.api.adminToken));
    const openIn = (queues: Array<{ queue: string | null; open: number }>, name: string) => queues.find((q) => q.queue === name)?.open ?? 0;
    const technicalBefore = openIn(before.body.ticketQueues, 'technical');

    const created = await stack.api.http.post('/api/v1/tickets').set(bearer(stack.api.adminToken)).send(ticketBody(customerId, { subject: 'VM does not start', category: 'technical' }));
    await eventually(async () => (await stack.api.http.get(`/api/v1/tickets/${created.body.id}`).set(bearer(stack.api.adminToken))).body.queue, (q) => q === 'technical', 15_000, 'routed');
    const tile = page.locator('.tile', { has: page.getByRole('heading', { name: 'technical', exact: true }) });
    await tile.locator('div', { has: page.getByText('Open', { exact: true }) }).locator('dd', { hasText: String(technicalBefore + 1) }).waitFor({ timeout: 10_000 });
    // The stream's stats events (every 2 s) carried the change: the page asked for the snapshot at most once, before the stream opened.
    expect(snapshots.length).toBeLessThanOrEqual(1);
    await context.close();
  });

  it("shows each agent's open tickets against their cap and follows assignments without a reload", async () => {
    const worker = await createAgent(stack.api, ['helpdesk_agent']);
    expect((await stack.api.http.patch(`/api/v1/agents/${worker.id}`).set(bearer(stack.api.adminToken)).send({ maxOpenTickets: 2 })).status).toBe(200);
    const name = (await stack.api.http.get(`/api/v1/agents/${worker.id}`).set(bearer(stack.api.adminToken))).body.name as string;
    const { context, page, problems } = await openPage(stack);
    await signIn(page, admin.token);
    await page.getByRole('link', { name: 'Dashboard' }).click();
    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) });
    await row.getByText('0 of 2', { exact: true }).waitFor();
    await page.evaluate(() => ((window as unknown as { untouched: boolean }).untouched = true));

    const assign = async (subject: string) => {
      const created = await stack.api.http.post('/api/v1/tickets').set(bearer(stack.api.adminToken)).send(ticketBody(customerId, { subject }));
      expect(created.status).toBe(201);
      const assigned = await stack.api.http.patch(`/api/v1/tickets/${created.body.id}`).set(bearer(stack.api.adminToken)).send({ assigneeId: worker.id });
      expect(assigned.status).toBe(200);
    };
    await assign('Printer queue stuck');
    await row.getByText('1 of 2', { exact: true }).waitFor({ timeout: 20_000 });
    await assign('Mailbox full');
    await row.getByText('2 of 2 · at cap', { exact: true }).waitFor({ timeout: 20_000 });
    expect(await row.getByRole('meter').getAttribute('aria-label')).toBe(`${name}: 2 open tickets of a cap of 2`);
    expect(await page.evaluate(() => (window as unknown as { untouched?: boolean }).untouched)).toBe(true);
    expect(problems).toEqual({ errors: [], cspViolations: [] });
    await context.close();
  });
});
