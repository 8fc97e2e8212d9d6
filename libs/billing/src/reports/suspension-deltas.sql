-- subscriptions_suspension_deltas(): what a subscription statement changes in how many
-- subscriptions and customers are suspended (a customer counts while it has a suspended
-- subscription). A statement-level AFTER trigger on subscriptions (INSERT, UPDATE, DELETE, with
-- transition tables) appends one delta row; the worker's ReceivablesCompactor folds them into
-- suspension_totals. Per customer, d is the net change of its suspended subscriptions in the
-- statement and `after` its count once the statement is done: it starts counting when it had none
-- before (after = d), stops when it has none after. A customer's subscriptions only change under
-- its billing-account lock, so `after` is not moved by another transaction meanwhile. Loaded by
-- migration 1764002000000 (a change needs a new migration that loads this file again: see
-- libs/database/README.md).
CREATE OR REPLACE FUNCTION subscriptions_suspension_deltas() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO suspension_deltas (subscriptions, customers)
    SELECT sum(d), count(*) FILTER (WHERE after > 0 AND after = d) - count(*) FILTER (WHERE after = 0)
      FROM (SELECT c.customer_id, sum(c.d) AS d,
                   (SELECT count(*) FROM subscriptions s WHERE s.customer_id = c.customer_id AND s.status = 'suspended') AS after
              FROM (SELECT customer_id, 1 AS d FROM new_rows WHERE status = 'suspended') c
             GROUP BY c.customer_id HAVING sum(c.d) <> 0) per_customer
    HAVING count(*) > 0;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO suspension_deltas (subscriptions, customers)
    SELECT sum(d), count(*) FILTER (WHERE after > 0 AND after = d) - count(*) FILTER (WHERE after = 0)
      FROM (SELECT c.customer_id, sum(c.d) AS d,
                   (SELECT count(*) FROM subscriptions s WHERE s.customer_id = c.customer_id AND s.status = 'suspended') AS after
              FROM (SELECT customer_id, 1 AS d FROM new_rows WHERE status = 'suspended'
                    UNION ALL SELECT customer_id, -1 FROM old_rows WHERE status = 'suspended') c
             GROUP BY c.customer_id HAVING sum(c.d) <> 0) per_customer
    HAVING count(*) > 0;
  ELSE
    INSERT INTO suspension_deltas (subscriptions, customers)
    SELECT sum(d), count(*) FILTER (WHERE after > 0 AND after = d) - count(*) FILTER (WHERE after = 0)
      FROM (SELECT c.customer_id, sum(c.d) AS d,
                   (SELECT count(*) FROM subscriptions s WHERE s.customer_id = c.customer_id AND s.status = 'suspended') AS after
              FROM (SELECT customer_id, -1 AS d FROM old_rows WHERE status = 'suspended') c
             GROUP BY c.customer_id HAVING sum(c.d) <> 0) per_customer
    HAVING count(*) > 0;
  END IF;
  RETURN NULL;
END
$fn$;
