/**
 * The notification e-mails screen (issue #15) in real Chromium against the real API: a wording is
 * edited with a live preview, refused on the field it is wrong in, saved, and reset to the built-in;
 * in English and in Spanish, with no serious accessibility violations.
 */
import { bearer, createAgent } from '../../../test/support';
import { openPage, seriousAccessibilityViolations, signIn, startConsoleStack, type ConsoleStack } from './support/console-stack';

jest.setTimeout(120_000);

describe('console: notification e-mail templates (real Chromium, real API)', () => {
  let stack: ConsoleStack;
  let admin: { id: string; token: string };
  const get = async (path: string) => (await stack.api.http.get(path).set(bearer(stack.api.adminToken))).body;

  beforeAll(async () => {
    stack = await startConsoleStack();
    admin = await createAgent(stack.api, ['admin_agent']);
  });
  afterAll(() => stack?.close());

  it('edits a wording with a live preview, shows a refusal on its field, saves and resets it', async () => {
    const { context, page, problems } = await openPage(stack);
    await signIn(page, admin.token);
    await page.goto('/settings/notification-templates');
    await page.getByRole('button', { name: /Resolved — Español/ }).click();
    const editor = page.locator('section', { has: page.locator('#template-editor-title') });
    const subject = editor.getByLabel('Subject', { exact: true });
    await editor.getByTestId('preview-subject').getByText('[HD-000123] Solicitud resuelta: La VPN no conecta').waitFor();

    // An unknown placeholder: the preview names it on the field, and so does a save.
    await subject.fill('[{{ticket.number}}] Cerrada para {{customer.email}}');
    await editor.getByText(/placeholders that do not exist \(.*\{\{customer\.email\}\}.*\)/).first().waitFor();
    expect(await subject.getAttribute('aria-invalid')).toBe('true');
    await editor.getByRole('button', { name: 'Save' }).click();
    await editor.getByText(/placeholders that do not exist \(.*\{\{customer\.email\}\}.*\)/).first().waitFor();
    expect((await get('/api/v1/notification-templates/resolved/es')).customised).toBe(false);

    await subject.fill('[{{ticket.number}}] Cerrada: {{ticket.subject}}');
    await editor.getByTestId('preview-subject').getByText('[HD-000123] Cerrada: La VPN no conecta').waitFor();
    expect(await subject.getAttribute('aria-invalid')).toBeNull();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await editor.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('button', { name: /Resolved — Español/ }).filter({ hasText: 'Customised' }).waitFor();
    expect(await get('/api/v1/notification-templates/resolved/es')).toMatchObject({ customised: true, subject: '[{{ticket.number}}] Cerrada: {{ticket.subject}}', updatedBy: admin.id });

    await editor.getByRole('button', { name: 'Reset to built-in' }).click();
    await page.getByRole('button', { name: /Resolved — Español/ }).filter({ hasText: 'Built-in' }).waitFor();
    expect((await get('/api/v1/notification-templates/resolved/es')).customised).toBe(false);
    // The editor shows the built-in wording again.
    await page.waitForFunction((wanted) => document.querySelector<HTMLInputElement>('input[name="subject"]')?.value === wanted, '[{{ticket.number}}] Solicitud resuelta: {{ticket.subject}}');
    expect(problems).toEqual({ errors: [], cspViolations: [] });
    await context.close();
  });

  it('speaks Spanish, with no serious accessibility violations', async () => {
    const { context, page, problems } = await openPage(stack, 'es');
    await signIn(page, admin.token);
    await page.goto('/settings/notification-templates');
    await page.getByRole('heading', { name: 'Correos de aviso' }).waitFor();
    await page.getByRole('button', { name: /Solicitud recibida — English/ }).click();
    const editor = page.locator('section', { has: page.locator('#template-editor-title') });
    await editor.getByLabel('Asunto', { exact: true }).waitFor();
    await editor.getByTestId('preview-body').getByText(/Your support plan \(Oro \/ Gold\):/).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual({ errors: [], cspViolations: [] });
    await context.close();
  });
});
