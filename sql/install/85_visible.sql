
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
       a.frame_index, a.frame_time, a.annotation_info, a.created_at, a.modified_at,
       a.trusted, a.consensus_info
  FROM annotations.member_apps() m, LATERAL annotations.app_annotations(m.id) a;
COMMENT ON VIEW annotations.visible_annotations IS 'Annotations of the apps the querying role belongs to';

CREATE VIEW annotations.visible_regions WITH (security_invoker = true) AS
SELECT m.id AS app_id, r.annotation_id, r.id, r.input_id, r.bbox, r.concepts, r.iscrowd,
       r.polygon, r.point, r.mask
  FROM annotations.member_apps() m, LATERAL annotations.app_regions(m.id) r;
COMMENT ON VIEW annotations.visible_regions IS 'Regions of the apps the querying role belongs to';

GRANT SELECT ON annotations.visible_apps, annotations.visible_collaborators, annotations.visible_inputs,
                annotations.visible_annotations, annotations.visible_regions TO PUBLIC;
