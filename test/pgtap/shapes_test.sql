-- pgTAP: the region shapes (polygon, keypoint, mask) — objects, entry
-- points, geometry by hand, and brute-force checks: iou of 200 random
-- polygon pairs against a 512x512 rasterization in plain SQL, and mask area
-- and iou against pixel counts of the decoded runs.
BEGIN;
SELECT plan(41);
SET LOCAL search_path = annotations, pg_catalog, public;

-- objects -------------------------------------------------------------------
SELECT has_type('annotations', 'polygon', 'type annotations.polygon exists');
SELECT has_type('annotations', 'keypoint', 'type annotations.keypoint exists');
SELECT has_type('annotations', 'mask', 'type annotations.mask exists');
SELECT is((SELECT count(*)::int FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
           WHERE p.proname IN ('area', 'iou', 'bbox', 'contains', 'polygon_overlaps')
             AND NOT (p.provolatile = 'i' AND p.proisstrict AND p.proparallel = 's')), 0,
          'area, iou, bbox, contains and && are IMMUTABLE STRICT PARALLEL SAFE');
SELECT is((SELECT count(*)::int FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
           WHERE p.pronamespace = 'annotations'::regnamespace AND obj_description(p.oid, 'pg_proc') IS NULL
             AND p.oid::regprocedure::text ~ '(polygon|keypoint|mask)'), 0,
          'every shape function has a comment');
SELECT is((SELECT count(*)::int FROM pg_proc WHERE proname = 'iou'
           AND pronamespace = 'annotations'::regnamespace), 9,
          'iou for bbox, polygon and mask in every pairing but polygon-less mask pairs');

-- entry points --------------------------------------------------------------
SELECT throws_ok($$SELECT '((0,0),(0,1),(1.5,1))'::annotations.polygon$$, '22023',
  'invalid polygon "((0,0),(0,1),(1.5,1))": point 3 (row 1.5) must be between 0 and 1',
  'a point out of range names the point: 22023');
SELECT throws_ok($$SELECT '((0,0),(0,1),(1,1)'::annotations.polygon$$, '22P02', NULL,
  'text that does not parse: 22P02');
SELECT throws_ok($$SELECT '((0,0),(0.5,0.5),(1,1))'::annotations.polygon$$, '22023', NULL,
  'a zero-area polygon is refused');
SELECT throws_ok($$SELECT '{"points": [{"row": 0, "col": 0}, {"row": 0, "col": 1}, {"row": 1}]}'::jsonb::annotations.polygon$$,
  '22023', 'polygon: point 3: missing key "col"', 'a missing col in JSON is an error');
SELECT is(('((0.1,0.2),(0.3,0.4),(0.5,0.1))'::polygon)::jsonb::polygon::text, '((0.1,0.2),(0.3,0.4),(0.5,0.1))',
  'polygon jsonb round trip');
SELECT is(polygon('{0.1,0.2,0.3,0.4,0.5,0.1}'::float8[])::text, '((0.1,0.2),(0.3,0.4),(0.5,0.1))', 'constructor from a flat array');
SELECT throws_ok($$SELECT '(0.5,1.5)'::annotations.keypoint$$, '22023',
  'invalid keypoint "(0.5,1.5)": col (1.5) must be between 0 and 1', 'keypoint out of range: 22023');
SELECT is(('(0.5,0.25)'::keypoint)::jsonb, '{"row": 0.5, "col": 0.25}'::jsonb, 'keypoint as Clarifai JSON');
SELECT is(mask(4, 5, '{5,3,6,2,4}')::text, '{"rle": {"size": [4, 5], "counts": "536ON"}}',
  'mask output is the compressed string');
SELECT throws_ok($$SELECT '{"rle": {"size": [4, 5], "counts": [5, 3, 6, 2, 3]}}'::annotations.mask$$, '22023',
  'mask.rle: counts add up to 19, not height x width (20)', 'counts must cover the mask');
SELECT throws_ok($$SELECT annotations.iou(annotations.mask(2, 2, '{4}'), annotations.mask(1, 4, '{4}'))$$, '22023',
  'cannot compare masks of different sizes (2x2 and 1x4)', 'masks of different sizes: 22023');

-- geometry by hand ----------------------------------------------------------
SELECT is(area('((0,0),(0,0.5),(0.25,0.5),(0.25,0.25),(0.5,0.25),(0.5,0))'::polygon), 0.1875::float8,
  'area of an L (a square less a quarter)');
