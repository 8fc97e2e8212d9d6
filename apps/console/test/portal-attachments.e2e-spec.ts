/**
 * Files in the customer portal, in real Chromium (issue #15, "open a ticket (with attachments)"): a
 * customer attaches files when opening a ticket and when replying, sees them on the public timeline
 * and downloads them (always as a download); staff's internal files never show; a file over the
 * limit and a disguised file are told clearly, in English and in Spanish; a customer's session
 * reaches only its own tickets' files.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { bearer, createCustomer, createPlan, eventually } from '../../../test/support';
import { openPage, screenshot, seriousAccessibilityViolations, startConsoleStack, type ConsoleStack } from './support/console-stack';

jest.setTimeout(180_000);

const MAX_BYTES = 64 * 1024;
/** A real 1×1 PNG. */
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a1e0f8e70000000049454e44ae426082', 'hex');
const HTML = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');
const file = (name: string, mimeType: string, buffer: Buffer) => ({ name, mimeType, buffer });

describe('customer portal: attachments in Chromium', () => {
  let stack: ConsoleStack;
  let contoso: { id: string; token: string };
  let fabrikam: { id: string; token: string };
  const admin = () => bearer(stack.api.adminToken);

  async function signInWithToken(page: Page, token: string): Promise<void> {
    await page.goto('/portal/');
    await page.getByText('Sign in with a customer API token').click();
    await page.getByRole('textbox', { name: 'Customer API token' }).fill(token);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('link', { name: 'My tickets' }).waitFor();
  }

  /** Fills the portal's new ticket form (the customer token signs in no contact: name and address typed). */
  async function newTicketForm(page: Page, ticket: { subject: string; description: string; name: string; email: string }): Promise<void> {
    await page.getByRole('link', { name: 'Open a ticket' }).first().click();
    await page.getByLabel('Subject').fill(ticket.subject);
    await page.getByLabel('What happened?').fill(ticket.description);
    await page.getByLabel('Your name').fill(ticket.name);
    await page.getByLabel('Your e-mail').fill(ticket.email);
  }

  /** The files the API lists for the ticket to a staff member, by name. */
  const stored = async (ticketId: string) =>
    ((await stack.api.http.get(`/api/v1/tickets/${ticketId}/attachments`).set(admin())).body as Array<{ fileName: string; commentId: string | null; contentType: string; visibility: string }>);

  beforeAll(async () => {
    stack = await startConsoleStack({}, { ATTACHMENT_MAX_BYTES: String(MAX_BYTES) });
    const plan = await createPlan(stack.api);
    contoso = await createCustomer(stack.api, plan.id, 'Contoso Files');
    fabrikam = await createCustomer(stack.api, plan.id, 'Fabrikam Files');
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('opens a ticket with files, replies with one, lists and downloads them; internal files stay hidden', async () => {
    const { context, page, problems } = await openPage(stack, 'en');
    await signInWithToken(page, contoso.token);
    await newTicketForm(page, { subject: 'Printer prints blank pages', description: 'See the screenshot and the log.', name: 'Marta López', email: 'marta@contoso-files.example' });
    await page.locator('input[type=file]').setInputFiles([file('screenshot.png', 'image/png', PNG), file('printer.log', 'text/plain', Buffer.from('E42 paper jam\n'))]);
    await page.getByRole('list', { name: 'Files to send' }).getByText('screenshot.png').waitFor();
    await page.getByRole('button', { name: 'Open the ticket' }).click();
    await page.getByRole('heading', { name: /Printer prints blank pages/ }).waitFor();
    const ticketId = page.url().split('/').pop()!;
    await page.getByRole('link', { name: 'screenshot.png' }).waitFor();
    await page.getByRole('link', { name: 'printer.log' }).waitFor();
    expect((await stored(ticketId)).map((a) => [a.fileName, a.commentId, a.visibility])).toEqual([
      ['screenshot.png', null, 'public'],
      ['printer.log', null, 'public'],
    ]);

    // The download is the same bytes, saved (Content-Disposition: attachment), never shown.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'screenshot.png' }).click()]);
    expect(download.suggestedFilename()).toBe('screenshot.png');
    expect(await readFile((await download.path())!)).toEqual(PNG);
    const href = (await page.getByRole('link', { name: 'screenshot.png' }).getAttribute('href'))!;
    const headers = (await page.request.get(href)).headers();
    expect(headers['content-disposition']).toMatch(/^attachment; filename="screenshot.png"/);
    expect(headers['content-type']).toBe('image/png');

    // A reply with a file: one comment carrying it, on the timeline.
    await page.getByLabel('Your message').fill('Here is the printer’s own report.');
    await page.locator('input[type=file]').setInputFiles([file('report.txt', 'text/plain', Buffer.from('Pages printed: 0\n'))]);
    await page.getByRole('button', { name: 'Send reply' }).click();
    const entry = page.locator('.timeline-entry').filter({ hasText: 'Here is the printer’s own report.' });
    await entry.getByRole('link', { name: 'report.txt' }).waitFor();
    await eventually(() => stored(ticketId), (files) => files.some((a) => a.fileName === 'report.txt' && a.commentId !== null), 5_000, 'reply file stored');

    // Staff answer publicly with a file, and note something internal with another: the customer sees only the public one.
    const staffUpload = (name: string, visibility: string, body: string) =>
      stack.api.http.post(`/api/v1/tickets/${ticketId}/attachments`).set(admin()).field('visibility', visibility).field('body', body).attach('files', Buffer.from(`${name}\n`), name);
    expect((await staffUpload('driver-update.txt', 'public', 'Install this driver update.')).status).toBe(201);
    expect((await staffUpload('internal-costs.txt', 'internal', 'Internal: replacement costs')).status).toBe(201);
    await page.reload();
    await page.locator('.timeline-entry').filter({ hasText: 'Install this driver update.' }).getByRole('link', { name: 'driver-update.txt' }).waitFor();
    expect(await page.getByText('internal-costs.txt').count()).toBe(0);
    expect(await page.getByText('Internal: replacement costs').count()).toBe(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual({ errors: [], cspViolations: [] });
    await screenshot(page, 'portal-ticket-attachments');
    await context.close();
  });

  it('tells a customer clearly about a file over the limit (English, Spanish) and a disguised file, and keeps a ticket whose files were refused', async () => {
    const { context, page, problems } = await openPage(stack, 'en');
    await signInWithToken(page, contoso.token);

    // A new ticket with a file over the limit: the ticket is opened, the page says the files were not, and other files go up.
    await newTicketForm(page, { subject: 'Scanner too slow', description: 'It takes minutes per page.', name: 'John Smith', email: 'john@contoso-files.example' });
    await page.locator('input[type=file]').setInputFiles([file('scan.bin', 'application/octet-stream', Buffer.alloc(MAX_BYTES + 1, 7))]);
    await page.getByRole('button', { name: 'Open the ticket' }).click();
    await page.getByRole('alert').filter({ hasText: 'The files were not sent: each file may be at most 64.0 KB, and at most 10 files at a time.' }).waitFor();
    await page.getByText(/Your ticket HD-\d{6} is open, but its files were not attached\./).waitFor();
    const listed = (await stack.api.http.get('/api/v1/tickets?limit=50').set(bearer(contoso.token))).body as { items: Array<{ id: string; subject: string }> };
    const opened = listed.items.filter((t) => t.subject === 'Scanner too slow');
    expect(opened).toHaveLength(1);
    expect(await stored(opened[0].id)).toEqual([]);
    await page.getByRole('button', { name: 'Remove scan.bin' }).click();
    await page.locator('input[type=file]').setInputFiles([file('scan-small.png', 'image/png', PNG)]);
    await page.getByRole('button', { name: 'Attach the files' }).click();
    await page.getByRole('heading', { name: /Scanner too slow/ }).waitFor();
    await page.getByRole('link', { name: 'scan-small.png' }).waitFor();
    expect(page.url()).toContain(opened[0].id);

    // A disguised file (an HTML page named .png) is kept as what it is, and the page says so.
    await page.getByLabel('Your message').fill('The page the scanner shows.');
    await page.locator('input[type=file]').setInputFiles([file('cat.png', 'image/png', HTML)]);
    await page.getByRole('button', { name: 'Send reply' }).click();
    const note = page.locator('.attachment').filter({ hasText: 'cat.png' }).getByRole('note');
    await note.filter({ hasText: 'Kept as text/plain: its content is not what its name says (image/png).' }).waitFor();
    const href = (await page.locator('.attachment').filter({ hasText: 'cat.png' }).getByRole('link').getAttribute('href'))!;
    expect((await page.request.get(href)).headers()['content-type']).toBe('text/plain; charset=utf-8');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // A reply with a file over the limit: nothing is sent, the reply stays in the box, and the message is in Spanish too.
    await page.getByRole('button', { name: 'Español' }).click();
    await page.getByLabel('Su mensaje').fill('Adjunto el escaneo completo.');
    await page.locator('input[type=file]').setInputFiles([file('escaneo.bin', 'application/octet-stream', Buffer.alloc(MAX_BYTES + 1, 1))]);
    await page.getByRole('button', { name: 'Enviar respuesta' }).click();
    await page.getByRole('alert').filter({ hasText: 'Los archivos no se enviaron: cada archivo puede ocupar como mucho 64.0 KB, y se pueden enviar como mucho 10 a la vez.' }).waitFor();
    expect(await page.getByLabel('Su mensaje').inputValue()).toBe('Adjunto el escaneo completo.');
    const comments = (await stack.api.http.get(`/api/v1/tickets/${opened[0].id}/comments`).set(admin())).body as Array<{ body: string }>;
    expect(comments.map((c) => c.body)).not.toContain('Adjunto el escaneo completo.');
    await screenshot(page, 'portal-attachment-too-large-es');
    expect(problems).toEqual({ errors: [], cspViolations: [] });
    await context.close();
  });

  it("lets a customer's portal session reach its own tickets' files only", async () => {
    const { context, page } = await openPage(stack, 'en');
    await signInWithToken(page, contoso.token);
    const theirs = await stack.api.http.post('/api/v1/tickets').set(bearer(fabrikam.token)).send({ subject: 'Fabrikam only', description: 'Not Contoso’s.', requester: { name: 'Luis', email: 'luis@fabrikam-files.example' } });
    expect(theirs.status).toBe(201);
    const secret = await stack.api.http.post(`/api/v1/tickets/${theirs.body.id}/attachments`).set(bearer(fabrikam.token)).field('visibility', 'public').attach('files', Buffer.from('fabrikam secret'), 'secret.txt');
    expect(secret.status).toBe(201);
    const { csrfToken } = (await (await page.request.get('/api/v1/portal/session')).json()) as { csrfToken: string };
    // Listing, downloading and uploading through another customer's ticket: as if it did not exist.
    expect((await page.request.get(`/api/v1/tickets/${theirs.body.id}/attachments`)).status()).toBe(404);
    expect((await page.request.get(`/api/v1/tickets/${theirs.body.id}/attachments/${secret.body.attachments[0].id}`)).status()).toBe(404);
    const upload = await page.request.post(`/api/v1/tickets/${theirs.body.id}/attachments`, {
      headers: { 'X-CSRF-Token': csrfToken },
      multipart: { visibility: 'public', files: { name: 'x.txt', mimeType: 'text/plain', buffer: Buffer.from('x') } },
    });
    expect(upload.status()).toBe(404);
    expect(await stored(theirs.body.id)).toHaveLength(1);
    await context.close();
  });
});
