-- pick_agent(queue, at, wait): who takes the next ticket of `queue`. The one definition of the
-- assignment rule; triage's batch write (triage_write) and its single assignment
-- (AssignmentService) both call it. Loaded by migrations 1764001000000 and 1764004110000 (a change
-- needs a new migration that loads this file again: see libs/database/README.md).
--
-- The rule: an active agent (not deactivated, holding an unrevoked token: someone who can sign in)
-- who is available, works `queue` and has fewer open tickets than their cap (`open_tickets` is kept
-- by a trigger on tickets); among them the one with the fewest open tickets, then the one assigned
-- longest ago (never assigned first), then by id. The agent is
-- locked and stamped with `last_assigned_at = at`; `agent_id` is null when nobody may take it.
--
-- Locks: the caller has locked the ticket already (every ticket writer locks the ticket first, the
-- agent second). An agent locked by another transaction is skipped for the next best, so the
-- assignments of one queue rarely wait on each other. When every eligible agent is locked:
-- `wait` true waits for the best one; `wait` false returns no agent and `busy` true (a caller that
-- holds other agents must not wait: that could deadlock; it assigns the ticket after its commit).
-- Caps hold under any concurrency: the condition is checked again on the newest version of an agent
-- that another transaction changed while this one waited for it.
CREATE OR REPLACE FUNCTION pick_agent(p_queue text, p_at timestamptz, p_wait boolean, OUT agent_id uuid, OUT busy boolean)
LANGUAGE plpgsql AS $fn$
BEGIN
  busy := false;
  -- The three statements share one condition and one order: the rule above.
  SELECT a.id INTO agent_id
    FROM agents a
   WHERE a.available AND p_queue = ANY (a.queues) AND a.open_tickets < a.max_open_tickets
     AND a.deactivated_at IS NULL AND EXISTS (SELECT FROM api_tokens t WHERE t.agent_id = a.id AND t.revoked_at IS NULL)
   ORDER BY a.open_tickets, a.last_assigned_at NULLS FIRST, a.id
   LIMIT 1
     FOR UPDATE SKIP LOCKED;
  IF agent_id IS NULL AND p_wait THEN
    SELECT a.id INTO agent_id
      FROM agents a
     WHERE a.available AND p_queue = ANY (a.queues) AND a.open_tickets < a.max_open_tickets
       AND a.deactivated_at IS NULL AND EXISTS (SELECT FROM api_tokens t WHERE t.agent_id = a.id AND t.revoked_at IS NULL)
     ORDER BY a.open_tickets, a.last_assigned_at NULLS FIRST, a.id
     LIMIT 1
       FOR UPDATE;
  ELSIF agent_id IS NULL THEN
    busy := EXISTS (SELECT FROM agents a
                     WHERE a.available AND p_queue = ANY (a.queues) AND a.open_tickets < a.max_open_tickets
       AND a.deactivated_at IS NULL AND EXISTS (SELECT FROM api_tokens t WHERE t.agent_id = a.id AND t.revoked_at IS NULL));
  END IF;
  IF agent_id IS NOT NULL THEN
    UPDATE agents SET last_assigned_at = p_at WHERE id = agent_id;
  END IF;
END
$fn$;
