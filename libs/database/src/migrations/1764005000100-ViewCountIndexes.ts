import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Intake (tickets), for the workbench's built-in view "unassigned in my queues": the open tickets
 * nobody holds, by queue. Its count and its pages read this small index instead of every open
 * ticket of the agent's queues (bench/README.md, "Workbench").
 */
export class ViewCountIndexes1764005000100 implements MigrationInterface {
  name = 'ViewCountIndexes1764005000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX tickets_open_unassigned_queue_idx ON tickets (queue, number DESC) WHERE assignee_id IS NULL AND status NOT IN ('resolved','closed')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX tickets_open_unassigned_queue_idx');
  }
}
