-- The concept catalogue of each app (src/catalogue.c): one row per concept
-- the app has ever used or been given, with a COCO category id handed out
-- once, so every COCO export of the app numbers its categories alike.
-- post, patch and import_coco add the concepts they use; post_concepts adds
-- or renames them; an app with a closed vocabulary accepts only catalogued
-- concepts.

CREATE TABLE annotations.concepts (
    app_id        text        NOT NULL REFERENCES annotations.apps (id) ON DELETE CASCADE,
    id            text        NOT NULL,
    name          text,
    coco_id       integer     NOT NULL CHECK (coco_id OPERATOR(pg_catalog.>=) 1),
    supercategory text,
    created_at    timestamptz NOT NULL DEFAULT pg_catalog.now(),
    modified_at   timestamptz NOT NULL DEFAULT pg_catalog.now(),
    PRIMARY KEY (app_id, id),
    UNIQUE (app_id, coco_id)
);
COMMENT ON TABLE annotations.concepts IS
  'The concept catalogue of each app: every concept used in it or posted with post_concepts';
COMMENT ON COLUMN annotations.concepts.app_id IS 'App id';
COMMENT ON COLUMN annotations.concepts.id IS 'Concept id, as in annotations'' concept lists';
COMMENT ON COLUMN annotations.concepts.name IS 'Display name (NULL when none was given)';
COMMENT ON COLUMN annotations.concepts.coco_id IS
  'COCO category id: given once, never changed, unique in the app';
COMMENT ON COLUMN annotations.concepts.supercategory IS 'COCO supercategory (NULL when none was given)';
COMMENT ON COLUMN annotations.concepts.created_at IS 'When the concept was first used or posted';
COMMENT ON COLUMN annotations.concepts.modified_at IS 'When its name or supercategory last changed';

SELECT pg_catalog.pg_extension_config_dump('annotations.concepts', '');
REVOKE ALL ON annotations.concepts FROM PUBLIC;
ALTER TABLE annotations.concepts ENABLE ROW LEVEL SECURITY;

CREATE FUNCTION annotations.post_concepts(app_id text, concepts jsonb)
    RETURNS SETOF annotations.concepts
    AS 'MODULE_PATHNAME', 'annotations_post_concepts'
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.post_concepts(text, jsonb) IS
  'Adds concepts {"id", "name"?, "supercategory"?, "coco_id"?} to the app''s catalogue or renames them (renaming: owner only); returns them in request order';

CREATE FUNCTION annotations.list_concepts(app_id text, ids text[] DEFAULT NULL,
        OUT id text, OUT name text, OUT coco_id integer, OUT supercategory text,
        OUT created_at timestamptz, OUT modified_at timestamptz,
        OUT user_input_labels bigint, OUT user_region_labels bigint,
        OUT model_input_labels bigint, OUT model_region_labels bigint)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'annotations_list_concepts'
    LANGUAGE C STABLE ROWS 100
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.list_concepts(text, text[]) IS
  'The app''s catalogue (or the concepts named by ids) by coco_id, with how many positive labels (value > 0) users and models gave each, on whole inputs and on regions';

CREATE FUNCTION annotations.set_closed_vocabulary(app_id text, closed boolean)
    RETURNS annotations.apps
    AS 'MODULE_PATHNAME', 'annotations_set_closed_vocabulary'
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.set_closed_vocabulary(text, boolean) IS
  'Owner only: with true, annotations and inputs may use only concepts already in the app''s catalogue';

CREATE FUNCTION annotations.app_concepts(app_id text) RETURNS SETOF annotations.concepts
    AS 'MODULE_PATHNAME', 'annotations_app_concepts'
    LANGUAGE C STABLE ROWS 100
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.app_concepts(text) IS
  'The concept catalogue of one app, for its members (P0002 for anyone else)';

CREATE VIEW annotations.visible_concepts WITH (security_invoker = true) AS
SELECT m.id AS app_id, c.id, c.name, c.coco_id, c.supercategory, c.created_at, c.modified_at
  FROM annotations.member_apps() m, LATERAL annotations.app_concepts(m.id) c;
COMMENT ON VIEW annotations.visible_concepts IS 'The concept catalogues of the apps the querying role belongs to';
GRANT SELECT ON annotations.visible_concepts TO PUBLIC;
