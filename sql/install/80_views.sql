-- Views for reporting tools (SPEC §2). security_invoker: the querying
-- role's row-level security applies, as on the tables.

CREATE VIEW annotations.concept_labels WITH (security_invoker = true) AS
SELECT a.app_id, a.id AS annotation_id, a.input_id, NULL::text AS region_id,
       c.value OPERATOR(pg_catalog.->>) 'id' AS concept_id,
       c.value OPERATOR(pg_catalog.->>) 'name' AS concept_name,
       (c.value OPERATOR(pg_catalog.->>) 'value')::float8 AS value,
       a.user_id, a.model_version_id, a.status, NULL::annotations.bbox AS bbox, a.created_at
  FROM annotations.annotations a
 CROSS JOIN LATERAL pg_catalog.jsonb_array_elements(a.concepts) c
UNION ALL
SELECT g.app_id, g.annotation_id, a.input_id, g.id,
       c.value OPERATOR(pg_catalog.->>) 'id',
       c.value OPERATOR(pg_catalog.->>) 'name',
       (c.value OPERATOR(pg_catalog.->>) 'value')::float8,
       a.user_id, a.model_version_id, a.status, g.bbox, a.created_at
  FROM annotations.regions g
  JOIN annotations.annotations a
    ON a.app_id OPERATOR(pg_catalog.=) g.app_id AND a.id OPERATOR(pg_catalog.=) g.annotation_id
 CROSS JOIN LATERAL pg_catalog.jsonb_array_elements(g.concepts) c;
COMMENT ON VIEW annotations.concept_labels IS
  'One row per concept label: whole-input concepts (region_id NULL) and region concepts (with their bbox)';
GRANT SELECT ON annotations.concept_labels TO PUBLIC;
