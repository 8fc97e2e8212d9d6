/**
 * E-mail out (issue #15): the customer notifications' wording, per kind and locale, edited by
 * admin_agent and global_admin — refused with a 422 naming the field (and the placeholder) when it
 * could break a mail, audited, previewed with made-up facts, reset to the built-in; and used by the
 * next mail sent, in the contact's locale.
 */
import { INestApplicationContext } from '@nestjs/common';
import { Client } from 'pg';
import { MailTemplates } from '../../libs/channels/src/templates/mail-templates.service';
import { freePort } from '../../libs/devstack/src/free-port';
import { bearer, createAgent, createCustomer, createPlan, eventually, startTestApi, startTestMailIn, startTestWorker, TestApi, testStack } from '../support';
import { addContact, MAIL_DOMAIN, messageId, rawMail, ReceivingSmtp, sendSmtp } from './support';

describe('notification templates: edit, check, preview, reset, and the mail that uses them', () => {
  let api: TestApi;
  let worker: INestApplicationContext;
  let listener: INestApplicationContext;
  let inboundPort: number;
  let receiving: ReceivingSmtp;
  let adminAgent: { id: string; token: string };
  let helpdesk: { id: string; token: string };
  let customerToken: string;

  const url = (kind: string, locale: string) => `/api/v1/notification-templates/${kind}/${locale}`;
  const put = (kind: string, locale: string, body: Record<string, unknown>, token = adminAgent.token) => api.http.put(url(kind, locale)).set(bearer(token)).send(body);
  const audits = (entityId: string) =>
    api.dataSource.query(`SELECT actor_id, action, before, after FROM audit_log WHERE entity = 'notification_template' AND entity_id = $1 ORDER BY id`, [entityId]) as Promise<
      Array<{ actor_id: string | null; action: string; before: Record<string, unknown>; after: Record<string, unknown> }>
    >;
  const hd = (n: string) => `HD-${String(n).padStart(6, '0')}`;

  beforeAll(async () => {
    inboundPort = await freePort();
    receiving = new ReceivingSmtp(await freePort());
    await receiving.start();
    const env = { MAIL_DOMAIN, SMTP_URL: receiving.url, MAIL_FROM: `Soporte <support@${MAIL_DOMAIN}>` };
    api = await startTestApi({ env });
    const customer = await createCustomer(api, (await createPlan(api, { name: 'Plata / Silver' })).id, 'Contoso Templates');
    customerToken = customer.token;
    await addContact(api, customer.id, { name: 'Lucía Pérez', email: 'lucia@contoso-templates.example', locale: 'es' });
    await addContact(api, customer.id, { name: 'Ann Lee', email: 'ann@contoso-templates.example', locale: 'en' });
    [adminAgent, helpdesk] = await Promise.all([createAgent(api, ['admin_agent']), createAgent(api, ['helpdesk_agent'])]);
    worker = await startTestWorker({ DATABASE_URL: api.database.url, REDIS_URL: testStack().redisUrl, QUEUE_PREFIX: api.queuePrefix, ...env });
    listener = await startTestMailIn({ DATABASE_URL: api.database.url, REDIS_URL: testStack().redisUrl, QUEUE_PREFIX: api.queuePrefix, INBOUND_SMTP_PORT: String(inboundPort), ...env });
  });
  afterAll(async () => {
    await listener?.close();
    await worker?.close();
    await api?.close();
    await receiving?.stop();
  });

  it('lists every kind in both locales for admins only, with the placeholders each may use', async () => {
    for (const token of [helpdesk.token, customerToken]) {
      expect((await api.http.get('/api/v1/notification-templates').set(bearer(token))).status).toBe(403);
      expect((await put('resolved', 'es', { subject: '[{{ticket.number}}] x', body: 'y' }, token)).status).toBe(403);
      expect((await api.http.delete(url('resolved', 'es')).set(bearer(token))).status).toBe(403);
      expect((await api.http.post(`${url('resolved', 'es')}/preview`).set(bearer(token)).send({})).status).toBe(403);
    }
    const list = await api.http.get('/api/v1/notification-templates').set(bearer(adminAgent.token));
    expect(list.status).toBe(200);
    expect(list.body.map((t: { kind: string; locale: string }) => `${t.kind}:${t.locale}`)).toEqual(
      ['ticket_received', 'public_reply', 'waiting_on_customer', 'resolved', 'billing_notice', 'suspension_notice', 'restoration_notice'].flatMap((k) => [`${k}:es`, `${k}:en`]),
    );
    expect(list.body.every((t: { customised: boolean }) => t.customised === false)).toBe(true);
    const received = list.body.find((t: { kind: string; locale: string }) => t.kind === 'ticket_received' && t.locale === 'en');
    expect(received).toMatchObject({ subject: '[{{ticket.number}}] We received your request: {{ticket.subject}}', updatedBy: null, updatedAt: null });
    expect(received.placeholders).toEqual(expect.arrayContaining(['ticket.number', 'recipient.name', 'plan.summary', 'plan.firstResponse']));
    // A kind or locale that does not exist: 400 naming it, never a 500.
    const unknownKind = await api.http.get(url('sign_in_link', 'es')).set(bearer(adminAgent.token));
    expect(unknownKind.status).toBe(400);
    expect(unknownKind.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await api.http.get(url('resolved', 'fr')).set(bearer(adminAgent.token))).status).toBe(400);
  });

  it('refuses, with a 422 naming the field and the placeholder, what could break a mail, and saves nothing', async () => {
    const refused = async (body: Record<string, unknown>, field: string, message: RegExp | string, code: string, kind = 'resolved') => {
      const res = await put(kind, 'es', body);
      expect([res.status, res.headers['content-type']]).toEqual([422, expect.stringMatching(/^application\/problem\+json/)]);
      // The code (and its params) a screen says it by in the reader's language.
      expect(res.body.errors).toEqual([{ field, message: expect.stringMatching(message), code, params: expect.any(Object) }]);
      return res;
    };
    const unknown = await refused({ subject: '[{{ticket.number}}] Resuelta', body: 'Hola {{recipient.name}}, su clave es {{customer.password}}.' }, 'body', /unknown placeholder \{\{customer\.password\}\}/, 'unknownPlaceholder');
    expect(unknown.body.unknownPlaceholders).toEqual(['customer.password']);
    expect(unknown.body.errors[0].params).toEqual({ placeholders: ['{{customer.password}}'], allowed: expect.arrayContaining(['{{recipient.name}}', '{{ticket.number}}']) });
    await refused({ subject: '[{{ticket.number}}] {{agent.name}}', body: 'x' }, 'subject', /unknown placeholder \{\{agent\.name\}\}/, 'unknownPlaceholder');
    await refused({ subject: '[{{ticket.number}}] Resuelta', body: 'Hola {{recipient.name' }, 'body', /not a valid template/, 'templateSyntax');
    await refused({ subject: '[{{ticket.number}}] Resuelta', body: '{{#recipient.name}}hola{{/recipient.name}}' }, 'body', /sections/, 'onlyPlaceholders');
    // Header injection: a CR/LF (or any control character) in a subject never gets stored.
    await refused({ subject: '[{{ticket.number}}] Resuelta\r\nBcc: victim@example.com', body: 'x' }, 'subject', /one line/, 'oneLine');
    await refused({ subject: '[{{ticket.number}}] Resuelta\nX-Evil: 1', body: 'x' }, 'subject', /one line/, 'oneLine');
    await refused({ subject: `[{{ticket.number}}] ${'a'.repeat(200)}`, body: 'x' }, 'subject', /at most 200 characters/, 'maxLength');
    await refused({ subject: 'Resuelta: {{ticket.subject}}', body: 'x' }, 'subject', /\[\{\{ticket\.number\}\}\]/, 'keepTag');
    await refused({ subject: '[{{ticket.number}}] Resuelta', body: '   ' }, 'body', /empty/, 'isNotEmpty');
    // Placeholders of another kind are unknown here.
    await refused({ subject: '[{{ticket.number}}] Resuelta', body: '{{reply.body}}' }, 'body', /unknown placeholder \{\{reply\.body\}\}/, 'unknownPlaceholder');
    // Shape errors stay the validation pipe's 400.
    expect((await put('resolved', 'es', { subject: 42, body: 'x' })).status).toBe(400);
    expect((await api.http.get(url('resolved', 'es')).set(bearer(adminAgent.token))).body.customised).toBe(false);
    expect(await audits('resolved:es')).toEqual([]);
  });

  it('previews a draft with made-up facts in its locale, writing nothing', async () => {
    const es = await api.http
      .post(`${url('ticket_received', 'es')}/preview`)
      .set(bearer(adminAgent.token))
      .send({ subject: '[{{ticket.number}}] Recibida: {{ticket.subject}}', body: 'Hola {{recipient.name}}. {{plan.summary}}' });
    expect(es.status).toBe(200);
    expect(es.body.subject).toBe('[HD-000123] Recibida: La VPN no conecta');
    expect(es.body.body).toContain('Hola Marta López. Su plan de soporte (Oro / Gold):');
    expect(es.body.body).toContain('Horario de atención: lun–vie 09:00–18:00 (Europe/Madrid)');
    // Without a draft: the current (built-in) wording, in English.
    const en = await api.http.post(`${url('resolved', 'en')}/preview`).set(bearer(adminAgent.token)).send({});
    expect(en.status).toBe(200);
    expect(en.body).toEqual({ subject: '[HD-000123] Request resolved: VPN does not connect', body: expect.stringContaining('Hello John Smith,') });
    const bad = await api.http.post(`${url('resolved', 'en')}/preview`).set(bearer(adminAgent.token)).send({ body: 'Hi {{ticket.owner}}' });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([{ field: 'body', message: expect.stringContaining('{{ticket.owner}}'), code: 'unknownPlaceholder', params: { placeholders: ['{{ticket.owner}}'], allowed: expect.arrayContaining(['{{ticket.number}}']) } }]);
    expect(await audits('ticket_received:es')).toEqual([]);
  });

  it('sends the next acknowledgement with the edited wording, in each contact’s locale, audits every change, and resets to the built-in', async () => {
    const esTemplate = { subject: '[{{ticket.number}}] Recibido, {{recipient.name}}: {{ticket.subject}}', body: 'Hola {{recipient.name}}:\nSu plan {{plan.name}} responde en {{plan.firstResponse}}.\nRef. {{ticket.number}}\n' };
    const enTemplate = { subject: '[{{ticket.number}}] Got it: {{ticket.subject}}', body: 'Dear {{recipient.name}},\nyour {{plan.name}} plan answers within {{plan.firstResponse}}.\n' };
    const savedEs = await put('ticket_received', 'es', esTemplate);
    expect(savedEs.status).toBe(200);
    expect(savedEs.body).toMatchObject({ ...esTemplate, customised: true, updatedBy: adminAgent.id });
    expect((await put('ticket_received', 'en', enTemplate, api.adminToken)).status).toBe(200);

    const [auditEs] = await audits('ticket_received:es');
    expect(auditEs).toMatchObject({ actor_id: adminAgent.id, action: 'updated', before: { customised: false, subject: '[{{ticket.number}}] Hemos recibido su solicitud: {{ticket.subject}}' }, after: { customised: true, ...esTemplate } });

    const mailIn = async (from: string, subject: string) => {
      const mid = messageId('tpl');
      expect(await sendSmtp(inboundPort, rawMail({ From: from, Subject: subject, 'Message-ID': mid }, 'Ayuda / help'))).toMatch(/^250 /);
      const row = await eventually(
        async () => (await api.dataSource.query(`SELECT ticket_id, status FROM inbound_messages WHERE message_id = $1`, [mid]))[0],
        (r) => r?.status === 'ticket',
        20_000,
        'ticket from mail',
      );
      const [ticket] = await api.dataSource.query(`SELECT id, number FROM tickets WHERE id = $1`, [row.ticket_id]);
      const [ack] = await eventually(async () => receiving.byMessageId(`<hd.${ticket.id}.received@${MAIL_DOMAIN}>`), (m) => m.length === 1, 20_000, 'acknowledgement');
      return { ticket, ack };
    };
    const es = await mailIn('Lucía Pérez <lucia@contoso-templates.example>', 'Impresora atascada');
    expect(es.ack.mail.subject).toBe(`[${hd(es.ticket.number)}] Recibido, Lucía Pérez: Impresora atascada`);
    expect(es.ack.mail.text).toMatch(/^Hola Lucía Pérez:\nSu plan Plata \/ Silver responde en \d+ (hora|horas|minutos)/);
    expect(es.ack.mail.text).toContain(`Ref. ${hd(es.ticket.number)}`);
    const en = await mailIn('Ann Lee <ann@contoso-templates.example>', 'Printer jam');
    expect(en.ack.mail.subject).toBe(`[${hd(en.ticket.number)}] Got it: Printer jam`);
    expect(en.ack.mail.text).toMatch(/^Dear Ann Lee,\nyour Plata \/ Silver plan answers within \d+ (hour|hours|minutes)/);

    // A customer's subject with a line break stays one line in the edited subject too.
    const crlf = await mailIn('Ann Lee <ann@contoso-templates.example>', '=?UTF-8?Q?Line_one=0D=0ABcc=3A_x=40evil.example?=');
    expect(crlf.ack.mail.subject).toMatch(new RegExp(`^\\[${hd(crlf.ticket.number)}\\] Got it: Line one ?Bcc: x@evil\\.example$`));
    expect(crlf.ack.mail.bcc).toBeUndefined();
    expect(crlf.ack.raw.toString('utf8')).not.toMatch(/^Bcc:/im);

    // Reset: the built-in again, audited with what it was; a second reset changes (and audits) nothing.
    const reset = await api.http.delete(url('ticket_received', 'es')).set(bearer(adminAgent.token));
    expect(reset.status).toBe(200);
    expect(reset.body).toMatchObject({ customised: false, subject: '[{{ticket.number}}] Hemos recibido su solicitud: {{ticket.subject}}', updatedBy: null });
    expect((await api.http.delete(url('ticket_received', 'es')).set(bearer(adminAgent.token))).status).toBe(200);
    expect((await audits('ticket_received:es')).map((a) => a.action)).toEqual(['updated', 'reset']);
    expect((await audits('ticket_received:es'))[1]).toMatchObject({ before: { customised: true, ...esTemplate }, after: { customised: false } });
    const again = await mailIn('Lucía Pérez <lucia@contoso-templates.example>', 'Otra vez');
    expect(again.ack.mail.subject).toBe(`[${hd(again.ticket.number)}] Hemos recibido su solicitud: Otra vez`);
    expect(again.ack.mail.text).toContain('Hola, Lucía Pérez:');
    // The English one is still customised.
    expect((await api.http.get(url('ticket_received', 'en')).set(bearer(adminAgent.token))).body).toMatchObject({ customised: true, subject: enTemplate.subject });
  });
  it('composes a public reply from one read (the recipient’s language and the wording in both languages), with the edited wording of that language only', async () => {
    const esReply = { subject: 'Re: [{{ticket.number}}] {{ticket.subject}} (respuesta)', body: '{{agent.name}} escribe:\n{{reply.body}}\n' };
    expect((await put('public_reply', 'es', esReply)).status).toBe(200);
    const ticketOf = async (email: string, subject: string) => {
      const mid = messageId('reply');
      expect(await sendSmtp(inboundPort, rawMail({ From: email, Subject: subject, 'Message-ID': mid }, 'Ayuda / help'))).toMatch(/^250 /);
      const row = await eventually(
        async () => (await api.dataSource.query(`SELECT ticket_id, status FROM inbound_messages WHERE message_id = $1`, [mid]))[0],
        (r) => r?.status === 'ticket',
        20_000,
        'ticket from mail',
      );
      return (await api.dataSource.query(`SELECT id, number FROM tickets WHERE id = $1`, [row.ticket_id]))[0] as { id: string; number: string };
    };
    const esTicket = await ticketOf('lucia@contoso-templates.example', 'Factura duplicada');
    const enTicket = await ticketOf('ann@contoso-templates.example', 'Duplicate invoice');

    // Every statement the API runs while it answers the reply (the API runs in this process), at the
    // driver: TypeORM's queries and the prepared ones alike, with the name of a prepared one.
    const statements: Array<{ text: string; name?: string }> = [];
    const original = Client.prototype.query as (...args: unknown[]) => unknown;
    const query = jest.spyOn(Client.prototype, 'query').mockImplementation(function (this: Client, ...args: unknown[]) {
      const [config] = args as [string | { text: string; name?: string }];
      statements.push(typeof config === 'string' ? { text: config } : { text: config.text, name: config.name });
      return original.apply(this, args) as ReturnType<Client['query']>;
    } as unknown as Client['query']);
    let replies: Array<{ status: number; body: { id: string } }>;
    try {
      replies = [];
      for (const [ticket, body] of [[esTicket, 'Anulamos la factura repetida.'], [enTicket, 'We voided the duplicate invoice.']] as const) {
        replies.push(await api.http.post(`/api/v1/tickets/${ticket.id}/comments`).set(bearer(api.adminToken)).send({ body, visibility: 'public' }));
      }
    } finally {
      query.mockRestore();
    }
    expect(replies.map((r) => r.status)).toEqual([201, 201]);
    const reads = statements.filter((s) => /customer_contacts|notification_templates/.test(s.text));
    expect(reads).toHaveLength(2);
    expect(reads.every((s) => /customer_contacts/.test(s.text) && /notification_templates/.test(s.text))).toBe(true);
    // Planned once per connection, not per reply.
    expect(reads.map((s) => s.name)).toEqual(['mail_recipient_and_templates', 'mail_recipient_and_templates']);

    const [es] = await eventually(async () => receiving.byMessageId(`<hd.${esTicket.id}.comment-${replies[0].body.id}@${MAIL_DOMAIN}>`), (m) => m.length === 1, 20_000, 'Spanish reply');
    expect(es.mail.subject).toBe(`Re: [${hd(esTicket.number)}] Factura duplicada (respuesta)`);
    expect(es.mail.text).toMatch(/ escribe:\nAnulamos la factura repetida\.\n?$/);
    const [en] = await eventually(async () => receiving.byMessageId(`<hd.${enTicket.id}.comment-${replies[1].body.id}@${MAIL_DOMAIN}>`), (m) => m.length === 1, 20_000, 'English reply');
    expect(en.mail.subject).toBe(`Re: [${hd(enTicket.number)}] Duplicate invoice`);
    expect(en.mail.text).toContain('We voided the duplicate invoice.');
    expect(en.mail.text).not.toContain('escribe:');
    expect((await api.http.delete(url('public_reply', 'es')).set(bearer(adminAgent.token))).status).toBe(200);
  });

  it('reads a recipient’s contacts (any case or spacing of the address, primary first) and a kind’s wording in each locale, saved or built-in', async () => {
    const templates = api.app.get(MailTemplates);
    const other = await createCustomer(api, (await createPlan(api, { name: 'Bronce' })).id, 'Fabrikam Templates');
    await addContact(api, other.id, { name: 'Ann Lee', email: 'ann@contoso-templates.example', locale: 'es' });
    const saved = { subject: '[{{ticket.number}}] Resuelto: {{ticket.subject}}', body: 'Hola {{recipient.name}}, resuelto.\n' };
    expect((await put('resolved', 'es', saved)).status).toBe(200);
    const read = await templates.recipientAndTemplates(api.dataSource.manager, 'resolved', '  ANN@Contoso-Templates.example ');
    expect(read.contacts).toHaveLength(2);
    expect(read.contacts.map((c) => c.locale).sort()).toEqual(['en', 'es']);
    expect(read.contacts.find((c) => c.customerId === other.id)?.locale).toBe('es');
    expect(read.templates.get('es')).toEqual(saved);
    expect(read.templates.get('en')).toEqual(await templates.templateFor(api.dataSource.manager, 'resolved', 'en'));
    expect((await templates.get('resolved', 'en')).customised).toBe(false);
    const nobody = await templates.recipientAndTemplates(api.dataSource.manager, 'resolved', 'nobody@nowhere.example');
    expect(nobody.contacts).toEqual([]);
    expect([...nobody.templates.keys()]).toEqual(['es', 'en']);
    expect((await api.http.delete(url('resolved', 'es')).set(bearer(adminAgent.token))).status).toBe(200);
  });
});
