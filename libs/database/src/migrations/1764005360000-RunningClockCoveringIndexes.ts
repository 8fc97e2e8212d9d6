import { MigrationInterface, QueryRunner } from 'typeorm';

/** intake's ticket-sort.ts clocks without the table alias: the partial indexes' predicates, verbatim. */
const RESOLUTION_CLOCK_RUNS = `resolution_due_at IS NOT NULL AND sla_paused_since IS NULL AND status NOT IN ('resolved', 'closed')`;
const FIRST_RESPONSE_CLOCK_RUNS = `first_responded_at IS NULL AND first_response_due_at IS NOT NULL AND sla_paused_since IS NULL AND status NOT IN ('resolved', 'closed')`;

/**
 * Intake (tickets), for the count of "breaching soon" (intake's `slaDueCountSql`): the two
 * running-clock indexes carry the customer (whose plan decides the horizon) and the first-response
 * index the resolution due time too, so the count reads the indexes alone (index-only scans) instead
 * of a ticket row per running clock up to the cap. Same names, same keys and predicates: the `due`
 * sort reads them as before. Only the open tickets with a running clock are in them.
 */
export class RunningClockCoveringIndexes1764005360000 implements MigrationInterface {
  name = 'RunningClockCoveringIndexes1764005360000';

  async up(q: QueryRunner): Promise<void> {
    await this.replace(q, 'tickets_resolution_due_running_idx', `(resolution_due_at, number) INCLUDE (customer_id) WHERE ${RESOLUTION_CLOCK_RUNS}`);
    await this.replace(q, 'tickets_first_response_due_running_idx', `(first_response_due_at) INCLUDE (customer_id, resolution_due_at) WHERE ${FIRST_RESPONSE_CLOCK_RUNS}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await this.replace(q, 'tickets_first_response_due_running_idx', `(first_response_due_at) WHERE ${FIRST_RESPONSE_CLOCK_RUNS}`);
    await this.replace(q, 'tickets_resolution_due_running_idx', `(resolution_due_at, number) WHERE ${RESOLUTION_CLOCK_RUNS}`);
  }

  /** The index `name` rebuilt as `definition`, under the same name. */
  private async replace(q: QueryRunner, name: string, definition: string): Promise<void> {
    await q.query(`CREATE INDEX ${name}_new ON tickets ${definition}`);
    await q.query(`DROP INDEX ${name}`);
    await q.query(`ALTER INDEX ${name}_new RENAME TO ${name}`);
  }
}
