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
-- == end of apps and inputs ==

-- == posting and deleting annotations ==
-- == end of posting and deleting annotations ==

-- == listing and counting ==
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

-- == evaluation ==
-- Evaluation (src/evaluate.c, src/coco_eval.c): how well a model's boxes
-- agree with the boxes people drew, as COCO's evaluator measures it, and
-- how well people agree with each other. Any member of an app may run
-- them; they read with the store owner's rights.

CREATE FUNCTION annotations.evaluate_detections(
        app_id text,
        model_version_ids text[],
        user_ids text[] DEFAULT NULL,
        statuses annotations.status[] DEFAULT '{success}',
        iou_thresholds float8[] DEFAULT NULL,
        max_detections integer[] DEFAULT '{1,10,100}',
        input_ids text[] DEFAULT NULL)
    RETURNS TABLE (concept_id text, ap float8, ap50 float8, ap75 float8,
                   ap_small float8, ap_medium float8, ap_large float8,
                   ar1 float8, ar10 float8, ar100 float8,
                   ar_small float8, ar_medium float8, ar_large float8,
                   gt_count bigint, dt_count bigint, tp50 bigint, fp50 bigint, fn50 bigint)
    AS 'MODULE_PATHNAME', 'annotations_evaluate_detections'
    LANGUAGE C STABLE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.evaluate_detections(text, text[], text[], annotations.status[], float8[], integer[], text[]) IS
  'COCO box evaluation of the model versions'' region concepts against users'' ones (value > 0), per concept and over all (concept_id NULL, first); -1 where COCO gives -1, NULL for a threshold not asked for';

CREATE FUNCTION annotations.match_detections(
        app_id text,
        model_version_ids text[],
        user_ids text[] DEFAULT NULL,
        statuses annotations.status[] DEFAULT '{success}',
        input_ids text[] DEFAULT NULL,
        iou_threshold float8 DEFAULT 0.5)
    RETURNS TABLE (input_id text, concept_id text, prediction_id text, prediction_region_id text,
                   score float8, ground_truth_id text, ground_truth_region_id text,
                   iou float8, matched boolean)
    AS 'MODULE_PATHNAME', 'annotations_match_detections'
    LANGUAGE C STABLE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.match_detections(text, text[], text[], annotations.status[], text[], float8) IS
  'COCO''s greedy matching at one IoU threshold: a row per prediction (matched or a false positive) and per ground-truth box no prediction matched';

CREATE FUNCTION annotations.annotator_agreement(
        app_id text,
        user_ids text[],
        iou_threshold float8 DEFAULT 0.5,
        statuses annotations.status[] DEFAULT NULL)
    RETURNS TABLE (user_a text, user_b text, concept_id text, inputs bigint, matched bigint,
                   only_a bigint, only_b bigint, f1 float8, kappa float8)
    AS 'MODULE_PATHNAME', 'annotations_annotator_agreement'
    LANGUAGE C STABLE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.annotator_agreement(text, text[], float8, annotations.status[]) IS
  'Per pair of users, over the inputs both labelled: boxes matched one to one by IoU and their F1, Cohen''s kappa of whole-input concepts; per concept, and pooled (concept_id NULL)';

CREATE FUNCTION annotations.disagreements(
        app_id text,
        user_ids text[],
        iou_threshold float8 DEFAULT 0.5,
        statuses annotations.status[] DEFAULT NULL)
    RETURNS TABLE (input_id text, concept_id text, users text[], detail text)
    AS 'MODULE_PATHNAME', 'annotations_disagreements'
    LANGUAGE C STABLE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.disagreements(text, text[], float8, annotations.status[]) IS
  'Inputs labelled by two or more of the users where they differ on a concept: present for some and absent for others, or boxes without a match';

CREATE FUNCTION annotations._evaluate_boxes(
        images text[], concepts text[], scores float8[], crowd boolean[],
        boxes float8[], areas float8[],
        iou_thresholds float8[] DEFAULT NULL,
        max_detections integer[] DEFAULT '{1,10,100}')
    RETURNS TABLE (concept_id text, ap float8, ap50 float8, ap75 float8,
                   ap_small float8, ap_medium float8, ap_large float8,
                   ar1 float8, ar10 float8, ar100 float8,
                   ar_small float8, ar_medium float8, ar_large float8,
                   gt_count bigint, dt_count bigint, tp50 bigint, fp50 bigint, fn50 bigint)
    AS 'MODULE_PATHNAME', 'annotations_evaluate_boxes'
    LANGUAGE C IMMUTABLE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations._evaluate_boxes(text[], text[], float8[], boolean[], float8[], float8[], float8[], integer[]) IS
  'Internal: COCO box evaluation of boxes given as arrays (pixels [x,y,w,h], area, crowd flag; NULL score for ground truth), reading no table';
-- == end of evaluation ==

-- == COCO ==
-- == end of COCO ==
