import { generateWebhookSecret } from '@helpdesk/webhooks';
import { bearer, createAgent, createCustomer, createPlan, eventually, ticketBody } from '../../../test/support';
import { contract, NO_CONTRACT, putEntitlements, putWebhookTier, Receiver, workedTicket } from '../../../test/escalation/support';
import { openPage, screenshot, signIn, startConsoleStack, type ConsoleStack } from './support/console-stack';

jest.setTimeout(120_000);

const SECRET = generateWebhookSecret();

describe('console: an agent works a ticket end to end (real Chromium, API, worker, PostgreSQL, Redis, vendor webhook)', () => {
  let stack: ConsoleStack;
  let receiver: Receiver;
  let agent: { id: string; token: string };
  let customerId: string;

  const get = async (path: string) => (await stack.api.http.get(path).set(bearer(stack.api.adminToken))).body;

  beforeAll(async () => {
    receiver = await new Receiver(SECRET).start();
    stack = await startConsoleStack({ ESCALATION_BACKOFF_MS: '50' });
    customerId = (await createCustomer(stack.api, (await createPlan(stack.api)).id, 'Fabrikam')).id;
    // The agent takes every queue, so triage assigns the new ticket to them.
    agent = await createAgent(stack.api, ['helpdesk_agent'], {});
    await stack.api.http.patch(`/api/v1/agents/${agent.id}`).set(bearer(stack.api.adminToken)).send({ queues: ['technical', 'billing', 'subscription_management'] });
    await putWebhookTier(stack.api, 'commercial', receiver, SECRET);
  });
  afterAll(async () => {
    await stack?.close();
    await receiver?.stop();
  });

  it('opens the ticket from the inbox with the keyboard, replies, adds an internal note, changes the status and escalates until the vendor has the case', async () => {
    const older = await stack.api.http.post('/api/v1/tickets').set(bearer(stack.api.adminToken)).send(ticketBody(customerId, { subject: 'Older question about licences' }));
    const created = await stack.api.http
      .post('/api/v1/tickets')
      .set(bearer(stack.api.adminToken))
      .send(ticketBody(customerId, { subject: 'Duplicate charge on the November invoice', description: 'We were billed twice for Microsoft 365 E3 seats.', category: 'billing' }));
    const id: string = created.body.id;
    await eventually(() => get(`/api/v1/tickets/${id}`), (t) => t.status === 'triaged' && t.assigneeId === agent.id, 15_000, 'triaged and assigned');
    expect(older.status).toBe(201);

    const { context, page, problems } = await openPage(stack);
    await signIn(page, agent.token);
    const rows = page.getByRole('grid', { name: 'Inbox' }).getByRole('row');
    await rows.filter({ hasText: 'Duplicate charge on the November invoice' }).waitFor();
    // `/` goes to the filter box (the queue); typing there filters the list through the API.
    await page.keyboard.press('/');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.placeholder)).toBe('e.g. technical');
    await page.keyboard.type('billing');
    await rows.filter({ hasText: 'Older question about licences' }).waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await rows.filter({ hasText: 'Older question about licences' }).waitFor();
    await page.getByRole('grid', { name: 'Inbox' }).focus();
    // Newest first: the new ticket is the first row and active; j moves down, k back up, Enter opens.
    await page.keyboard.press('j');
    await rows.filter({ hasText: 'Older question about licences' }).and(page.locator('[aria-selected="true"]')).waitFor();
    await page.keyboard.press('k');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /Duplicate charge on the November invoice/ }).waitFor();
    expect(page.url()).toContain(`/tickets/${id}`);

    // r: a public reply.
    await page.keyboard.press('r');
    expect(await page.getByRole('radio', { name: 'Public reply' }).isChecked()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    await page.keyboard.type('We are looking into the duplicate charge.');
    await page.getByRole('button', { name: 'Send reply to customer' }).click();
    await page.locator('.timeline-entry.comment.public', { hasText: 'We are looking into the duplicate charge.' }).waitFor();

    // i: an internal note, which looks different and which the customer never sees.
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('i');
    await page.locator('.reply-box.internal').waitFor();
    expect(await page.getByRole('radio', { name: 'Internal note' }).isChecked()).toBe(true);
    await page.keyboard.type('Customer is on the Business hours plan; check the CSP invoice first.');
    await page.getByRole('button', { name: 'Add internal note' }).click();
    await page.locator('.timeline-entry.comment.internal', { hasText: 'check the CSP invoice first' }).waitFor();
    const comments = (await get(`/api/v1/tickets/${id}/comments`)) as Array<{ body: string; visibility: string; author: { id: string } }>;
    expect(comments.map((c) => [c.visibility, c.author.id])).toEqual([
      ['public', agent.id],
      ['internal', agent.id],
    ]);

    // Status.
    await page.getByLabel('Status').selectOption('in_progress');
    await page.locator('.ticket-header .status', { hasText: 'In progress' }).waitFor();
    expect((await get(`/api/v1/tickets/${id}`)).status).toBe('in_progress');

    // Escalate: the dialog shows the routing decision, then the delivery and the vendor's case.
    receiver.plan({ status: 201, body: { caseId: 'MS-CASE-7781' } });
    await page.getByRole('button', { name: 'Escalate…' }).click();
    const dialog = page.getByRole('dialog');
    // Before confirming: where routing sends it and why (the API's preview, in the UI's words).
    await dialog.getByText('It will go to Commercial support because commercial support needs no contract.').waitFor();
    await dialog.getByLabel(/Why the partner cannot resolve it/).fill('Only the vendor can credit the duplicate charge.');
    await dialog.getByRole('button', { name: 'Escalate', exact: true }).click();
    await dialog.getByText('Escalated to Commercial support. Routing considered:').waitFor();
    await dialog.locator('.routing .chosen', { hasText: 'Commercial support' }).waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();

    const panel = page.locator('.escalation');
    await panel.getByText('Submitted').waitFor({ timeout: 20_000 });
    await panel.getByText('MS-CASE-7781').waitFor();
    await panel.getByRole('cell', { name: 'Delivered' }).waitFor();
    await page.locator('.ticket-header .status', { hasText: 'Escalated' }).waitFor();

    const [delivery] = receiver.requests;
    expect(receiver.requests).toHaveLength(1);
    expect(delivery.validSignature).toBe(true);
    expect(delivery.validSignature).toBe(true);
    expect(delivery.body).toMatchObject({ tier: 'commercial', reason: 'Only the vendor can credit the duplicate charge.', ticket: { id, subject: 'Duplicate charge on the November invoice' }, customer: { name: 'Fabrikam' } });
    expect(problems).toEqual({ errors: [], cspViolations: [] });
    await context.close();
  });

  it('opens a 200-entry conversation from the inbox with every entry reachable, its data asked for once and at once, and r / i still reaching the reply box', async () => {
    const created = await stack.api.http
      .post('/api/v1/tickets')
      .set(bearer(stack.api.adminToken))
      .send(ticketBody(customerId, { subject: 'A long conversation about the mail relay', description: 'Mail from the relay bounces every few hours.' }));
    const id: string = created.body.id;
    const number: string = created.body.number;
    await eventually(() => get(`/api/v1/tickets/${id}`), (t) => t.assigneeId === agent.id, 15_000, 'triaged and assigned');
    for (let i = 1; i <= 199; i++) {
      const res = await stack.api.http
        .post(`/api/v1/tickets/${id}/comments`)
        .set(bearer(stack.api.adminToken))
        .send({ body: `Update ${i}: checked the connector logs again.`, visibility: i % 4 ? 'public' : 'internal' });
      expect(res.status).toBe(201);
    }
    const events = (await get(`/api/v1/tickets/${id}/events`)) as Array<{ type: string }>;
    // Each comment is one entry (its `commented` event is not shown twice); every other event is one.
    const entries = 199 + events.filter((event) => event.type !== 'commented').length;
    const customer = ((await get('/api/v1/customers')) as Array<{ id: string; supportPlanId: string }>).find((c) => c.id === customerId)!;
    const plan = (await get(`/api/v1/support-plans/${customer.supportPlanId}`)) as { name: string };

    const { context, page, problems } = await openPage(stack);
    await signIn(page, agent.token);
    await page.goto(`/?q=${encodeURIComponent(number)}`);
    const link = page.getByRole('grid', { name: 'Inbox' }).getByRole('link', { name: number });
    await link.waitFor();
    const asked: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith('/api/')) asked.push(`${request.method()} ${url.pathname}`);
    });
    await link.click();
    await page.getByRole('heading', { name: /A long conversation about the mail relay/ }).waitFor();
    await eventually(() => page.locator('.timeline-entry').count(), (n) => n === entries, 15_000, 'every entry in the DOM');
    // The last entry can be brought into view and read (the timeline draws every entry, none left out).
    const last = page.locator('.timeline-entry', { hasText: 'Update 199: checked the connector logs again.' });
    await last.scrollIntoViewIfNeeded();
    expect(await last.isVisible()).toBe(true);
    // The header names the customer's plan from the list of plans the page loads with its data.
    await page.locator('.facts').getByText(plan.name, { exact: true }).waitFor();
    await page.getByRole('heading', { name: 'Macros' }).waitFor();
    await page.waitForLoadState('networkidle');
    const times = (what: string) => asked.filter((a) => a === what).length;
    // The ticket, its comments and events in one request, once; not the three separate reads.
    expect([times('GET /api/v1/macros'), times(`GET /api/v1/tickets/${id}/conversation`)]).toEqual([1, 1]);
    expect([`GET /api/v1/tickets/${id}`, `GET /api/v1/tickets/${id}/comments`, `GET /api/v1/tickets/${id}/events`].map(times)).toEqual([0, 0, 0]);
    // The plans: once at most (the inbox may have loaded them already).
    expect(times('GET /api/v1/support-plans')).toBeLessThanOrEqual(1);
    // Not the plan by its id (the list has it), nor the agents' list (only admins may read it).
    expect(asked.filter((a) => a.startsWith('GET /api/v1/support-plans/') || a === 'GET /api/v1/agents')).toEqual([]);

    // r and i still reach the reply box with the long timeline above it; a note lands at its end.
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('r');
    expect(await page.getByRole('radio', { name: 'Public reply' }).isChecked()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('i');
    await page.locator('.reply-box.internal').waitFor();
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    await page.keyboard.type('Relay certificate renewed; watching the queue.');
    await page.getByRole('button', { name: 'Add internal note' }).click();
    await page.locator('.timeline-entry.comment.internal').last().filter({ hasText: 'Relay certificate renewed' }).waitFor();
    expect(await page.locator('.timeline-entry').count()).toBeGreaterThan(entries);
    // The escalation dialog, loaded when first opened, still opens from the long page.
    await page.getByRole('button', { name: 'Escalate…' }).click();
    await page.getByRole('dialog').getByText('What routing would decide').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    expect(problems).toEqual({ errors: [], cspViolations: [] });
    await context.close();
  });

  it('says why the API refused a change, in the page’s language, and changes nothing', async () => {
    const created = await stack.api.http.post('/api/v1/tickets').set(bearer(stack.api.adminToken)).send(ticketBody(customerId, { subject: 'Cannot open the Azure portal', category: 'technical' }));
    const id: string = created.body.id;
    await eventually(() => get(`/api/v1/tickets/${id}`), (t) => t.status === 'triaged', 15_000, 'triaged');
    const { context, page } = await openPage(stack);
    await signIn(page, agent.token);
    await page.goto(`/tickets/${id}`);
    // triaged → resolved skips in_progress: the API refuses the transition, and the page says where the ticket can go instead.
    await page.getByLabel('Status').selectOption('resolved');
    await page.getByRole('alert').getByText('A ticket cannot go from “Triaged” to “Resolved”: from “Triaged” it can go to “In progress”', { exact: true }).waitFor();
    await screenshot(page, 'ticket-refused-status');
    expect((await get(`/api/v1/tickets/${id}`)).status).toBe('triaged');
    // No technical tier is available to this partner: the preview says so before confirming, with each tier's reason, and confirming is off.
    await page.getByRole('button', { name: 'Escalate…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/Why the partner cannot resolve it/).fill('Needs Microsoft engineering.');
    await dialog.getByRole('alert').getByText('no vendor tier the partner holds today can take this technical case.').waitFor();
    await dialog.locator('.routing .ineligible', { hasText: 'Premier Support for Partners: not available — there is no active Premier contract' }).waitFor();
    expect(await dialog.getByRole('button', { name: 'Escalate', exact: true }).isDisabled()).toBe(true);
    expect((await get(`/api/v1/escalations`)).items.filter((e: { ticketId: string }) => e.ticketId === id)).toEqual([]);
    await context.close();
  });

  it('attaches files to a reply (dropped and picked), lists them on the comment and downloads them', async () => {
    const created = await stack.api.http.post('/api/v1/tickets').set(bearer(stack.api.adminToken)).send(ticketBody(customerId, { subject: 'Outlook crashes on start', category: 'technical' }));
    const id: string = created.body.id;
    await eventually(() => get(`/api/v1/tickets/${id}`), (t) => t.status === 'triaged', 15_000, 'triaged');
    const { context, page, problems } = await openPage(stack);
    await signIn(page, agent.token);
    await page.goto(`/tickets/${id}`);
    await page.getByRole('heading', { name: /Outlook crashes on start/ }).waitFor();

    // One file dropped on the zone, one picked with the file picker.
    const dropped = await page.evaluateHandle(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(['crash at 0x0042\n'], 'crash.log', { type: 'text/plain' }));
      return transfer;
    });
    for (const type of ['dragenter', 'dragover', 'drop']) await page.locator('.drop-zone').dispatchEvent(type, { dataTransfer: dropped });
    await page.locator('.attach-control input[type="file"]').setInputFiles({ name: 'diagnostics.txt', mimeType: 'text/plain', buffer: Buffer.from('Outlook safe mode works.\n') });
    const chosen = page.getByRole('list', { name: 'Files to send' });
    await chosen.getByText('crash.log').waitFor();
    await chosen.getByText('diagnostics.txt').waitFor();

    await page.getByRole('textbox', { name: 'Public reply' }).fill('Logs attached, thanks.');
    await page.getByRole('button', { name: 'Send reply to customer' }).click();
    const comment = page.locator('.timeline-entry.comment.public', { hasText: 'Logs attached, thanks.' });
    await comment.getByRole('link', { name: 'diagnostics.txt' }).waitFor();
    await comment.getByRole('link', { name: 'crash.log' }).waitFor();
    expect(await chosen.count()).toBe(0);

    const [download] = await Promise.all([page.waitForEvent('download'), comment.getByRole('link', { name: 'diagnostics.txt' }).click()]);
    expect(download.suggestedFilename()).toBe('diagnostics.txt');
    const { readFile } = await import('node:fs/promises');
    expect((await readFile(await download.path())).toString()).toBe('Outlook safe mode works.\n');

    const files = (await get(`/api/v1/tickets/${id}/attachments`)) as Array<{ fileName: string; commentId: string; contentType: string }>;
    const [reply] = (await get(`/api/v1/tickets/${id}/comments`)) as Array<{ id: string }>;
    expect(files.map((f) => [f.fileName, f.commentId, f.contentType])).toEqual([
      ['crash.log', reply.id, 'text/plain'],
      ['diagnostics.txt', reply.id, 'text/plain'],
    ]);
    expect(problems).toEqual({ errors: [], cspViolations: [] });
    await context.close();
  });

  it("searches and sorts the inbox, and shows the customer's billing status (overdue) in the ticket header", async () => {
    const billed = (await createCustomer(stack.api, (await createPlan(stack.api)).id, 'Contoso')).id;
    const admin = bearer(stack.api.adminToken);
    const account = { currency: 'EUR', paymentTermsDays: 30, contact: { name: 'Laura Gómez', email: 'facturas@contoso.example' }, locale: 'en' };
    expect((await stack.api.http.put(`/api/v1/customers/${billed}/billing-account`).set(admin).send(account)).status).toBe(201);
    const invoice = { customerId: billed, issuedOn: '2026-01-01', dueOn: '2026-01-31', currency: 'EUR', lines: [{ description: 'Azure', amount: '250.00' }] };
    expect((await stack.api.http.put('/api/v1/invoices/INV-CONSOLE-1').set(admin).send(invoice)).status).toBe(201);
    const created = await stack.api.http.post('/api/v1/tickets').set(admin).send(ticketBody(billed, { subject: 'Marimba licences missing after renewal', category: 'technical' }));
    const id: string = created.body.id;
    await eventually(() => get(`/api/v1/tickets/${id}`), (t) => t.status === 'triaged' && t.assigneeId === agent.id, 15_000, 'triaged and assigned');

    const { context, page, problems } = await openPage(stack);
    await signIn(page, agent.token);
    const rows = page.getByRole('grid', { name: 'Inbox' }).getByRole('row');
    await rows.filter({ hasText: 'Cannot open the Azure portal' }).waitFor();
    // Full-text search through the API: only the matching ticket stays.
    await page.getByLabel('Search').fill('marimba');
    await rows.filter({ hasText: 'Cannot open the Azure portal' }).waitFor({ state: 'detached' });
    await rows.filter({ hasText: 'Marimba licences missing after renewal' }).waitFor();
    await page.getByLabel('Sort').selectOption('relevance');
    await page.waitForURL(/sort=relevance/);
    await rows.filter({ hasText: 'Marimba licences missing after renewal' }).waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByLabel('Sort').selectOption('priority');
    await page.waitForURL(/sort=priority/);
    await rows.filter({ hasText: 'Cannot open the Azure portal' }).waitFor();

    await page.goto(`/tickets/${id}`);
    const billing = page.locator('.ticket-header .billing-overdue');
    await billing.waitFor();
    expect(await billing.textContent()).toMatch(/^Overdue · 250\.00 EUR, \d+ days$/);
    expect(problems).toEqual({ errors: [], cspViolations: [] });
    await context.close();
  });

  it('shows the routing preview in Spanish before confirming: the tier and why, the others, a refused tier', async () => {
    await putEntitlements(stack.api, 'none', contract(40, { expiresOn: '2099-06-30' }), NO_CONTRACT);
    try {
      const id = await workedTicket(stack.api, customerId, { category: 'technical', priority: 'P1' });
      const { context, page, problems } = await openPage(stack, 'es');
      await signIn(page, agent.token);
      await page.goto(`/tickets/${id}`);
      await page.getByRole('button', { name: 'Escalar…' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByText('Irá a Premier Support for Partners porque el contrato Premier está activo, con 40 horas restantes hasta el 2099-06-30.').waitFor();
      await dialog.locator('.routing .ineligible', { hasText: 'Advanced Support for Partners: no disponible — no hay un contrato Advanced activo' }).waitFor();
      await dialog.locator('.routing .ineligible', { hasText: 'necesita una competencia Gold o Silver y el partner no tiene ninguna' }).waitFor();
      await dialog.getByText('Horas de contrato restantes: Premier 40, Advanced 0.').waitFor();
      await dialog.getByLabel(/Por qué el partner no puede resolverlo/).fill('Exchange Online no entrega correo desde ayer.');

      // Asking for a tier the partner does not hold: the preview is asked again and refuses; confirming is off.
      await dialog.getByLabel('Nivel', { exact: true }).selectOption('advanced');
      await dialog.getByRole('alert').getByText('el nivel elegido no puede recibir este caso.').waitFor();
      expect(await dialog.getByRole('button', { name: 'Escalar', exact: true }).isDisabled()).toBe(true);
      expect((await get('/api/v1/escalations')).items.filter((e: { ticketId: string }) => e.ticketId === id)).toEqual([]);

      await dialog.getByLabel('Nivel', { exact: true }).selectOption('');
      await dialog.getByText(/^Irá a Premier Support for Partners porque/).waitFor();
      await dialog.getByRole('button', { name: 'Escalar', exact: true }).click();
      await dialog.getByText('Escalado a Premier Support for Partners. El enrutamiento ha considerado:').waitFor();
      await dialog.locator('.routing .chosen', { hasText: 'el contrato Premier está activo, con 40 horas restantes hasta el 2099-06-30' }).waitFor();
      const escalations = (await get('/api/v1/escalations')).items.filter((e: { ticketId: string }) => e.ticketId === id);
      expect(escalations.map((e: { tier: string }) => e.tier)).toEqual(['premier']);
      expect(problems).toEqual({ errors: [], cspViolations: [] });
      await context.close();
    } finally {
      await putEntitlements(stack.api, 'none', NO_CONTRACT, NO_CONTRACT);
    }
  });
});
