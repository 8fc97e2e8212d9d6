import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `triage_write(jsonb)`: the writes of a batch of triages in one call. Kept as it first ran:
 * migration 1764001000000 replaced it with the function in libs/intake/src/tickets/triage-write.sql
 * (where it is described), whose agent pick is auth's `pick_agent`, and restores this one on revert.
 */
export class TriageBatchWrite1764000700000 implements MigrationInterface {
  name = 'TriageBatchWrite1764000700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION triage_write(p_tickets jsonb)
      RETURNS TABLE (ticket_id uuid, written boolean, assignee_id uuid, assign_later boolean)
      LANGUAGE plpgsql AS $fn$
      #variable_conflict use_column
      DECLARE
        r record;
        v_locked uuid[];
        v_pick uuid;
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
            SELECT a.id INTO v_pick
              FROM agents a
             WHERE a.available AND r.queue = ANY (a.queues) AND a.open_tickets < a.max_open_tickets
             ORDER BY a.open_tickets, a.last_assigned_at NULLS FIRST, a.id
             LIMIT 1
               FOR UPDATE SKIP LOCKED;
            IF v_pick IS NULL THEN
              assign_later := EXISTS (SELECT FROM agents a
                                       WHERE a.available AND r.queue = ANY (a.queues) AND a.open_tickets < a.max_open_tickets);
            END IF;
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
          IF v_pick IS NOT NULL THEN
            UPDATE agents SET last_assigned_at = r.at WHERE id = v_pick;
          END IF;

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
      $fn$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION triage_write(jsonb)`);
  }
}
