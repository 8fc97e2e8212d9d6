import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `escalations_number_idx (number DESC)` duplicated the unique constraint's index on `number`
 * (a btree is read backwards as cheaply as forwards). Every escalation insert, and every status
 * change (not HOT: `status` is indexed), paid for both.
 */
export class EscalationIndexes1764000600000 implements MigrationInterface {
  name = 'EscalationIndexes1764000600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS escalations_number_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX IF NOT EXISTS escalations_number_idx ON escalations (number DESC)`);
  }
}
