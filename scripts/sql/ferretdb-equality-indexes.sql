-- FerretDB v1 (PostgreSQL backend) pushes a top-level equality filter down to PostgreSQL as a
-- JSON containment test, `_jsonb -> 'field' @> '<value>'`, but builds each MongoDB index as a
-- btree on `(_jsonb -> 'field')`, which a containment test cannot use: every equality lookup
-- (even by `_id`) reads the whole table (measured: 870 ms for one `_id` on 100k profiles).
-- This adds, beside every btree index FerretDB creates on a top-level field, a GIN index
-- (jsonb_path_ops) on the same expression, which serves exactly that containment test (0.09 ms),
-- and for arrays such as `regionPath` also "the array holds this value".
--
-- Only for the local substitute (this machine, CI): real MongoDB needs nothing of the kind.
-- Installed by scripts/services.sh into `template1` (so every database created later inherits it,
-- e.g. a fault test's own FerretDB database) and into the `ferretdb` database, where the indexes
-- that already exist are backfilled. Idempotent.

CREATE OR REPLACE FUNCTION tx_equality_index(sch text, tbl text, def text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  fld text;
BEGIN
  IF def NOT LIKE '%USING btree%' THEN
    RETURN;
  END IF;
  -- `(_jsonb -> 'x'::text))`: a top-level field; a nested one reads `(_jsonb -> 'x'::text) -> …`.
  FOR fld IN SELECT (regexp_matches(def, '\(_jsonb -> ''([^'']+)''::text\)\)', 'g'))[1] LOOP
    EXECUTE format(
      'CREATE INDEX IF NOT EXISTS %I ON %I.%I USING gin ((_jsonb -> %L) jsonb_path_ops)',
      left(tbl, 40) || '_' || left(md5(fld), 8) || '_eq', sch, tbl, fld);
  END LOOP;
END $$;

CREATE OR REPLACE FUNCTION tx_equality_index_trigger() RETURNS event_trigger
LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  FOR r IN
    SELECT n.nspname AS sch, t.relname AS tbl, pg_get_indexdef(c.objid) AS def
    FROM pg_event_trigger_ddl_commands() c
    JOIN pg_index i ON i.indexrelid = c.objid
    JOIN pg_class t ON t.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE c.command_tag = 'CREATE INDEX'
  LOOP
    PERFORM tx_equality_index(r.sch, r.tbl, r.def);
  END LOOP;
END $$;

DROP EVENT TRIGGER IF EXISTS tx_equality_index;
CREATE EVENT TRIGGER tx_equality_index ON ddl_command_end
  WHEN TAG IN ('CREATE INDEX') EXECUTE FUNCTION tx_equality_index_trigger();

-- Backfill what exists (FerretDB's own schemas only: they hold a `_ferretdb_database_metadata`).
DO $$
DECLARE
  r record;
BEGIN
  FOR r IN
    SELECT p.schemaname, p.tablename, p.indexdef FROM pg_indexes p
    WHERE p.indexdef LIKE '%USING btree%(_jsonb -> %'
      AND EXISTS (SELECT 1 FROM pg_tables m WHERE m.schemaname = p.schemaname AND m.tablename = '_ferretdb_database_metadata')
  LOOP
    PERFORM tx_equality_index(r.schemaname, r.tablename, r.indexdef);
  END LOOP;
END $$;
