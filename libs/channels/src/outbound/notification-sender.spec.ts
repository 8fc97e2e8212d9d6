import type { DataSource } from 'typeorm';
import type { AppConfig } from '@helpdesk/config';
import { NotificationSender } from './notification-sender.service';

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
    const dataSource = {
      query: async (sql: string, params: unknown[]) => {
        statements.push({ sql, params });
        if (sql.startsWith('SELECT')) return [{ id: ID, kind: 'public_reply', recipient: 'ana@example.com', message_id: '<m@x>', in_reply_to: null, references: [], subject: 'Re', body: 'Hola', auto_submitted: false, status }];
        return [];
      },
    } as unknown as DataSource;
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
