/**
 * E-mail out when the worker dies mid-send (issue #15): the built worker is SIGKILLed with one
 * notification inside SMTP DATA (the receiving server has not answered) and another one accepted
 * by the server (250) but not yet marked sent in PostgreSQL. A new worker sends both: neither is
 * lost, each in its recipient's language, and the one the server had already taken arrives again
 * with the same Message-ID, so the receiving side recognises the resend.
 */
import { Client } from 'pg';
import { freePort } from '../../libs/devstack/src/free-port';
import { bearer, createCustomer, createPlan, eventually, startTestApi, TestApi, ticketBody } from '../support';
import { AppProcess, killAppProcesses, startWorkerProcess } from '../support/app-processes';
import { addContact, MAIL_DOMAIN, ReceivingSmtp } from './support';

jest.setTimeout(180_000);

describe('e-mail out: a worker killed mid-send', () => {
  let api: TestApi;
  let smtp: ReceivingSmtp;
  /** Message-IDs whose first DATA got no answer. */
  const held: string[] = [];
  let locker: Client;
  let worker: AppProcess;
  let customer: { id: string };
  /** The outbound row whose "sent" mark the test holds back with a row lock (an open transaction). */
  let lockedSubject = '';
  const env = () => ({ MAIL_DOMAIN, SMTP_URL: smtp.url, MAIL_FROM: `Soporte <support@${MAIL_DOMAIN}>` });
  const outbound = (ticketId: string) =>
    api.dataSource.query(`SELECT * FROM outbound_messages WHERE ticket_id = $1 AND kind = 'public_reply'`, [ticketId]) as Promise<Array<Record<string, unknown>>>;

  beforeAll(async () => {
    // The first DATA of a message marked HOLD gets no answer; before the 250 to the message the
    // test names, it locks that message's row so that the worker's "sent" mark has to wait.
    smtp = new ReceivingSmtp(await freePort(), async (mail) => {
      if (mail.subject?.includes('HOLD') && !held.includes(mail.messageId!)) {
        held.push(mail.messageId!);
        return 'hold';
      }
      if (lockedSubject && mail.subject?.includes(lockedSubject)) {
        lockedSubject = '';
        await locker.query('BEGIN');
        await locker.query(`SELECT id FROM outbound_messages WHERE message_id = $1 FOR UPDATE`, [mail.messageId]);
      }
      return 'accept';
    });
    await smtp.start();
    api = await startTestApi({ env: env() });
    locker = new Client({ connectionString: api.database.url });
    await locker.connect();
    customer = await createCustomer(api, (await createPlan(api)).id, 'Contoso Crash');
    await addContact(api, customer.id, { name: 'Marta López', email: 'marta@contoso-crash.example', locale: 'es' });
    await addContact(api, customer.id, { name: 'John Smith', email: 'john@contoso-crash.example', locale: 'en' });
    worker = await startWorkerProcess(api, env());
  });
  afterAll(async () => {
    await killAppProcesses();
    await locker?.end();
    await api?.close();
    await smtp?.stop();
  });

  /** A ticket that came by e-mail, and a public staff reply on it: one notification to its requester. */
  async function reply(requester: { name: string; email: string }, subject: string, body: string): Promise<{ ticketId: string; messageId: string }> {
    const ticket = await api.http.post('/api/v1/tickets').set(bearer(api.adminToken)).send(ticketBody(customer.id, { channel: 'email', subject, requester }));
    expect(ticket.status).toBe(201);
    const comment = await api.http.post(`/api/v1/tickets/${ticket.body.id}/comments`).set(bearer(api.adminToken)).send({ body, visibility: 'public' });
    expect(comment.status).toBe(201);
    return { ticketId: ticket.body.id, messageId: `<hd.${ticket.body.id}.comment-${comment.body.id}@${MAIL_DOMAIN}>` };
  }

  it('loses neither the message inside DATA nor the one accepted but not marked sent, and resends the latter with the same Message-ID', async () => {
    lockedSubject = 'Teams';
    const inData = await reply({ name: 'Marta López', email: 'marta@contoso-crash.example' }, 'HOLD Outlook no abre', 'Hemos reiniciado su buzón.');
    const accepted = await reply({ name: 'John Smith', email: 'john@contoso-crash.example' }, 'Teams calls drop', 'We changed your network policy.');

    // The first waits in DATA; the second was taken (250) and the worker's "sent" UPDATE waits on the lock.
    await eventually(async () => held, (ids) => ids.includes(inData.messageId), 30_000, 'the first message held in DATA');
    await eventually(async () => smtp.byMessageId(accepted.messageId).length, (n) => n === 1, 30_000, 'the second message accepted');
    await eventually(
      async () => (await api.dataSource.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE outbound_messages SET status = ''sent''%'`))[0].n as number,
      (n) => n === 1,
      30_000,
      'the sent mark blocked',
    );
    expect(await worker.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    // PostgreSQL notices a dead client only when it next writes to it, so the blocked UPDATE would
    // still commit once the lock goes: end that session, as if the worker had died before sending it.
    await api.dataSource.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE outbound_messages SET status = ''sent''%'`);
    await locker.query('ROLLBACK');
    expect((await outbound(inData.ticketId))[0]).toMatchObject({ status: 'pending' });
    expect((await outbound(accepted.ticketId))[0]).toMatchObject({ status: 'pending' });

    // A new worker takes the jobs the dead one held once their locks lapse (BullMQ's stalled-job check).
    worker = await startWorkerProcess(api, env());
    await eventually(
      async () => [...(await outbound(inData.ticketId)), ...(await outbound(accepted.ticketId))].map((r) => r.status),
      (statuses) => statuses.length === 2 && statuses.every((s) => s === 'sent'),
      120_000,
      'both marked sent by the new worker',
    );

    // The one inside DATA arrived once, in Spanish.
    const [spanish, ...noMore] = smtp.byMessageId(inData.messageId).map((r) => r.mail);
    expect(noMore).toEqual([]);
    expect(spanish.subject).toMatch(/^Re: \[HD-\d{6}\] HOLD Outlook no abre$/);
    expect(spanish.text).toContain('Hemos reiniciado su buzón.');
    // The one already accepted came again, the same message: same Message-ID, subject and body, in English.
    const copies = smtp.byMessageId(accepted.messageId).map((r) => r.mail);
    expect(copies).toHaveLength(2);
    expect(copies[1].subject).toBe(copies[0].subject);
    expect(copies[1].text).toBe(copies[0].text);
    expect(copies[0].subject).toMatch(/^Re: \[HD-\d{6}\] Teams calls drop$/);
    expect(copies[0].text).toContain('We changed your network policy.');
    // Nothing else went out for these two tickets.
    expect(smtp.received.filter(({ mail }) => mail.subject?.includes('HOLD Outlook') || mail.subject?.includes('Teams calls drop'))).toHaveLength(3);
  });
});
