--
-- Masks against a brute-force rasterization written here, in SQL, without
-- the extension's code: masks are drawn pixel by pixel (ellipses with
-- noise), run-length encoded and decoded again in SQL; polygons (concave
-- 12-point stars) are rasterized by the even-odd rule at each pixel's
-- centre.  area() and iou() must agree with counts of pixels: exactly for
-- masks, and within 0.01 (the largest difference is printed: 0.007) for a
-- mask against a polygon or a box, which the extension rasterizes as
-- pycocotools does (not by pixel centres: pixels along the outline may go
-- either way).
--
\set SHOW_CONTEXT never
SET search_path = annotations, public;
SELECT setseed(0.27);

-- 48 rows by 64 columns, not square, so a transposition shows
\set h 48
\set w 64
CREATE TEMP TABLE shapes AS
SELECT i, 0.35 + 0.3 * random() AS cy, 0.35 + 0.3 * random() AS cx,
       0.15 + 0.2 * random() AS ry, 0.15 + 0.2 * random() AS rx
FROM generate_series(1, 30) i;

-- pixel p (column-major, as COCO: x = p / h, y = p % h) of mask i
CREATE TEMP TABLE mask_pixels AS
SELECT i, p, ((((p / :h + 0.5) / :w - cx) / rx) ^ 2 + (((p % :h + 0.5) / :h - cy) / ry) ^ 2 < 1)
             <> (random() < 0.05) AS v
FROM shapes, generate_series(0, :h * :w - 1) p;

-- run-length encoding: lengths of runs of equal pixels, the first a run of 0s
CREATE TEMP TABLE masks AS
SELECT i, CASE WHEN (array_agg(v ORDER BY s))[1] THEN '{0}'::int[] ELSE '{}' END
          || array_agg(c ORDER BY s) AS counts
FROM (SELECT i, v, min(p) AS s, count(*)::int AS c
        FROM (SELECT i, p, v, p - row_number() OVER (PARTITION BY i, v ORDER BY p) AS grp FROM mask_pixels) g
       GROUP BY i, v, grp) runs
GROUP BY i;

-- the counts decoded again: pixel p is set when it falls in an odd run
CREATE TEMP TABLE decoded AS
SELECT i, p FROM masks,
  LATERAL (SELECT k, c, sum(c) OVER (ORDER BY k) - c AS start FROM unnest(counts) WITH ORDINALITY u(c, k)) r,
  LATERAL generate_series(r.start::int, (r.start + r.c - 1)::int) p
WHERE k % 2 = 0;
SELECT count(*) AS pixels_set, (SELECT count(*) FROM mask_pixels WHERE v) AS drawn FROM decoded;

-- stars: 12 points around the ellipse's centre, radius varying point by point
CREATE TEMP TABLE stars AS
SELECT i, array_agg(ARRAY[cy + ry * f * sin(2 * pi() * j / 12), cx + rx * f * cos(2 * pi() * j / 12)] ORDER BY j) AS pts
FROM shapes, generate_series(0, 11) j, LATERAL (SELECT 0.5 + 0.5 * random() + i * 0 AS f) r
GROUP BY i;

-- pixel centres inside each star (even-odd rule: crossings of a ray to the right)
CREATE TEMP TABLE star_pixels AS
SELECT i, p FROM stars, generate_series(0, :h * :w - 1) p,
  LATERAL (SELECT (p / :h + 0.5) / :w AS x, (p % :h + 0.5) / :h AS y) c
WHERE (SELECT count(*) FROM generate_series(1, 12) k,
         LATERAL (SELECT pts[k][1] AS yi, pts[k][2] AS xi, pts[k % 12 + 1][1] AS yj, pts[k % 12 + 1][2] AS xj) e
        WHERE (yi > c.y) <> (yj > c.y) AND c.x < xi + (c.y - yi) * (xj - xi) / (yj - yi)) % 2 = 1;

CREATE FUNCTION pg_temp.brute_iou(a bigint, b bigint, inter bigint) RETURNS float8
LANGUAGE sql AS $$ SELECT CASE WHEN inter = 0 THEN 0 ELSE inter::float8 / (a + b - inter) END $$;

