import { MigrationInterface, QueryRunner } from 'typeorm';

/** Every combination of a ticket's decided category and product (both are always set by triage). */
const KNOWN_ISSUE_SCOPES: ReadonlyArray<{ category: string; product: string; index: string }> = ['billing', 'subscription_management', 'technical']
  .flatMap((category) => ['azure', 'microsoft_365', 'dynamics_365', 'other'].map((product) => ({ category, product })))
  .map(({ category, product }) => ({ category, product, index: `known_issues_search_${category}_${product}_idx` }));

/**
 * Triage without re-reading configuration or counting tickets on every ticket (bench/README.md,
 * "Triage"):
 * - `triage_config_versions`: a counter per configuration set, bumped in the same transaction as any
 *   change to it (statement trigger), so a worker can cache the enabled rules and know in the read
 *   it does anyway whether they are still current.
 * - `agents.open_tickets`: the open tickets assigned to each agent, kept by a trigger on `tickets`
 *   (any writer: triage, agents, escalation), so assignment checks caps and balances load without
 *   counting up to `max_open_tickets` rows per candidate agent.
 * - one partial GIN index on the known issues' `search` per ticket scope (category × product): the
 *   known-issue search reads only the issues that can apply to the ticket instead of fetching every
 *   issue that shares a word and discarding most of them on the scope filter; no GIN pending list.
 */
export class TriageSpeed1764000500000 implements MigrationInterface {
  name = 'TriageSpeed1764000500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE triage_config_versions (name text PRIMARY KEY, version bigint NOT NULL DEFAULT 1)`);
    await q.query(`INSERT INTO triage_config_versions (name) VALUES ('triage_rules')`);
    await q.query(`
      CREATE FUNCTION triage_config_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE triage_config_versions SET version = version + 1 WHERE name = TG_TABLE_NAME;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER triage_rules_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON triage_rules
                   FOR EACH STATEMENT EXECUTE FUNCTION triage_config_changed()`);

    await q.query(`ALTER TABLE agents ADD COLUMN open_tickets int NOT NULL DEFAULT 0`);
    await q.query(`
      CREATE FUNCTION agents_count_open_tickets() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.assignee_id IS NOT NULL AND OLD.status NOT IN ('resolved', 'closed') THEN
          UPDATE agents SET open_tickets = open_tickets - 1 WHERE id = OLD.assignee_id;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.assignee_id IS NOT NULL AND NEW.status NOT IN ('resolved', 'closed') THEN
          UPDATE agents SET open_tickets = open_tickets + 1 WHERE id = NEW.assignee_id;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER tickets_agent_open_insert AFTER INSERT ON tickets FOR EACH ROW
                   WHEN (NEW.assignee_id IS NOT NULL) EXECUTE FUNCTION agents_count_open_tickets()`);
    await q.query(`CREATE TRIGGER tickets_agent_open_delete AFTER DELETE ON tickets FOR EACH ROW
                   WHEN (OLD.assignee_id IS NOT NULL) EXECUTE FUNCTION agents_count_open_tickets()`);
    await q.query(`CREATE TRIGGER tickets_agent_open_update AFTER UPDATE OF assignee_id, status ON tickets FOR EACH ROW
                   WHEN (OLD.assignee_id IS DISTINCT FROM NEW.assignee_id
                         OR (OLD.status IN ('resolved', 'closed')) <> (NEW.status IN ('resolved', 'closed')))
                   EXECUTE FUNCTION agents_count_open_tickets()`);
    // Tickets assigned before this migration. CREATE TRIGGER holds off writers to tickets until
    // this migration commits, so no change falls between the count and the trigger.
    await q.query(`
      UPDATE agents a SET open_tickets = c.n
        FROM (SELECT assignee_id, count(*)::int AS n FROM tickets
               WHERE assignee_id IS NOT NULL AND status NOT IN ('resolved', 'closed') GROUP BY assignee_id) c
       WHERE a.id = c.assignee_id`);

    for (const s of KNOWN_ISSUE_SCOPES) {
      await q.query(`CREATE INDEX ${s.index} ON known_issues USING gin (search) WITH (fastupdate = off)
                     WHERE (category IS NULL OR category = '${s.category}') AND (product IS NULL OR product = '${s.product}')`);
    }
    // Known issues are searched for every ticket and changed rarely: without the pending list a
    // search never scans the issues added since the last vacuum one by one (bench/README.md, "Triage").
    await q.query(`ALTER INDEX known_issues_search_idx SET (fastupdate = off)`);
    await q.query(`SELECT gin_clean_pending_list('known_issues_search_idx'::regclass)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER INDEX known_issues_search_idx RESET (fastupdate)`);
    for (const s of KNOWN_ISSUE_SCOPES) await q.query(`DROP INDEX ${s.index}`);
    await q.query(`DROP TRIGGER tickets_agent_open_update ON tickets`);
    await q.query(`DROP TRIGGER tickets_agent_open_delete ON tickets`);
    await q.query(`DROP TRIGGER tickets_agent_open_insert ON tickets`);
    await q.query(`DROP FUNCTION agents_count_open_tickets()`);
    await q.query(`ALTER TABLE agents DROP COLUMN open_tickets`);
    await q.query(`DROP TRIGGER triage_rules_version ON triage_rules`);
    await q.query(`DROP FUNCTION triage_config_changed()`);
    await q.query(`DROP TABLE triage_config_versions`);
  }
}
