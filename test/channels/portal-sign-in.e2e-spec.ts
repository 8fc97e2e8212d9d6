/**
 * The customer portal's sign-in (issue #15): a customer token, or a single-use, short-lived link
 * mailed to a contact in its language (always the same 202, known address or not; rate-limited).
 * Opening the link spends nothing (mail scanners fetch every link): it leads to the portal's page,
 * whose "Sign in" POST exchanges it once for the session cookie; the session then reads the
 * customer's own offering and billing, and nobody else's.
 */
import { INestApplicationContext } from '@nestjs/common';
import { freePort } from '../../libs/devstack/src/free-port';
import { bearer, createCustomer, createPlan, eventually, startTestApi, startTestWorker, TestApi, testStack } from '../support';
import { addContact, MAIL_DOMAIN, ReceivingSmtp } from './support';

const LIMIT = 3;

describe('portal sign-in', () => {
  let api: TestApi;
  let worker: INestApplicationContext;
  let receiving: ReceivingSmtp;
  let contoso: { id: string; domain: string; token: string };
  let fabrikam: { id: string; domain: string; token: string };

  const links = async (contactEmail: string) =>
    (await api.dataSource.query(`SELECT l.* FROM portal_sign_in_links l JOIN customer_contacts c ON c.id = l.contact_id WHERE c.email = $1`, [contactEmail])) as Array<{ id: string }>;
  const ask = (email: string, ip = '198.51.100.1') => api.http.post('/api/v1/portal/sign-in-links').set('X-Forwarded-For', ip).send({ email });
  const mailTo = (address: string, after = 0) =>
    eventually(
      async () => receiving.received.filter((r) => (r.mail.to as { value: Array<{ address: string }> } | undefined)?.value[0]?.address === address).slice(after),
      (m) => m.length >= 1,
      20_000,
      `sign-in mail to ${address}`,
    );
  const linkIn = (text: string) => /https?:\/\/\S+\/api\/v1\/portal\/sign-in-links\/([A-Za-z0-9_-]{43})/.exec(text)!;
  /** The session cookie set (at its path, `/`): not the clearing of an older sign-in's cookie at `/api` beside it. */
  const sessionCookie = (res: { headers: Record<string, unknown> }) =>
    ((res.headers['set-cookie'] as string[] | undefined) ?? []).find((c) => c.startsWith('helpdesk_session=') && /;\s*Path=\/(;|$)/i.test(c));
  const cookieValue = (setCookie: string) => setCookie.split(';')[0];
  const useLink = (token: string) => api.http.post('/api/v1/portal/session/link').send({ token });
  const SPENT = /does not work any more: it was used already, it expired, or it is not one of ours/;

  beforeAll(async () => {
    receiving = new ReceivingSmtp(await freePort());
    await receiving.start();
    const env = { MAIL_DOMAIN, SMTP_URL: receiving.url, PUBLIC_URL: 'https://support.partner.example', PORTAL_LINK_LIMIT: String(LIMIT), PORTAL_LINK_TTL_MINUTES: '15' };
    api = await startTestApi({ env });
    const plan = await createPlan(api, { scope: { es: { included: 'Todo Azure', excluded: 'Nada más' }, en: { included: 'All of Azure', excluded: 'Nothing else' } } });
    contoso = await createCustomer(api, plan.id, 'Contoso Portal');
    fabrikam = await createCustomer(api, (await createPlan(api)).id, 'Fabrikam Portal');
    await addContact(api, contoso.id, { name: 'Marta López', email: 'marta@contoso-portal.example', locale: 'es' });
    await addContact(api, contoso.id, { name: 'John Smith', email: 'john@contoso-portal.example', locale: 'en' });
    worker = await startTestWorker({ DATABASE_URL: api.database.url, REDIS_URL: testStack().redisUrl, QUEUE_PREFIX: api.queuePrefix, ...env });
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await receiving?.stop();
  });

  it('mails a link in the contact’s language that signs in once, to the customer’s own data only', async () => {
    const asked = await ask('Marta@Contoso-Portal.example');
    expect(asked.status).toBe(202);
    const [mail] = await mailTo('marta@contoso-portal.example');
    expect(mail.mail.subject).toBe('Su enlace para entrar en el portal de soporte (Contoso Portal)');
    expect(mail.mail.text).toContain('caduca en 15 minutos');
    expect(mail.mail.headers.get('auto-submitted')).toBe('auto-generated');
    const [url, token] = linkIn(mail.mail.text ?? '');
    // The link points at the configured public address, never at the Host the request named.
    expect(url.startsWith('https://support.partner.example/api/v1/portal/sign-in-links/')).toBe(true);
    const [stored] = await links('marta@contoso-portal.example');
    expect(JSON.stringify(stored)).not.toContain(token);
    // Once sent, the stored copy of the mail no longer holds the link.
    await eventually(() => api.dataSource.query(`SELECT status, body FROM outbound_messages WHERE event_key = $1`, [`sign-in:${stored.id}`]), (rows) => rows[0]?.status === 'sent', 10_000, 'mail marked sent');
    expect(JSON.stringify(await api.dataSource.query(`SELECT body FROM outbound_messages WHERE event_key = $1`, [`sign-in:${stored.id}`]))).not.toContain(token);

    // A mail scanner (or the person) opening the link only reaches the page that asks to sign in: twice, and the link still works.
    for (let i = 0; i < 2; i++) {
      const opened = await api.http.get(`/api/v1/portal/sign-in-links/${token}`);
      expect([opened.status, opened.headers.location, sessionCookie(opened)]).toEqual([303, `/portal/sign-in-link#${token}`, undefined]);
    }
    expect(await api.dataSource.query(`SELECT used_at FROM portal_sign_in_links WHERE id = $1`, [stored.id])).toEqual([{ used_at: null }]);

    const exchanged = await useLink(token);
    expect(exchanged.status).toBe(201);
    expect(exchanged.body).toMatchObject({ customerId: contoso.id, contact: { email: 'marta@contoso-portal.example' }, csrfToken: expect.any(String) });
    const cookie = sessionCookie(exchanged)!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);

    const who = await api.http.get('/api/v1/portal/session').set('Cookie', cookieValue(cookie));
    expect(who.status).toBe(200);
    expect(who.body).toMatchObject({ customerId: contoso.id, customerName: 'Contoso Portal', contact: { name: 'Marta López', email: 'marta@contoso-portal.example', locale: 'es' }, csrfToken: expect.any(String) });
    expect(who.body.csrfToken).toBe(exchanged.body.csrfToken);
    // The contact's language, when the browser names none of ours.
    const offering = await api.http.get('/api/v1/me/support-offering').set('Cookie', cookieValue(cookie));
    expect(offering.body).toMatchObject({ locale: 'es', scope: { included: 'Todo Azure' } });
    // Its own billing; another customer's is a 404, the staff console a 403.
    await api.http.put(`/api/v1/customers/${contoso.id}/billing-account`).set(bearer(api.adminToken)).send({ currency: 'EUR', paymentTermsDays: 30, contact: { name: 'Marta López', email: 'marta@contoso-portal.example' }, locale: 'es' }).expect(201);
    expect((await api.http.get(`/api/v1/customers/${contoso.id}/billing`).set('Cookie', cookieValue(cookie))).body).toMatchObject({ customerId: contoso.id, status: { state: 'current' } });
    expect((await api.http.get(`/api/v1/customers/${fabrikam.id}/billing`).set('Cookie', cookieValue(cookie))).status).toBe(404);
    expect((await api.http.get(`/api/v1/invoices?customerId=${fabrikam.id}`).set('Cookie', cookieValue(cookie))).status).toBe(404);
    expect((await api.http.get('/api/v1/session').set('Cookie', cookieValue(cookie))).status).toBe(403);
    // A write needs the session's CSRF token.
    const ticket = { subject: 'Portal', description: 'Filed in the portal', requester: { name: 'Marta López', email: 'marta@contoso-portal.example' } };
    expect((await api.http.post('/api/v1/tickets').set('Cookie', cookieValue(cookie)).send(ticket)).status).toBe(403);
    const filed = await api.http.post('/api/v1/tickets').set('Cookie', cookieValue(cookie)).set('X-CSRF-Token', who.body.csrfToken).send(ticket);
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({ channel: 'portal' });

    // Single use: the same link again signs nobody in, and says why.
    const again = await useLink(token);
    expect([again.status, again.headers['content-type'], sessionCookie(again)]).toEqual([401, expect.stringMatching(/^application\/problem\+json/), undefined]);
    expect(again.body.detail).toMatch(SPENT);

    // Signing out ends the session.
    expect((await api.http.delete('/api/v1/portal/session').set('Cookie', cookieValue(cookie)).set('X-CSRF-Token', who.body.csrfToken)).status).toBe(204);
    expect((await api.http.get('/api/v1/portal/session').set('Cookie', cookieValue(cookie))).status).toBe(401);
  });

  it('answers an unknown address exactly as a known one, and mails nothing', async () => {
    const before = receiving.received.length;
    const unknown = await ask('nobody@contoso-portal.example', '198.51.100.2');
    const known = await ask('john@contoso-portal.example', '198.51.100.2');
    expect([unknown.status, unknown.body]).toEqual([known.status, known.body]);
    expect(unknown.status).toBe(202);
    const [english] = await mailTo('john@contoso-portal.example');
    expect(english.mail.subject).toBe('Your sign-in link to the support portal (Contoso Portal)');
    expect(receiving.received.slice(before).filter((r) => JSON.stringify(r.mail.to).includes('nobody@'))).toEqual([]);
    expect(await api.dataSource.query(`SELECT count(*)::int AS n FROM outbound_messages WHERE recipient = 'nobody@contoso-portal.example'`)).toEqual([{ n: 0 }]);
    expect((await ask('not an address', '198.51.100.2')).body.errors[0].field).toBe('email');
  });

  it('refuses an expired link and a made-up one, setting no cookie', async () => {
    const earlier = receiving.received.filter((r) => JSON.stringify(r.mail.to).includes('john@contoso-portal.example')).length;
    await ask('john@contoso-portal.example', '198.51.100.3').expect(202);
    const [mail] = await mailTo('john@contoso-portal.example', earlier);
    const [, token] = linkIn(mail.mail.text ?? '');
    await api.dataSource.query(`UPDATE portal_sign_in_links SET expires_at = now() - interval '1 second' WHERE used_at IS NULL`);
    const expired = await useLink(token);
    expect([expired.status, sessionCookie(expired)]).toEqual([401, undefined]);
    expect(expired.body.detail).toMatch(SPENT);
    for (const wrong of ['A'.repeat(43), `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`]) {
      const res = await useLink(wrong);
      expect([wrong, res.status, res.body.detail, sessionCookie(res)]).toEqual([wrong, 401, expect.stringMatching(SPENT), undefined]);
    }
    // Something that is no link at all: a 400 naming the field, and its GET goes to the sign-in page saying so.
    const short = await useLink('short');
    expect([short.status, short.body.errors?.[0]?.field]).toEqual([400, 'token']);
    const opened = await api.http.get('/api/v1/portal/sign-in-links/short');
    expect([opened.status, opened.headers.location, sessionCookie(opened)]).toEqual([303, '/portal/sign-in?link=invalid', undefined]);
  });

  it('limits link requests per address and per client address, known or not, with a 429', async () => {
    await addContact(api, contoso.id, { name: 'Ana Ruiz', email: 'ana@contoso-portal.example', locale: 'es' });
    for (const email of ['ana@contoso-portal.example', 'ghost@contoso-portal.example']) {
      for (let i = 0; i < LIMIT; i++) expect((await ask(email, `203.0.113.${i + 10}`)).status).toBe(202);
      const over = await ask(email, '203.0.113.99');
      expect(over.status).toBe(429);
      expect(over.headers['retry-after']).toMatch(/^\d+$/);
    }
    for (let i = 0; i < LIMIT; i++) expect((await ask(`someone${i}@example.org`, '203.0.113.200')).status).toBe(202);
    expect((await ask('someone-else@example.org', '203.0.113.200')).status).toBe(429);
  });

  it('signs in with a customer token; refuses a staff token and a bad one', async () => {
    const signedIn = await api.http.post('/api/v1/portal/session').send({ token: contoso.token });
    expect(signedIn.status).toBe(201);
    expect(signedIn.body).toMatchObject({ customerId: contoso.id, contact: null, csrfToken: expect.any(String) });
    expect(sessionCookie(signedIn)).toMatch(/HttpOnly/);
    expect((await api.http.post('/api/v1/portal/session').send({ token: api.adminToken })).status).toBe(403);
    expect((await api.http.post('/api/v1/portal/session').send({ token: 'hdc_nothing' })).status).toBe(401);
    // And the staff console's exchange still refuses a customer token.
    expect((await api.http.post('/api/v1/session').send({ token: contoso.token })).status).toBe(403);
  });
});
