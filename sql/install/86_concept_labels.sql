-- concept_labels, the view for reporting tools: one row per concept label,
-- over every app of the querying role (src/visible.c).

CREATE TYPE annotations.concept_label AS (
    app_id           text,
    annotation_id    text,
    input_id         text,
    region_id        text,
    concept_id       text,
    concept_name     text,
    value            float8,
    user_id          text,
    model_version_id text,
    status           annotations.status,
    bbox             annotations.bbox,
    created_at       timestamptz,
    shape_kind       text
);
COMMENT ON TYPE annotations.concept_label IS 'A row of annotations.concept_labels';

CREATE FUNCTION annotations.app_concept_labels(app_id text) RETURNS SETOF annotations.concept_label
    AS 'MODULE_PATHNAME', 'annotations_app_concept_labels'
    LANGUAGE C STABLE ROWS 1000
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.app_concept_labels(text) IS
  'The concept labels of one app, for its members (P0002 for anyone else)';

CREATE VIEW annotations.concept_labels WITH (security_invoker = true) AS
SELECT m.id AS app_id, l.annotation_id, l.input_id, l.region_id, l.concept_id, l.concept_name, l.value,
       l.user_id, l.model_version_id, l.status, l.bbox, l.created_at, l.shape_kind
  FROM annotations.member_apps() m, LATERAL annotations.app_concept_labels(m.id) l;
COMMENT ON VIEW annotations.concept_labels IS
  'One row per concept label: whole-input concepts (region_id NULL) and region concepts (with the box enclosing the region and its shape_kind: bounding_box, polygon, point or mask)';
GRANT SELECT ON annotations.concept_labels TO PUBLIC;
