-- What these Message-IDs already made (a ticket or a comment): one row per Message-ID that made
-- something, the first found. The arrival batch and the inbound-email job call it after taking the
-- Message-IDs' advisory locks (inbound-mail-processing.service.ts).
-- Loaded by migration 1764005975000 (a change needs a new migration that loads this file again).
--
-- Each Message-ID is looked up by its key in inbound_messages_message_id_idx, with sequential scans
-- off: a connection keeps the plan it made the first time, and made while inbound_messages was empty
-- or analyzed small, a scan of the whole table (or of every `ticket` row by the status index) looked
-- cheapest and stayed, reading every page of the table on each call as it grew (bench/README.md,
-- "the earlier-outcomes lookup"). Two buffers a Message-ID whatever the table's size.
CREATE OR REPLACE FUNCTION inbound_earlier_outcomes(p_message_ids text[])
RETURNS TABLE (message_id text, ticket_id uuid, customer_id uuid)
LANGUAGE plpgsql STABLE
SET enable_seqscan = off
SET plan_cache_mode = force_generic_plan
AS $fn$
#variable_conflict use_column
BEGIN
  -- One plan for the session: PL/pgSQL keeps it (a SQL function's is made again on every call), and a
  -- custom plan for each array would be planned on every call (60 µs a mail in bench:email).
  RETURN QUERY
  SELECT m.id, i.ticket_id, i.customer_id
    FROM unnest(p_message_ids) AS m(id)
   CROSS JOIN LATERAL (
           SELECT i.ticket_id, i.customer_id
             FROM inbound_messages i
            WHERE i.message_id = m.id AND i.status IN ('ticket', 'comment')
            LIMIT 1
         ) i;
END
$fn$;
