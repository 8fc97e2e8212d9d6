/**
 * E-mail out (issue #15): a customer who wrote by e-mail hears back by e-mail, in their contact's
 * language, threaded so that their reply comes back to the ticket: the acknowledgement of the new
 * ticket and each public staff comment, once each, through a real SMTP server, retried while that
 * server is down.
 */
import { bearer, createCustomer, createPlan, eventually, TestApi, ticketBody } from '../support';
import { addContact, hd, MAIL_DOMAIN, MailStack, messageId, rawMail, ReceivingSmtp, sendSmtp, startMailStack } from './support';

describe('e-mail out', () => {
  let stack: MailStack;
  let api: TestApi;
  let inboundPort: number;
  let receiving: ReceivingSmtp;
  let contoso: { id: string; domain: string; token: string };
  const outbound = (ticketId: string) => stack.outbound(ticketId);
  const inboundBy = (mid: string) => stack.inboundBy(mid);
  const delivered = (id: string) => stack.delivered(id);
  const mailIn = (from: string, subject: string, body: string) => stack.mailIn(from, subject, body);

  beforeAll(async () => {
    stack = await startMailStack();
    ({ api, inboundPort, receiving } = stack);
    contoso = await createCustomer(api, (await createPlan(api)).id, 'Contoso Out');
    await addContact(api, contoso.id, { name: 'Marta López', email: 'marta@contoso-out.example', locale: 'es' });
    await addContact(api, contoso.id, { name: 'John Smith', email: 'john@contoso-out.example', locale: 'en' });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('acknowledges a mailed-in ticket in the contact’s language, threaded, marked auto-replied, once', async () => {
    const ticket = await mailIn('Marta López <marta@contoso-out.example>', 'Outlook no funciona', 'No abre.');
    const ackId = `<hd.${ticket.id}.received@${MAIL_DOMAIN}>`;
    const [ack] = await delivered(ackId);
    expect(ack.mail.subject).toBe(`[${hd(ticket.number)}] Hemos recibido su solicitud: Outlook no funciona`);
    expect(ack.mail.text).toContain(`número ${hd(ticket.number)}`);
    expect(ack.mail.to).toMatchObject({ value: [{ address: 'marta@contoso-out.example' }] });
    expect(ack.mail.from).toMatchObject({ value: [{ address: `support@${MAIL_DOMAIN}`, name: 'Soporte' }] });
    expect(ack.mail.inReplyTo).toBe(ticket.mid);
    expect(ack.mail.headers.get('auto-submitted')).toBe('auto-replied');
    expect(ack.mail.headers.get('x-helpdesk-notification')).toBe('ticket_received');
    await eventually(() => outbound(ticket.id), (rows) => rows.length === 1 && rows[0].status === 'sent', 10_000, 'ack marked sent');

    const english = await mailIn('john@contoso-out.example', 'Teams crashes', 'It closes.');
    const [ackEn] = await delivered(`<hd.${english.id}.received@${MAIL_DOMAIN}>`);
    expect(ackEn.mail.subject).toBe(`[${hd(english.number)}] We received your request: Teams crashes`);

    // A ticket filed in the portal is answered there: no e-mail.
    const portal = await api.http.post('/api/v1/tickets').set(bearer(contoso.token)).send(ticketBody(undefined));
    expect(portal.status).toBe(201);
    expect(await outbound(portal.body.id)).toEqual([]);
  });

  it('mails each public staff comment (not internal ones), and the customer’s reply to it comes back as a comment', async () => {
    const ticket = await mailIn('marta@contoso-out.example', 'Factura duplicada', 'Me han cobrado dos veces.');
    const comment = (body: string, visibility: string) => api.http.post(`/api/v1/tickets/${ticket.id}/comments`).set(bearer(api.adminToken)).send({ body, visibility });
    const pub = await comment('Hemos anulado el segundo cargo.', 'public');
    expect(pub.status).toBe(201);
    expect((await comment('Internal: refund approved by finance', 'internal')).status).toBe(201);

    const replyId = `<hd.${ticket.id}.comment-${pub.body.id}@${MAIL_DOMAIN}>`;
    const [reply] = await delivered(replyId);
    expect(reply.mail.subject).toBe(`Re: [${hd(ticket.number)}] Factura duplicada`);
    expect(reply.mail.text).toContain('Hemos anulado el segundo cargo.');
    expect(reply.mail.text).not.toContain('refund approved');
    expect(reply.mail.headers.get('auto-submitted')).toBeUndefined();
    expect(reply.mail.references).toEqual([ticket.mid, `<hd.${ticket.id}.received@${MAIL_DOMAIN}>`]);
    await eventually(() => outbound(ticket.id), (rows) => rows.length === 2 && rows.every((r) => r.status === 'sent'), 10_000, 'two notifications sent');

    // Marta answers from her mail client: In-Reply-To our notification, quoting it.
    const answerId = messageId('answer');
    await sendSmtp(inboundPort, rawMail({ From: 'marta@contoso-out.example', Subject: `Re: ${reply.mail.subject}`, 'Message-ID': answerId, 'In-Reply-To': replyId, References: `${ticket.mid} ${replyId}` }, 'Gracias, ya lo veo bien.\n\nEl lun, Soporte escribió:\n> Hemos anulado el segundo cargo.'));
    const answered = await eventually(() => inboundBy(answerId), (r) => r?.status === 'comment', 20_000, 'answer filed');
    expect(answered!.ticket_id).toBe(ticket.id);
    const comments = await api.http.get(`/api/v1/tickets/${ticket.id}/comments`).set(bearer(contoso.token));
    expect(comments.body.at(-1)).toMatchObject({ body: 'Gracias, ya lo veo bien.', author: { kind: 'customer' } });
    // The customer's own comment mails nothing back; and each notification went out exactly once.
    expect(await outbound(ticket.id)).toHaveLength(2);
    for (const id of [replyId, `<hd.${ticket.id}.received@${MAIL_DOMAIN}>`]) expect(receiving.byMessageId(id)).toHaveLength(1);

    // Our own notification mailed back to us (a forwarding rule, a misconfigured alias) is a loop.
    const before = (await outbound(ticket.id)).length;
    await sendSmtp(inboundPort, reply.raw);
    const loop = await eventually(() => inboundBy(replyId), (r) => r !== undefined && r.status !== 'received', 20_000, 'loop recorded');
    expect(loop).toMatchObject({ status: 'loop', ticket_id: null });
    expect(await outbound(ticket.id)).toHaveLength(before);
  });

  it('keeps a notification while the receiving SMTP server is down and sends it, once, when it is back', async () => {
    const ticket = await mailIn('john@contoso-out.example', 'VPN down', 'No VPN.');
    await delivered(`<hd.${ticket.id}.received@${MAIL_DOMAIN}>`);
    await receiving.stop();
    const pub = await api.http.post(`/api/v1/tickets/${ticket.id}/comments`).set(bearer(api.adminToken)).send({ body: 'We are restarting the gateway.', visibility: 'public' });
    expect(pub.status).toBe(201);
    const [failing] = await eventually(
      async () => (await outbound(ticket.id)).filter((r) => r.kind === 'public_reply'),
      (rows) => rows.length === 1 && Number(rows[0].attempts) >= 1,
      20_000,
      'a failed attempt',
    );
    expect(failing).toMatchObject({ status: 'pending' });
    expect(String(failing.last_error)).toMatch(/ECONNREFUSED|connect/i);

    await receiving.start();
    const replyId = `<hd.${ticket.id}.comment-${pub.body.id}@${MAIL_DOMAIN}>`;
    const [mail] = await delivered(replyId);
    expect(mail.mail.subject).toBe(`Re: [${hd(ticket.number)}] VPN down`);
    await eventually(async () => (await outbound(ticket.id)).find((r) => r.kind === 'public_reply'), (r) => r?.status === 'sent', 10_000, 'marked sent');
    expect(receiving.byMessageId(replyId)).toHaveLength(1);
  });
});
