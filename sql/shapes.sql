--
-- Region shapes beyond boxes: annotations.polygon, annotations.keypoint,
-- annotations.mask; their I/O, validation, JSON, area, enclosing box, iou,
-- && and contains.  Errors run plainly, so each message, detail and hint is
-- on record.
--
\set SHOW_CONTEXT never
-- annotations before pg_catalog, so polygon means annotations.polygon here
-- and not core's type of the same name
SET search_path = annotations, pg_catalog, public;

--
-- Polygon text I/O: whitespace, shortest round-trip output
--
SELECT lit, lit::polygon AS value
FROM (VALUES ('((0.1,0.1),(0.1,0.3),(0.3,0.3),(0.3,0.1))'),
             ('  ( ( 0 , 0 ) ,( 0 ,1 ),	(1, 1) )  '),
             ('((0.333333333333,0),(0,1),(1,1))'),       -- rounded to float4
             ('((-0,0),(0,1.00000001),(1,1e-50))'),      -- -0 stored as 0; rounding first
             ('((1E-1,5e-1),(.5,.5),(1.,0))')) v(lit);
SET extra_float_digits = 3;
SELECT '((0.1,0.2),(0.3,0.4),(0.5,0.1))'::polygon;     -- output ignores extra_float_digits
RESET extra_float_digits;
SELECT npoints('((0,0),(0,1),(1,1),(1,0))'::polygon);
-- equality, order and hashing
SELECT '((0,0),(0,1),(1,1))'::polygon = '((-0,0),(0,1),(1,1.0))'::polygon AS same,
       '((0,0),(0,1),(1,1))'::polygon <> '((0,1),(1,1),(0,0))'::polygon AS rotated_differs,
       '((0,0),(0,1),(1,1))'::polygon < '((0,0),(0,1),(1,1),(1,0))'::polygon AS prefix_first;
SELECT count(DISTINCT p) FROM (VALUES ('((0,0),(0,1),(1,1))'::polygon), ('((0,0),(0,1),(1,1))'),
                                      ('((0,0),(0,1),(1,0))')) v(p);

--
-- Bad polygon literals: 22P02 when the text does not parse
--
SELECT ''::polygon;
SELECT '(0,0),(0,1),(1,1)'::polygon;
SELECT '((0,0),(0,1),(1,1)'::polygon;
SELECT '((0,0),(0,1),(1,1)) x'::polygon;
SELECT '((0,0),(0,1),(1,))'::polygon;
SELECT '((0,0);(0,1),(1,1))'::polygon;
SELECT '((0,0,0),(0,1),(1,1))'::polygon;
SELECT '((0x1,0),(0,1),(1,1))'::polygon;
SELECT '()'::polygon;
-- 22023 when it parses but is not a valid polygon, naming the point
SELECT '((0,0),(0,1),(1.5,1))'::polygon;
SELECT '((0,0),(0,-0.25),(1,1))'::polygon;
SELECT '((0,0),(0,1),(1,NaN))'::polygon;
SELECT '((0,0),(inf,1),(1,1))'::polygon;
SELECT '((0,0),(0,1),(1e39,1))'::polygon;
SELECT '((0,0),(0,1))'::polygon;
SELECT '((0.5,0.5),(0.5,0.5),(0.5,0.5),(0.5,0.5))'::polygon;
SELECT '((0,0),(0,1),(0,0),(0,1))'::polygon;
SELECT '((0,0),(0.25,0.25),(0.5,0.5),(1,1))'::polygon;       -- collinear: no area
SELECT ('(' || string_agg('(0.5,0.5)', ',') || ')')::polygon FROM generate_series(1, 10001);

--
-- Constructor from a flat array
--
SELECT polygon('{0.1,0.2, 0.3,0.4, 0.5,0.1}'::float8[]);
SELECT polygon('{0,0, 0,1, 1}'::float8[]);
SELECT polygon('{0,0, 0,1, 1,NULL}'::float8[]);
SELECT polygon('{{0,0},{0,1},{1,1}}'::float8[]);
SELECT polygon('{0,0, 0,1, 1,1e300}'::float8[]);