-- area works from the decimals people wrote: a right triangle with legs c
-- and r (as float4) has area c * r / 2 computed from the legs' shortest
-- decimal spellings (float4 text), over coordinates of every kind: random
-- float4 in [0.001, 1], 6-digit decimals, powers of 2, the ends
CREATE TEMP TABLE tap_legs AS
SELECT v::float4 AS c, lead(v::float4, 7, 0.5::float4) OVER (ORDER BY i) AS r
FROM (SELECT setseed(0.3)) s,
     LATERAL (SELECT i, CASE i % 4 WHEN 0 THEN 0.001 + 0.999 * random()
                                   WHEN 1 THEN greatest(0.001, round(random()::numeric, 6))::float8
                                   WHEN 2 THEN power(2, -(i % 10))
                                   ELSE CASE WHEN i % 8 = 3 THEN 0.001 ELSE random()::float4::float8 END END AS v
              FROM generate_series(1, 40000) i) g
WHERE v >= 0.001;
SELECT is((SELECT count(*)::int FROM tap_legs
           WHERE area(polygon(ARRAY[0, 0, 0, c, r, 0]::float8[])) <> (c::text::float8 * r::text::float8) / 2),
          0, 'area of 40000 right triangles is c * r / 2 of the decimals written');
-- the same triangles starting on a point in the middle of a leg and with a
-- repeated corner: dropped before the sum, so the area is bit for bit the same
SELECT is((SELECT count(*)::int FROM tap_legs
           WHERE area(polygon(ARRAY[0, c / 2, 0, c, 0, c, r, 0, 0, 0]::float8[]))
                 <> (c::text::float8 * r::text::float8) / 2),
          0, 'a middle point and a repeated corner do not change the area');
SELECT is(iou('((0,0),(0,0.5),(0.5,0.5),(0.5,0))'::polygon, '((0.25,0.25),(0.25,0.75),(0.75,0.75),(0.75,0.25))'::polygon),
  1::float8 / 7, 'iou of two offset squares is 1/7');
SELECT is(iou('((0,0),(0,0.5),(0.25,0.5),(0.25,0.25),(0.5,0.25),(0.5,0))'::polygon,
              '((0.125,0.125),(0.125,0.375),(0.375,0.375),(0.375,0.125))'::polygon), 3::float8 / 13,
  'iou of an L and a square over its inner corner is 3/13');
SELECT is(iou('((0,0),(0,0.5),(0.5,0.5),(0.5,0))'::polygon, '((0,0.5),(0,1),(0.5,1),(0.5,0.5))'::polygon), 0::float8,
  'squares sharing an edge: iou 0');
SELECT is(iou('((0,0),(0,0.5),(0.5,0.5),(0.5,0))'::polygon, '((0.5,0),(0,0),(0,0.5),(0.5,0.5))'::polygon), 1::float8,
  'the same square from another corner: iou 1');
SELECT ok('((0,0),(0,1),(1,1),(1,0))'::polygon && '((0.4,0.4),(0.4,0.6),(0.6,0.6))'::polygon,
  '&& holds for a polygon inside another');
SELECT ok(NOT ('((0,0),(0,1),(1,0))'::polygon && '(0.75,0.75,1,1)'::bbox),
  '&& is exact: a box in the bounding box but off the triangle');
SELECT ok(contains('((0,0),(0,0.5),(0.25,0.5),(0.25,0.25),(0.5,0.25),(0.5,0))'::polygon, '(0.1,0.4)'::keypoint)
      AND NOT contains('((0,0),(0,0.5),(0.25,0.5),(0.25,0.25),(0.5,0.25),(0.5,0))'::polygon, '(0.4,0.4)'::keypoint),
  'contains: inside the L, not in its notch');
SELECT is(bbox(mask(4, 5, '{5,3,6,2,4}'))::text, '(0.25,0.2,1,0.8)', 'box of a mask');
SELECT ok(contains(bbox('(0.3,0.7)'::keypoint), '(0.3,0.7)'::keypoint), 'the box of a keypoint contains it');

-- brute force: polygons -----------------------------------------------------
-- 200 pairs of star-shaped polygons: 5 to 10 points around a center, at
-- angles that leave no gap of half a turn or more, so the center is inside
-- and the polygon is simple (and mostly concave); 6-digit coordinates,
-- which float4 keeps exactly as decimals.
SELECT setseed(0.5);
CREATE TEMP TABLE tap_polys ON COMMIT DROP AS
SELECT pid, n, cx, cy FROM (
  SELECT pid, 5 + floor(random() * 6)::int AS n, 0.3 + 0.4 * random() AS cx, 0.3 + 0.4 * random() AS cy
  FROM generate_series(1, 400) pid) s;
