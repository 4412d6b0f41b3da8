
-- Dropping the extension drops its tables and every label in them. An event
-- trigger refuses DROP EXTENSION annotations (and DROP SCHEMA annotations)
-- while the store holds data, unless the session has SET
-- annotations.confirm_drop = on.
CREATE FUNCTION annotations._guard_drop() RETURNS event_trigger
    AS 'MODULE_PATHNAME', 'annotations_guard_drop'
    LANGUAGE C;
COMMENT ON FUNCTION annotations._guard_drop() IS
  'Internal: refuses to drop the extension while it holds data, unless annotations.confirm_drop is on';
REVOKE EXECUTE ON FUNCTION annotations._guard_drop() FROM PUBLIC;

CREATE EVENT TRIGGER annotations_guard_drop ON ddl_command_start
    WHEN TAG IN ('DROP EXTENSION', 'DROP SCHEMA')
    EXECUTE FUNCTION annotations._guard_drop();
COMMENT ON EVENT TRIGGER annotations_guard_drop IS
  'Refuses DROP EXTENSION annotations while apps, inputs or annotations remain (SET annotations.confirm_drop = on to allow)';
