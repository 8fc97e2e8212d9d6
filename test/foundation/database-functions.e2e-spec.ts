import { Client } from 'pg';
import { contextSql } from '@helpdesk/database';
import { TicketWritesByOwner1764001000000, PICK_AGENT_SQL, TRIAGE_WRITE_SQL } from '../../libs/database/src/migrations/1764001000000-TicketWritesByOwner';
import { RECEIVABLE_DELTAS_SQL, SUSPENSION_DELTAS_SQL } from '../../libs/database/src/migrations/1764002000000-Billing';
import { TICKET_SEARCH_SQL } from '../../libs/database/src/migrations/1764004300000-TicketSearch';
import { TICKET_TAG_COUNTS_SQL } from '../../libs/database/src/migrations/1764004320000-Workbench';
import { PREVIOUS_TRIAGE_WRITE, TriageWriteLockByKey1764005965000 } from '../../libs/database/src/migrations/1764005965000-TriageWriteLockByKey';
import { INBOUND_EARLIER_OUTCOMES_SQL, InboundEarlierOutcomesByKey1764005975000 } from '../../libs/database/src/migrations/1764005975000-InboundEarlierOutcomesByKey';
import { createTestDatabase, dropTestDatabase } from '../support';

/**
 * The database functions live in `.sql` files of the contexts that own their rules, and migrations
 * load them. A migrated database must run exactly what the files say: a file changed without a
 * migration that loads it again would leave every existing database on the old rule.
 */
describe('database functions kept in the owning contexts', () => {
  let database: { name: string; url: string };
  let client: Client;

  const bodyOf = (path: string): string => {
    const [, body] = contextSql(path).split('$fn$');
    return body;
  };
  const installed = async (name: string): Promise<string | null> => {
    const { rows } = await client.query<{ prosrc: string }>(`SELECT prosrc FROM pg_proc WHERE proname = $1`, [name]);
    return rows[0]?.prosrc ?? null;
  };
  const settingsOf = async (name: string): Promise<string[] | null> =>
    (await client.query<{ proconfig: string[] | null }>(`SELECT proconfig FROM pg_proc WHERE proname = $1`, [name])).rows[0].proconfig;
  /** The migration run against this connection, as TypeORM runs it (only `query` is used). */
  const runner = () => ({ query: (sql: string) => client.query(sql) }) as never;

  beforeAll(async () => {
    database = await createTestDatabase();
    client = new Client({ connectionString: database.url });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
    await dropTestDatabase(database.name);
  });

  it('runs pick_agent and triage_write as their .sql files define them', async () => {
    expect(await installed('pick_agent')).toBe(bodyOf(PICK_AGENT_SQL));
    expect(await installed('triage_write')).toBe(bodyOf(TRIAGE_WRITE_SQL));
  });

  it("runs billing's report triggers as their .sql files define them", async () => {
    expect(await installed('invoices_receivable_deltas')).toBe(bodyOf(RECEIVABLE_DELTAS_SQL));
    expect(await installed('subscriptions_suspension_deltas')).toBe(bodyOf(SUSPENSION_DELTAS_SQL));
  });

  it.each([TICKET_SEARCH_SQL, TICKET_TAG_COUNTS_SQL])('runs every function of %s as the file defines it', async (path) => {
    const functions = [...contextSql(path).matchAll(/CREATE OR REPLACE FUNCTION (\w+)\([\s\S]*?\$fn\$([\s\S]*?)\$fn\$/g)];
    expect(functions.length).toBeGreaterThan(0);
    for (const [, name, body] of functions) expect({ name, body: await installed(name) }).toEqual({ name, body });
  });

  it("drops e-mail in's earlier-outcomes lookup on the way down, and loads it as its file defines it on the way up, sequential scans off", async () => {
    expect(await installed('inbound_earlier_outcomes')).toBe(bodyOf(INBOUND_EARLIER_OUTCOMES_SQL));
    const migration = new InboundEarlierOutcomesByKey1764005975000();
    await client.query('BEGIN');
    try {
      await migration.down(runner());
      expect(await installed('inbound_earlier_outcomes')).toBeNull();
      await migration.up(runner());
      expect(await installed('inbound_earlier_outcomes')).toBe(bodyOf(INBOUND_EARLIER_OUTCOMES_SQL));
      expect(await settingsOf('inbound_earlier_outcomes')).toEqual(['enable_seqscan=off', 'plan_cache_mode=force_generic_plan']);
    } finally {
      await client.query('ROLLBACK');
    }
  });

  it('reverts to the triage_write whose lock was joined to the batch and kept, and migrates forward again', async () => {
    const migration = new TriageWriteLockByKey1764005965000();
    await client.query('BEGIN');
    try {
      await migration.down(runner());
      const reverted = await installed('triage_write');
      expect(reverted).toBe(PREVIOUS_TRIAGE_WRITE.split('$fn$')[1]);
      expect(reverted).toContain('JOIN tickets t ON t.id = x.id');
      expect(await settingsOf('triage_write')).toBeNull();
      await migration.up(runner());
      expect(await installed('triage_write')).toBe(bodyOf(TRIAGE_WRITE_SQL));
      expect(await settingsOf('triage_write')).toEqual(['enable_seqscan=off']);
    } finally {
      await client.query('ROLLBACK');
    }
  });

  it('reverts to the triage_write with the rule inside it, and migrates forward again', async () => {
    const migration = new TicketWritesByOwner1764001000000();
    await client.query('BEGIN');
    try {
      await migration.down(runner());
      expect(await installed('pick_agent')).toBeNull();
      const reverted = await installed('triage_write');
      expect(reverted).not.toContain('pick_agent');
      expect(reverted).toContain('FOR UPDATE SKIP LOCKED');
      await migration.up(runner());
      expect(await installed('triage_write')).toBe(bodyOf(TRIAGE_WRITE_SQL));
      expect(await installed('pick_agent')).toBe(bodyOf(PICK_AGENT_SQL));
    } finally {
      await client.query('ROLLBACK');
    }
  });
});
