-- invoices_receivable_deltas(): what an invoice statement changes in the receivables the report
-- reads. `open`: the unpaid balance (total - paid) of open invoices, by due date; `sales`: the total
-- of invoices that are not void, by issue date; per currency. A statement-level AFTER trigger on
-- invoices (INSERT, UPDATE, DELETE, with transition tables) appends one delta row per kind,
-- currency and day it changed; the worker's ReceivablesCompactor folds them into
-- receivable_totals. Loaded by migration 1764002000000 (a change needs a new migration that loads
-- this file again: see libs/database/README.md).
CREATE OR REPLACE FUNCTION invoices_receivable_deltas() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO receivable_deltas (kind, currency, day, amount)
    SELECT kind, currency, day, sum(amount) FROM (
      SELECT 'open' AS kind, currency, due_on AS day, total - paid AS amount FROM new_rows WHERE status = 'open'
      UNION ALL SELECT 'sales', currency, issued_on, total FROM new_rows WHERE status <> 'void'
    ) d GROUP BY 1, 2, 3 HAVING sum(amount) <> 0;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO receivable_deltas (kind, currency, day, amount)
    SELECT kind, currency, day, sum(amount) FROM (
      SELECT 'open' AS kind, currency, due_on AS day, total - paid AS amount FROM new_rows WHERE status = 'open'
      UNION ALL SELECT 'sales', currency, issued_on, total FROM new_rows WHERE status <> 'void'
      UNION ALL SELECT 'open', currency, due_on, -(total - paid) FROM old_rows WHERE status = 'open'
      UNION ALL SELECT 'sales', currency, issued_on, -total FROM old_rows WHERE status <> 'void'
    ) d GROUP BY 1, 2, 3 HAVING sum(amount) <> 0;
  ELSE
    INSERT INTO receivable_deltas (kind, currency, day, amount)
    SELECT kind, currency, day, sum(amount) FROM (
      SELECT 'open' AS kind, currency, due_on AS day, -(total - paid) AS amount FROM old_rows WHERE status = 'open'
      UNION ALL SELECT 'sales', currency, issued_on, -total FROM old_rows WHERE status <> 'void'
    ) d GROUP BY 1, 2, 3 HAVING sum(amount) <> 0;
  END IF;
  RETURN NULL;
END
$fn$;
