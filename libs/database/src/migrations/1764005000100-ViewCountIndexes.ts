import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Intake (tickets), for the workbench's built-in views and their counts (bench/README.md,
 * "Workbench"): "unassigned in my queues" (the open tickets nobody holds, by queue) and "my open
 * tickets" (an agent's open tickets). Each count and page reads one small index instead of ANDing
 * the agent's or the queues' entries with every open ticket. Both partial: only open tickets, the
 * few percent of the table that a write of an open ticket touches anyway.
 */
export class ViewCountIndexes1764005000100 implements MigrationInterface {
  name = 'ViewCountIndexes1764005000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX tickets_open_unassigned_queue_idx ON tickets (queue, number DESC) WHERE assignee_id IS NULL AND status NOT IN ('resolved','closed')`);
    await q.query(`CREATE INDEX tickets_open_assignee_number_idx ON tickets (assignee_id, number DESC) WHERE assignee_id IS NOT NULL AND status NOT IN ('resolved','closed')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX tickets_open_assignee_number_idx');
    await q.query('DROP INDEX tickets_open_unassigned_queue_idx');
  }
}