--
-- JSON both ways (Clarifai: {"points": [{"row": …, "col": …}, …]})
--
SELECT p::jsonb AS as_jsonb, p::json AS as_json, to_jsonb(p) = p::jsonb AS to_jsonb_same
FROM (SELECT '((0.1,0.2),(0.3,0.4),(0.5,0.1))'::polygon p) s;
SELECT '{"points": [{"row": 0.1, "col": 0.2}, {"row": 0.3, "col": 0.4}, {"col": 0.1, "row": 0.5}]}'::jsonb::polygon;
SELECT ('((0.1,0.2),(0.3,0.4),(0.5,0.1))'::polygon)::jsonb::polygon = '((0.1,0.2),(0.3,0.4),(0.5,0.1))'::polygon AS round_trip;
SELECT '[]'::jsonb::polygon;
SELECT '{}'::jsonb::polygon;
SELECT '{"points": {}}'::jsonb::polygon;
SELECT '{"points": [], "id": 1}'::jsonb::polygon;
SELECT '{"points": [{"row": 0, "col": 0}, {"row": 0, "col": 1}]}'::jsonb::polygon;
SELECT '{"points": [{"row": 0, "col": 0}, {"row": 0, "col": 1}, {"row": 1}]}'::jsonb::polygon;
SELECT '{"points": [{"row": 0, "col": 0}, {"row": 0, "col": 1}, {"row": 1, "col": "1"}]}'::jsonb::polygon;
SELECT '{"points": [{"row": 0, "col": 0}, {"row": 0, "col": 1}, {"row": 1, "col": 1, "z": 0}]}'::jsonb::polygon;
SELECT '{"points": [{"row": 0, "col": 0}, {"row": 0, "col": 1}, [1, 1]]}'::jsonb::polygon;
SELECT '{"points": [{"row": 0, "col": 0}, {"row": 0, "col": 1}, {"row": 1.5, "col": 1}]}'::jsonb::polygon;
SELECT '{"points": [{"row": 0, "col": 0}, {"row": 0, "col": 1}, {"row": 1e400, "col": 1}]}'::jsonb::polygon;

--
-- Binary: send and receive through COPY
--
CREATE TEMP TABLE poly_bin (p polygon);
INSERT INTO poly_bin VALUES ('((0.1,0.2),(0.3,0.4),(0.5,0.1))');
SELECT polygon_send(p) FROM poly_bin;
COPY poly_bin TO '/tmp/annotations_shapes_poly.bin' (FORMAT binary);
COPY poly_bin FROM '/tmp/annotations_shapes_poly.bin' (FORMAT binary);
SELECT p, count(*) FROM poly_bin GROUP BY p;
CREATE TEMP TABLE raw_bin (b bytea);
-- a 3-point polygon whose third row is 2 (0x40000000)
INSERT INTO raw_bin VALUES ('\x0000000300000000000000000000000000000000400000003f800000');
COPY raw_bin TO '/tmp/annotations_shapes_raw.bin' (FORMAT binary);
COPY poly_bin FROM '/tmp/annotations_shapes_raw.bin' (FORMAT binary);
TRUNCATE raw_bin;
-- a count of 2
INSERT INTO raw_bin VALUES ('\x00000002000000000000000000000000000000003f800000');
COPY raw_bin TO '/tmp/annotations_shapes_raw.bin' (FORMAT binary);
COPY poly_bin FROM '/tmp/annotations_shapes_raw.bin' (FORMAT binary);

