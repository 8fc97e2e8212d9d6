import type { DataSource } from 'typeorm';
import type { AppConfig } from '@helpdesk/config';
import { NotificationSender } from './notification-sender.service';

/**
 * A DataSource whose every statement goes to `query`: TypeORM's `query`, and the pooled pg client a
 * prepared statement goes to (queryPrepared), which records the statement's name in `names`.
 */
function fakeDataSource(query: (sql: string, params: unknown[]) => Promise<unknown[]>, names: Array<string | undefined> = []): DataSource {
  const pool = {
    query: async (config: { name?: string; text: string; values: unknown[] }) => {
      names.push(config.name);
      return { rows: await query(config.text, config.values) };
    },
  };
  return { query, manager: { connection: { driver: { master: pool } } } } as unknown as DataSource;
}

/**
 * A worker without SMTP_URL: each attempt is recorded with that as its error, and the last one
 * marks the mail failed (for an admin to send again once a mail server is set), as when the
 * mail server is down. The statements against PostgreSQL are covered end to end in
 * test/channels/outbound-admin.e2e-spec.ts; here only what the sender asks of the database.
 */
describe('NotificationSender without SMTP_URL', () => {
  const ID = '0b5c1f4e-7f1a-4c55-9a35-4e0c5e0e1a01';
  let statements: Array<{ sql: string; params: unknown[] }>;
  let status: string;

  const sender = () => {
    const dataSource = fakeDataSource(async (sql: string, params: unknown[]) => {
      statements.push({ sql, params });
      if (sql.startsWith('SELECT')) return [{ id: ID, kind: 'public_reply', recipient: 'ana@example.com', message_id: '<m@x>', in_reply_to: null, references: [], subject: 'Re', body: 'Hola', auto_submitted: false, status }];
      return [];
    });
    return new NotificationSender(dataSource, { SMTP_URL: undefined, mailFrom: 'support@example.com' } as unknown as AppConfig);
  };

  beforeEach(() => {
    statements = [];
    status = 'pending';
  });

  const attempts = () => statements.filter((s) => s.sql.includes('attempts = attempts + 1'));

  it('records an attempt that is not the last with the reason, without failing the mail', async () => {
    await expect(sender().send(ID, false)).rejects.toThrow('SMTP_URL is not set');
    expect(attempts()).toHaveLength(1);
    expect(attempts()[0].params).toEqual([ID, 'SMTP_URL is not set: notifications wait unsent', false]);
    expect(attempts()[0].sql).toContain("status = CASE WHEN $3 AND status = 'pending' THEN 'failed'");
  });

  it('marks the mail failed on its last attempt', async () => {
    await expect(sender().send(ID, true)).rejects.toThrow('SMTP_URL is not set');
    expect(attempts().map((s) => s.params[2])).toEqual([true]);
  });

  it('records nothing for a mail already sent', async () => {
    status = 'sent';
    await expect(sender().send(ID, true)).resolves.toBe('already-sent');
    expect(attempts()).toHaveLength(0);
  });
});

jest.mock('nodemailer', () => ({ createTransport: () => ({ sendMail: (mail: { messageId: string }) => smtp.sendMail(mail), close: () => undefined }) }));
const smtp = { sendMail: async (_mail: { messageId: string }): Promise<unknown> => ({}) };

/**
 * The reads of the jobs in flight and the marks of the mail the server has just taken share their
 * statements: a job's mark and the next job's read, arriving together, are one round trip.
 */
