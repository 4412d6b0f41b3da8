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
CREATE OR REPLACE FUNCTION annotations.post_annotations(app_id text, annotations jsonb)
    RETURNS SETOF annotations.annotation
    AS 'MODULE_PATHNAME', 'annotations_post_annotations'
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp;
CREATE OR REPLACE FUNCTION annotations.delete_annotation(app_id text, input_id text, annotation_id text)
    RETURNS void
    AS 'MODULE_PATHNAME', 'annotations_delete_annotation'
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp;
CREATE OR REPLACE FUNCTION annotations.delete_annotations(app_id text, input_ids text[], ids text[] DEFAULT NULL)
    RETURNS bigint
    AS 'MODULE_PATHNAME', 'annotations_delete_annotations'
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp;
-- now done in C (src/annotations_write.c, src/rows.c)
DROP FUNCTION annotations._check_may_delete(text, text, text, text, text);
DROP FUNCTION annotations._rows(text, text[]);
-- == end of posting and deleting annotations ==

-- == listing and counting ==
DROP FUNCTION annotations._list_plan(text, text[], text[], text[], text[],
    annotations.status[], text, boolean, bigint, boolean);
DROP FUNCTION annotations._list_sql(integer, integer, integer, integer, integer,
    boolean, boolean, boolean, boolean);
DROP FUNCTION annotations._distinct_ids(text[], text);

-- Listing and counting (src/list.c): one planner turns the filters into
-- ordered index scans merged on seq, and keeps one plan per shape of filters.
CREATE OR REPLACE FUNCTION annotations.list_annotations(
        app_id text,
        ids text[] DEFAULT NULL,
        input_ids text[] DEFAULT NULL,
        user_ids text[] DEFAULT NULL,
        model_version_ids text[] DEFAULT NULL,
        statuses annotations.status[] DEFAULT NULL,
        task_id text DEFAULT NULL,
        list_all_annotations boolean DEFAULT false,
        per_page integer DEFAULT 20,
        page integer DEFAULT NULL,
        after bigint DEFAULT NULL)
    RETURNS SETOF annotations.annotation
    AS 'MODULE_PATHNAME', 'annotations_list_annotations'
    LANGUAGE C STABLE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.list_annotations(text, text[], text[], text[], text[],
    annotations.status[], text, boolean, integer, integer, bigint) IS
  'Lists annotations oldest first, one page at a time (keyset paging with after => last seq seen)';

CREATE OR REPLACE FUNCTION annotations.count_annotations(
        app_id text,
        ids text[] DEFAULT NULL,
        input_ids text[] DEFAULT NULL,
        user_ids text[] DEFAULT NULL,
        model_version_ids text[] DEFAULT NULL,
        statuses annotations.status[] DEFAULT NULL,
        task_id text DEFAULT NULL,
        list_all_annotations boolean DEFAULT false)
    RETURNS bigint
    AS 'MODULE_PATHNAME', 'annotations_count_annotations'
    LANGUAGE C STABLE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.count_annotations(text, text[], text[], text[], text[],
    annotations.status[], text, boolean) IS
  'How many annotations list_annotations would return over all pages with the same filters';

-- The query the list planner keeps for a shape of filters, so tests can
-- EXPLAIN it; parameters $1 app_id, $2 ids, $3 input_ids, $4 user_ids,
-- $5 model_version_ids, $6 statuses (text[]), $7 task_id, $8 after,
-- $9 per_page, $10 offset.
CREATE FUNCTION annotations._list_sql_for(
        ids text[], input_ids text[], user_ids text[], model_version_ids text[],
        statuses annotations.status[], task_id text, list_all_annotations boolean,
        after bigint, for_count boolean)
    RETURNS text
    AS 'MODULE_PATHNAME', 'annotations_list_sql_for'
    LANGUAGE C IMMUTABLE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations._list_sql_for(text[], text[], text[], text[], annotations.status[],
    text, boolean, bigint, boolean) IS
  'Internal: the query list_annotations or count_annotations keeps for the shape of these filters';
REVOKE EXECUTE ON FUNCTION annotations._list_sql_for(text[], text[], text[], text[], annotations.status[],
    text, boolean, bigint, boolean) FROM PUBLIC;

-- == end of listing and counting ==

-- == patching ==
-- == end of patching ==

