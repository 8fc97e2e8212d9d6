import { bearer, createAgent, createCustomer, createPlan, eventually, ticketBody } from '../../../test/support';
import { NO_CONTRACT, putEntitlements } from '../../../test/escalation/support';
import { openPage, screenshot, signIn, startConsoleStack, type ConsoleStack } from './support/console-stack';

jest.setTimeout(240_000);

/**
 * What the server explains (issues #14 and #15): triage's reasons, the known issue behind the
 * diagnosis, the classifier's priority suggestion and a refused escalation reach the console as
 * codes with their values, and the console says them in its reader's language — Spanish and English.
 */
describe('console: the server’s reasons in the reader’s language', () => {
  let stack: ConsoleStack;
  let helpdesk: { id: string; token: string };
  let triagedId: string;
  let technicalId: string;
  const get = async (path: string) => (await stack.api.http.get(path).set(bearer(stack.api.adminToken))).body;
  const post = (path: string, body: object) => stack.api.http.post(path).set(bearer(stack.api.adminToken)).send(body);

  beforeAll(async () => {
    stack = await startConsoleStack();
    const customer = await createCustomer(stack.api, (await createPlan(stack.api)).id, 'Contoso');
    helpdesk = await createAgent(stack.api, ['helpdesk_agent'], { name: 'Ana García' });
    await stack.api.http.patch(`/api/v1/agents/${helpdesk.id}`).set(bearer(stack.api.adminToken)).send({ queues: ['technical', 'm365'] });
    await post('/api/v1/known-issues', { title: 'Outlook sign-in loop', symptoms: 'outlook iniciar sesión contraseña', resolution: 'Clear the cached credentials.', product: 'microsoft_365', category: 'technical', inScope: true });
    await post('/api/v1/triage-rules', { name: 'Outlook a M365', position: 10, enabled: true, stopOnMatch: false, conditions: { anyKeywords: ['outlook'] }, actions: { queue: 'm365', priority: 'P2' } });
    // No category, product or severity: the classifier decides those, the rule the priority and queue.
    triagedId = (await post('/api/v1/tickets', ticketBody(customer.id, { subject: 'Outlook caído: no puedo iniciar sesión', description: 'Nadie puede iniciar sesión en Outlook desde el cambio de contraseña.' }))).body.id;
    const technical = await post('/api/v1/tickets', ticketBody(customer.id, { subject: 'VM de Azure sin red', category: 'technical', product: 'azure' }));
    technicalId = technical.body.id;
    await eventually(() => get('/api/v1/tickets?limit=10'), (page) => page.items.every((t: { status: string }) => t.status === 'triaged'), 30_000, 'triaged');
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('says the diagnosis panel’s reasons in Spanish: the classifier’s, the rule’s, the known issue and the priority suggestion', async () => {
    const { context, page, problems } = await openPage(stack, 'es');
    await signIn(page, helpdesk.token);
    await page.goto(`/tickets/${triagedId}`);
    const panel = page.locator('section.diagnosis');
    await panel.getByRole('heading', { name: 'Por qué' }).waitFor();
    const reasons = panel.locator('dl.reasons');
    await reasons.getByText('clasificador: ninguna palabra de facturación ni de suscripciones').waitFor();
    await reasons.getByText('clasificador: coinciden «outlook»').waitFor();
    expect(await reasons.getByText('lo fijó la regla «Outlook a M365»').count()).toBe(2);
    await panel.getByText('Incidencia conocida «Outlook sign-in loop»: Clear the cached credentials.').waitFor();
    await panel.getByText(/^Prioridad sugerida P1: palabras de caída del servicio «caído» que afecta a todos: «nadie puede»/).waitFor();
    await panel.getByText('Outlook a M365 — la prioridad, la cola').waitFor();
    const text = await panel.innerText();
    for (const english of ['classifier', 'set by rule', 'Known issue', 'outage words', 'no billing']) expect(text).not.toContain(english);
    await screenshot(page, 'diagnosis-es');
    expect(problems).toEqual({ errors: [], cspViolations: [] });
    await context.close();
  });

  it('says the same reasons in English, as the API words them', async () => {
    const { context, page, problems } = await openPage(stack, 'en');
    await signIn(page, helpdesk.token);
    await page.goto(`/tickets/${triagedId}`);
    const panel = page.locator('section.diagnosis');
    const ticket = await get(`/api/v1/tickets/${triagedId}`);
    const { data } = (await get(`/api/v1/tickets/${triagedId}/events`)).find((e: { type: string }) => e.type === 'triaged');
    for (const field of ['category', 'product', 'priority', 'queue']) await panel.locator('dl.reasons dd').getByText(data.reasons[field], { exact: true }).first().waitFor();
    await panel.getByText(ticket.diagnosis.summary, { exact: true }).waitFor();
    await panel.getByText(`Suggested priority P1: ${ticket.prioritySuggestion.reason}`).waitFor();
    expect(problems).toEqual({ errors: [], cspViolations: [] });
    await context.close();
  });

  const refusals = [
    { language: 'es', escalate: 'Escalar…', eligible: 'el partner tiene la competencia Gold', reasonLabel: 'Por qué el partner no puede resolverlo', confirm: 'Escalar', refused: 'Se rechazó la escalada:', wouldBe: 'Escalar ahora se rechazaría:', refusal: 'ningún nivel que el partner tenga hoy puede recibir este caso técnico.', tier: /necesita una competencia Gold o Silver y el partner no tiene ninguna/, english: /Unprocessable|No vendor tier/ },
    { language: 'en', escalate: 'Escalate…', eligible: 'the partner holds a Gold competency', reasonLabel: 'Why the partner cannot resolve it', confirm: 'Escalate', refused: 'Escalating was refused:', wouldBe: 'Escalating now would be refused:', refusal: 'no vendor tier the partner holds today can take this technical case.', tier: /it needs a Gold or Silver competency and the partner has none/, english: /Unprocessable|signature_cloud:/ },
  ] as const;

  it.each(refusals)('says why escalating was refused ($language), with the tiers considered, when the entitlements changed after the preview', async (words) => {
    await putEntitlements(stack.api, 'gold', NO_CONTRACT, NO_CONTRACT);
    const { context, page, problems } = await openPage(stack, words.language);
    await signIn(page, helpdesk.token);
    await page.goto(`/tickets/${technicalId}`);
    await page.getByRole('button', { name: words.escalate }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(words.eligible).first().waitFor();
    await dialog.getByLabel(words.reasonLabel).fill('La VM no tiene red desde el mantenimiento del fabricante.');
    // The partner loses its competency between the preview and the confirmation: the API refuses (422).
    await putEntitlements(stack.api, 'none', NO_CONTRACT, NO_CONTRACT);
    await dialog.getByRole('button', { name: words.confirm, exact: true }).click();
    const alert = dialog.getByRole('alert').filter({ hasText: words.refused });
    await alert.waitFor();
    await alert.getByText(words.refusal).waitFor();
    await alert.getByText(words.tier).waitFor();
    expect(await alert.innerText()).not.toMatch(words.english);
    expect((await get(`/api/v1/tickets/${technicalId}`)).status).toBe('triaged');
    // The preview is asked again: it now says the same, and confirming waits until something changes.
    await dialog.getByRole('alert').filter({ hasText: words.wouldBe }).getByText(words.refusal).waitFor();
    expect(await dialog.getByRole('button', { name: words.confirm, exact: true }).isDisabled()).toBe(true);
    await screenshot(page, `escalation-refused-${words.language}`, 'viewport');
    expect(problems).toEqual({ errors: [], cspViolations: [] });
    await context.close();
  });

  it.each([
    { language: 'es', url: 'URL del webhook', save: 'Guardar', said: '«URL del webhook» se rechaza: 169.254.169.254 es una dirección de metadatos de la nube, nunca un destino de webhook' },
    { language: 'en', url: 'Webhook URL', save: 'Save', said: '“Webhook URL” is refused: 169.254.169.254 is a cloud metadata address, never a webhook target' },
  ] as const)('says why a webhook URL is refused ($language), by the kind of address it reaches, and saves nothing', async (words) => {
    const before = await get('/api/v1/escalation-tiers');
    const { context, page, problems } = await openPage(stack, words.language);
    await signIn(page, stack.api.adminToken);
    await page.goto('/settings/escalation');
    const form = page.getByRole('form', { name: words.language === 'es' ? 'Soporte comercial' : 'Commercial support' });
    await form.getByLabel(words.url).fill('http://169.254.169.254/latest/meta-data/');
    await form.getByRole('button', { name: words.save }).click();
    await form.getByText(words.said).waitFor();
    expect(await form.innerText()).not.toContain('is refused: the webhook target');
    expect(await get('/api/v1/escalation-tiers')).toEqual(before);
    await screenshot(page, `webhook-refused-${words.language}`, 'viewport');
    expect(problems).toEqual({ errors: [], cspViolations: [] });
    await context.close();
  });
});
