import { validateConfig } from './app-config';

describe('validateConfig', () => {
  const base = { DATABASE_URL: 'postgres://u:p@localhost:5432/db', REDIS_URL: 'redis://localhost:6379' };

  it('applies defaults and converts numbers', () => {
    const c = validateConfig({ ...base, PORT: '8080' });
    expect(c.PORT).toBe(8080);
    expect(c.WORKER_PORT).toBe(3001);
    expect(c.QUEUE_PREFIX).toBe('helpdesk');
    expect(c.migrationsRun).toBe(true);
    expect(c.webhookAllowPrivate).toBe(false);
  });

  it('allows private webhook targets only when WEBHOOK_ALLOW_PRIVATE is exactly true', () => {
    expect(validateConfig({ ...base, WEBHOOK_ALLOW_PRIVATE: 'true' }).webhookAllowPrivate).toBe(true);
    expect(validateConfig({ ...base, WEBHOOK_ALLOW_PRIVATE: 'false' }).webhookAllowPrivate).toBe(false);
    expect(() => validateConfig({ ...base, WEBHOOK_ALLOW_PRIVATE: 'yes' })).toThrow(/WEBHOOK_ALLOW_PRIVATE/);
  });

  it('logs JSON unless stdout is a terminal or LOG_FORMAT says otherwise', () => {
    expect(validateConfig(base).LOG_FORMAT).toBe(process.stdout.isTTY ? 'pretty' : 'json');
    expect(validateConfig({ ...base, LOG_FORMAT: 'pretty' }).LOG_FORMAT).toBe('pretty');
    expect(validateConfig({ ...base, LOG_FORMAT: 'json' }).LOG_FORMAT).toBe('json');
    expect(() => validateConfig({ ...base, LOG_FORMAT: 'text' })).toThrow(/LOG_FORMAT/);
  });

  it('names every bad variable', () => {
    expect(() => validateConfig({ DATABASE_URL: 'mysql://x', REDIS_URL: 'redis://x', PORT: 'abc', BOOTSTRAP_ADMIN_TOKEN: 'short' })).toThrow(
      /DATABASE_URL[\s\S]*PORT[\s\S]*BOOTSTRAP_ADMIN_TOKEN/,
    );
    expect(() => validateConfig({ DATABASE_URL: base.DATABASE_URL })).toThrow(/REDIS_URL/);
  });
});