-- == reading for reporting tools ==
-- Reading for reporting tools and direct SQL (src/visible.c): functions that
-- return the rows of one app to its members, and views that put them
-- together over every app of the caller. A function is opaque to the
-- planner, so no condition of the caller ever runs on another app's rows.
CREATE FUNCTION annotations.member_apps() RETURNS SETOF annotations.apps
    AS 'MODULE_PATHNAME', 'annotations_member_apps'
    LANGUAGE C STABLE ROWS 10
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.member_apps() IS
  'The apps the acting user owns or collaborates in (every app for superusers and BYPASSRLS roles)';

CREATE FUNCTION annotations.app_inputs(app_id text) RETURNS SETOF annotations.inputs
    AS 'MODULE_PATHNAME', 'annotations_app_inputs'
    LANGUAGE C STABLE ROWS 1000
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.app_inputs(text) IS
  'The inputs of one app, for its members (P0002 for anyone else)';

CREATE FUNCTION annotations.app_annotations(app_id text) RETURNS SETOF annotations.annotations
    AS 'MODULE_PATHNAME', 'annotations_app_annotations'
    LANGUAGE C STABLE ROWS 1000
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.app_annotations(text) IS
  'The annotations of one app, oldest first, for its members (P0002 for anyone else)';

CREATE FUNCTION annotations.app_regions(app_id text) RETURNS SETOF annotations.regions
    AS 'MODULE_PATHNAME', 'annotations_app_regions'
    LANGUAGE C STABLE ROWS 1000
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.app_regions(text) IS
  'The regions of one app, for its members (P0002 for anyone else)';

CREATE FUNCTION annotations.app_collaborators(app_id text) RETURNS SETOF annotations.collaborators
    AS 'MODULE_PATHNAME', 'annotations_app_collaborators'
    LANGUAGE C STABLE ROWS 10
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.app_collaborators(text) IS
  'The collaborators of one app: all of them for its owner, their own membership for a collaborator';

CREATE VIEW annotations.visible_apps WITH (security_invoker = true) AS
SELECT m.id, m.owner_id, m.created_at FROM annotations.member_apps() m;
COMMENT ON VIEW annotations.visible_apps IS 'The apps the querying role owns or collaborates in';

CREATE VIEW annotations.visible_collaborators WITH (security_invoker = true) AS
SELECT m.id AS app_id, c.user_id, c.owner_id, c.created_at
  FROM annotations.member_apps() m, LATERAL annotations.app_collaborators(m.id) c;
COMMENT ON VIEW annotations.visible_collaborators IS
  'Collaborators of the querying role''s apps (all for an owner, their own membership for a collaborator)';

CREATE VIEW annotations.visible_inputs WITH (security_invoker = true) AS
SELECT m.id AS app_id, i.id, i.data, i.created_at, i.modified_at
  FROM annotations.member_apps() m, LATERAL annotations.app_inputs(m.id) i;
COMMENT ON VIEW annotations.visible_inputs IS 'Inputs of the apps the querying role belongs to';

CREATE VIEW annotations.visible_annotations WITH (security_invoker = true) AS
SELECT m.id AS app_id, a.id, a.input_id, a.seq, a.user_id, a.model_version_id,
       a.embed_model_version_id, a.task_id, a.status, a.input_level, a.concepts,
       a.frame_index, a.frame_time, a.annotation_info, a.created_at, a.modified_at
  FROM annotations.member_apps() m, LATERAL annotations.app_annotations(m.id) a;
COMMENT ON VIEW annotations.visible_annotations IS 'Annotations of the apps the querying role belongs to';

CREATE VIEW annotations.visible_regions WITH (security_invoker = true) AS
SELECT m.id AS app_id, r.annotation_id, r.id, r.input_id, r.bbox, r.concepts
  FROM annotations.member_apps() m, LATERAL annotations.app_regions(m.id) r;
COMMENT ON VIEW annotations.visible_regions IS 'Regions of the apps the querying role belongs to';

GRANT SELECT ON annotations.visible_apps, annotations.visible_collaborators, annotations.visible_inputs,
                annotations.visible_annotations, annotations.visible_regions TO PUBLIC;
-- == end of reading for reporting tools ==

-- == COCO ==
CREATE OR REPLACE FUNCTION annotations.import_coco(app_id text, coco jsonb,
        OUT inputs_created bigint, OUT inputs_existing bigint,
        OUT annotations_created bigint, OUT annotations_existing bigint)
    AS 'MODULE_PATHNAME', 'annotations_import_coco'
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp;
-- import_coco reads the document in C now (src/coco_import.c)
DROP FUNCTION annotations._coco_items(jsonb, text);
-- == end of COCO ==
