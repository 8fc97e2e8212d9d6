import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Escalation delivery: every attempt row is inserted `in_flight` before the webhook is sent and
 * updated once (`finished`) a few milliseconds later, its indexed columns (id, escalation_id)
 * unchanged. That update can stay on the row's page without a new entry in either index (a HOT
 * update) only if the page has room for the new version; filled to 100 % by the batched inserts,
 * it had for ≈ 28 % of them (bench:escalation), so the others wrote an entry into the primary key
 * and into the (escalation_id, id) index — at a random place, escalation ids being random UUIDs.
 * A page filled to half keeps room for each of its rows' one update. Storage parameter only: no
 * rewrite; pages written from now on are filled to it.
 */
export class EscalationAttemptsFinishInPlace1764005960000 implements MigrationInterface {
  name = 'EscalationAttemptsFinishInPlace1764005960000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE escalation_attempts SET (fillfactor = 50)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE escalation_attempts RESET (fillfactor)`);
  }
}
