/**
 * E-mail in (issue #15): mail through mail-in's SMTP listener and the signed inbound webhook
 * becomes tickets and comments exactly once; what must not become a ticket (auto-replies, bounces,
 * loops, malformed mail) is recorded, unknown senders wait for an agent, and nothing is accepted
 * before it is stored.
 */
import { INestApplicationContext } from '@nestjs/common';
import { Client } from 'pg';
import { ARRIVAL_BATCH, InboundMailProcessing, MAX_RECEIVING_AT_ONCE } from '@helpdesk/channels/jobs';
import { signWebhook } from '@helpdesk/webhooks';
import { freePort } from '../../libs/devstack/src/free-port';
import { bearer, createCustomer, createPlan, eventually, startTestApi, startTestMailIn, startTestWorker, TestApi, testStack } from '../support';
import { addContact, MAIL_DOMAIN, messageId, newWebhookSecret, rawMail, sendSmtp } from './support';

const MAX_BYTES = 64 * 1024;

describe('e-mail in', () => {
  let api: TestApi;
  let worker: INestApplicationContext;
  let listener: INestApplicationContext;
  let smtpPort: number;
  const secret = newWebhookSecret();
  let contoso: { id: string; domain: string; token: string };
  let fabrikam: { id: string; domain: string; token: string };

  const inbound = async (mid: string) =>
    (await api.dataSource.query(`SELECT * FROM inbound_messages WHERE message_id = $1 ORDER BY received_at`, [mid])) as Array<Record<string, unknown>>;
  const processed = (mid: string, count = 1) => eventually(() => inbound(mid), (rows) => rows.length === count && rows.every((r) => r.status !== 'received'), 20_000, `inbound ${mid}`);
  const storedCount = async () => Number((await api.dataSource.query(`SELECT count(*) AS n FROM inbound_messages`))[0].n);
  const ticketsOf = (customerId: string) => api.dataSource.query(`SELECT * FROM tickets WHERE customer_id = $1 ORDER BY number`, [customerId]) as Promise<Array<Record<string, unknown>>>;

  const postWebhook = (raw: string | Buffer, headers: Record<string, string>) =>
    api.http.post('/api/v1/inbound-email').set({ 'Content-Type': 'message/rfc822', ...headers }).send(Buffer.from(raw));

  beforeAll(async () => {
    smtpPort = await freePort();
    const env = { INBOUND_EMAIL_SECRET: secret, MAIL_DOMAIN, INBOUND_EMAIL_MAX_BYTES: String(MAX_BYTES) };
    api = await startTestApi({ env });
    const plan = await createPlan(api);
    contoso = await createCustomer(api, plan.id, 'Contoso Mail');
    fabrikam = await createCustomer(api, plan.id, 'Fabrikam Mail');
    await addContact(api, contoso.id, { name: 'Marta López', email: 'marta@gmail.example', locale: 'es' });
    worker = await startTestWorker({ DATABASE_URL: api.database.url, REDIS_URL: testStack().redisUrl, QUEUE_PREFIX: api.queuePrefix, ...env });
    listener = await startTestMailIn({ DATABASE_URL: api.database.url, REDIS_URL: testStack().redisUrl, QUEUE_PREFIX: api.queuePrefix, INBOUND_SMTP_PORT: String(smtpPort), ...env });
  });
  afterAll(async () => {
    await listener?.close();
    await worker?.close();
    await api?.close();
  });

  it('makes a ticket of a new message from a contact, stored before the 250, and the same ticket of a re-delivery', async () => {
    const mid = messageId('new');
    const raw = rawMail({ From: 'Marta López <marta@gmail.example>', To: `support@${MAIL_DOMAIN}`, Subject: 'No puedo entrar en Outlook', 'Message-ID': mid }, 'Desde esta mañana nadie puede abrir Outlook.');
    const reply = await sendSmtp(smtpPort, raw);
    expect(reply).toMatch(/^250 /);
    // The 250 came after the commit: the raw message is there at once.
    const stored: Array<{ raw: Buffer }> = await api.dataSource.query(`SELECT raw FROM inbound_messages WHERE position(convert_to($1, 'UTF8') in raw) > 0`, [mid]);
    expect(stored).toHaveLength(1);
    expect(stored[0].raw.toString()).toContain('Desde esta mañana');

    const [row] = await processed(mid);
    expect(row).toMatchObject({ status: 'ticket', customer_id: contoso.id, from_address: 'marta@gmail.example', source: 'smtp' });
    const tickets = await ticketsOf(contoso.id);
    expect(tickets).toHaveLength(1);
    expect(tickets[0]).toMatchObject({ id: row.ticket_id, channel: 'email', external_id: mid, subject: 'No puedo entrar en Outlook', requester_email: 'marta@gmail.example', requester_name: 'Marta López' });
    expect(tickets[0].description).toBe('Desde esta mañana nadie puede abrir Outlook.');

    // The sending server retries (it missed our 250), and a provider's webhook delivers it too.
    expect(await sendSmtp(smtpPort, raw)).toMatch(/^250 /);
    const headers = signWebhook('wh-redelivery-1', Buffer.from(raw), [secret]);
    expect((await postWebhook(raw, { ...headers })).status).toBe(202);
    const rows = await processed(mid, 3);
    expect(rows.map((r) => r.status).sort()).toEqual(['duplicate', 'duplicate', 'ticket']);
    expect(new Set(rows.map((r) => r.ticket_id))).toEqual(new Set([row.ticket_id]));
    expect(await ticketsOf(contoso.id)).toHaveLength(1);
  });

  it('makes one ticket of the same message delivered several times at once, with other mail in the same moment', async () => {
    const mid = messageId('at-once');
    // Fabrikam's senders (matched by domain): Contoso's ticket counts stay the other tests'.
    const raw = rawMail({ From: `Ana Ruiz <ana@${fabrikam.domain}>`, Subject: 'SharePoint va lento', 'Message-ID': mid }, 'Tarda un minuto en abrir cada página.');
    const others = Array.from({ length: 3 }, (_, i) => messageId(`at-once-other-${i}`));
    const replies = await Promise.all([
      ...Array.from({ length: 4 }, () => sendSmtp(smtpPort, raw)),
      ...others.map((other) => sendSmtp(smtpPort, rawMail({ From: `pablo@${fabrikam.domain}`, Subject: `Otro ${other}`, 'Message-ID': other }, 'Otra cosa.'))),
    ]);
    for (const reply of replies) expect(reply).toMatch(/^250 /);
    const rows = await processed(mid, 4);
    expect(rows.map((r) => r.status).sort()).toEqual(['duplicate', 'duplicate', 'duplicate', 'ticket']);
    expect(new Set(rows.map((r) => r.ticket_id)).size).toBe(1);
    const tickets: Array<{ external_id: string; customer_id: string }> = await api.dataSource.query(`SELECT external_id, customer_id FROM tickets WHERE external_id = ANY($1)`, [[mid, ...others]]);
    expect(tickets.map((t) => t.external_id).sort()).toEqual([mid, ...others].sort());
    expect(tickets.every((t) => t.customer_id === fabrikam.id)).toBe(true);
  });

  it('matches a sender by the domain of a customer when no contact has the address', async () => {
    const mid = messageId('domain');
    await sendSmtp(smtpPort, rawMail({ From: `Luis <luis@${fabrikam.domain}>`, Subject: 'Invoice question', 'Message-ID': mid }, 'Where is invoice 7?'));
    const [row] = await processed(mid);
    expect(row).toMatchObject({ status: 'ticket', customer_id: fabrikam.id });

    // Their reply is named by the address they wrote from (no contact names them; the From's display name is theirs to choose).
    const [{ number }] = await api.dataSource.query(`SELECT number FROM tickets WHERE id = $1`, [row.ticket_id]);
    const replyId = messageId('domain-reply');
    await sendSmtp(smtpPort, rawMail({ From: `Luis <luis@${fabrikam.domain}>`, Subject: `Re: [HD-${String(number).padStart(6, '0')}] Invoice question`, 'Message-ID': replyId }, 'Found it, thanks.'));
    expect((await processed(replyId))[0]).toMatchObject({ status: 'comment', ticket_id: row.ticket_id });
    const comments = await api.http.get(`/api/v1/tickets/${row.ticket_id}/comments`).set(bearer(fabrikam.token));
    expect(comments.body.map((c: { body: string; author: unknown }) => [c.body, c.author])).toEqual([['Found it, thanks.', { kind: 'customer', name: `luis@${fabrikam.domain}` }]]);
  });

  it('makes a reply a public comment on its ticket, quoted history and signature trimmed, by subject number or by our Message-ID', async () => {
    const mid = messageId('thread');
    await sendSmtp(smtpPort, rawMail({ From: 'marta@gmail.example', Subject: 'Teams no arranca', 'Message-ID': mid }, 'Teams se cierra al abrirlo.'));
    const [first] = await processed(mid);
    const [ticket] = (await api.dataSource.query(`SELECT id, number FROM tickets WHERE id = $1`, [first.ticket_id])) as Array<{ id: string; number: string }>;
    const hd = `HD-${String(ticket.number).padStart(6, '0')}`;

    const replyId = messageId('reply');
    await sendSmtp(
      smtpPort,
      rawMail(
        { From: 'marta@gmail.example', Subject: `RE: [${hd}] Teams no arranca`, 'Message-ID': replyId, 'In-Reply-To': '<unknown@elsewhere.example>' },
        'Ya lo he reinstalado y sigue igual.\n\n-- \nMarta López\nContoso\n\nEl lun, 1 dic 2026, Soporte <support@helpdesk.test> escribió:\n> ¿Puede reinstalarlo?',
      ),
    );
    const [reply] = await processed(replyId);
    expect(reply).toMatchObject({ status: 'comment', ticket_id: ticket.id });

    const threadedId = messageId('reply2');
    await sendSmtp(
      smtpPort,
      rawMail({ From: 'marta@gmail.example', Subject: 'Re: Teams', 'Message-ID': threadedId, 'In-Reply-To': `<hd.${ticket.id}.comment-1@${MAIL_DOMAIN}>`, References: `${mid} <hd.${ticket.id}.comment-1@${MAIL_DOMAIN}>` }, 'Now it works, thanks!\n\nOn Mon, Helpdesk wrote:\n> try again'),
    );
    expect((await processed(threadedId))[0]).toMatchObject({ status: 'comment', ticket_id: ticket.id });

    const comments = await api.http.get(`/api/v1/tickets/${ticket.id}/comments`).set(bearer(contoso.token));
    expect(comments.status).toBe(200);
    expect(comments.body.map((c: { body: string; visibility: string; author: { kind: string } }) => [c.body, c.visibility, c.author.kind])).toEqual([
      ['Ya lo he reinstalado y sigue igual.', 'public', 'customer'],
      ['Now it works, thanks!', 'public', 'customer'],
    ]);
    // Each says who wrote it: the sender contact's name, for the customer (never an id) and for staff.
    expect(comments.body.map((c: { author: unknown }) => c.author)).toEqual([
      { kind: 'customer', name: 'Marta López' },
      { kind: 'customer', name: 'Marta López' },
    ]);
    const staffComments = await api.http.get(`/api/v1/tickets/${ticket.id}/comments`).set(bearer(api.adminToken));
    expect(staffComments.body.map((c: { author: unknown }) => c.author)).toEqual([
      { kind: 'customer', id: contoso.id, name: 'Marta López' },
      { kind: 'customer', id: contoso.id, name: 'Marta López' },
    ]);
    const publicEvents = await api.http.get(`/api/v1/tickets/${ticket.id}/events`).set(bearer(contoso.token));
    expect(publicEvents.body.filter((e: { type: string }) => e.type === 'commented').map((e: { actor: unknown }) => e.actor)).toEqual([
      { kind: 'customer', name: 'Marta López' },
      { kind: 'customer', name: 'Marta López' },
    ]);
    const staffEvents = await api.http.get(`/api/v1/tickets/${ticket.id}/events`).set(bearer(api.adminToken));
    expect(staffEvents.body.filter((e: { type: string }) => e.type === 'commented').map((e: { actor: unknown }) => e.actor)).toEqual([
      { kind: 'customer', id: contoso.id, name: 'Marta López' },
      { kind: 'customer', id: contoso.id, name: 'Marta López' },
    ]);
    expect(await ticketsOf(contoso.id)).toHaveLength(2);

    // Another customer naming that ticket number files a ticket of its own, never a comment on Contoso's.
    const foreignId = messageId('foreign');
    await sendSmtp(smtpPort, rawMail({ From: `eve@${fabrikam.domain}`, Subject: `Re: [${hd}] Teams`, 'Message-ID': foreignId }, 'Let me in'));
    const [foreign] = await processed(foreignId);
    expect(foreign).toMatchObject({ status: 'ticket', customer_id: fabrikam.id });
    expect(foreign.ticket_id).not.toBe(ticket.id);
  });

  it('makes messages what they are before their 250, those arriving together in one transaction, stores a burst beyond that raw for the job, and each is one ticket', async () => {
    const processing = listener.get(InboundMailProcessing);
    const locker = new Client({ connectionString: api.database.url });
    await locker.connect();
    try {
      // Contoso's new tickets wait for this lock (the ticket's foreign key), so messages processed
      // on arrival stay inside their sessions, each holding its place, until it goes.
      await locker.query('BEGIN');
      await locker.query('SELECT id FROM customers WHERE id = $1 FOR UPDATE', [contoso.id]);
      const mids = Array.from({ length: MAX_RECEIVING_AT_ONCE + 2 }, (_, i) => messageId(`burst-${i}`));
      const send = (mid: string) => sendSmtp(smtpPort, rawMail({ From: 'Marta López <marta@gmail.example>', Subject: `Burst ${mid}`, 'Message-ID': mid }, 'Una más.'));
      const held = mids.slice(0, MAX_RECEIVING_AT_ONCE).map(send);
      const blocked = async () =>
        (await api.dataSource.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%INSERT INTO tickets%'`))[0].n as number;
      // Every one inside its session; they wait in the listener's one transaction (the rest for their turn), not one each.
      await eventually(
        async () => ({ receiving: processing.receivingNow, blocked: await blocked() }),
        (s) => s.receiving === MAX_RECEIVING_AT_ONCE && s.blocked === ARRIVAL_BATCH.maxConcurrentBatches,
        20_000,
        `${MAX_RECEIVING_AT_ONCE} messages inside their sessions`,
      );
      // Not answered yet, and nothing of them committed.
      expect(await inbound(mids[0])).toEqual([]);

      // More arrive meanwhile: stored raw and answered at once; the job waits for the same lock.
      const replies = await Promise.all(mids.slice(MAX_RECEIVING_AT_ONCE).map(send));
      const ids = replies.map((r) => /accepted as ([0-9a-f-]{36})/.exec(r)?.[1]);
      expect(ids.every(Boolean)).toBe(true);
      const raw = await api.dataSource.query(`SELECT status, message_id FROM inbound_messages WHERE id = ANY($1::uuid[])`, [ids]);
      expect(raw).toEqual([{ status: 'received', message_id: null }, { status: 'received', message_id: null }]);

      await locker.query('ROLLBACK');
      for (const reply of await Promise.all(held)) expect(reply).toMatch(/^250 /);
      for (const mid of mids) expect((await processed(mid))[0]).toMatchObject({ status: 'ticket', customer_id: contoso.id });
      const tickets: Array<{ external_id: string }> = await api.dataSource.query(`SELECT external_id FROM tickets WHERE external_id = ANY($1)`, [mids]);
      expect(tickets.map((t) => t.external_id).sort()).toEqual([...mids].sort());
    } finally {
      await locker.query('ROLLBACK').catch(() => undefined);
      await locker.end();
    }
  });

  it('parks mail from an unknown sender as unmatched for an agent, who assigns it to a customer', async () => {
    const mid = messageId('unknown');
    await sendSmtp(smtpPort, rawMail({ From: 'stranger@unknown.example', Subject: 'Help with Azure', 'Message-ID': mid }, 'Our VM is down'));
    const [row] = await processed(mid);
    expect(row).toMatchObject({ status: 'unmatched', ticket_id: null });

    const list = await api.http.get('/api/v1/inbound-email').set(bearer(api.adminToken));
    expect(list.status).toBe(200);
    expect(list.body).toEqual(expect.arrayContaining([expect.objectContaining({ id: row.id, status: 'unmatched', from: 'stranger@unknown.example', subject: 'Help with Azure' })]));
    // The note in English for API clients, and as a code with its values for a screen in Spanish or English.
    expect(list.body.find((m: { id: string }) => m.id === row.id)).toMatchObject({
      note: 'no customer contact or domain matches stranger@unknown.example',
      noteWhy: { code: 'no_customer_match', params: { sender: 'stranger@unknown.example' } },
    });
    expect(JSON.stringify(list.body)).not.toContain('Our VM is down');
    expect((await api.http.get('/api/v1/inbound-email').set(bearer(contoso.token))).status).toBe(403);

    const bad = await api.http.post(`/api/v1/inbound-email/${row.id}/assign`).set(bearer(api.adminToken)).send({ customerId: 'nope' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'customerId' })]);

    const assigned = await api.http.post(`/api/v1/inbound-email/${row.id}/assign`).set(bearer(api.adminToken)).send({ customerId: fabrikam.id });
    expect(assigned.status).toBe(200);
    const [after] = await eventually(() => inbound(mid), (rows) => rows[0]?.status === 'ticket', 20_000, 'assigned message filed');
    expect(after.customer_id).toBe(fabrikam.id);
    const again = await api.http.post(`/api/v1/inbound-email/${row.id}/assign`).set(bearer(api.adminToken)).send({ customerId: fabrikam.id });
    expect(again.status).toBe(409);
  });

  it('records auto-replies, bounces and loops without making a ticket or a comment', async () => {
    const before = (await ticketsOf(contoso.id)).length;
    const cases: Array<[string, Record<string, string>]> = [
      ['auto_reply', { From: 'marta@gmail.example', Subject: 'Fuera de la oficina', 'Auto-Submitted': 'auto-replied' }],
      ['auto_reply', { From: 'marta@gmail.example', Subject: 'Out of office', Precedence: 'bulk' }],
      ['auto_reply', { From: 'marta@gmail.example', Subject: 'Away', 'X-Autoreply': 'yes' }],
      ['bounce', { From: 'MAILER-DAEMON@mx.gmail.example', Subject: 'Undelivered Mail Returned to Sender' }],
      ['bounce', { From: 'marta@gmail.example', Subject: 'Delivery Status Notification', 'Content-Type': 'multipart/report; report-type=delivery-status; boundary="b1"' }],
      ['loop', { From: `support@${MAIL_DOMAIN}`, Subject: '[HD-000001] We received your request', 'X-Helpdesk-Notification': 'ticket-received' }],
    ];
    const ids: string[] = [];
    for (const [, headers] of cases) {
      const mid = messageId('auto');
      ids.push(mid);
      const body = headers['Content-Type']?.startsWith('multipart/report') ? '--b1\r\nContent-Type: text/plain\r\n\r\nIt bounced\r\n--b1--' : 'automatic';
      expect(await sendSmtp(smtpPort, rawMail({ ...headers, 'Message-ID': mid }, body))).toMatch(/^250 /);
    }
    for (const [i, [status]] of cases.entries()) expect((await processed(ids[i]))[0]).toMatchObject({ status, ticket_id: null, comment_id: null });
    expect(await ticketsOf(contoso.id)).toHaveLength(before);
  });

  it('keeps malformed mail for inspection and goes on receiving', async () => {
    const reply = await sendSmtp(smtpPort, 'this is not\r\nan e-mail at all\r\n');
    expect(reply).toMatch(/^250 /);
    const [row] = await eventually(
      () => api.dataSource.query(`SELECT * FROM inbound_messages WHERE raw = $1::bytea`, [Buffer.from('this is not\r\nan e-mail at all\r\n')]) as Promise<Array<Record<string, unknown>>>,
      (rows) => rows.length === 1 && rows[0].status !== 'received',
      20_000,
      'malformed recorded',
    );
    expect(row).toMatchObject({ status: 'malformed', ticket_id: null });
    expect(row.note).toMatch(/sender/);
    const shown = await api.http.get(`/api/v1/inbound-email/${String(row.id)}`).set(bearer(api.adminToken));
    expect(shown.body).toMatchObject({ status: 'malformed', note: 'no sender address in From', noteWhy: { code: 'no_sender', params: {} } });
    const mid = messageId('after-malformed');
    expect(await sendSmtp(smtpPort, rawMail({ From: 'marta@gmail.example', Subject: 'Still here', 'Message-ID': mid }, 'ok'))).toMatch(/^250 /);
    expect((await processed(mid))[0]).toMatchObject({ status: 'ticket' });
  });

  it('refuses a message over the size limit with 552 over SMTP and 413 over the webhook, storing nothing', async () => {
    const before = await storedCount();
    const huge = rawMail({ From: 'marta@gmail.example', Subject: 'Huge', 'Message-ID': messageId('huge') }, 'x'.repeat(76).concat('\n').repeat(Math.ceil((MAX_BYTES * 1.5) / 77)));
    await expect(sendSmtp(smtpPort, huge)).rejects.toMatchObject({ responseCode: 552 });
    const res = await postWebhook(huge, { ...signWebhook('wh-huge', Buffer.from(huge), [secret]) });
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(await storedCount()).toBe(before);
  });

  describe('the inbound webhook (Standard Webhooks)', () => {
    const raw = () => rawMail({ From: 'marta@gmail.example', Subject: 'Via webhook', 'Message-ID': messageId('wh') }, 'Sent through the provider');

    it('accepts a signed message once (202), then refuses its id again (401)', async () => {
      const body = raw();
      const headers = signWebhook('wh-once', Buffer.from(body), [secret]);
      const res = await postWebhook(body, { ...headers });
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ id: expect.any(String) });
      const [row] = await eventually(() => api.dataSource.query(`SELECT * FROM inbound_messages WHERE id = $1`, [res.body.id]) as Promise<Array<Record<string, unknown>>>, (rows) => rows[0]?.status === 'ticket', 20_000, 'webhook mail filed');
      expect(row).toMatchObject({ source: 'webhook', webhook_id: 'wh-once', customer_id: contoso.id });

      const before = await storedCount();
      const replay = await postWebhook(body, { ...headers });
      expect(replay.status).toBe(401);
      expect(replay.body.detail).toMatch(/already received/);
      expect(await storedCount()).toBe(before);
    });

    it('refuses a bad signature, a stale or future timestamp, missing headers and a JSON body, storing nothing', async () => {
      const before = await storedCount();
      const body = raw();
      const wrong = signWebhook('wh-bad', Buffer.from(body), [newWebhookSecret()]);
      expect((await postWebhook(body, { ...wrong })).status).toBe(401);
      const tampered = signWebhook('wh-tampered', Buffer.from(body), [secret]);
      expect((await postWebhook(body.replace('Sent through', 'Changed by'), { ...tampered })).status).toBe(401);
      const stale = signWebhook('wh-stale', Buffer.from(body), [secret], new Date(Date.now() - 6 * 60_000));
      const staleRes = await postWebhook(body, { ...stale });
      expect(staleRes.status).toBe(401);
      expect(staleRes.headers['content-type']).toMatch(/application\/problem\+json/);
      const future = signWebhook('wh-future', Buffer.from(body), [secret], new Date(Date.now() + 6 * 60_000));
      expect((await postWebhook(body, { ...future })).status).toBe(401);
      expect((await postWebhook(body, {})).status).toBe(401);
      const json = await api.http.post('/api/v1/inbound-email').set({ ...signWebhook('wh-json', '{}', [secret]) }).send({});
      expect(json.status).toBe(415);
      expect(await storedCount()).toBe(before);
      // The stale id was never accepted, so a fresh signature under it is.
      const fresh = signWebhook('wh-stale', Buffer.from(body), [secret]);
      expect((await postWebhook(body, { ...fresh })).status).toBe(202);
    });
  });
});
