import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Queue statistics that stay fast with millions of tickets: every ticket insert/update/delete
 * appends a delta row (insert-only: no row contention, no deadlocks on hot counters); the worker
 * folds deltas into `ticket_queue_counters` every few seconds; a read sums both.
 */
export class QueueStats1764000400000 implements MigrationInterface {
  name = 'QueueStats1764000400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ticket_queue_counters (
        queue text NOT NULL,
        status text NOT NULL,
        priority text NOT NULL,
        unassigned boolean NOT NULL,
        n bigint NOT NULL,
        PRIMARY KEY (queue, status, priority, unassigned)
      )`);
    await q.query(`
      CREATE TABLE ticket_queue_counter_deltas (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        queue text NOT NULL,
        status text NOT NULL,
        priority text NOT NULL,
        unassigned boolean NOT NULL,
        n int NOT NULL
      )`);
    await q.query(`
      CREATE FUNCTION tickets_count_changes() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND OLD.queue IS NOT DISTINCT FROM NEW.queue AND OLD.status = NEW.status
           AND OLD.priority = NEW.priority AND (OLD.assignee_id IS NULL) = (NEW.assignee_id IS NULL) THEN
          RETURN NULL;
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
          INSERT INTO ticket_queue_counter_deltas (queue, status, priority, unassigned, n)
          VALUES (COALESCE(OLD.queue, ''), OLD.status, OLD.priority, OLD.assignee_id IS NULL, -1);
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
          INSERT INTO ticket_queue_counter_deltas (queue, status, priority, unassigned, n)
          VALUES (COALESCE(NEW.queue, ''), NEW.status, NEW.priority, NEW.assignee_id IS NULL, 1);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER tickets_count_changes AFTER INSERT OR UPDATE OR DELETE ON tickets
                   FOR EACH ROW EXECUTE FUNCTION tickets_count_changes()`);
    // Tickets that existed before this migration.
    await q.query(`
      INSERT INTO ticket_queue_counters (queue, status, priority, unassigned, n)
      SELECT COALESCE(queue, ''), status, priority, assignee_id IS NULL, count(*) FROM tickets GROUP BY 1, 2, 3, 4`);
    // Open tickets by queue and age (oldest open), and the few that are at risk or breached.
    await q.query(`CREATE INDEX tickets_open_queue_created_idx ON tickets (queue, created_at) WHERE status NOT IN ('resolved','closed')`);
    // Breach gauges (/metrics) read only the breached tickets.
    await q.query(`CREATE INDEX tickets_sla_breached_idx ON tickets (status) WHERE sla_first_response_breached OR sla_resolution_breached`);
    // SLA reports select tickets by creation time.
    await q.query(`CREATE INDEX tickets_created_at_idx ON tickets (created_at)`);
    await q.query(`CREATE INDEX tickets_open_sla_flagged_idx ON tickets (queue)
                   WHERE status NOT IN ('resolved','closed') AND (sla_first_response_warned OR sla_resolution_warned)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX tickets_open_sla_flagged_idx');
    await q.query('DROP INDEX tickets_created_at_idx');
    await q.query('DROP INDEX tickets_sla_breached_idx');
    await q.query('DROP INDEX tickets_open_queue_created_idx');
    await q.query('DROP TRIGGER tickets_count_changes ON tickets');
    await q.query('DROP FUNCTION tickets_count_changes()');
    await q.query('DROP TABLE ticket_queue_counter_deltas');
    await q.query('DROP TABLE ticket_queue_counters');
  }
}
