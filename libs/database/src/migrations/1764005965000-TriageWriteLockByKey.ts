import { MigrationInterface, QueryRunner } from 'typeorm';
import { contextSql } from '../context-sql';
import { TRIAGE_WRITE_SQL } from './1764001000000-TicketWritesByOwner';

/**
 * Intake (`triage_write`, triage-write.sql loaded again): runs with `enable_seqscan = off`, and locks
 * its batch's tickets by their keys (`t.id = ANY`, the primary key). Each connection plans the
 * function's statements once and keeps the plans; made while `tickets` was small (or analyzed small),
 * the lock joined the batch to a scan of the whole table, and an update by id could be a scan too,
 * on every call as the table grew (in bench:email the lock read 239 buffers a call at 3,600 tickets;
 * bench/README.md, "triage_write's lock"). Same rows locked, in the same order, with the same
 * row-version check. No data is touched.
 */
export class TriageWriteLockByKey1764005965000 implements MigrationInterface {
  name = 'TriageWriteLockByKey1764005965000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(contextSql(TRIAGE_WRITE_SQL));
  }

  async down(q: QueryRunner): Promise<void> {
    // CREATE OR REPLACE sets the function's settings anew: the previous one had none.
    await q.query(PREVIOUS_TRIAGE_WRITE);
  }
}

/** triage_write as migration 1764001000000 loaded it: the lock joined to the batch, its plan kept. */
export const PREVIOUS_TRIAGE_WRITE = `
CREATE OR REPLACE FUNCTION triage_write(p_tickets jsonb)
RETURNS TABLE (ticket_id uuid, written boolean, assignee_id uuid, assign_later boolean)
LANGUAGE plpgsql AS $fn$
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
  SELECT coalesce(array_agg(l.id), '{}') INTO v_locked
    FROM (SELECT t.id
            FROM jsonb_to_recordset(p_tickets) AS x(id uuid, row_version text)
            JOIN tickets t ON t.id = x.id
           WHERE t.xmin = x.row_version::xid
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

  INSERT INTO ticket_events (ticket_id, type, actor_kind, actor_id, data, at)
  SELECT w.id, e.type, e.actor_kind, e.actor_id, e.data, w.at
    FROM unnest(v_ids, v_ats, v_events, v_agents) WITH ORDINALITY AS w(id, at, events, agent, pos)
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
`;
