-- The full-text search index of tickets: one row per ticket in `ticket_search` with two documents,
-- `staff_doc` (subject, description, every comment) and `public_doc` (subject, description, public
-- comments: what the ticket's customer may search). Kept by triggers on `tickets` and
-- `ticket_comments` in the same transaction as the write, whoever writes (ticket-writes.ts, the
-- triage batch, a future channel). Loaded by migration 1764004300000, again by 1764005230000 and 1764005950000 (a
-- change needs a new migration that loads this file again: see libs/database/README.md).
--
-- `open`: whether the ticket is open (not resolved or closed). A search of open tickets (open
-- statuses, a view of open work) reads the partial GIN indexes of the open documents, a few percent
-- of the table, instead of every match of its words with each match's ticket checked for its status.
--
-- Words are analysed twice, by the English and by the Spanish stemmer (both after unaccent), and a
-- query matches a document when it matches under either analysis: "facturas" finds "factura",
-- "licences" finds "licence", "sesion" finds "sesión", whatever the language of the ticket (it is
-- not known: customers write in both). Why stemming and not `simple`: bench/README.md, "Search".

-- The document of one text, with its weight (A subject, B description, C comments).
CREATE OR REPLACE FUNCTION ticket_search_doc(body text, weight "char")
RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
  SELECT setweight(to_tsvector('helpdesk_en'::regconfig, body) || to_tsvector('helpdesk_es'::regconfig, body), weight)
$fn$;

-- The keys of a ticket's documents besides its words: its customer and the number ranges it lies in
-- (1,000 numbers, 10,000, … 10,000,000). A search ANDs its words with a range's key inside the GIN
-- index ("error" in the newest thousand tickets) instead of reading every match of a common word to
-- find the newest. They hold spaces, which no word from text or from a query does.
CREATE OR REPLACE FUNCTION ticket_search_keys(p_number bigint, p_customer_id uuid)
RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
  SELECT array_to_tsvector(ARRAY[
    'customer ' || p_customer_id,
    'range 3 ' || p_number / 1000, 'range 4 ' || p_number / 10000, 'range 5 ' || p_number / 100000,
    'range 6 ' || p_number / 1000000, 'range 7 ' || p_number / 10000000])
$fn$;

-- A query in web-search syntax ("quoted phrase", -word, or) under both analyses.
CREATE OR REPLACE FUNCTION ticket_search_query(q text)
RETURNS tsquery
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
  SELECT websearch_to_tsquery('helpdesk_en'::regconfig, q) || websearch_to_tsquery('helpdesk_es'::regconfig, q)
$fn$;

-- The rows of `ticket_search` for the given tickets, rebuilt from the tickets and all their
-- comments (a new ticket, a changed subject or description, a comment changed or removed).
CREATE OR REPLACE FUNCTION ticket_search_rebuild(p_ids uuid[])
RETURNS void
LANGUAGE sql AS $fn$
  INSERT INTO ticket_search (ticket_id, number, customer_id, public_doc, staff_doc)
  SELECT t.id, t.number, t.customer_id, d.public_doc, d.public_doc || COALESCE(c.internal_doc, '')
    FROM tickets t
    LEFT JOIN LATERAL (
      SELECT ticket_search_doc(string_agg(body, E'\n' ORDER BY created_at, id) FILTER (WHERE visibility = 'public'), 'C') AS public_doc,
             ticket_search_doc(string_agg(body, E'\n' ORDER BY created_at, id) FILTER (WHERE visibility <> 'public'), 'C') AS internal_doc
        FROM ticket_comments WHERE ticket_id = t.id
    ) c ON true
   CROSS JOIN LATERAL (
      SELECT ticket_search_keys(t.number, t.customer_id) || ticket_search_doc(t.subject, 'A') || ticket_search_doc(t.description, 'B')
             || COALESCE(c.public_doc, '') AS public_doc
   ) d
   WHERE t.id = ANY (p_ids)
  ON CONFLICT (ticket_id) DO UPDATE SET public_doc = EXCLUDED.public_doc, staff_doc = EXCLUDED.staff_doc
$fn$;

-- AFTER INSERT ON tickets, and AFTER UPDATE OF subject, description (FOR EACH ROW).
CREATE OR REPLACE FUNCTION ticket_search_on_ticket()
RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
  v_doc tsvector;
BEGIN
  IF TG_OP = 'INSERT' THEN
    v_doc := ticket_search_keys(NEW.number, NEW.customer_id) || ticket_search_doc(NEW.subject, 'A') || ticket_search_doc(NEW.description, 'B');
    INSERT INTO ticket_search (ticket_id, number, customer_id, public_doc, staff_doc, open)
    VALUES (NEW.id, NEW.number, NEW.customer_id, v_doc, v_doc, NEW.status NOT IN ('resolved', 'closed'));
  ELSIF NEW.subject IS DISTINCT FROM OLD.subject OR NEW.description IS DISTINCT FROM OLD.description THEN
    PERFORM ticket_search_rebuild(ARRAY[NEW.id]);
  END IF;
  RETURN NULL;
END
$fn$;

-- AFTER UPDATE OF status ON tickets when the ticket opens or closes (FOR EACH ROW).
CREATE OR REPLACE FUNCTION ticket_search_on_status()
RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  UPDATE ticket_search SET open = NEW.status NOT IN ('resolved', 'closed') WHERE ticket_id = NEW.id;
  RETURN NULL;
END
$fn$;

-- AFTER INSERT ON ticket_comments (FOR EACH ROW): the comment is appended to its ticket's documents
-- (both when public, the staff one only when internal) without reading the ticket's other comments.
CREATE OR REPLACE FUNCTION ticket_search_on_comment_insert()
RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
  v_doc tsvector := ticket_search_doc(NEW.body, 'C');
BEGIN
  UPDATE ticket_search
     SET staff_doc = staff_doc || v_doc,
         public_doc = CASE WHEN NEW.visibility = 'public' THEN public_doc || v_doc ELSE public_doc END
   WHERE ticket_id = NEW.ticket_id;
  RETURN NULL;
END
$fn$;

-- AFTER UPDATE OF ticket_id, body, visibility OR DELETE ON ticket_comments (FOR EACH ROW): the
-- tickets concerned are rebuilt.
CREATE OR REPLACE FUNCTION ticket_search_on_comment_change()
RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM ticket_search_rebuild(ARRAY[OLD.ticket_id]);
  ELSE
    PERFORM ticket_search_rebuild(ARRAY[OLD.ticket_id, NEW.ticket_id]);
  END IF;
  RETURN NULL;
END
$fn$;

-- `open_ticket_statuses`: the open tickets' numbers and statuses, nothing else (migration
-- 1764005950000). A search with open statuses keeps the matches of its step's number range whose
-- number is among that status's here (a few hundred narrow pages at most), instead of looking up
-- each match's ticket row (≈ 3 pages a match). AFTER INSERT and AFTER UPDATE OF status ON tickets
-- (FOR EACH ROW, when the status changed): kept in the same transaction as the write.
CREATE OR REPLACE FUNCTION open_ticket_status_keep()
RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  IF NEW.status IN ('resolved', 'closed') THEN
    IF TG_OP = 'UPDATE' THEN DELETE FROM open_ticket_statuses WHERE number = NEW.number; END IF;
  ELSE
    INSERT INTO open_ticket_statuses (number, status) VALUES (NEW.number, NEW.status)
    ON CONFLICT (number) DO UPDATE SET status = EXCLUDED.status;
  END IF;
  RETURN NULL;
END
$fn$;
