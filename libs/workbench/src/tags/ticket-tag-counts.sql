-- tickets_count_tags(): how many tickets carry each tag, kept as insert-only deltas in the
-- transaction of every write of `tickets` (whoever writes: a PATCH, triage's batch, a bulk action).
-- Deltas and not an upsert of a counter row: two transactions tagging "vip" would otherwise wait on
-- each other's row (and could deadlock when they touch two tags in another order). The worker folds
-- the deltas into `ticket_tag_counts` every few seconds (TagCountsCompactor); a read sums both.
-- Loaded by migration 1764004320000 (a change needs a new migration that loads this file again:
-- see libs/database/README.md).
CREATE OR REPLACE FUNCTION tickets_count_tags()
RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.tags = NEW.tags THEN
    RETURN NULL;
  END IF;
  INSERT INTO ticket_tag_count_deltas (tag, n)
  SELECT tag, sum(n)::int
    FROM (
      SELECT DISTINCT unnest(NEW.tags) AS tag, 1 AS n WHERE TG_OP <> 'DELETE'
      UNION ALL
      SELECT DISTINCT unnest(OLD.tags), -1 WHERE TG_OP <> 'INSERT'
    ) changed
   GROUP BY tag
  HAVING sum(n) <> 0;
  RETURN NULL;
END
$fn$;
