import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Billing notices say when: `due_on` (the oldest due date of the invoices a notice lists) and, on a
 * final notice, `suspend_on` (the first partner date its suspension may be applied: the suspend
 * step's date or the notice period after this notice, whichever is later) with the `products` that
 * step names. Nullable columns, no table rewrite; notices from before keep NULL and read as before.
 */
export class BillingNoticeDates1764005640000 implements MigrationInterface {
  name = 'BillingNoticeDates1764005640000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE billing_notices ADD COLUMN due_on date, ADD COLUMN suspend_on date`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE billing_notices DROP COLUMN due_on, DROP COLUMN suspend_on`);
  }
}
