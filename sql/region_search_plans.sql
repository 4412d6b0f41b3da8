--
-- The plans behind searching regions by box within one app, on one server:
-- the geometry index (which leads with app_id, annotations.app_id_gist_ops)
-- serves both conditions, and a search reads only its app's part of the
-- tree. It reads the 12 apps of 384 boxes that region_search.sql, run just
-- before it, leaves behind. (On a Citus cluster the search runs on the
-- worker holding the app; the answers are checked in region_search.sql.)
--
SET search_path = annotations, public;
-- statistics for the planner (the behaviour file takes none: on a cluster
-- they would change the plans of the files after it)
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
RESET enable_seqscan;

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