CREATE TEMP TABLE tap_verts ON COMMIT DROP AS
SELECT pid, n, row_number() OVER (PARTITION BY pid ORDER BY a) AS k,
       round((cy + rad * sin(a))::numeric, 6)::float8 AS r,
       round((cx + rad * cos(a))::numeric, 6)::float8 AS c
FROM (SELECT p.pid, p.n, p.cx, p.cy, 2 * pi() * (i - 1 + 0.8 * random()) / p.n AS a, 0.05 + 0.25 * random() AS rad
      FROM tap_polys p, generate_series(1, 10) i WHERE i <= p.n) s;
CREATE TEMP TABLE tap_pairs ON COMMIT DROP AS
SELECT (pid + 1) / 2 AS pair,
       max(lit) FILTER (WHERE pid % 2 = 1)::polygon AS a,
       max(lit) FILTER (WHERE pid % 2 = 0)::polygon AS b
FROM (SELECT pid, '(' || string_agg(format('(%s,%s)', r, c), ',' ORDER BY k) || ')' AS lit
      FROM tap_verts GROUP BY pid) s
GROUP BY (pid + 1) / 2;

-- Rasterized at 512x512 in plain SQL: a pixel center (row, col) is inside a
-- polygon when a ray from it to the right crosses the outline an odd number
-- of times (even-odd).  Along each pixel row the crossings of both outlines
-- cut the row into pieces of constant inside-ness; the pixel centers of
-- each piece are counted in closed form rather than one by one.
CREATE TEMP TABLE tap_raster ON COMMIT DROP AS
WITH edges AS (
  SELECT v.pid, v.r AS r1, v.c AS c1, w.r AS r2, w.c AS c2
  FROM tap_verts v JOIN tap_verts w ON w.pid = v.pid AND w.k = v.k % v.n + 1
), ev AS (
  SELECT (e.pid + 1) / 2 AS pair, e.pid % 2 AS in_a, j,
         e.c1 + ((j + 0.5) / 512.0 - e.r1) * (e.c2 - e.c1) / (e.r2 - e.r1) AS x
  FROM edges e,
       generate_series(ceil(least(e.r1, e.r2) * 512 - 0.5)::int, floor(greatest(e.r1, e.r2) * 512 - 0.5)::int) j
  WHERE (e.r1 > (j + 0.5) / 512.0) <> (e.r2 > (j + 0.5) / 512.0)
), seg AS (
  SELECT pair, x, lead(x) OVER w1 AS nx,
         sum(in_a) OVER w2 % 2 AS pa, sum(1 - in_a) OVER w2 % 2 AS pb
  FROM ev
  WINDOW w1 AS (PARTITION BY pair, j ORDER BY x, in_a),
         w2 AS (PARTITION BY pair, j ORDER BY x, in_a ROWS UNBOUNDED PRECEDING)
), counted AS (
  SELECT pair, pa, pb, ceil(nx * 512 - 0.5) - ceil(x * 512 - 0.5) AS pixels FROM seg WHERE nx IS NOT NULL
)
SELECT p.pair, coalesce(sum(pixels) FILTER (WHERE pa = 1 AND pb = 1), 0) AS inter,
       coalesce(sum(pixels) FILTER (WHERE pa = 1 OR pb = 1), 0) AS uni,
       coalesce(sum(pixels) FILTER (WHERE pa = 1), 0) AS in_a,
       (SELECT count(*) FROM ev WHERE ev.pair = p.pair) AS crossings
FROM tap_pairs p LEFT JOIN counted c ON c.pair = p.pair
GROUP BY p.pair;

-- Each crossing moves at most one pixel center from one side of the
-- outline to the other, so the counts of A ∩ B and A ∪ B are each off by at
-- most one pixel per crossing, and sampling each row at its middle adds at
-- most about one pixel per vertex (twice that, to be safe).  With D that
-- many pixels' area, |iou - estimate| <= 2 D / (union - D).
CREATE TEMP TABLE tap_cmp ON COMMIT DROP AS
SELECT p.pair, iou(p.a, p.b) AS exact, r.inter / r.uni AS estimate,
       area(p.a) AS area_a, r.in_a / 262144.0 AS area_a_estimate,
       (r.crossings + 2 * (npoints(p.a) + npoints(p.b))) / 262144.0 AS d,
       r.uni / 262144.0 AS uni
FROM tap_pairs p JOIN tap_raster r USING (pair);

SELECT is((SELECT count(*)::int FROM tap_pairs WHERE a IS NOT NULL AND b IS NOT NULL), 200, '200 random polygon pairs');
SELECT cmp_ok((SELECT count(*)::int FROM tap_cmp WHERE exact > 0), '>=', 50, 'at least 50 pairs overlap');
SELECT is((SELECT count(*)::int FROM tap_cmp WHERE abs(exact - estimate) > 2 * d / (uni - d)), 0,
  'iou within the rasterization bound for all 200 pairs');
