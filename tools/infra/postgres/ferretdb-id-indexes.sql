-- FerretDB 1.24 sends every filter to PostgreSQL as `_jsonb->$key @> $value`. Its own unique
-- index on `_id` is a btree on `(_jsonb->'_id')`, which that operator cannot use, so every
-- lookup by `_id` reads the whole table. A GIN index on the same expression answers `@>`:
-- this trigger gives every table FerretDB creates one (docs/adr/0002). It changes nothing
-- FerretDB sees; only the local infrastructure installs it.
CREATE OR REPLACE FUNCTION clientbook_index_ferretdb_ids() RETURNS event_trigger
LANGUAGE plpgsql AS $$
DECLARE
  created record;
BEGIN
  FOR created IN
    SELECT c.oid::regclass AS relation, n.nspname AS schema_name, c.relname AS table_name
    FROM pg_event_trigger_ddl_commands() d
    JOIN pg_class c ON c.oid = d.objid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = '_jsonb'
    WHERE d.command_tag = 'CREATE TABLE' AND c.relkind = 'r'
  LOOP
    EXECUTE format(
      'CREATE INDEX IF NOT EXISTS %I ON %s USING gin ((_jsonb -> %L))',
      left(created.table_name, 50) || '_cb_id_gin', created.relation, '_id'
    );
  END LOOP;
END
$$;

DROP EVENT TRIGGER IF EXISTS clientbook_ferretdb_ids;
CREATE EVENT TRIGGER clientbook_ferretdb_ids ON ddl_command_end
  WHEN TAG IN ('CREATE TABLE')
  EXECUTE FUNCTION clientbook_index_ferretdb_ids();
