-- Region search benchmark: N regions of every shape against N box regions,
-- in the extension's own regions table and its (app_id, bbox) GiST index.
-- Run by 65_region_gist.sh in its own database; prints "key: value" lines.
\set ON_ERROR_STOP on
\pset tuples_only on
\pset format unaligned
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;     -- time one backend
SET search_path = annotations, public;

-- the same boxes as the bbox benchmark's, on a 1/256 grid so a mask of
-- 256 x 256 pixels has exactly the box's extent
SELECT setseed(0.31);
CREATE TABLE src AS
SELECT i AS id, t / 256.0 AS t, l / 256.0 AS l, (t + h) / 256.0 AS b, (l + w) / 256.0 AS r,
       t::int AS ti, l::int AS li, h::int AS hi, w::int AS wi
FROM (SELECT i, floor(random() * 0.79 * 256) AS t, floor(random() * 0.79 * 256) AS l,
             floor((0.01 + random() * 0.19) * 256) + 1 AS h, floor((0.01 + random() * 0.19) * 256) + 1 AS w
      FROM generate_series(1, :n) i) s;

INSERT INTO annotations.apps (id, owner_id) VALUES ('boxes', current_user), ('mixed', current_user);
INSERT INTO annotations.inputs (app_id, id, data) VALUES ('boxes', 'img', '{"image": {"url": "u"}}'),
                                                         ('mixed', 'img', '{"image": {"url": "u"}}');
INSERT INTO annotations.annotations (app_id, id, input_id, user_id)
SELECT a, 'a' || id, 'img', current_user FROM src, (VALUES ('boxes'), ('mixed')) v(a);

-- box-only: every region a box
INSERT INTO annotations.regions (app_id, annotation_id, id, input_id, bbox)
SELECT 'boxes', 'a' || id, 'r' || id, 'img', bbox(t, l, b, r) FROM src;

-- mixed: 40% boxes, 30% 16-point polygons touching the box's four sides,
-- 15% points at the box's top left corner, 15% rectangle masks of 256 x 256
INSERT INTO annotations.regions (app_id, annotation_id, id, input_id, bbox, polygon, point, mask)
SELECT 'mixed', 'a' || id, 'r' || id, 'img',
       CASE k WHEN 0 THEN bbox(t, l, b, r) WHEN 5 THEN bbox(g) WHEN 8 THEN bbox(p) ELSE bbox(m) END,
       g, p, m
FROM (SELECT s.*, CASE WHEN id % 100 < 40 THEN 0 WHEN id % 100 < 70 THEN 5
                                            WHEN id % 100 < 85 THEN 8 ELSE 9 END AS k
        FROM src s) s
CROSS JOIN LATERAL (SELECT
  CASE WHEN k = 5 THEN polygon((SELECT array_agg(v ORDER BY j, c)
      FROM generate_series(0, 15) j,
           LATERAL (VALUES (1, (t + b) / 2 + (b - t) / 2 * sin(2 * pi() * j / 16)),
                           (2, (l + r) / 2 + (r - l) / 2 * cos(2 * pi() * j / 16))) x(c, v))) END AS g,
  CASE WHEN k = 8 THEN keypoint(t, l) END AS p,
  CASE WHEN k = 9 THEN mask(256, 256, ARRAY[li * 256 + ti] ||
      (SELECT array_agg(x ORDER BY j, c) FROM generate_series(1, wi - 1) j,
              LATERAL (VALUES (1, hi), (2, 256 - hi)) y(c, x)) ||
      ARRAY[hi, 256 - ti - hi + (256 - li - wi) * 256]) END AS m) shapes;
VACUUM ANALYZE annotations.regions;

SELECT 'regions_boxes: ' || count(*) FROM annotations.regions WHERE app_id = 'boxes';
SELECT 'regions_mixed: ' || count(*) FROM annotations.regions WHERE app_id = 'mixed';
SELECT 'kinds_mixed: ' || string_agg(kind || ' ' || n, ', ' ORDER BY kind) FROM (
  SELECT CASE WHEN polygon IS NOT NULL THEN 'polygon' WHEN point IS NOT NULL THEN 'point'
              WHEN mask IS NOT NULL THEN 'mask' ELSE 'box' END AS kind, count(*) AS n
    FROM annotations.regions WHERE app_id = 'mixed' GROUP BY 1) s;
SELECT 'row_bytes_' || kind || ': ' || round(avg(b)) FROM (
  SELECT CASE WHEN polygon IS NOT NULL THEN 'polygon' WHEN point IS NOT NULL THEN 'point'
              WHEN mask IS NOT NULL THEN 'mask' ELSE 'box' END AS kind, pg_column_size(r.*) AS b
    FROM annotations.regions r WHERE app_id = 'mixed') s GROUP BY kind ORDER BY kind;
