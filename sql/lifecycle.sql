-- Installing, updating and dropping the extension, in a database of its own.
\set origdb :DBNAME
SELECT extversion = default_version AS current_version_installed
  FROM pg_extension e JOIN pg_available_extensions a ON a.name = e.extname
 WHERE e.extname = 'annotations';
SELECT version FROM pg_available_extension_versions WHERE name = 'annotations' ORDER BY version;
SELECT path FROM pg_extension_update_paths('annotations') WHERE source = '1.0' AND target = '1.1';

CREATE DATABASE annotations_lifecycle;
\c annotations_lifecycle
-- an empty store drops without ceremony; the schema stays behind, empty
CREATE EXTENSION annotations;
DROP EXTENSION annotations;
SELECT count(*) AS objects_left FROM pg_class WHERE relnamespace = 'annotations'::regnamespace;

-- a store with data refuses to be dropped, by every spelling
CREATE EXTENSION annotations;
SELECT id FROM annotations.create_app('keep-me');
SELECT count(*) FROM annotations.post_inputs('keep-me', '[{"id": "i1", "data": {"text": {"raw": "x"}}}]');
DROP EXTENSION annotations;
DROP EXTENSION annotations CASCADE;
DROP EXTENSION IF EXISTS pg_trgm, annotations;
DROP SCHEMA annotations CASCADE;
SELECT count(*) AS apps_still_there FROM annotations.apps;
-- only the extension's owner gets that far; anyone else is refused by PostgreSQL
CREATE ROLE lifecycle_stranger;
SET ROLE lifecycle_stranger;
DROP EXTENSION annotations;
RESET ROLE;
-- other drops are not the guard's business
CREATE SCHEMA unrelated;
DROP SCHEMA unrelated;
-- confirmed, it goes
SET annotations.confirm_drop = on;
DROP EXTENSION annotations;
RESET annotations.confirm_drop;
SELECT count(*) AS extensions FROM pg_extension WHERE extname = 'annotations';

-- 1.0 installs from its own script and updates in place
CREATE EXTENSION annotations VERSION '1.0';
SELECT extversion FROM pg_extension WHERE extname = 'annotations';
SELECT id FROM annotations.create_app('from-1.0');
ALTER EXTENSION annotations UPDATE;
SELECT extversion FROM pg_extension WHERE extname = 'annotations';
SELECT id, owner_id FROM annotations.apps;
SET annotations.confirm_drop = on;
DROP EXTENSION annotations;
RESET annotations.confirm_drop;

-- a schema someone else made first is refused: its owner could plant
-- look-alike objects in it
DROP SCHEMA annotations;
GRANT CREATE ON DATABASE annotations_lifecycle TO lifecycle_stranger;
SET ROLE lifecycle_stranger;
CREATE SCHEMA annotations;
RESET ROLE;
CREATE EXTENSION annotations;
DROP SCHEMA annotations;
-- so is one that others may create objects in, or one that holds objects
CREATE SCHEMA annotations;
GRANT CREATE ON SCHEMA annotations TO lifecycle_stranger;
CREATE EXTENSION annotations;
REVOKE CREATE ON SCHEMA annotations FROM lifecycle_stranger;
CREATE FUNCTION annotations._app_role(text) RETURNS text LANGUAGE sql AS $$ SELECT 'owner' $$;
CREATE EXTENSION annotations;
DROP FUNCTION annotations._app_role(text);
-- an empty schema of the installing superuser is fine
CREATE EXTENSION annotations;
SELECT extversion FROM pg_extension WHERE extname = 'annotations';

\c :origdb
DROP DATABASE annotations_lifecycle;
DROP ROLE lifecycle_stranger;
