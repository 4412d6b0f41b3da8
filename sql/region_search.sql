--
-- Searching regions by box within one app: the geometry index leads with
-- app_id (annotations.app_id_gist_ops), so the search stays inside the app's
-- part of the tree; its answers equal a sequential scan's.
--
SET search_path = annotations, public;
SELECT setseed(0.42);
SELECT count(*) FROM (SELECT create_app('search-' || a) FROM generate_series(1, 12) a) s;
SELECT sum(n) AS inputs FROM (
  SELECT (SELECT count(*) FROM post_inputs('search-' || a, '[{"id": "img", "data": {"image": {"url": "https://x/i.jpg"}}}]')) n
    FROM generate_series(1, 12) a) s;
-- 12 apps x 3 batches x 128 boxes
SELECT sum(n) AS regions FROM (
  SELECT (SELECT count(*) FROM post_annotations('search-' || a, (
            SELECT jsonb_agg(jsonb_build_object('input_id', 'img', 'data', jsonb_build_object('regions', jsonb_build_array(
                     jsonb_build_object('region_info', jsonb_build_object('bounding_box', jsonb_build_object(
                         'top_row', r, 'left_col', c, 'bottom_row', r + 0.01 + s, 'right_col', c + 0.01 + s)),
                       'data', jsonb_build_object('concepts', jsonb_build_array(jsonb_build_object('id', 'thing'))))))))
              FROM (SELECT random() * 0.7 AS r, random() * 0.7 AS c, random() * 0.2 AS s, b
                      FROM generate_series(1, 128)) g))) n
    FROM generate_series(1, 12) a, generate_series(1, 3) b) s;
ANALYZE annotations.regions;

-- the index is used with both conditions
SET enable_seqscan = off;
EXPLAIN (COSTS OFF)
SELECT count(*) FROM annotations.regions
 WHERE app_id = 'search-3' AND bbox OPERATOR(annotations.&&) '(0.1,0.1,0.3,0.3)';
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF)
SELECT annotation_id FROM annotations.regions
 WHERE app_id = 'search-3' AND bbox OPERATOR(annotations.&&) '(0.1,0.1,0.3,0.3)';
RESET enable_bitmapscan;

-- answers through the index, for every app and a few windows ...
CREATE TEMP TABLE search_windows AS
SELECT w, bbox(r, c, r + s, c + s) AS q
  FROM (SELECT w, random() * 0.6 AS r, random() * 0.6 AS c, (ARRAY[0.01, 0.1, 0.4])[1 + w % 3] AS s
          FROM generate_series(1, 9) w) t;
CREATE TEMP TABLE search_by_index AS
SELECT a, w, (SELECT count(*) FROM annotations.regions g
               WHERE g.app_id = 'search-' || a AND g.bbox && q) AS n
  FROM generate_series(1, 12) a, search_windows;
-- ... equal those of a sequential scan
RESET enable_seqscan;
SET enable_indexscan = off;
SET enable_bitmapscan = off;
CREATE TEMP TABLE search_by_seqscan AS
SELECT a, w, (SELECT count(*) FROM annotations.regions g
               WHERE g.app_id = 'search-' || a AND g.bbox && q) AS n
  FROM generate_series(1, 12) a, search_windows;
RESET enable_indexscan;
RESET enable_bitmapscan;
SELECT count(*) AS searches, sum(n) > 0 AS found_some,
       count(*) FILTER (WHERE n IS DISTINCT FROM (SELECT s.n FROM search_by_seqscan s
                                                  WHERE s.a = i.a AND s.w = i.w)) AS mismatches
  FROM search_by_index i;

-- a search stays inside its app's part of the index: an app whose boxes all
-- sit in one corner is searched elsewhere, where the other apps' boxes are;
-- it reads a few index pages and no heap at all, however many boxes of
-- other apps lie in the window
SELECT id FROM create_app('search-corner');
SELECT count(*) FROM post_inputs('search-corner', '[{"id": "img", "data": {"image": {"url": "https://x/i.jpg"}}}]');
SELECT count(*) FROM post_annotations('search-corner', (
  SELECT jsonb_agg(jsonb_build_object('input_id', 'img', 'data', jsonb_build_object('regions', jsonb_build_array(
           jsonb_build_object('region_info', jsonb_build_object('bounding_box', jsonb_build_object(
               'top_row', 0.95, 'left_col', 0.95, 'bottom_row', 0.99, 'right_col', 0.99)))))))
    FROM generate_series(1, 128)));
SET enable_seqscan = off;
SET enable_bitmapscan = off;
CREATE TEMP TABLE search_cost (matches bigint, buffers int);
DO $$
DECLARE
    plan json;
BEGIN
    EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) SELECT count(*) FROM annotations.regions
     WHERE app_id = 'search-corner' AND bbox OPERATOR(annotations.&&) '(0,0,0.5,0.5)' INTO plan;
    INSERT INTO search_cost
    VALUES ((SELECT count(*) FROM annotations.regions WHERE app_id <> 'search-corner' AND bbox && '(0,0,0.5,0.5)'),
            (plan -> 0 -> 'Plan' -> 'Plans' -> 0 ->> 'Shared Hit Blocks')::int
            + (plan -> 0 -> 'Plan' -> 'Plans' -> 0 ->> 'Shared Read Blocks')::int);
END $$;
SELECT matches > 1000 AS other_apps_have_many_boxes_there, buffers <= 8 AS few_pages_read FROM search_cost;
RESET enable_seqscan;
RESET enable_bitmapscan;

-- text equality in GiST needs equal texts to have equal bytes
CREATE COLLATION search_ci_collation (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE TEMP TABLE search_ci (t text COLLATE search_ci_collation);
CREATE INDEX ON search_ci USING gist (t annotations.app_id_gist_ops);
INSERT INTO search_ci VALUES ('a'), ('b');
SET enable_seqscan = off;
SELECT t FROM search_ci WHERE t = 'b';
RESET enable_seqscan;
