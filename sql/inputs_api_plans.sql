-- The plan behind a deep page of list_inputs, on one server: keyset paging
-- is one index range scan from the place of after. (On a Citus cluster the
-- query runs on the worker holding the app; the behaviour is in
-- inputs_api.sql.)
SET search_path = annotations, public;
\set SHOW_CONTEXT never
SET client_min_messages = warning;

-- a page is one index range scan from the place of after, however deep
SELECT id FROM create_app('ins-big');
SELECT count(*) FROM (SELECT post_inputs('ins-big', (SELECT jsonb_agg(jsonb_build_object('id', format('in-%s-%s', b, i),
          'data', jsonb_build_object('text', jsonb_build_object('raw', 'x')))) FROM generate_series(1, 128) i))
   FROM generate_series(1, 40) b) s;
ANALYZE annotations.inputs;
SELECT count(*), min(id), max(id) FROM list_inputs('ins-big', per_page => 5, after => 'in-30-1');
SET plan_cache_mode = force_generic_plan;
PREPARE page(timestamptz, text) AS
  SELECT i.app_id, i.id, i.data, i.created_at, i.modified_at FROM annotations.inputs i
   WHERE i.app_id = 'ins-big' AND (i.created_at, i.id) > ($1, $2)
   ORDER BY i.created_at, i.id LIMIT 5 OFFSET 0;
EXPLAIN (COSTS OFF) EXECUTE page(now(), 'in-30-1');
DEALLOCATE page;
RESET plan_cache_mode;

SELECT delete_inputs('ins-big', (SELECT array_agg(id) FROM annotations.inputs WHERE app_id = 'ins-big'));
DELETE FROM annotations.apps WHERE id = 'ins-big';
