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

  it('lets the "assigned to you" job give way to a triage backlog of more than 500 for at most 60 s, unless told otherwise', () => {
    const c = validateConfig(base);
    expect([c.AUTO_ASSIGNMENT_MAIL_YIELD_ABOVE, c.AUTO_ASSIGNMENT_MAIL_MAX_DEFER_MS]).toEqual([500, 60_000]);
    const never = validateConfig({ ...base, AUTO_ASSIGNMENT_MAIL_YIELD_ABOVE: '0', AUTO_ASSIGNMENT_MAIL_MAX_DEFER_MS: '0' });
    expect([never.AUTO_ASSIGNMENT_MAIL_YIELD_ABOVE, never.AUTO_ASSIGNMENT_MAIL_MAX_DEFER_MS]).toEqual([0, 0]);
    expect(() => validateConfig({ ...base, AUTO_ASSIGNMENT_MAIL_YIELD_ABOVE: '-1' })).toThrow(/AUTO_ASSIGNMENT_MAIL_YIELD_ABOVE/);
    expect(() => validateConfig({ ...base, AUTO_ASSIGNMENT_MAIL_MAX_DEFER_MS: '3600001' })).toThrow(/AUTO_ASSIGNMENT_MAIL_MAX_DEFER_MS/);
  });

  it('names every bad variable', () => {
    expect(() => validateConfig({ DATABASE_URL: 'mysql://x', REDIS_URL: 'redis://x', PORT: 'abc', BOOTSTRAP_ADMIN_TOKEN: 'short' })).toThrow(
      /DATABASE_URL[\s\S]*PORT[\s\S]*BOOTSTRAP_ADMIN_TOKEN/,
    );
    expect(() => validateConfig({ DATABASE_URL: base.DATABASE_URL })).toThrow(/REDIS_URL/);
  });
});
