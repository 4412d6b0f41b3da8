-- annotations 1.0 -> 1.1, run by ALTER EXTENSION annotations UPDATE.
-- Every change made to the install script in 1.1 is made here too, so an
-- updated database ends up with exactly the catalog of a fresh 1.1 install
-- (the upgrade test compares the two).

\echo Use "ALTER EXTENSION annotations UPDATE" to load this file. \quit

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

-- A GiST operator class for text equality (src/app_gist.c), so the regions'
-- geometry index can lead with app_id: a box search within one app then
-- descends only into that app's part of the tree, however many other apps
-- share the table.
CREATE FUNCTION annotations.app_gist_compress(pg_catalog.internal) RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'app_gist_compress' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION annotations.app_gist_consistent(pg_catalog.internal, pg_catalog.text, pg_catalog.int2,
                                                pg_catalog.oid, pg_catalog.internal) RETURNS boolean
AS 'MODULE_PATHNAME', 'app_gist_consistent' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION annotations.app_gist_union(pg_catalog.internal, pg_catalog.internal) RETURNS pg_catalog.int8
AS 'MODULE_PATHNAME', 'app_gist_union' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION annotations.app_gist_penalty(pg_catalog.internal, pg_catalog.internal, pg_catalog.internal)
    RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'app_gist_penalty' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION annotations.app_gist_picksplit(pg_catalog.internal, pg_catalog.internal) RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'app_gist_picksplit' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION annotations.app_gist_same(pg_catalog.int8, pg_catalog.int8, pg_catalog.internal)
    RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'app_gist_same' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION annotations.app_gist_compress(pg_catalog.internal) IS
  'GiST support for app_id_gist_ops: a text becomes the range [h, h] of its hash';
COMMENT ON FUNCTION annotations.app_gist_consistent(pg_catalog.internal, pg_catalog.text, pg_catalog.int2, pg_catalog.oid, pg_catalog.internal) IS
  'GiST support for app_id_gist_ops: could a text equal to the query lie below this key';
COMMENT ON FUNCTION annotations.app_gist_union(pg_catalog.internal, pg_catalog.internal) IS
  'GiST support for app_id_gist_ops: the hash range covering all keys';
COMMENT ON FUNCTION annotations.app_gist_penalty(pg_catalog.internal, pg_catalog.internal, pg_catalog.internal) IS
  'GiST support for app_id_gist_ops: how much a hash range must widen';
COMMENT ON FUNCTION annotations.app_gist_picksplit(pg_catalog.internal, pg_catalog.internal) IS
  'GiST support for app_id_gist_ops: splits a page into two narrow hash ranges';
COMMENT ON FUNCTION annotations.app_gist_same(pg_catalog.int8, pg_catalog.int8, pg_catalog.internal) IS
  'GiST support for app_id_gist_ops: are two keys equal';

CREATE OPERATOR CLASS annotations.app_id_gist_ops
FOR TYPE pg_catalog.text USING gist AS
    OPERATOR 3 pg_catalog.= (pg_catalog.text, pg_catalog.text),
    FUNCTION 1 annotations.app_gist_consistent(pg_catalog.internal, pg_catalog.text, pg_catalog.int2, pg_catalog.oid, pg_catalog.internal),
    FUNCTION 2 annotations.app_gist_union(pg_catalog.internal, pg_catalog.internal),
    FUNCTION 3 annotations.app_gist_compress(pg_catalog.internal),
    FUNCTION 5 annotations.app_gist_penalty(pg_catalog.internal, pg_catalog.internal, pg_catalog.internal),
    FUNCTION 6 annotations.app_gist_picksplit(pg_catalog.internal, pg_catalog.internal),
    FUNCTION 7 annotations.app_gist_same(pg_catalog.int8, pg_catalog.int8, pg_catalog.internal),
    STORAGE pg_catalog.int8;
COMMENT ON OPERATOR CLASS annotations.app_id_gist_ops USING gist IS
  'Text equality in GiST (hashed keys, rechecked), to lead a multicolumn GiST index with app_id';
COMMENT ON OPERATOR FAMILY annotations.app_id_gist_ops USING gist IS
  'Text equality in GiST (hashed keys, rechecked)';

DROP INDEX annotations.regions_bbox_idx;
-- geometry search within one app: the tree is split by app first, so a
-- search costs the same however many other apps share the table
CREATE INDEX regions_bbox_idx ON annotations.regions
    USING gist (app_id annotations.app_id_gist_ops, bbox);

-- The API in C. Each function captures the acting user, then does its table
-- work with the store owner's rights, deciding what the caller may see and
-- change by one rule (src/acting.c).

-- == reading annotations ==
CREATE OR REPLACE FUNCTION annotations.get_annotation(app_id text, input_id text, annotation_id text)
    RETURNS annotations.annotation
    AS 'MODULE_PATHNAME', 'annotations_get_annotation'
    LANGUAGE C STABLE
    SET search_path = pg_catalog, pg_temp;
-- == end of reading annotations ==

-- == apps and inputs ==
CREATE OR REPLACE FUNCTION annotations.create_app(id text, owner_id text DEFAULT current_user)
    RETURNS annotations.apps
    AS 'MODULE_PATHNAME', 'annotations_create_app'
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp;
CREATE OR REPLACE FUNCTION annotations.add_collaborator(app_id text, user_id text)
    RETURNS void
    AS 'MODULE_PATHNAME', 'annotations_add_collaborator'
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp;
CREATE OR REPLACE FUNCTION annotations.remove_collaborator(app_id text, user_id text)
    RETURNS void
    AS 'MODULE_PATHNAME', 'annotations_remove_collaborator'
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp;
CREATE OR REPLACE FUNCTION annotations.post_inputs(app_id text, inputs jsonb)
    RETURNS SETOF annotations.inputs
    AS 'MODULE_PATHNAME', 'annotations_post_inputs'
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp;
CREATE OR REPLACE FUNCTION annotations.delete_inputs(app_id text, ids text[])
    RETURNS bigint
    AS 'MODULE_PATHNAME', 'annotations_delete_inputs'
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp;
-- used only by the functions above, now in C
DROP FUNCTION annotations._require_owner(text, text, text);
DROP FUNCTION annotations._new_id();
-- == end of apps and inputs ==

-- == posting and deleting annotations ==
-- == end of posting and deleting annotations ==

-- == listing and counting ==
-- == end of listing and counting ==

-- == patching ==
-- == end of patching ==

-- == COCO ==
-- == end of COCO ==
