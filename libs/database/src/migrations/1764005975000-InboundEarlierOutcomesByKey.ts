import { MigrationInterface, QueryRunner } from 'typeorm';
import { contextSql } from '../context-sql';

/** The function as channels keeps it. */
export const INBOUND_EARLIER_OUTCOMES_SQL = 'channels/src/inbound/inbound-earlier-outcomes.sql';

/**
 * E-mail in: `inbound_earlier_outcomes(text[])` (channels/src/inbound/inbound-earlier-outcomes.sql),
 * what earlier copies of these Message-IDs made, each looked up by its key with sequential scans off.
 * The listener's statement it replaces kept a plan made while `inbound_messages` was small: a scan of
 * the whole table on every arrival batch (201 buffers a call at 3,600 messages in bench:email). No
 * data is touched; `down` drops the function (the code before it reads the table itself).
 */
export class InboundEarlierOutcomesByKey1764005975000 implements MigrationInterface {
  name = 'InboundEarlierOutcomesByKey1764005975000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(contextSql(INBOUND_EARLIER_OUTCOMES_SQL));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS inbound_earlier_outcomes(text[])`);
  }
}
