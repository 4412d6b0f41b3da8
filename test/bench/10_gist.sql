-- GiST benchmark: annotations.bbox vs core box on the same 1,000,000 boxes.
-- Run by 10_gist.sh in its own database; prints "key: value" lines.
\set ON_ERROR_STOP on
\pset tuples_only on
\pset format unaligned
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;     -- time one backend, not the planner's luck
SET maintenance_work_mem = '512MB';

-- Coordinates on a 1/65536 grid: exact in float4 and double, and two edges
-- are either equal or at least 1.5e-5 apart, so core box's fuzzy (1e-6)
-- comparisons give exactly the same answers as bbox's exact ones.
SELECT setseed(0.31);
CREATE TABLE src AS
SELECT i AS id, t, l, t + h AS b, l + w AS r
FROM (SELECT i, floor(random() * 0.79 * 65536) / 65536 AS t, floor(random() * 0.79 * 65536) / 65536 AS l,
             floor((0.01 + random() * 0.19) * 65536) / 65536 AS h,
             floor((0.01 + random() * 0.19) * 65536) / 65536 AS w
      FROM generate_series(1, 1000000) i) s;
CREATE TABLE boxes_bbox AS SELECT id, annotations.bbox(t, l, b, r) AS b FROM src;
CREATE TABLE boxes_box AS SELECT id, box(point(l, t), point(r, b)) AS b FROM src;
-- 200 windows of side 0.01..0.05 (about 20,000 rows each: heap-bound) and
-- 200 small ones of side 0.001..0.005 (about 12,000 rows: index-bound)
CREATE TABLE windows AS
SELECT i AS wid, CASE WHEN i <= 200 THEN 'medium' ELSE 'small' END AS size, t, l, t + s AS b, l + s AS r
FROM (SELECT i, floor(random() * 0.95 * 65536) / 65536 AS t, floor(random() * 0.95 * 65536) / 65536 AS l,
             floor(CASE WHEN i <= 200 THEN 0.01 + random() * 0.04 ELSE 0.001 + random() * 0.004 END
                   * 65536) / 65536 AS s
      FROM generate_series(1, 400) i) s;

CREATE TABLE build_times (kind text, ms float8);
DO $$
DECLARE t0 timestamptz;
BEGIN
  t0 := clock_timestamp();
  CREATE INDEX boxes_bbox_gist ON boxes_bbox USING gist (b);
  INSERT INTO build_times VALUES ('bbox', extract(epoch FROM clock_timestamp() - t0) * 1000);
  t0 := clock_timestamp();
  CREATE INDEX boxes_box_gist ON boxes_box USING gist (b);
  INSERT INTO build_times VALUES ('box', extract(epoch FROM clock_timestamp() - t0) * 1000);
END $$;
SELECT 'build_ms_' || kind || ': ' || round(ms) FROM build_times ORDER BY kind DESC;
VACUUM ANALYZE boxes_bbox;
VACUUM ANALYZE boxes_box;

SELECT 'index_bytes_bbox: ' || pg_relation_size('boxes_bbox_gist');
SELECT 'index_bytes_box: ' || pg_relation_size('boxes_box_gist');

SET enable_seqscan = off;                    -- both sides must use their index
SELECT 'plan_bbox:';
EXPLAIN (COSTS OFF) SELECT count(*) FROM boxes_bbox WHERE b OPERATOR(annotations.&&) '(0.1,0.1,0.15,0.15)';
SELECT 'plan_box:';
EXPLAIN (COSTS OFF) SELECT count(*) FROM boxes_box WHERE b && box(point(0.1, 0.1), point(0.15, 0.15));

-- One timed pass over all windows; returns the per-query times.
CREATE FUNCTION run_pass(kind text, pass int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE w record; t0 timestamptz; n bigint;
BEGIN
  FOR w IN SELECT * FROM windows ORDER BY wid LOOP
    t0 := clock_timestamp();
    IF kind = 'bbox' THEN
      SELECT count(*) INTO n FROM boxes_bbox
      WHERE b OPERATOR(annotations.&&) annotations.bbox(w.t, w.l, w.b, w.r);
    ELSE
      SELECT count(*) INTO n FROM boxes_box WHERE b && box(point(w.l, w.t), point(w.r, w.b));
    END IF;
    INSERT INTO timings VALUES (kind, pass, w.wid,
      extract(epoch FROM clock_timestamp() - t0) * 1000, n);
  END LOOP;
END $$;
CREATE TABLE timings (kind text, pass int, wid int, ms float8, n bigint);

-- pass 0 warms the caches and is not counted; then alternate the two kinds
SELECT run_pass('bbox', 0), run_pass('box', 0);
SELECT run_pass('bbox', p), run_pass('box', p) FROM generate_series(1, 5) p;

SELECT 'median_ms_' || size || '_' || kind || ': '
       || round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 4)
FROM timings JOIN windows USING (wid) WHERE pass > 0 GROUP BY size, kind;
SELECT 'pass_ms_' || size || '_' || kind || ': ' || round(sum(ms)::numeric / 5, 1)
FROM timings JOIN windows USING (wid) WHERE pass > 0 GROUP BY size, kind;
SELECT 'rows_bbox: ' || sum(n) FROM timings WHERE kind = 'bbox' AND pass = 1;
SELECT 'rows_box: ' || sum(n) FROM timings WHERE kind = 'box' AND pass = 1;
SELECT 'windows_differing: ' || count(*)
FROM timings a JOIN timings c ON a.wid = c.wid AND a.pass = 1 AND c.pass = 1
WHERE a.kind = 'bbox' AND c.kind = 'box' AND a.n <> c.n;
