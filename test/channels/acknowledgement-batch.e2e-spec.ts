/**
 * E-mail in toward 200/s (issue #15): the acknowledgements of the tickets one arrival batch of mail
 * made are handed to the `customer-email` queue as one job (one job's Redis work for the batch, not
 * one per mail). Its ids are the batch's acknowledgements; a mail the receiving server refuses
 * makes the job retry, and the retry sends only that one (the others were marked sent); every
 * acknowledgement reaches the server once. A one-id job of the build before is still sent.
 */
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { ARRIVAL_BATCH, InboundMailProcessing } from '@helpdesk/channels/jobs';
import { QueueName, redisOptionsFromUrl } from '@helpdesk/queue';
import { createCustomer, createPlan, eventually, TestApi, testStack } from '../support';
import { addContact, MAIL_DOMAIN, MailStack, messageId, rawMail, ReceivingSmtp, sendSmtp, startMailStack } from './support';

jest.setTimeout(120_000);

type Row = Record<string, unknown>;

describe('e-mail in: one acknowledgement job per arrival batch', () => {
  let stack: MailStack;
  let api: TestApi;
  let receiving: ReceivingSmtp;
  let locker: Client;
  let queue: Queue;
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
  });
  afterAll(async () => {
    await queue?.close();
    await locker?.query('ROLLBACK').catch(() => undefined);
    await locker?.end();
    await stack?.close();
  });

  /**
   * Holds the listener's transaction (a Contoso ticket, its customer row locked), sends `mails` while
   * it waits, then lets it go: they leave together in the next batch. Their replies.
   */
  async function sendTogether(mails: string[]): Promise<string[]> {
    const processing = stack.worker.get(InboundMailProcessing);
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

  it('still sends a one-id job of the build before (a deploy), once', async () => {
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
  });
});