describe('NotificationSender reads and marks', () => {
  const A = '0b5c1f4e-7f1a-4c55-9a35-4e0c5e0e1a0a';
  const B = '0b5c1f4e-7f1a-4c55-9a35-4e0c5e0e1a0b';
  let statements: Array<{ sql: string; params: unknown[] }>;
  let names: Array<string | undefined>;
  const row = (id: string, status = 'pending') => ({ id, kind: 'public_reply', recipient: 'ana@example.com', message_id: `<${id}@x>`, in_reply_to: null, references: [], subject: 'Re', body: 'Hola', auto_submitted: false, status });

  const sender = (sent: string[] = []) => {
    const dataSource = fakeDataSource(async (sql: string, params: unknown[]) => {
      statements.push({ sql, params });
      const read = (sql.trimStart().startsWith('WITH') ? params[1] : sql.startsWith('SELECT') ? params[0] : []) as string[];
      return read.map((id) => row(id, sent.includes(id) ? 'sent' : 'pending'));
    }, names);
    return new NotificationSender(dataSource, { SMTP_URL: 'smtp://127.0.0.1:1', mailFrom: 'support@example.com' } as unknown as AppConfig);
  };
  const turn = () => new Promise((resolve) => setImmediate(resolve));

  beforeEach(() => {
    statements = [];
    names = [];
  });

  it("sends one job's mark and the next job's read as one statement, and each job ends once its own mark ran", async () => {
    let releaseA!: () => void;
    const delivered: string[] = [];
    smtp.sendMail = async ({ messageId }) => {
      if (messageId === `<${A}@x>`) await new Promise<void>((resolve) => (releaseA = resolve));
      delivered.push(messageId);
      return {};
    };
    const s = sender();
    const a = s.send(A);
    await turn();
    await turn();
    expect(statements).toHaveLength(1);
    expect(statements[0].sql).toMatch(/^SELECT \* FROM outbound_messages/);
    expect(statements[0].params).toEqual([[A]]);

    releaseA();
    const b = s.send(B);
    await expect(a).resolves.toBe('sent');
    await expect(b).resolves.toBe('sent');
    expect(delivered).toEqual([`<${A}@x>`, `<${B}@x>`]);
    expect(statements).toHaveLength(3);
    expect(statements[1].sql).toMatch(/^WITH sent AS \(UPDATE outbound_messages SET status = 'sent'/);
    expect(statements[1].params).toEqual([[A], [B]]);
    expect(statements[2].sql).toMatch(/^UPDATE outbound_messages SET status = 'sent'/);
    expect(statements[2].params).toEqual([[B]]);
    // Each prepared on the pooled connection (planned once per connection, not per batch).
    expect(names).toEqual(['outbound_read_rows', 'outbound_mark_sent_and_read_rows', 'outbound_mark_sent']);
  });

  it('sends nothing and marks nothing for a mail already sent, nor for one that does not exist', async () => {
    const delivered: string[] = [];
    smtp.sendMail = async ({ messageId }) => {
      delivered.push(messageId);
      return {};
    };
    const s = sender([A]);
    await expect(s.send(A)).resolves.toBe('already-sent');
    const missing = new NotificationSender(fakeDataSource(async () => []), { SMTP_URL: 'smtp://127.0.0.1:1', mailFrom: 'x@example.com' } as unknown as AppConfig);
    await expect(missing.send(B)).rejects.toThrow(`outbound message ${B} does not exist`);
    expect(delivered).toEqual([]);
    expect(statements.filter((st) => st.sql.includes("status = 'sent'"))).toHaveLength(0);
  });

  it("sends a batch job's mails that are not sent yet, reading them in one statement and marking them in one; a refusal fails the job after the others are marked", async () => {
    const C = '0b5c1f4e-7f1a-4c55-9a35-4e0c5e0e1a0c';
    const delivered: string[] = [];
    smtp.sendMail = async ({ messageId }) => {
      if (messageId === `<${C}@x>`) throw new Error('451 mailbox busy');
      delivered.push(messageId);
      return {};
    };
    const s = sender([A]);
    await expect(s.sendAll([A, B, C])).rejects.toThrow(`1 of 3 notifications not sent (${C}: 451 mailbox busy)`);
    // A was sent before: not again. B sent and marked; C's attempt recorded, not failed (not the last attempt).
    expect(delivered).toEqual([`<${B}@x>`]);
    expect(statements[0]).toMatchObject({ params: [[A, B, C]] });
    expect(statements.filter((st) => st.sql.includes("SET status = 'sent'")).map((st) => st.params[0])).toEqual([[B]]);
    expect(statements.filter((st) => st.sql.includes('last_error = $2')).map((st) => st.params)).toEqual([[C, '451 mailbox busy', false]]);

    // The retry: A and B sent already, C now taken.
    smtp.sendMail = async ({ messageId }) => {
      delivered.push(messageId);
      return {};
    };
    await expect(sender([A, B]).sendAll([A, B, C], true)).resolves.toEqual({ sent: 1, alreadySent: 2 });
    expect(delivered).toEqual([`<${B}@x>`, `<${C}@x>`]);
  });
});