SELECT 'polygon_bytes: ' || round(avg(pg_column_size(polygon)), 1) FROM annotations.regions WHERE app_id = 'mixed' AND polygon IS NOT NULL;
SELECT 'index_bytes: ' || pg_relation_size('annotations.regions_bbox_idx');

-- 200 windows of side 0.01..0.05 and 200 of side 0.001..0.005
CREATE TABLE windows AS
SELECT i AS wid, CASE WHEN i <= 200 THEN 'medium' ELSE 'small' END AS size, bbox(t, l, t + s, l + s) AS q
FROM (SELECT i, random() * 0.95 AS t, random() * 0.95 AS l,
             CASE WHEN i <= 200 THEN 0.01 + random() * 0.04 ELSE 0.001 + random() * 0.004 END AS s
      FROM generate_series(1, 400) i) s;

SET enable_seqscan = off;
SELECT 'plan_mixed:';
EXPLAIN (COSTS OFF) SELECT sum(length(annotation_id)) FROM annotations.regions
 WHERE app_id = 'mixed' AND bbox && '(0.1,0.1,0.15,0.15)' AND (polygon IS NULL OR polygon && '(0.1,0.1,0.15,0.15)'::bbox);

-- The search: the regions a window overlaps, read from the heap (their
-- annotation ids), polygons refined by their own &&.
CREATE FUNCTION search(app text, w bbox) RETURNS bigint LANGUAGE sql STABLE AS $$
  SELECT count(length(r.annotation_id)) FROM annotations.regions r
   WHERE r.app_id = app AND r.bbox && w AND (r.polygon IS NULL OR r.polygon && w) $$;
CREATE FUNCTION search_boxes(app text, w bbox) RETURNS bigint LANGUAGE sql STABLE AS $$
  SELECT count(length(r.annotation_id)) FROM annotations.regions r
   WHERE r.app_id = app AND r.bbox && w $$;

-- Each window is searched three ways in a row (box regions, mixed regions by
-- their boxes, mixed regions refined), so load from other processes falls
-- on all three alike; the order turns round from one window to the next,
-- so the search that reads a page first (and pays for it) is not always
-- the same one.
CREATE TABLE times (way text, size text, pass int, ms float8, n bigint);
CREATE FUNCTION run_pass(pass int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE w record; t0 timestamptz; n bigint; way text;
BEGIN
  FOR w IN SELECT * FROM windows ORDER BY wid LOOP
    FOREACH way IN ARRAY CASE (w.wid + pass) % 3 WHEN 0 THEN ARRAY['boxes', 'mixed_boxes', 'mixed']
                                                 WHEN 1 THEN ARRAY['mixed', 'boxes', 'mixed_boxes']
                                                 ELSE ARRAY['mixed_boxes', 'mixed', 'boxes'] END LOOP
      t0 := clock_timestamp();
      n := CASE way WHEN 'boxes' THEN search_boxes('boxes', w.q) WHEN 'mixed_boxes' THEN search_boxes('mixed', w.q)
                    ELSE search('mixed', w.q) END;
      INSERT INTO times VALUES (way, w.size, pass, extract(epoch FROM clock_timestamp() - t0) * 1000, n);
    END LOOP;
  END LOOP;
END $$;
SELECT run_pass(0);                          -- warm the cache
DELETE FROM times;
SELECT run_pass(p) FROM generate_series(1, 5) p;

SELECT 'median_ms_' || size || '_' || way || ': ' ||
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 4)
  FROM times GROUP BY size, way ORDER BY size, way;
SELECT 'pass_ms_' || size || '_' || way || ': ' || round((sum(ms) / 5)::numeric, 1)
  FROM times GROUP BY size, way ORDER BY size, way;
SELECT 'rows_' || way || ': ' || sum(n) FROM times WHERE pass = 1 GROUP BY way ORDER BY way;
-- the index finds every region the refined search should keep: a full
-- check without the index keeps the same
CREATE FUNCTION full_check(w bbox) RETURNS bigint LANGUAGE sql STABLE
    SET enable_indexscan = off SET enable_bitmapscan = off SET enable_seqscan = on AS $$
  SELECT count(*) FROM annotations.regions r
   WHERE r.app_id = 'mixed' AND r.bbox && w AND (r.polygon IS NULL OR annotations.polygon_overlaps(r.polygon, w)) $$;
SELECT 'refine_mismatches: ' || count(*) FROM (SELECT * FROM windows ORDER BY wid LIMIT 20) w
 WHERE search('mixed', w.q) <> full_check(w.q);