SELECT cmp_ok((SELECT avg(abs(exact - estimate)) FROM tap_cmp), '<', 0.002::float8,
  'mean |iou - estimate| under 0.002');
SELECT is((SELECT count(*)::int FROM tap_cmp WHERE abs(area_a - area_a_estimate) > d), 0,
  'area within the rasterization bound for all 200 polygons');
SELECT is((SELECT count(*)::int FROM tap_cmp WHERE (exact = 0) <> (estimate = 0) AND estimate > 0.01), 0,
  'no pair the raster sees overlapping clearly is given iou 0');
SELECT is((SELECT count(*)::int FROM tap_pairs WHERE abs(iou(a, b) - iou(b, a)) > 1e-12 OR abs(iou(a, a) - 1) > 1e-12), 0,
  'iou is symmetric and 1 against itself (to rounding)');
SELECT is((SELECT count(*)::int FROM tap_cmp c JOIN tap_pairs p USING (pair)
           WHERE c.exact > 0 AND NOT (p.a && p.b)), 0,
  '&& holds for every pair with a positive iou');

-- brute force: masks --------------------------------------------------------
-- 60 random masks in 30 same-size pairs, bits drawn per pixel (column-major
-- index), runs computed from the bits in SQL.
SELECT setseed(0.75);
CREATE TEMP TABLE tap_msize ON COMMIT DROP AS
SELECT pair, 1 + floor(random() * 40)::int AS h, 1 + floor(random() * 40)::int AS w, random() AS density
FROM generate_series(1, 30) pair;
CREATE TEMP TABLE tap_bits ON COMMIT DROP AS
SELECT s.pair, m.which, i AS idx, (random() < s.density * (1 + m.which) / 2)::int AS b
FROM tap_msize s, (VALUES (0), (1)) m(which), generate_series(0, s.h * s.w - 1) i;
CREATE TEMP TABLE tap_masks ON COMMIT DROP AS
SELECT pair, which, mask(s.h, s.w,
         CASE WHEN (array_agg(b ORDER BY start))[1] = 1 THEN '{0}'::int4[] ELSE '{}' END
         || array_agg(len ORDER BY start)) AS m
FROM (SELECT pair, which, b, min(idx) AS start, count(*)::int4 AS len
      FROM (SELECT *, idx - row_number() OVER (PARTITION BY pair, which, b ORDER BY idx) AS g FROM tap_bits) t
      GROUP BY pair, which, b, g) runs
JOIN tap_msize s USING (pair)
GROUP BY pair, which, s.h, s.w;
-- the runs decoded back into pixels, from the stored (compressed) mask
CREATE TEMP TABLE tap_decoded ON COMMIT DROP AS
SELECT pair, which, idx
FROM (SELECT pair, which, k, len, sum(len) OVER (PARTITION BY pair, which ORDER BY k) - len AS start
      FROM tap_masks, unnest(mask_counts(m)) WITH ORDINALITY u(len, k)) r,
     generate_series(r.start, r.start + r.len - 1) idx
WHERE r.k % 2 = 0;

SELECT is((SELECT count(*)::int FROM tap_masks), 60, '60 random masks');
SELECT set_eq('SELECT pair, which, idx FROM tap_decoded',
              'SELECT pair, which, idx FROM tap_bits WHERE b = 1',
              'the stored runs decode to exactly the drawn pixels');
SELECT is((SELECT count(*)::int FROM tap_masks t JOIN tap_msize s USING (pair)
           WHERE area(t.m) <> (SELECT count(*) FROM tap_decoded d WHERE d.pair = t.pair AND d.which = t.which)::float8 / (s.h * s.w)),
          0, 'mask area equals the decoded pixel count over height x width');
SELECT is((SELECT count(*)::int FROM
            (SELECT a.pair, iou(a.m, b.m) AS got,
                    (SELECT count(*) FROM tap_decoded x JOIN tap_decoded y ON y.pair = x.pair AND y.idx = x.idx AND y.which = 1
                     WHERE x.pair = a.pair AND x.which = 0)::float8 AS inter,
                    (SELECT count(DISTINCT idx) FROM tap_decoded z WHERE z.pair = a.pair)::float8 AS uni
             FROM tap_masks a JOIN tap_masks b ON b.pair = a.pair AND a.which = 0 AND b.which = 1) q
           WHERE got <> CASE WHEN inter = 0 THEN 0 ELSE inter / uni END), 0,
          'mask iou equals the brute-force pixel count for all 30 pairs');

SELECT * FROM finish();
ROLLBACK;
