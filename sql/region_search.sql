--
-- Searching regions by box within one app: the geometry index leads with
-- app_id (annotations.app_id_gist_ops), so the search stays inside the app's
-- part of the tree; its answers equal a sequential scan's. (The plans are
-- checked on one server in region_search_plans.sql.)
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

-- answers through the index, for every app and a few windows, equal those
-- of a sequential scan. Each search is its own single-app query (as a
-- Citus cluster routes it to the app's worker), and the planner settings
-- are SET LOCAL with citus.propagate_set_commands, so that on a cluster they
-- travel with the transaction to the worker that runs the search.
CREATE TEMP TABLE search_windows AS
SELECT w, bbox(r, c, r + s, c + s) AS q
  FROM (SELECT w, random() * 0.6 AS r, random() * 0.6 AS c, (ARRAY[0.01, 0.1, 0.4])[1 + w % 3] AS s
          FROM generate_series(1, 9) w) t;
CREATE FUNCTION pg_temp.search_counts(OUT app int, OUT win int, OUT n bigint) RETURNS SETOF record
LANGUAGE plpgsql AS $$
DECLARE
    window_box annotations.bbox;
BEGIN
    FOR a IN 1..12 LOOP
        app := a;
        FOR win, window_box IN SELECT s.w, s.q FROM search_windows s ORDER BY s.w LOOP
            SELECT count(*) INTO n FROM annotations.regions g
             WHERE g.app_id = 'search-' || app AND g.bbox OPERATOR(annotations.&&) window_box;
            RETURN NEXT;
        END LOOP;
    END LOOP;
END $$;
BEGIN;
SET LOCAL citus.propagate_set_commands = 'local';
SET LOCAL enable_seqscan = off;
CREATE TEMP TABLE search_by_index AS SELECT * FROM pg_temp.search_counts();
COMMIT;
BEGIN;
SET LOCAL citus.propagate_set_commands = 'local';
SET LOCAL enable_indexscan = off;
SET LOCAL enable_bitmapscan = off;
CREATE TEMP TABLE search_by_seqscan AS SELECT * FROM pg_temp.search_counts();
COMMIT;
SELECT count(*) AS searches, sum(n) > 0 AS found_some,
       count(*) FILTER (WHERE n IS DISTINCT FROM (SELECT s.n FROM search_by_seqscan s
                                                  WHERE s.app = i.app AND s.win = i.win)) AS mismatches
  FROM search_by_index i;

-- text equality in GiST needs equal texts to have equal bytes
CREATE COLLATION search_ci_collation (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE TEMP TABLE search_ci (t text COLLATE search_ci_collation);
CREATE INDEX ON search_ci USING gist (t annotations.app_id_gist_ops);
INSERT INTO search_ci VALUES ('a'), ('b');
SET enable_seqscan = off;
SELECT t FROM search_ci WHERE t = 'b';
RESET enable_seqscan;
DROP TABLE search_ci;
DROP COLLATION search_ci_collation;
