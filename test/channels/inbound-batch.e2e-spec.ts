/**
 * E-mail in, group commit (issue #15): messages arriving on concurrent SMTP sessions are made what
 * they are in one transaction, each sender answered `250` only after that commit. A member that
 * breaks its batch fails alone (the others still commit, each once, and it is kept raw for the
 * job); a duplicate Message-ID, an unknown sender, malformed mail and an auto-reply in the same
 * batch are each recorded once; and the mail-in process (the listener) killed before the commit
 * leaves nothing, so the sender's retry makes the one ticket.
 */
import { INestApplicationContext, Logger } from '@nestjs/common';
import { connect } from 'node:net';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ARRIVAL_BATCH, InboundMailProcessing } from '@helpdesk/channels/jobs';
import { freePort } from '../../libs/devstack/src/free-port';
import { bearer, createCustomer, createPlan, eventually, startTestApi, startTestMailIn, startTestWorker, TestApi, testStack, ticketBody } from '../support';
import { AppProcess, killAppProcesses, startMailInProcess } from '../support/app-processes';
import { addContact, MAIL_DOMAIN, messageId, rawMail, sendSmtp } from './support';

jest.setTimeout(180_000);

type Row = Record<string, unknown>;

describe('e-mail in: messages arriving together', () => {
  let api: TestApi;
  let locker: Client;
  let contoso: { id: string; domain: string };
  let fabrikam: { id: string; domain: string };
  const MARTA = 'Marta López <marta@contoso-batch.example>';
  const JOHN = 'John Smith <john@contoso-batch.example>';
  const ANA = 'Ana Ruiz <ana@fabrikam-batch.example>';

  const inboundById = (id: string) => api.dataSource.query(`SELECT * FROM inbound_messages WHERE id = $1`, [id]).then((rows: Row[]) => rows[0]);
  const inbound = (mid: string) => api.dataSource.query(`SELECT * FROM inbound_messages WHERE message_id = $1 ORDER BY received_at`, [mid]) as Promise<Row[]>;
  const tickets = (mid: string) => api.dataSource.query(`SELECT * FROM tickets WHERE external_id = $1`, [mid]) as Promise<Row[]>;
  const acknowledgements = (ticketId: unknown) =>
    api.dataSource.query(`SELECT * FROM outbound_messages WHERE ticket_id = $1 AND kind = 'ticket_received'`, [ticketId]) as Promise<Row[]>;
  const acceptedId = (reply: string) => /accepted as ([0-9a-f-]{36})/.exec(reply)?.[1] ?? '';
  /** Backends of the listener waiting for the test's lock on a customer row, inside their transactions. */
  const blockedInserts = async () =>
    (await api.dataSource.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%INSERT INTO tickets%'`))[0].n as number;

  /** Locks Contoso's row: its new tickets (their foreign key) wait, so the batches holding them stay open. */
  async function holdContoso(): Promise<void> {
    await locker.query('BEGIN');
    await locker.query('SELECT id FROM customers WHERE id = $1 FOR UPDATE', [contoso.id]);
  }

  beforeAll(async () => {
    api = await startTestApi({ env: { MAIL_DOMAIN } });
    const plan = await createPlan(api);
    contoso = await createCustomer(api, plan.id, 'Contoso Batch');
    fabrikam = await createCustomer(api, plan.id, 'Fabrikam Batch');
    await addContact(api, contoso.id, { name: 'Marta López', email: 'marta@contoso-batch.example', locale: 'es' });
    await addContact(api, contoso.id, { name: 'John Smith', email: 'john@contoso-batch.example', locale: 'en' });
    await addContact(api, fabrikam.id, { name: 'Ana Ruiz', email: 'ana@fabrikam-batch.example', locale: 'es' });
    locker = new Client({ connectionString: api.database.url });
    await locker.connect();
  });
  afterAll(async () => {
    await killAppProcesses();
    await locker?.query('ROLLBACK').catch(() => undefined);
    await locker?.end();
    await api?.close();
  });

  describe('in one listener (and a worker for the job)', () => {
    let worker: INestApplicationContext;
    let listener: INestApplicationContext;
    let smtpPort: number;

    beforeAll(async () => {
      smtpPort = await freePort();
      worker = await startTestWorker({ DATABASE_URL: api.database.url, REDIS_URL: testStack().redisUrl, QUEUE_PREFIX: api.queuePrefix, MAIL_DOMAIN });
      listener = await startTestMailIn({ DATABASE_URL: api.database.url, REDIS_URL: testStack().redisUrl, QUEUE_PREFIX: api.queuePrefix, INBOUND_SMTP_PORT: String(smtpPort), MAIL_DOMAIN });
    });
    afterAll(async () => {
      await locker.query('ROLLBACK').catch(() => undefined);
      await listener?.close();
      await worker?.close();
    });

    /**
     * Holds the listener's transactions (a Contoso ticket each), then sends `mixed` while they
     * wait: every one of those is parsed and waits for a turn, so they leave together in one batch
     * once the lock goes. The replies, holders' first.
     */
    async function sendTogether(mixed: Array<string | Buffer>): Promise<string[]> {
      const processing = listener.get(InboundMailProcessing);
      await holdContoso();
      const holders: Array<Promise<string>> = [];
      const held = ARRIVAL_BATCH.maxConcurrentBatches;
      for (let i = 0; i < held; i++) {
        holders.push(sendSmtp(smtpPort, rawMail({ From: MARTA, Subject: `Holder ${i}`, 'Message-ID': messageId(`holder-${i}`) }, 'Espera.')));
        await eventually(blockedInserts, (n) => n === i + 1, 20_000, `holder ${i} inside its transaction`);
      }
      const replies = mixed.map((raw) => sendSmtp(smtpPort, raw));
      await eventually(async () => processing.receivingNow, (n) => n === held + mixed.length, 20_000, 'every message inside its session');
      // Nothing answered before its commit.
      expect(await blockedInserts()).toBe(held);
      await locker.query('ROLLBACK');
      for (const reply of await Promise.all(holders)) expect(reply).toMatch(/^250 /);
      return Promise.all(replies);
    }

    it('writes the messages of one moment in one transaction, a duplicate Message-ID, an unknown sender, malformed mail and an auto-reply among them each recorded once', async () => {
      const [first, second, third, twice, unknown, auto] = ['first', 'second', 'third', 'twice', 'unknown', 'auto'].map((tag) => messageId(`together-${tag}`));
      const twiceRaw = rawMail({ From: ANA, Subject: 'Licencias de Teams', 'Message-ID': twice }, 'Nos faltan licencias.');
      const malformed = `this is no mail ${messageId('malformed')}\r\n`;
      const replies = await sendTogether([
        rawMail({ From: JOHN, Subject: 'VPN drops', 'Message-ID': first }, 'Every hour.'),
        rawMail({ From: ANA, Subject: 'Factura duplicada', 'Message-ID': second }, 'Nos han cobrado dos veces.'),
        rawMail({ From: MARTA, Subject: 'Outlook', 'Message-ID': third }, 'No abre.'),
        twiceRaw,
        twiceRaw,
        rawMail({ From: 'stranger@nowhere-batch.example', Subject: 'Hello', 'Message-ID': unknown }, 'Who are you?'),
        malformed,
        rawMail({ From: MARTA, Subject: 'Fuera de la oficina', 'Message-ID': auto, 'Auto-Submitted': 'auto-replied' }, 'Vuelvo el lunes.'),
      ]);
      for (const reply of replies) expect(reply).toMatch(/^250 /);
      const rows = await Promise.all(replies.map((reply) => inboundById(acceptedId(reply))));
      // One transaction: every row has that transaction's start as its processed_at.
      expect(new Set(rows.map((r) => (r.processed_at as Date).getTime())).size).toBe(1);
      expect(rows.map((r) => r.status)).toEqual(['ticket', 'ticket', 'ticket', 'ticket', 'duplicate', 'unmatched', 'malformed', 'auto_reply']);

      for (const [mid, customer, requester] of [[first, contoso, 'john@contoso-batch.example'], [second, fabrikam, 'ana@fabrikam-batch.example'], [third, contoso, 'marta@contoso-batch.example'], [twice, fabrikam, 'ana@fabrikam-batch.example']] as const) {
        const made = await tickets(mid);
        expect(made).toHaveLength(1);
        expect(made[0]).toMatchObject({ customer_id: customer.id, channel: 'email', requester_email: requester });
        // Its `created` event, its triage hand-off and its acknowledgement, once each.
        const events = await api.dataSource.query(`SELECT type, actor_kind, actor_id FROM ticket_events WHERE ticket_id = $1 AND type = 'created'`, [made[0].id]);
        expect(events).toEqual([{ type: 'created', actor_kind: 'customer', actor_id: customer.id }]);
        const acks = await acknowledgements(made[0].id);
        expect(acks).toHaveLength(1);
        expect(acks[0]).toMatchObject({ recipient: requester, locale: requester.startsWith('john') ? 'en' : 'es', in_reply_to: mid });
        expect(acks[0].subject).toContain(`HD-${String(made[0].number).padStart(6, '0')}`);
      }
      // The same message twice in the batch: one ticket, the second copy a duplicate of it.
      expect(rows[4].ticket_id).toBe(rows[3].ticket_id);
      for (const mid of [unknown, auto]) expect(await tickets(mid)).toEqual([]);
      expect(rows[5]).toMatchObject({ customer_id: null, ticket_id: null, from_address: 'stranger@nowhere-batch.example' });
      expect(rows[6]).toMatchObject({ ticket_id: null, customer_id: null, note: 'no sender address in From' });
    });

    it('runs one batch at a time: mail arriving while a batch is in the database waits for its commit, then leaves together in the next', async () => {
      const processing = listener.get(InboundMailProcessing);
      expect(ARRIVAL_BATCH.maxConcurrentBatches).toBe(1);
      await holdContoso();
      try {
        const holder = sendSmtp(smtpPort, rawMail({ From: MARTA, Subject: 'Holder', 'Message-ID': messageId('one-at-a-time-holder') }, 'Espera.'));
        await eventually(blockedInserts, (n) => n === 1, 20_000, 'the holder inside its transaction');
        // Fabrikam's mail could commit at once (nothing of it is locked), yet it waits for the open batch.
        const [a, b] = ['a', 'b'].map((tag) => messageId(`one-at-a-time-${tag}`));
        const replies = [
          sendSmtp(smtpPort, rawMail({ From: ANA, Subject: 'Teams no carga', 'Message-ID': a }, 'Desde esta mañana.')),
          sendSmtp(smtpPort, rawMail({ From: ANA, Subject: 'Licencias', 'Message-ID': b }, 'Faltan dos.')),
        ];
        await eventually(async () => processing.arrivalBatches, (load) => load.waiting === 2, 20_000, 'both messages waiting for their batch');
        expect(processing.arrivalBatches).toEqual({ waiting: 2, running: 1 });
        expect(await inbound(a)).toEqual([]);
        expect(await inbound(b)).toEqual([]);
        expect(await tickets(a)).toEqual([]);

        await locker.query('ROLLBACK');
        const holderRow = await inboundById(acceptedId(await holder));
        const rows = await Promise.all((await Promise.all(replies)).map((reply) => inboundById(acceptedId(reply))));
        expect(rows.map((r) => r.status)).toEqual(['ticket', 'ticket']);
        // One transaction for both (its start is every row's processed_at), after the holder's.
        expect((rows[0].processed_at as Date).getTime()).toBe((rows[1].processed_at as Date).getTime());
        expect((rows[0].processed_at as Date).getTime()).toBeGreaterThan((holderRow.processed_at as Date).getTime());
        for (const mid of [a, b]) expect(await tickets(mid)).toEqual([expect.objectContaining({ customer_id: fabrikam.id, channel: 'email' })]);
        expect(processing.arrivalBatches).toEqual({ waiting: 0, running: 0 });
      } finally {
        await locker.query('ROLLBACK').catch(() => undefined);
      }
    });

    it('makes a message whose Message-ID its customer already filed through the API a duplicate of that ticket', async () => {
      const mid = messageId('filed-by-api');
      const filed = await api.http
        .post('/api/v1/tickets')
        .set(bearer(api.adminToken))
        .send(ticketBody(contoso.id, { channel: 'email', subject: 'Filed by an agent', externalId: mid, requester: { name: 'Marta López', email: 'marta@contoso-batch.example' } }));
      expect(filed.status).toBe(201);
      const replies = await sendTogether([
        rawMail({ From: MARTA, Subject: 'Filed by an agent', 'Message-ID': mid }, 'Ya lo abrió un agente.'),
        rawMail({ From: JOHN, Subject: 'Beside it', 'Message-ID': messageId('beside-api') }, 'New.'),
      ]);
      const rows = await Promise.all(replies.map((reply) => inboundById(acceptedId(reply))));
      expect(rows.map((r) => r.status)).toEqual(['duplicate', 'ticket']);
      expect(rows[0]).toMatchObject({ ticket_id: filed.body.id, customer_id: contoso.id });
      expect(await tickets(mid)).toHaveLength(1);
      // The agent's ticket is not acknowledged by mail again.
      expect(await acknowledgements(filed.body.id)).toEqual([]);
    });

    it('makes a ticket of a message whose encoded subject, name and body carry NUL characters, without them', async () => {
      const mid = messageId('nul');
      const raw = rawMail({ From: '=?UTF-8?Q?Marta=00_L=C3=B3pez?= <marta@contoso-batch.example>', Subject: '=?UTF-8?Q?Outlook=00_no_abre?=', 'Content-Transfer-Encoding': 'quoted-printable', 'Message-ID': mid }, 'Nadie=00 puede entrar.');
      const reply = await sendSmtp(smtpPort, raw);
      expect(reply).toMatch(/^250 /);
      expect(await inboundById(acceptedId(reply))).toMatchObject({ status: 'ticket', subject: 'Outlook no abre' });
      const [made] = await tickets(mid);
      expect(made).toMatchObject({ subject: 'Outlook no abre', description: 'Nadie puede entrar.', requester_name: 'Marta López' });
    });

    /** The statements parsed on the listener's pooled connections (pg keeps their names per connection). */
    const namedOnListenerConnections = (): Set<string> => {
      const pool = (listener.get(DataSource).driver as unknown as { master: { _clients: Array<{ connection: { parsedStatements: Record<string, string> } }> } }).master;
      return new Set(pool._clients.flatMap((client) => Object.keys(client.connection.parsedStatements)));
    };

    it('names the batch\'s statements, so a connection parses and plans each once, and runs a batch again unprepared when a migration changed `tickets` under them', async () => {
      const first = messageId('named-first');
      const reply = await sendSmtp(smtpPort, rawMail({ From: JOHN, Subject: 'Named statements', 'Message-ID': first }, 'Planned once.'));
      expect(reply).toMatch(/^250 /);
      expect(await inboundById(acceptedId(reply))).toMatchObject({ status: 'ticket' });
      const named = namedOnListenerConnections();
      for (const name of ['inbound_lock_message_ids', 'inbound_earlier_outcomes', 'intake_insert_channel_tickets', 'inbound_received_acknowledged_1']) expect(named).toContain(name);

      // A column added meanwhile (another process migrating): the named `RETURNING *` of the tickets'
      // insert can no longer run on a connection that planned it. The message is still made its one
      // ticket on arrival — not kept raw for the job: its row is processed in the transaction that received it.
      const warned = jest.spyOn(Logger.prototype, 'warn');
      await api.dataSource.query(`ALTER TABLE tickets ADD COLUMN test_added_meanwhile int`);
      try {
        // Until a batch lands on a connection that had planned the insert (pg-pool hands out the last one released).
        const rerun = () => warned.mock.calls.some(([message]) => String(message).includes('run again unprepared'));
        for (let i = 0; i < 10 && !rerun(); i++) {
          const mid = messageId(`named-after-migration-${i}`);
          const after = await sendSmtp(smtpPort, rawMail({ From: ANA, Subject: 'Tras la migración', 'Message-ID': mid }, 'Sigue entrando.'));
          expect(after).toMatch(/^250 /);
          const row = await inboundById(acceptedId(after));
          expect(row).toMatchObject({ status: 'ticket', message_id: mid });
          expect((row.processed_at as Date).getTime()).toBe((row.received_at as Date).getTime());
          const made = await tickets(mid);
          expect(made).toEqual([expect.objectContaining({ id: row.ticket_id, customer_id: fabrikam.id, channel: 'email' })]);
          expect(await acknowledgements(made[0].id)).toHaveLength(1);
        }
        expect(rerun()).toBe(true);
      } finally {
        warned.mockRestore();
        await api.dataSource.query(`ALTER TABLE tickets DROP COLUMN IF EXISTS test_added_meanwhile`);
      }
    });

    it('when one member breaks the batch, commits the others each once and keeps that one raw for the job, which makes it a ticket once the fault is gone', async () => {
      // A fault in the database for one message only: its ticket's insert is refused.
      await api.dataSource.query(`CREATE OR REPLACE FUNCTION test_refuse_ticket() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF NEW.subject LIKE '%REFUSE ME%' THEN RAISE EXCEPTION 'refused for the test'; END IF; RETURN NEW; END $$`);
      await api.dataSource.query(`CREATE TRIGGER test_refuse_ticket BEFORE INSERT ON tickets FOR EACH ROW EXECUTE FUNCTION test_refuse_ticket()`);
      try {
        const [good1, refused, good2, twice, unknown] = ['good1', 'refused', 'good2', 'twice', 'unknown'].map((tag) => messageId(`broken-${tag}`));
        const twiceRaw = rawMail({ From: MARTA, Subject: 'Dos veces', 'Message-ID': twice }, 'Repetido.');
        const replies = await sendTogether([
          rawMail({ From: JOHN, Subject: 'Printer', 'Message-ID': good1 }, 'Offline.'),
          rawMail({ From: ANA, Subject: 'REFUSE ME please', 'Message-ID': refused }, 'Esta falla.'),
          rawMail({ From: ANA, Subject: 'SharePoint', 'Message-ID': good2 }, 'Lento.'),
          twiceRaw,
          twiceRaw,
          rawMail({ From: 'nobody@nowhere-batch.example', Subject: 'Hi', 'Message-ID': unknown }, 'Hi.'),
          'still no mail\r\n',
        ]);
        // Every sender heard 250: each message is committed, the refused one as its raw row.
        for (const reply of replies) expect(reply).toMatch(/^250 /);
        const rows = await Promise.all(replies.map((reply) => inboundById(acceptedId(reply))));
        expect(rows.map((r) => r.status)).toEqual(['ticket', 'received', 'ticket', 'ticket', 'duplicate', 'unmatched', 'malformed']);
        expect(rows[1]).toMatchObject({ message_id: null, ticket_id: null });
        for (const mid of [good1, good2, twice]) expect(await tickets(mid)).toHaveLength(1);
        expect(rows[4].ticket_id).toBe(rows[3].ticket_id);
        expect(await tickets(refused)).toEqual([]);
      } finally {
        await api.dataSource.query(`DROP TRIGGER IF EXISTS test_refuse_ticket ON tickets`);
      }
      // The job retries the raw message (backoff) and, the fault gone, makes it its one ticket.
      const stored = await eventually(
        () => api.dataSource.query(`SELECT * FROM inbound_messages WHERE position(convert_to('REFUSE ME', 'UTF8') in raw) > 0`) as Promise<Row[]>,
        (rows) => rows.length === 1 && rows[0].status === 'ticket',
        60_000,
        'the refused message made a ticket by the job',
      );
      const made = await tickets(stored[0].message_id as string);
      expect(made).toHaveLength(1);
      expect(made[0]).toMatchObject({ id: stored[0].ticket_id, customer_id: fabrikam.id, subject: 'REFUSE ME please' });
      expect(await acknowledgements(made[0].id)).toHaveLength(1);
    });
  });

  describe('the mail-in process killed or stopped', () => {
    let listener: AppProcess;
    let smtpPort: number;

    it('answers nothing and keeps nothing of the message, so the sending server retries, and the retry is its one ticket', async () => {
      smtpPort = await freePort();
      const env = { INBOUND_SMTP_PORT: String(smtpPort), MAIL_DOMAIN };
      listener = await startMailInProcess(api, env);
      const mid = messageId('killed');
      const raw = rawMail({ From: MARTA, Subject: 'Se cayó el servidor', 'Message-ID': mid }, 'Antes del commit.');
      await holdContoso();
      const first = sendSmtp(smtpPort, raw).then(
        (reply) => ({ reply }),
        (error: Error) => ({ error }),
      );
      await eventually(blockedInserts, (n) => n === 1, 30_000, 'the message inside its transaction');
      expect(await listener.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
      const outcome = await first;
      expect(outcome).toHaveProperty('error');
      await locker.query('ROLLBACK');
      // The dead listener's transaction never commits: PostgreSQL rolls it back when it finds the client gone.
      await eventually(blockedInserts, (n) => n === 0, 30_000, 'the dead transaction gone');
      await eventually(
        async () => (await api.dataSource.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'`))[0].n as number,
        (n) => n === 0,
        30_000,
        'no transaction of the dead listener left',
      );
      expect(await inbound(mid)).toEqual([]);
      expect(await tickets(mid)).toEqual([]);

      // The sending server tries again, to the listener that replaced it.
      listener = await startMailInProcess(api, env);
      const reply = await sendSmtp(smtpPort, raw);
      expect(reply).toMatch(/^250 /);
      const [row] = await inbound(mid);
      expect(row).toMatchObject({ id: acceptedId(reply), status: 'ticket' });
      const made = await tickets(mid);
      expect(made).toHaveLength(1);
      expect(made[0]).toMatchObject({ id: row.ticket_id, customer_id: contoso.id });
      expect(await acknowledgements(made[0].id)).toHaveLength(1);
    });

    it('on SIGTERM answers the message inside DATA once it has committed, refuses new sessions and the next command of an idle one (421), then exits; ready until then', async () => {
      await locker.query('ROLLBACK').catch(() => undefined);
      smtpPort = await freePort();
      const healthPort = await freePort();
      listener = await startMailInProcess(api, { INBOUND_SMTP_PORT: String(smtpPort), MAIL_IN_PORT: String(healthPort), MAIL_DOMAIN });
      const ready = await fetch(`http://127.0.0.1:${healthPort}/health/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ok', details: { smtp: { status: 'up' }, postgres: { status: 'up' }, redis: { status: 'up' } } });

      // An idle session (greeted, EHLO answered) and a message held inside its transaction.
      const idle = await smtpSession(smtpPort);
      expect(await idle.command('EHLO sender.example')).toMatch(/^250/);
      const mid = messageId('sigterm');
      await holdContoso();
      let answered: string | undefined;
      const inFlight = sendSmtp(smtpPort, rawMail({ From: MARTA, Subject: 'Parada ordenada', 'Message-ID': mid }, 'Durante la parada.')).then((reply) => (answered = reply));
      await eventually(blockedInserts, (n) => n === 1, 30_000, 'the message inside its transaction');

      listener.child.kill('SIGTERM');
      await eventually(() => connectionRefused(smtpPort), (refused) => refused, 30_000, 'new sessions refused');
      expect(await idle.command('MAIL FROM:<late@fabrikam-batch.example>')).toMatch(/^421 /);
      // Nothing answered before the commit: the held message waits.
      expect(answered).toBeUndefined();
      await locker.query('ROLLBACK');
      const reply = await inFlight;
      expect(reply).toMatch(/^250 /);
      const exit = await listener.exited;
      expect(exit.signal === 'SIGTERM' || exit.code === 0).toBe(true);
      const [row] = await inbound(mid);
      expect(row).toMatchObject({ id: acceptedId(reply), status: 'ticket' });
      expect(await tickets(mid)).toHaveLength(1);
    });
  });
});

/** A raw SMTP session: each command's reply (its last line). */
async function smtpSession(port: number): Promise<{ command: (line: string) => Promise<string> }> {
  const socket = connect(port, '127.0.0.1');
  let buffer = '';
  let waiting: ((reply: string) => void) | undefined;
  const take = () => {
    // A reply ends with a line whose code is followed by a space (or is the socket's end).
    const end = /^\d{3} .*\r\n/m.exec(buffer);
    if (!end || !waiting) return;
    const reply = buffer.slice(0, end.index + end[0].length);
    buffer = buffer.slice(end.index + end[0].length);
    const done = waiting;
    waiting = undefined;
    done(reply.trimEnd().split('\r\n').at(-1)!);
  };
  socket.on('data', (d: Buffer) => {
    buffer += d.toString();
    take();
  });
  socket.on('error', () => undefined);
  const next = () => new Promise<string>((resolve) => ((waiting = resolve), take()));
  expect(await next()).toMatch(/^220 /);
  return {
    command: (line) => {
      const reply = next();
      socket.write(`${line}\r\n`);
      return reply;
    },
  };
}

/** Whether a TCP connection to the port is refused (nothing listens). */
function connectionRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}
