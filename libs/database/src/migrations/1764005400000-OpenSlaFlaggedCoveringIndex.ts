import { MigrationInterface, QueryRunner } from 'typeorm';

const OPEN_AND_FLAGGED = `status NOT IN ('resolved','closed') AND (sla_first_response_warned OR sla_resolution_warned)`;

/**
 * Intake (tickets), for the queue stats' at-risk and breached counts (monitoring's stats.service.ts,
 * every live stream's snapshot): the index of open tickets warned about their SLA carries the two
 * breach flags, so the count per queue reads the index alone (an index-only scan) instead of a
 * ticket row per flagged ticket. Same name, key and predicate; the breach flags are already indexed
 * columns (tickets_sla_breached_idx's predicate), so no update loses its HOT path.
 */
export class OpenSlaFlaggedCoveringIndex1764005400000 implements MigrationInterface {
  name = 'OpenSlaFlaggedCoveringIndex1764005400000';

  async up(q: QueryRunner): Promise<void> {
    await this.replace(q, `(queue) INCLUDE (sla_first_response_breached, sla_resolution_breached) WHERE ${OPEN_AND_FLAGGED}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await this.replace(q, `(queue) WHERE ${OPEN_AND_FLAGGED}`);
  }

  /** tickets_open_sla_flagged_idx rebuilt as `definition`, under the same name. */
  private async replace(q: QueryRunner, definition: string): Promise<void> {
    await q.query(`CREATE INDEX tickets_open_sla_flagged_idx_new ON tickets ${definition}`);
    await q.query(`DROP INDEX tickets_open_sla_flagged_idx`);
    await q.query(`ALTER INDEX tickets_open_sla_flagged_idx_new RENAME TO tickets_open_sla_flagged_idx`);
  }
}