-- area of each mask: its pixels over the image's
SELECT count(*) AS masks,
       count(*) FILTER (WHERE abs(area(mask(:h, :w, counts)) - n::float8 / (:h * :w)) > 1e-12) AS area_differs
FROM masks JOIN (SELECT i, count(*) AS n FROM decoded GROUP BY i) d USING (i);

-- mask against mask (each with the next): exact
SELECT count(*) AS pairs, count(*) FILTER (WHERE ext > 0) AS overlapping,
       count(*) FILTER (WHERE abs(ext - brute) > 1e-12) AS iou_differs
FROM (SELECT iou(mask(:h, :w, a.counts), mask(:h, :w, b.counts)) AS ext,
             pg_temp.brute_iou((SELECT count(*) FROM decoded WHERE i = a.i), (SELECT count(*) FROM decoded WHERE i = b.i),
                               (SELECT count(*) FROM decoded x JOIN decoded y USING (p) WHERE x.i = a.i AND y.i = b.i)) AS brute
        FROM masks a JOIN masks b ON b.i = a.i % 30 + 1) s;

-- mask against star and against the star's box (from its points, here),
-- and the other way round
CREATE TEMP TABLE star_boxes AS
SELECT i, min(pts[k][1]) AS t, min(pts[k][2]) AS l, max(pts[k][1]) AS b, max(pts[k][2]) AS r
FROM stars, generate_series(1, 12) k GROUP BY i;
CREATE TEMP TABLE box_pixels AS
SELECT i, p FROM star_boxes, generate_series(0, :h * :w - 1) p
WHERE (p / :h + 0.5) / :w BETWEEN l AND r AND (p % :h + 0.5) / :h BETWEEN t AND b;
SELECT count(*) AS pairs, round(min(brute)::numeric, 2) AS min_iou, round(max(brute)::numeric, 2) AS max_iou,
       count(*) FILTER (WHERE abs(ext - brute) > 0.01) AS iou_differs,
       count(*) FILTER (WHERE ext <> commuted) AS not_symmetric,
       count(*) FILTER (WHERE abs(ext_box - brute_box) > 0.01) AS box_iou_differs,
       count(*) FILTER (WHERE ext_box <> commuted_box) AS box_not_symmetric
FROM (SELECT iou(mk, g) AS ext, iou(g, mk) AS commuted,
             iou(mk, bx) AS ext_box, iou(bx, mk) AS commuted_box,
             pg_temp.brute_iou((SELECT count(*) FROM decoded WHERE i = m.i), (SELECT count(*) FROM star_pixels WHERE i = m.i),
                               (SELECT count(*) FROM decoded x JOIN star_pixels y USING (p) WHERE x.i = m.i AND y.i = m.i)) AS brute,
             pg_temp.brute_iou((SELECT count(*) FROM decoded WHERE i = m.i), (SELECT count(*) FROM box_pixels WHERE i = m.i),
                               (SELECT count(*) FROM decoded x JOIN box_pixels y USING (p) WHERE x.i = m.i AND y.i = m.i)) AS brute_box
        FROM masks m JOIN stars s USING (i) JOIN star_boxes sb USING (i),
        LATERAL (SELECT mask(:h, :w, m.counts) AS mk, polygon(ARRAY(SELECT unnest(s.pts))) AS g,
                        bbox(sb.t, sb.l, sb.b, sb.r) AS bx) v) q;
-- the largest differences, for the record
SELECT round(max(abs(ext - brute))::numeric, 3) AS max_star_difference
FROM (SELECT iou(mask(:h, :w, m.counts), polygon(ARRAY(SELECT unnest(s.pts)))) AS ext,
             pg_temp.brute_iou((SELECT count(*) FROM decoded WHERE i = m.i), (SELECT count(*) FROM star_pixels WHERE i = m.i),
                               (SELECT count(*) FROM decoded x JOIN star_pixels y USING (p) WHERE x.i = m.i AND y.i = m.i)) AS brute
        FROM masks m JOIN stars s USING (i)) q;
