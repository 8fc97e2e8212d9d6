-- triage_write(tickets jsonb): the writes of a batch of triage decisions, in one call: one round
-- trip, one transaction and one commit for the whole batch. Intake owns the ticket row and its
-- timeline, so this function sits here, beside ticket-writes.ts (which calls it: TRIAGE_WRITE);
-- triage decides what to write. Loaded by migrations 1764001000000 and 1764005965000 (a change needs a
-- new migration that loads this file again: see libs/database/README.md).
--
-- The argument is a JSON array, one object per ticket, in the order the tickets are to be
-- assigned: `id`, `row_version` (the `xmin` read), `status`, `category`, `product`, `priority`,
-- `queue`, `tags`, `at`, `diagnosis`, `in_scope`, `priority_suggestion`, the four SLA dates,
-- `sla_start`, `events` (the timeline events before `assigned`, in order) and `assign`.
--
-- Per ticket:
-- - it is written only if nobody wrote it since it was read (`xmin`); otherwise `written` is false
--   and the caller reads and decides that ticket again. The tickets are locked first, all of them,
--   in id order, so two batches never wait on each other in a cycle.
-- - assignment (pick_agent, the auth context's rule) runs ticket by ticket in the array's order:
--   each pick sees the open tickets and `last_assigned_at` of the picks before it in the batch (the
--   trigger on `tickets` has counted them), so two tickets of one batch never both take an agent's
--   last slot. Agents are never waited for while the batch holds other agents (that could deadlock
--   with another batch or an agent's change): when every eligible agent is locked by someone else,
--   `assign_later` asks the caller to assign that ticket after this commits (AssignmentService,
--   which waits).
-- - one row version per ticket (decision, due dates and assignee together); its events in order
--   (`status_changed` … `triaged`, then `assigned`).
--
-- `enable_seqscan = off`, while it runs: every statement here (and in the triggers it fires)
-- reaches its rows by a key, and each connection plans them once and keeps the plans. Made while
-- `tickets` was small, or had been analyzed small, a kept plan scanned the whole table instead of
-- looking the batch up, and went on scanning it, every call, as the table grew (the lock below read
-- 239 buffers a call at 3,600 tickets in bench:email; bench/README.md, "triage_write's lock", r17-mailpg).
CREATE OR REPLACE FUNCTION triage_write(p_tickets jsonb)
RETURNS TABLE (ticket_id uuid, written boolean, assignee_id uuid, assign_later boolean)
LANGUAGE plpgsql SET enable_seqscan = off AS $fn$
#variable_conflict use_column
DECLARE
  r record;
  v_locked uuid[];
  v_pick uuid;
  v_taken record;
  v_assignee uuid;
  v_ids uuid[] := '{}';
  v_ats timestamptz[] := '{}';
  v_events jsonb[] := '{}';
  v_agents uuid[] := '{}';
BEGIN
  -- Each ticket by its key (`t.id = ANY`, the primary key: see `enable_seqscan` above).
  SELECT coalesce(array_agg(l.id), '{}') INTO v_locked
    FROM (SELECT t.id
            FROM tickets t
           WHERE t.id = ANY (ARRAY(SELECT (e->>'id')::uuid FROM jsonb_array_elements(p_tickets) AS e))
             AND EXISTS (SELECT FROM jsonb_to_recordset(p_tickets) AS x(id uuid, row_version text)
                          WHERE x.id = t.id AND x.row_version::xid = t.xmin)
           ORDER BY t.id
             FOR UPDATE OF t) l;

  FOR r IN
    SELECT x.*
      FROM ROWS FROM (jsonb_to_recordset(p_tickets) AS (
             id uuid, row_version text, status text, category text, product text, priority text, queue text, tags text[],
             at timestamptz, diagnosis jsonb, in_scope boolean, priority_suggestion jsonb,
             first_response_due_at timestamptz, first_response_warn_at timestamptz,
             resolution_due_at timestamptz, resolution_warn_at timestamptz, sla_start timestamptz,
             events jsonb, assign boolean)) WITH ORDINALITY AS x
     ORDER BY x.ordinality
  LOOP
    ticket_id := r.id;
    assign_later := false;
    -- Changed since it was read (or already written by this batch: the same ticket twice).
    IF NOT (r.id = ANY (v_locked)) OR r.id = ANY (v_ids) THEN
      written := false;
      assignee_id := NULL;
      RETURN NEXT;
      CONTINUE;
    END IF;

    v_pick := NULL;
    IF r.assign THEN
      -- An expression, not a query over the function: no executor and no result set per ticket.
      v_taken := pick_agent(r.queue, r.at, false);
      v_pick := v_taken.agent_id;
      assign_later := v_taken.busy;
    END IF;

    UPDATE tickets t
       SET status = r.status, category = r.category, product = r.product, priority = r.priority, queue = r.queue,
           tags = r.tags, assignee_id = COALESCE(v_pick, t.assignee_id), updated_at = r.at, triaged_at = r.at,
           diagnosis = r.diagnosis, in_scope = r.in_scope, priority_suggestion = r.priority_suggestion,
           first_response_due_at = r.first_response_due_at, first_response_warn_at = r.first_response_warn_at,
           resolution_due_at = r.resolution_due_at, resolution_warn_at = r.resolution_warn_at,
           sla_started_at = COALESCE(t.sla_started_at, r.sla_start)
     WHERE t.id = r.id
    RETURNING t.assignee_id INTO v_assignee;

    v_ids := array_append(v_ids, r.id);
    v_ats := array_append(v_ats, r.at);
    v_events := array_append(v_events, r.events);
    v_agents := array_append(v_agents, v_pick);
    written := true;
    assignee_id := v_assignee;
    RETURN NEXT;
  END LOOP;

  -- The arrays behind sub-selects: seen as values, they made each call's custom plan (sized to its
  -- batch) look cheaper than the generic one, and the statement was planned again on every call.
  INSERT INTO ticket_events (ticket_id, type, actor_kind, actor_id, data, at)
  SELECT w.id, e.type, e.actor_kind, e.actor_id, e.data, w.at
    FROM unnest((SELECT v_ids), (SELECT v_ats), (SELECT v_events), (SELECT v_agents)) WITH ORDINALITY AS w(id, at, events, agent, pos)
   CROSS JOIN LATERAL (
           SELECT j.ord, j.e->>'type' AS type, j.e->>'actorKind' AS actor_kind, (j.e->>'actorId')::uuid AS actor_id, j.e->'data' AS data
             FROM jsonb_array_elements(w.events) WITH ORDINALITY AS j(e, ord)
           UNION ALL
           SELECT 1000000, 'assigned', 'system', NULL, jsonb_build_object('from', NULL, 'to', w.agent)
            WHERE w.agent IS NOT NULL
         ) e
   ORDER BY w.pos, e.ord;
END
$fn$;

