import { MigrationInterface, QueryRunner } from 'typeorm';

/** intake's ticket-sort.ts RESOLUTION_CLOCK_RUNS without the table alias: the partial indexes' predicate, verbatim. */
const RESOLUTION_CLOCK_RUNS = `resolution_due_at IS NOT NULL AND sla_paused_since IS NULL AND status NOT IN ('resolved', 'closed')`;
const FIRST_RESPONSE_CLOCK_RUNS = `first_responded_at IS NULL AND first_response_due_at IS NOT NULL AND sla_paused_since IS NULL AND status NOT IN ('resolved', 'closed')`;

/**
 * The indexes behind the ticket sorts (ticket-sort.ts) and filters: `-updated`; `due` and
 * `priority` read the running clocks in due order from small partial indexes (a few percent of all
 * tickets), the rest newest first from the number's index; "breaching soon" reads both clocks by due
 * time; tags by GIN. Figures: bench/README.md, "Sorts".
 */
export class TicketListIndexes1764004310000 implements MigrationInterface {
  name = 'TicketListIndexes1764004310000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX tickets_updated_number_idx ON tickets (updated_at DESC, number DESC)`);
    await q.query(`CREATE INDEX tickets_resolution_due_running_idx ON tickets (resolution_due_at, number) WHERE ${RESOLUTION_CLOCK_RUNS}`);
    await q.query(`CREATE INDEX tickets_priority_resolution_due_running_idx ON tickets (priority, resolution_due_at, number) WHERE ${RESOLUTION_CLOCK_RUNS}`);
    await q.query(`CREATE INDEX tickets_first_response_due_running_idx ON tickets (first_response_due_at) WHERE ${FIRST_RESPONSE_CLOCK_RUNS}`);
    await q.query(`CREATE INDEX tickets_tags_idx ON tickets USING gin (tags)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX tickets_tags_idx`);
    await q.query(`DROP INDEX tickets_first_response_due_running_idx`);
    await q.query(`DROP INDEX tickets_priority_resolution_due_running_idx`);
    await q.query(`DROP INDEX tickets_resolution_due_running_idx`);
    await q.query(`DROP INDEX tickets_updated_number_idx`);
  }
}
