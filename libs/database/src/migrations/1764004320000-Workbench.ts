import { MigrationInterface, QueryRunner } from 'typeorm';
import { contextSql } from '../context-sql';

/** The `.sql` file of the tag-count trigger, under libs/. */
export const TICKET_TAG_COUNTS_SQL = 'workbench/src/tags/ticket-tag-counts.sql';

/**
 * The agent workbench's tables: saved views (personal or shared), and how many tickets carry each
 * tag (GET /tags reads a few hundred counter rows instead of unnesting a million tickets' tags),
 * kept by a trigger on `tickets` as insert-only deltas that the worker folds.
 */
export class Workbench1764004320000 implements MigrationInterface {
  name = 'Workbench1764004320000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE saved_views (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        visibility text NOT NULL CHECK (visibility IN ('personal', 'shared')),
        owner_id uuid REFERENCES agents(id) ON DELETE CASCADE,
        filter jsonb NOT NULL,
        sort text NOT NULL,
        created_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((visibility = 'personal') = (owner_id IS NOT NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX saved_views_personal_name_key ON saved_views (owner_id, lower(name)) WHERE visibility = 'personal'`);
    await q.query(`CREATE UNIQUE INDEX saved_views_shared_name_key ON saved_views (lower(name)) WHERE visibility = 'shared'`);

    await q.query(`CREATE TABLE ticket_tag_counts (tag text PRIMARY KEY, n bigint NOT NULL)`);
    await q.query(`
      CREATE TABLE ticket_tag_count_deltas (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        tag text NOT NULL,
        n int NOT NULL
      )`);
    await q.query(contextSql(TICKET_TAG_COUNTS_SQL));
    await q.query(`CREATE TRIGGER tickets_count_tags AFTER INSERT OR UPDATE OF tags OR DELETE ON tickets FOR EACH ROW EXECUTE FUNCTION tickets_count_tags()`);
    // Tickets that existed before this migration.
    await q.query(`INSERT INTO ticket_tag_counts (tag, n) SELECT tag, count(*) FROM tickets, LATERAL (SELECT DISTINCT unnest(tags)) AS t(tag) GROUP BY tag`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER tickets_count_tags ON tickets`);
    await q.query(`DROP FUNCTION tickets_count_tags()`);
    await q.query(`DROP TABLE ticket_tag_count_deltas`);
    await q.query(`DROP TABLE ticket_tag_counts`);
    await q.query(`DROP TABLE saved_views`);
  }
}
