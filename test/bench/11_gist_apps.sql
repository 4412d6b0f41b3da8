-- Box search within one app, however many apps share the table.
-- Run by 11_gist_apps.sh in its own database; prints "key: value" lines.
\set ON_ERROR_STOP on
\pset tuples_only on
\pset format unaligned
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;
SET maintenance_work_mem = '512MB';
SELECT setseed(0.57);
-- 100 apps x 10,000 boxes; app-0's boxes again, alone, in a second table
CREATE TABLE shared (app_id text, b annotations.bbox);
INSERT INTO shared
SELECT 'app-' || (i % 100), annotations.bbox(t, l, t + h, l + w)
  FROM (SELECT i, random() * 0.79 AS t, random() * 0.79 AS l,
               0.01 + random() * 0.19 AS h, 0.01 + random() * 0.19 AS w
          FROM generate_series(0, 999999) i) s;
CREATE TABLE alone AS SELECT * FROM shared WHERE app_id = 'app-0';
CREATE INDEX shared_app_gist ON shared USING gist (app_id annotations.app_id_gist_ops, b);
CREATE INDEX alone_app_gist ON alone USING gist (app_id annotations.app_id_gist_ops, b);
-- what 1.0 had: the box alone as the key
CREATE TABLE shared_v10 AS SELECT * FROM shared;
CREATE INDEX shared_v10_gist ON shared_v10 USING gist (b);
VACUUM ANALYZE shared; VACUUM ANALYZE alone; VACUUM ANALYZE shared_v10;
CREATE TABLE windows AS
SELECT i AS wid, annotations.bbox(t, l, t + s, l + s) AS q
  FROM (SELECT i, random() * 0.9 AS t, random() * 0.9 AS l, 0.01 + random() * 0.09 AS s
          FROM generate_series(1, 300) i) s;

SET enable_seqscan = off;
SELECT 'plan_shared:';
EXPLAIN (COSTS OFF) SELECT count(*) FROM shared WHERE app_id = 'app-0' AND b OPERATOR(annotations.&&) '(0.1,0.1,0.15,0.15)';

-- Per window: the whole query's time, and the index part alone (the bitmap
-- index scan node: its time and the index pages it read). The heap part
-- differs by layout (app-0's rows are spread over the shared table's pages,
-- packed in its own table), the index part should not.
CREATE TABLE timings (kind text, pass int, wid int, ms float8, n bigint, index_ms float8, index_pages int);
CREATE FUNCTION run_pass(kind text, pass int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE w record; plan json; node json; tbl text;
BEGIN
  tbl := CASE kind WHEN 'shared' THEN 'shared' WHEN 'alone' THEN 'alone' ELSE 'shared_v10' END;
  FOR w IN SELECT * FROM windows ORDER BY wid LOOP
    EXECUTE format('EXPLAIN (ANALYZE, BUFFERS, TIMING, FORMAT JSON) SELECT count(*) FROM %I
                     WHERE app_id = %L AND b OPERATOR(annotations.&&) %L::annotations.bbox', tbl, 'app-0', w.q) INTO plan;
    node := plan -> 0 -> 'Plan' -> 'Plans' -> 0;          -- Bitmap Heap Scan
    INSERT INTO timings VALUES (kind, pass, w.wid, (plan -> 0 ->> 'Execution Time')::float8,
      (node ->> 'Actual Rows')::bigint,
      (node -> 'Plans' -> 0 ->> 'Actual Total Time')::float8,
      (node -> 'Plans' -> 0 ->> 'Shared Hit Blocks')::int + (node -> 'Plans' -> 0 ->> 'Shared Read Blocks')::int);
  END LOOP;
END $$;
SELECT run_pass('alone', 0), run_pass('shared', 0), run_pass('v10', 0);
SELECT run_pass('alone', p), run_pass('shared', p), run_pass('v10', p) FROM generate_series(1, 5) p;
SELECT 'median_ms_' || kind || ': ' || round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 4)
  FROM timings WHERE pass > 0 GROUP BY kind;
SELECT 'median_index_ms_' || kind || ': ' || round(percentile_cont(0.5) WITHIN GROUP (ORDER BY index_ms)::numeric, 4)
  FROM timings WHERE pass > 0 GROUP BY kind;
SELECT 'mean_index_pages_' || kind || ': ' || round(avg(index_pages), 1)
  FROM timings WHERE pass > 0 GROUP BY kind;
SELECT 'rows_' || kind || ': ' || sum(n) FROM timings WHERE pass = 1 GROUP BY kind;