--
-- Areas (fraction of the image), by hand:
--   square 0.1..0.3: 0.2 x 0.2 = 0.04 (the same double as the bbox's area)
--   right triangle (0,0),(0,1),(1,0): 1/2
--   L: the 0.5 square less its 0.25 corner: 0.25 - 0.0625 = 0.1875
--   the same L given clockwise: the same area
--
SELECT area('((0.1,0.1),(0.1,0.3),(0.3,0.3),(0.3,0.1))'::polygon) AS square,
       area('((0.1,0.1),(0.1,0.3),(0.3,0.3),(0.3,0.1))'::polygon) = area('(0.1,0.1,0.3,0.3)'::bbox) AS as_bbox,
       area('((0,0),(0,1),(1,0))'::polygon) AS triangle,
       area('((0,0),(0,0.5),(0.25,0.5),(0.25,0.25),(0.5,0.25),(0.5,0))'::polygon) AS l_shape,
       area('((0,0),(0.5,0),(0.5,0.25),(0.25,0.25),(0.25,0.5),(0,0.5))'::polygon) AS l_clockwise;
-- enclosing boxes
SELECT bbox('((0.1,0.2),(0.3,0.4),(0.5,0.1))'::polygon),
       bbox('((0,0),(0,0.5),(0.25,0.5),(0.25,0.25),(0.5,0.25),(0.5,0))'::polygon);

--
-- IoU of polygons, by hand (A = the square [0,0.5]², area 1/4):
--   A and the square [0.25,0.75]²: 1/16 shared, union 7/16 -> 1/7
--   triangles x+y<=1 and y<=x (x = col, y = row): share (0,0),(1,0),(0.5,0.5),
--     area 1/4, union 3/4 -> 1/3
--   L (3/16) and the square [0.125,0.375]² (1/16): the square less the L's
--     missing corner [0.25,0.375]² (1/64) -> 3/64 over 13/64 = 3/13
--   L and the square [0.25,0.75]²: they meet only on the L's inner corner -> 0
--   disjoint squares -> 0; squares sharing an edge -> 0
--   [0.125,0.375]² inside A: 1/16 over 1/4 -> 1/4
--   nested and sharing part of an edge ([0,0.25]x[0.1,0.3] in A): 1/20 / 1/4 -> 1/5
--     (0.19999999999999998: 0.3 - 0.1 is 0.19999999999999998 in double)
--   identical -> 1; the same square written from another corner -> 1
--
SELECT name, iou(a, b), iou(b, a) = iou(a, b) AS symmetric
FROM (VALUES
  ('overlapping squares', '((0,0),(0,0.5),(0.5,0.5),(0.5,0))'::polygon, '((0.25,0.25),(0.25,0.75),(0.75,0.75),(0.75,0.25))'::polygon),
  ('triangles', '((0,0),(0,1),(1,0))', '((0,0),(0,1),(1,1))'),
  ('L and square', '((0,0),(0,0.5),(0.25,0.5),(0.25,0.25),(0.5,0.25),(0.5,0))', '((0.125,0.125),(0.125,0.375),(0.375,0.375),(0.375,0.125))'),
  ('L and square at its inner corner', '((0,0),(0,0.5),(0.25,0.5),(0.25,0.25),(0.5,0.25),(0.5,0))', '((0.25,0.25),(0.25,0.75),(0.75,0.75),(0.75,0.25))'),
  ('disjoint', '((0,0),(0,0.25),(0.25,0.25),(0.25,0))', '((0.5,0.5),(0.5,1),(1,1),(1,0.5))'),
  ('touching along an edge', '((0,0),(0,0.5),(0.5,0.5),(0.5,0))', '((0,0.5),(0,1),(0.5,1),(0.5,0.5))'),
  ('touching at a corner', '((0,0),(0,0.5),(0.5,0.5),(0.5,0))', '((0.5,0.5),(0.5,1),(1,1),(1,0.5))'),
  ('nested', '((0,0),(0,0.5),(0.5,0.5),(0.5,0))', '((0.125,0.125),(0.125,0.375),(0.375,0.375),(0.375,0.125))'),
  ('nested on an edge', '((0,0),(0,0.5),(0.5,0.5),(0.5,0))', '((0,0.1),(0,0.3),(0.25,0.3),(0.25,0.1))'),
  ('identical', '((0,0),(0,0.5),(0.5,0.5),(0.5,0))', '((0,0),(0,0.5),(0.5,0.5),(0.5,0))'),
  ('same square, other start and direction', '((0,0),(0,0.5),(0.5,0.5),(0.5,0))', '((0.5,0.5),(0,0.5),(0,0),(0.5,0))')
) v(name, a, b);

-- polygon and bbox, by hand: the triangle (0,0),(0,0.5),(0.5,0) is half of
-- its box (1/2); the L covers 3/4 of its box; a box far away: 0
SELECT iou('(0,0,0.5,0.5)'::bbox, '((0,0),(0,0.5),(0.5,0))'::polygon) AS triangle_in_box,
       iou('((0,0),(0,0.5),(0.25,0.5),(0.25,0.25),(0.5,0.25),(0.5,0))'::polygon, '(0,0,0.5,0.5)'::bbox) AS l_in_box,
       iou('((0,0),(0,0.5),(0.5,0))'::polygon, '(0.6,0.6,1,1)'::bbox) AS apart;
-- a polygon drawn on a box's corners equals the box's own iou
SELECT iou('((0,0),(0,0.5),(0.5,0.5),(0.5,0))'::polygon, '(0.25,0.25,0.75,0.75)'::bbox)
     = iou('(0,0,0.5,0.5)'::bbox, '(0.25,0.25,0.75,0.75)'::bbox) AS as_boxes;
-- untyped literals still mean boxes
SELECT iou('(0,0,.5,.5)', '(0,0,.5,.5)'), iou('(0,0,.5,.5)', '(.5,.5,1,1)');

--
-- && : boxes first, then exact (touching counts, as for bbox)
--
SELECT name, a && b AS overlaps, b && a AS commuted
FROM (VALUES
  ('crossing', '((0,0),(0,0.5),(0.5,0.5),(0.5,0))'::polygon, '((0.25,0.25),(0.25,0.75),(0.75,0.75),(0.75,0.25))'::polygon),
  ('nested, no edges meet', '((0,0),(0,1),(1,1),(1,0))', '((0.4,0.4),(0.4,0.6),(0.6,0.6))'),
  ('touching at a corner', '((0,0),(0,0.5),(0.5,0.5),(0.5,0))', '((0.5,0.5),(0.5,1),(1,1),(1,0.5))'),
  ('boxes overlap, shapes do not', '((0,0),(0,1),(1,0))', '((0.75,0.75),(0.75,1),(1,1),(1,0.75))'),
  ('apart', '((0,0),(0,0.25),(0.25,0))', '((0.5,0.5),(0.5,1),(1,1))')
) v(name, a, b);
SELECT '((0,0),(0,1),(1,0))'::polygon && '(0.75,0.75,1,1)'::bbox AS tri_corner_box,
       '(0.4,0.4,0.6,0.6)'::bbox && '((0,0),(0,1),(1,0))'::polygon AS box_on_hypotenuse;
-- polygon && box answers most windows from the stored values (a vertex in
-- the window; its centre or a corner inside, away from every edge; no edge
-- near), the rest exactly; each way on a U (rows 0.1..0.9, cols 0.1..0.9,
-- open below between cols 0.3 and 0.7) and a thin strip, each answer also
-- by the polygon-polygon test (the window as a polygon), which is exact
SELECT name, g && w AS overlaps, w && g AS commuted,
       g && polygon(ARRAY[t, l, b, l, b, r, t, r]) AS as_polygon
FROM (VALUES
  ('inside the bar', 'u', 0.15, 0.4, 0.2, 0.5),
  ('in the opening', 'u', 0.5, 0.4, 0.6, 0.6),
  ('on the opening''s edge', 'u', 0.5, 0.3, 0.6, 0.4),
  ('2e-7 from the edge', 'u', 0.5, 0.3000002, 0.6, 0.4),
  ('across an edge, corners inside', 'u', 0.25, 0.4, 0.35, 0.5),
  ('holding a vertex', 'u', 0.85, 0.65, 0.95, 0.75),
  ('holding it all', 'u', 0, 0, 1, 1),
  ('crossed by the strip', 'strip', 0.4, 0.4, 0.6, 0.6),
  ('beside the strip', 'strip', 0.50002, 0.4, 0.6, 0.6)
) v(name, shape, t, l, b, r)
CROSS JOIN LATERAL (SELECT bbox(t, l, b, r) AS w,
  CASE shape WHEN 'u' THEN '((0.1,0.1),(0.1,0.9),(0.9,0.9),(0.9,0.7),(0.3,0.7),(0.3,0.3),(0.9,0.3),(0.9,0.1))'::polygon
             ELSE '((0.5,0),(0.5,1),(0.50001,1),(0.50001,0))'::polygon END AS g) s;
-- and the same agreement over 200 random concave 16-point stars by 150
-- windows of four sizes; half the stars and all windows on a 0.01 grid so
-- that edges and corners meet exactly
SELECT setseed(0.16);
SELECT count(*) AS pairs, count(*) FILTER (WHERE g && w) AS overlapping,
       count(*) FILTER (WHERE (g && w) <> (g && polygon(ARRAY[t, l, b, l, b, r, t, r]))
                           OR (g && w) <> (w && g)) AS disagreeing
FROM (SELECT polygon((SELECT array_agg(v ORDER BY j, c) FROM generate_series(0, 15) j,
        LATERAL (SELECT 0.45 * (0.3 + 0.7 * random()) + i * 0 AS rad) rr,
        LATERAL (VALUES (1, round((0.5 + rad * sin(2 * pi() * j / 16))::numeric, CASE WHEN i % 2 = 0 THEN 2 ELSE 6 END)::float8),
                        (2, round((0.5 + rad * cos(2 * pi() * j / 16))::numeric, CASE WHEN i % 2 = 0 THEN 2 ELSE 6 END)::float8)) x(c, v))) AS g
      FROM generate_series(1, 200) i) polys,
     (SELECT t, l, least(t + sz, 1) AS b, least(l + sz, 1) AS r, bbox(t, l, least(t + sz, 1), least(l + sz, 1)) AS w
      FROM (SELECT round(random()::numeric, 2)::float8 * 0.95 AS t, round(random()::numeric, 2)::float8 * 0.95 AS l,
                   (ARRAY[0.001, 0.01, 0.05, 0.2])[1 + k % 4] AS sz FROM generate_series(1, 150) k) s) wins;

--
-- Keypoint
--
SELECT '(0.5,0.25)'::keypoint, ' ( 1 , 0 ) '::keypoint, '(-0,1e-50)'::keypoint,
       keypoint(0.1, 0.2), ('(0.5,0.25)'::keypoint)::json, ('(0.5,0.25)'::keypoint)::jsonb,
       '{"row": 0.5, "col": 0.25}'::jsonb::keypoint,
       '(0.5,0.25)'::keypoint = keypoint(0.5, 0.25) AS same;
SELECT '(0.5)'::keypoint;
SELECT '(0.5,0.5'::keypoint;
SELECT '(0.5,1.5)'::keypoint;
SELECT '(NaN,0.5)'::keypoint;
SELECT keypoint(0.5, 1e300);
SELECT '{"row": 0.5}'::jsonb::keypoint;
SELECT '{"row": 0.5, "col": null}'::jsonb::keypoint;
SELECT '{"row": 0.5, "col": 0.5, "visible": true}'::jsonb::keypoint;
-- the box of a point is one float4 step wide, and contains it
SELECT bbox(k), contains(bbox(k), k)
FROM (VALUES ('(0.5,0.25)'::keypoint), ('(1,1)'), ('(0,1)')) v(k);

-- contains(shape, keypoint): edges included; polygons by the even-odd rule
SELECT contains('(0.25,0.25,0.5,0.5)'::bbox, '(0.25,0.5)'::keypoint) AS box_corner,
       contains('(0.25,0.25,0.5,0.5)'::bbox, '(0.2,0.3)'::keypoint) AS box_outside,
       contains('((0,0),(0,0.5),(0.25,0.5),(0.25,0.25),(0.5,0.25),(0.5,0))'::polygon, '(0.1,0.1)'::keypoint) AS l_inside,
       contains('((0,0),(0,0.5),(0.25,0.5),(0.25,0.25),(0.5,0.25),(0.5,0))'::polygon, '(0.4,0.4)'::keypoint) AS l_notch,
       contains('((0,0),(0,0.5),(0.25,0.5),(0.25,0.25),(0.5,0.25),(0.5,0))'::polygon, '(0.25,0.4)'::keypoint) AS l_edge,
       contains('((0,0),(0,0.5),(0.25,0.5),(0.25,0.25),(0.5,0.25),(0.5,0))'::polygon, '(0.5,0)'::keypoint) AS l_vertex;

--
-- Mask.  A 4x5 mask (height 4, width 5), pixels numbered down each column
-- (column-major, as COCO):
--
--     col: 0 1 2 3 4
--   row 0: 0 0 0 0 0
--   row 1: 0 1 0 0 0
--   row 2: 0 1 0 1 0
--   row 3: 0 1 0 1 0
--
-- Runs: 5 zeros (column 0 and the top of column 1), 3 ones, 6 zeros, 2
-- ones, 4 zeros: [5,3,6,2,4].  Compressed: the first three counts as they
-- are, '0'+5 = '5', '3', '6'; then differences from the count two before:
-- 2-3 = -1 -> 5 bits 11111 (sign bit 0x10 set, nothing more) -> 48+31 = 'O';
-- 4-6 = -2 -> 11110 -> 48+30 = 'N'.  So "536ON".
-- Area 5/20 = 0.25; box rows 1..3, columns 1..3 -> (0.25,0.2,1,0.8).
--
SELECT mask(4, 5, '{5,3,6,2,4}') AS m;
SELECT '{"rle": {"size": [4, 5], "counts": "536ON"}}'::mask = mask(4, 5, '{5,3,6,2,4}') AS from_string,
       '{"rle": {"size": [4, 5], "counts": [5, 3, 6, 2, 4]}}'::jsonb::mask = mask(4, 5, '{5,3,6,2,4}') AS from_array,
       mask_counts('{"rle": {"size": [4, 5], "counts": "536ON"}}') AS counts,
       area(mask(4, 5, '{5,3,6,2,4}')), bbox(mask(4, 5, '{5,3,6,2,4}'));
SELECT (mask(4, 5, '{5,3,6,2,4}'))::json AS as_json, (mask(4, 5, '{5,3,6,2,4}'))::jsonb AS as_jsonb;
-- runs are stored canonically: empty runs merged, a leading empty run kept;
-- "536ONN" ends with an empty run (N is -2, plus the count two before, 2)
SELECT '{"rle": {"size": [4, 5], "counts": "536ONN"}}'::mask;
SELECT mask_counts(mask(2, 2, '{0,1,0,2,1}')) AS merged, mask(2, 2, '{0,4}') AS full_mask,
       mask(2, 2, '{4}') AS empty_mask, area(mask(2, 2, '{4}')), bbox(mask(2, 2, '{4}'));
-- counts as large as a mask allows (2^15 x 2^15 pixels): 7 characters
SELECT mask(32768, 32768, '{536870912,536870912}') AS half;
-- a 20x20 mask of the 10x10 square at rows and columns 5..14: runs 105
-- (five columns and five rows of zeros), then ten columns of 10 ones with
-- 10 zeros between them, then 105.  By hand: 105 = 3*32 + 9 -> 9 with the
-- "more" bit (48+41 = 'Y') then '3'; 10 -> ':' twice; the next 17
-- differences are 0 -> '0'; the last is 105-10 = 95 = 2*32 + 31 -> 31 has
-- the sign bit set, so it takes the "more" bit (48+63 = 'o'), then '2'.
SELECT mask_counts(m) = ('{105,' || repeat('10,', 19) || '105}')::int4[] AS square,
       m::text = '{"rle": {"size": [20, 20], "counts": "Y3::00000000000000000o2"}}' AS encodes_back
FROM (SELECT '{"rle": {"size": [20, 20], "counts": "Y3::00000000000000000o2"}}'::mask m) s;
-- contains: the pixel the point falls in
SELECT contains(mask(4, 5, '{5,3,6,2,4}'), '(0.3,0.3)'::keypoint) AS row1_col1,
       contains(mask(4, 5, '{5,3,6,2,4}'), '(0.1,0.3)'::keypoint) AS row0_col1,
       contains(mask(4, 5, '{5,3,6,2,4}'), '(1,0.7)'::keypoint) AS bottom_edge_col3;

-- Bad masks: 22P02 for text that is not JSON, 22023 otherwise
SELECT 'rle'::mask;
SELECT '{"rle": {"size": [4, 5]}}'::mask;
SELECT '{"rle": {"size": [4, 5], "counts": "536ON"}, "id": 1}'::mask;
SELECT '{"rle": {"size": [4], "counts": "536ON"}}'::mask;
SELECT '{"rle": {"size": [0, 5], "counts": []}}'::mask;
SELECT '{"rle": {"size": [4, 32769], "counts": [131076]}}'::mask;
SELECT '{"rle": {"size": [4, 2.5], "counts": [10]}}'::mask;
SELECT '{"rle": {"size": [4, 5], "counts": "536O"}}'::mask;
SELECT '{"rle": {"size": [4, 5], "counts": "53 6ON"}}'::mask;
SELECT '{"rle": {"size": [4, 5], "counts": "53_"}}'::mask;
SELECT '{"rle": {"size": [4, 5], "counts": "5;"}}'::mask;
SELECT '{"rle": {"size": [4, 5], "counts": "oooooooo"}}'::mask;
SELECT '{"rle": {"size": [4, 5], "counts": [5, -3, 6, 2, 4]}}'::mask;
SELECT '{"rle": {"size": [4, 5], "counts": [5, 3, 6, 2, 3]}}'::mask;
SELECT '{"rle": {"size": [4, 5], "counts": [5, 3.5]}}'::mask;
SELECT '{"rle": {"size": [4, 5], "counts": 20}}'::mask;
SELECT mask(4, 5, '{5,3,6,2,NULL}');

--
-- Mask iou.  Against itself: 1.  Against the 4x5 mask of the box rows 1..3,
-- columns 1..3 (9 pixels, runs [5,3,1,3,1,3,4]): the mask's 5 pixels are
-- all inside -> 5/9.  The same square as a polygon and as a bbox, rasterized
-- at 4x5 as pycocotools does (pixel edges at 1 and 4): the same 9 pixels.
--
SELECT iou(m, m) AS self,
       iou(m, mask(4, 5, '{5,3,1,3,1,3,4}')) AS with_box_mask,
       iou(m, '((0.25,0.2),(1,0.2),(1,0.8),(0.25,0.8))'::polygon) AS with_polygon,
       iou('((0.25,0.2),(1,0.2),(1,0.8),(0.25,0.8))'::polygon, m) AS polygon_first,
       iou(m, '(0.25,0.2,1,0.8)'::bbox) AS with_bbox,
       iou('(0.25,0.2,1,0.8)'::bbox, m) AS bbox_first,
       iou(mask(4, 5, '{20}'), mask(4, 5, '{20}')) AS two_empty
FROM (SELECT mask(4, 5, '{5,3,6,2,4}') m) s;
SELECT iou(mask(4, 5, '{5,3,6,2,4}'), mask(5, 4, '{5,3,6,2,4}'));
