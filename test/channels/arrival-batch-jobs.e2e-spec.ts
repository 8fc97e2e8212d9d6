/**
 * E-mail in toward 200/s (issue #15): the tickets one arrival batch of mail made are handed to
 * triage as one job, and their acknowledgements to the `customer-email` queue as one job (one job's
 * Redis work for the batch each, not one per mail). A mail the receiving server refuses makes its
 * job retry, and the retry sends only that one (the others were marked sent); a triage that fails
 * makes its job retry, and each ticket is triaged once. One-id jobs of the build before are still handled.
 */
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { ARRIVAL_BATCH, InboundMailProcessing } from '@helpdesk/channels/jobs';
import { QueueName, redisOptionsFromUrl } from '@helpdesk/queue';
import { bearer, createCustomer, createPlan, eventually, TestApi, testStack, ticketBody } from '../support';
import { addContact, MAIL_DOMAIN, MailStack, messageId, rawMail, ReceivingSmtp, sendSmtp, startMailStack } from './support';

jest.setTimeout(120_000);

type Row = Record<string, unknown>;

describe('e-mail in: one triage job and one acknowledgement job per arrival batch', () => {
  let stack: MailStack;
  let api: TestApi;
  let receiving: ReceivingSmtp;
  let locker: Client;
  let queue: Queue;
  let triageQueue: Queue;
  let contoso: { id: string };
  /** Subjects the receiving server refuses (4xx) the first time it is offered them. */
  const refuseOnce = new Set<string>();
  const refused: string[] = [];
  const MARTA = 'Marta López <marta@contoso-ackbatch.example>';
  const JOHN = 'John Smith <john@contoso-ackbatch.example>';

  const acceptedId = (reply: string) => /accepted as ([0-9a-f-]{36})/.exec(reply)?.[1] ?? '';
  const acknowledgementOf = async (inboundId: string): Promise<Row> => {
    const [row] = await api.dataSource.query(
      `SELECT o.* FROM outbound_messages o JOIN inbound_messages i ON i.ticket_id = o.ticket_id WHERE i.id = $1 AND o.kind = 'ticket_received'`,
      [inboundId],
    );
    return row as Row;
  };
  const blockedInserts = async () =>
    (await api.dataSource.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%INSERT INTO tickets%'`))[0].n as number;

  beforeAll(async () => {
    // The receiving server refuses the first offer of a subject the test names (451: try again later).
    stack = await startMailStack({}, async (mail) => {
      const hit = [...refuseOnce].find((subject) => mail.subject?.includes(subject));
      if (hit) {
        refuseOnce.delete(hit);
        refused.push(mail.subject!);
        throw Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 451 });
      }
      return 'accept';
    });
    ({ api, receiving } = stack);
    contoso = await createCustomer(api, (await createPlan(api)).id, 'Contoso AckBatch');
    await addContact(api, contoso.id, { name: 'Marta López', email: 'marta@contoso-ackbatch.example', locale: 'es' });
    await addContact(api, contoso.id, { name: 'John Smith', email: 'john@contoso-ackbatch.example', locale: 'en' });
    locker = new Client({ connectionString: api.database.url });
    await locker.connect();
    queue = new Queue(QueueName.CustomerEmail, { connection: redisOptionsFromUrl(testStack().redisUrl) as never, prefix: api.queuePrefix });
    triageQueue = new Queue(QueueName.Triage, { connection: redisOptionsFromUrl(testStack().redisUrl) as never, prefix: api.queuePrefix });
  });
  afterAll(async () => {
    await queue?.close();
    await triageQueue?.close();
    await locker?.query('ROLLBACK').catch(() => undefined);
    await locker?.end();
    await stack?.close();
  });

  /**
   * Holds the listener's transaction (a Contoso ticket, its customer row locked), sends `mails` while
   * it waits, then lets it go: they leave together in the next batch. Their replies.
   */
  async function sendTogether(mails: string[]): Promise<string[]> {
    const processing = stack.listener.get(InboundMailProcessing);
    expect(ARRIVAL_BATCH.maxConcurrentBatches).toBe(1);
    await locker.query('BEGIN');
    await locker.query('SELECT id FROM customers WHERE id = $1 FOR UPDATE', [contoso.id]);
    try {
      const holder = sendSmtp(stack.inboundPort, rawMail({ From: MARTA, Subject: 'Holder', 'Message-ID': messageId('ackbatch-holder') }, 'Espera.'));
      await eventually(blockedInserts, (n) => n === 1, 20_000, 'the holder inside its transaction');
      const replies = mails.map((raw) => sendSmtp(stack.inboundPort, raw));
      await eventually(async () => processing.arrivalBatches, (load) => load.waiting === mails.length, 20_000, 'every message waiting for its batch');
      await locker.query('ROLLBACK');
      expect(await holder).toMatch(/^250 /);
      return await Promise.all(replies);
    } finally {
      await locker.query('ROLLBACK').catch(() => undefined);
    }
  }

  it('hands the batch\'s acknowledgements over as one job; a refused one is retried alone, each reaches the server once', async () => {
    refuseOnce.add('Teams se cierra');
    const replies = await sendTogether([
      rawMail({ From: JOHN, Subject: 'VPN drops every hour', 'Message-ID': messageId('ackbatch-a') }, 'Every hour.'),
      rawMail({ From: MARTA, Subject: 'Teams se cierra', 'Message-ID': messageId('ackbatch-b') }, 'Al abrirlo.'),
      rawMail({ From: MARTA, Subject: 'Factura de noviembre', 'Message-ID': messageId('ackbatch-c') }, 'No llegó.'),
    ]);
    for (const reply of replies) expect(reply).toMatch(/^250 /);
    const acks = await Promise.all(replies.map((reply) => acknowledgementOf(acceptedId(reply))));
    const ids = acks.map((a) => a.id as string).sort();

    // One job for the three, named by the smallest id, carrying the three ids; no job of its own for any of them.
    const job = await eventually(() => queue.getJob(`batch.${ids[0]}`), (j) => j !== undefined, 20_000, 'the batch job');
    expect(job!.data).toEqual({ outboundMessageIds: ids });
    for (const id of ids) expect(await queue.getJob(id)).toBeUndefined();
    expect(await api.dataSource.query(`SELECT count(*)::int AS n FROM outbox WHERE queue = 'customer-email'`)).toEqual([{ n: 0 }]);

    // Every acknowledgement sent; the refused one took a second attempt (the job's retry), the others one.
    const sent = await eventually(
      () => api.dataSource.query(`SELECT id, status, attempts, message_id, subject FROM outbound_messages WHERE id = ANY($1::uuid[]) ORDER BY id`, [ids]) as Promise<Row[]>,
      (rows) => rows.every((r) => r.status === 'sent'),
      30_000,
      'the three acknowledgements sent',
    );
    expect(refused).toEqual([expect.stringContaining('Teams se cierra')]);
    for (const row of sent) {
      expect(row.attempts).toBe(String(row.subject).includes('Teams se cierra') ? 2 : 1);
      expect(receiving.byMessageId(row.message_id as string)).toHaveLength(1);
    }
    const finished = await eventually(() => queue.getJob(`batch.${ids[0]}`), (j) => j?.finishedOn !== undefined, 20_000, 'the batch job finished');
    expect(finished!.attemptsMade).toBe(2);
    expect(finished!.returnvalue).toEqual({ sent: 1, alreadySent: 2 });
  });

  const ticketsOf = async (replies: string[]): Promise<Row[]> =>
    api.dataSource.query(`SELECT t.id, t.number, t.subject, t.status, t.assignee_id FROM tickets t JOIN inbound_messages i ON i.ticket_id = t.id WHERE i.id = ANY($1::uuid[]) ORDER BY t.number`, [replies.map(acceptedId)]);
  const triagedEvents = async (ids: string[]) =>
    (await api.dataSource.query(`SELECT count(*)::int AS n FROM ticket_events WHERE ticket_id = ANY($1::uuid[]) AND type = 'triaged' GROUP BY ticket_id`, [ids])).map((r: { n: number }) => r.n);

  it("hands the batch's tickets to triage as one job, in their numbers' order, each triaged once", async () => {
    const replies = await sendTogether(
      ['Azure VM will not start', 'Outlook pide la contraseña', 'SharePoint va lento'].map((subject, i) => rawMail({ From: i % 2 ? MARTA : JOHN, Subject: subject, 'Message-ID': messageId(`triage-${i}`) }, 'Desde ayer.')),
    );
    for (const reply of replies) expect(reply).toMatch(/^250 /);
    const made = await ticketsOf(replies);
    const ids = made.map((t) => t.id as string);
    const job = await eventually(() => triageQueue.getJob(`batch.${[...ids].sort()[0]}`), (j) => j?.finishedOn !== undefined, 20_000, 'the triage batch job finished');
    expect(job!.data).toEqual({ ticketIds: ids });
    expect(job!.returnvalue).toEqual({ triaged: 3 });
    for (const id of ids) expect(await triageQueue.getJob(id)).toBeUndefined();
    expect((await ticketsOf(replies)).map((t) => t.status)).toEqual(['triaged', 'triaged', 'triaged']);
    expect(await triagedEvents(ids)).toEqual([1, 1, 1]);
  });

  it('retries a triage job that failed, and triages each of its tickets once', async () => {
    // Triage's write of one ticket is refused until the test lifts it: the job fails, and is retried.
    await api.dataSource.query(`CREATE OR REPLACE FUNCTION test_refuse_triage() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.subject LIKE '%TRIAGE REFUSED%' AND NEW.status <> OLD.status THEN RAISE EXCEPTION 'refused for the test'; END IF; RETURN NEW; END $$`);
    await api.dataSource.query(`CREATE TRIGGER test_refuse_triage BEFORE UPDATE ON tickets FOR EACH ROW EXECUTE FUNCTION test_refuse_triage()`);
    let ids: string[] = [];
    let replies: string[] = [];
    try {
      replies = await sendTogether(
        ['Licencias de Teams', 'TRIAGE REFUSED Exchange', 'Billing question'].map((subject, i) => rawMail({ From: i % 2 ? MARTA : JOHN, Subject: subject, 'Message-ID': messageId(`triage-retry-${i}`) }, 'Ayuda.')),
      );
      ids = (await ticketsOf(replies)).map((t) => t.id as string);
      const failedOnce = await eventually(() => triageQueue.getJob(`batch.${[...ids].sort()[0]}`), (j) => (j?.attemptsMade ?? 0) >= 1, 20_000, 'the triage job failed once');
      expect(failedOnce!.failedReason).toContain('not triaged');
      expect((await ticketsOf(replies)).find((t) => String(t.subject).includes('TRIAGE REFUSED'))!.status).toBe('new');
    } finally {
      await api.dataSource.query(`DROP TRIGGER IF EXISTS test_refuse_triage ON tickets`);
    }
    const job = await eventually(() => triageQueue.getJob(`batch.${[...ids].sort()[0]}`), (j) => j?.finishedOn !== undefined && j.returnvalue !== null, 30_000, 'the triage job retried to its end');
    expect(job!.attemptsMade).toBeGreaterThanOrEqual(2);
    expect((await ticketsOf(replies)).map((t) => t.status)).toEqual(['triaged', 'triaged', 'triaged']);
    expect(await triagedEvents(ids)).toEqual([1, 1, 1]);
  });

  it('still handles one-id jobs of the build before (a deploy): the mail sent once, the ticket triaged', async () => {
    const mid = `<hd.old-build.${Date.now()}@${MAIL_DOMAIN}>`;
    const [{ id }] = await api.dataSource.query(
      `INSERT INTO outbound_messages (event_key, kind, ticket_id, recipient, locale, message_id, "references", subject, body, auto_submitted)
       SELECT $1, 'public_reply', id, 'marta@contoso-ackbatch.example', 'es', $2, '{}', 'Re: una respuesta de antes', 'Hola.', false
         FROM tickets WHERE customer_id = $3 LIMIT 1 RETURNING id`,
      [`old-build-${Date.now()}`, mid, contoso.id],
    );
    await api.dataSource.query(`INSERT INTO outbox (queue, job_name, job_id, payload) VALUES ('customer-email', 'send-customer-email', $1, $2)`, [id, JSON.stringify({ outboundMessageId: id })]);
    const [row] = await eventually(
      () => api.dataSource.query(`SELECT status, attempts FROM outbound_messages WHERE id = $1`, [id]) as Promise<Row[]>,
      (rows) => rows[0]?.status === 'sent',
      20_000,
      'the old job sent',
    );
    expect(row.attempts).toBe(1);
    expect(receiving.byMessageId(mid)).toHaveLength(1);
    expect((await queue.getJob(id))!.returnvalue).toBe('sent');

    // A ticket filed through the API is still one triage job of its own.
    const filed = await api.http.post('/api/v1/tickets').set(bearer(api.adminToken)).send(ticketBody(contoso.id));
    expect(filed.status).toBe(201);
    const job = await eventually(() => triageQueue.getJob(filed.body.id), (j) => j?.finishedOn !== undefined, 20_000, 'the API ticket triaged');
    expect(job!.data).toEqual({ ticketId: filed.body.id });
    expect(job!.returnvalue).toBe('triaged');
    expect(await triagedEvents([filed.body.id])).toEqual([1]);
  });
});
