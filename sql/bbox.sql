--
-- annotations.bbox: input, output, validation, JSON, binary, comparison,
-- geometry and COCO conversion.  (GiST is in bbox_gist.sql.)
--
SET search_path = annotations, public;
SELECT setseed(0.42);

-- Runs an expression and shows either its text result or "SQLSTATE: message",
-- so each bad input below shows both its code and its exact message.
CREATE FUNCTION public.bbox_try(expr text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  result text;
BEGIN
  EXECUTE 'SELECT (' || expr || ')::text' INTO result;
  RETURN result;
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

-- Same, for a literal.
CREATE FUNCTION public.bbox_try_literal(lit text) RETURNS text
LANGUAGE sql AS $$ SELECT public.bbox_try(pg_catalog.quote_literal(lit) || '::annotations.bbox') $$;

--
-- Valid literals, whitespace, and the shortest round-trip output
--
SELECT lit, lit::bbox AS value
FROM (VALUES ('(0.1,0.2,0.3,0.4)'), ('(0,0,1,1)'), ('  ( 0 , 0.25 ,	1 , 0.75 )  '),
             ('(+0.5,.25,1.,1)'), ('(1E-5,0,1,1)'), ('(5e-1,0,1e0,1)'),
             ('(0.333333333333,0,0.666666666667,1)'),   -- rounded to float4
             ('(1e-50,0,1.00000001,1)'),                 -- rounds to (0,0,1,1)
             ('(1.0e-45,0,1,1)'),                        -- smallest float4
             ('(-0,-0.0,1,1)'),                          -- -0 is stored as 0
             ('(0.99999994,0.99999994,1,1)')) v(lit);

-- Output does not depend on extra_float_digits
SET extra_float_digits = 3;
SELECT '(0.1,0.2,0.3,0.4)'::bbox;
SET extra_float_digits = -15;
SELECT '(0.1,0.2,0.3,0.4)'::bbox;
RESET extra_float_digits;

-- Text round trip is exact
SELECT count(*) AS boxes,
       count(*) FILTER (WHERE b::text::bbox = b AND b::text = b::text::bbox::text) AS round_trips
FROM (SELECT bbox(r, c, r + 0.001 + random() * 0.1, c + 0.001 + random() * 0.1) AS b
      FROM (SELECT random() * 0.89 AS r, random() * 0.89 AS c FROM generate_series(1, 1000)) s) t;

--
-- Bad literals: syntax (22P02) and values (22023)
--
SELECT lit, bbox_try_literal(lit) AS result
FROM (VALUES (''), ('   '), ('0,0,1,1'), ('(0,0,1,1'), ('0,0,1,1)'), ('()'),
             ('(0,0,1)'), ('(0,0,1,1,1)'), ('(a,0,1,1)'), ('(0,0,1,1)x'),
             ('(0,0,1,1) junk'), ('((0,0,1,1))'), ('(,0,1,1)'), ('(0,,1,1)'),
             ('(0 0 1 1)'), ('(0;0;1;1)'), ('[0,0,1,1]'), ('{0,0,1,1}'),
             ('(0x1,0,1,1)'), ('(1e,0,1,1)'), ('(.,0,1,1)'), ('(+-1,0,1,1)'),
             ('(0.5.5,0,1,1)'), ('(infinit,0,1,1)'), ('(0,0,1,"1")'),
             ('(0,0,1,1)(0,0,1,1)'), ('(0,0,1,1),'), ('(0,0,1e+,1)'),
             ('(nan,0,1,1)'), ('(0,NaN,1,1)'), ('(0,0,inf,1)'), ('(0,0,1,-Infinity)'),
             ('(-0.1,0,1,1)'), ('(0,-1e-30,1,1)'), ('(0,0,1.5,1)'),
             ('(0,0,1,1.0000001)'), ('(0.7,0,0.5,1)'), ('(0,0.9,1,0.1)'),
             ('(0.5,0,0.5,1)'), ('(0,0.5,1,0.5)'), ('(1e39,0,1,1)'), ('(0,-1e39,1,1)'),
             ('(0,0,1e999999,1)'),
             ('(0,0,1,1' || repeat('0', 60) || '.5)'),
             ('(1e-50,0,1e-46,1)'),            -- both round to 0
             ('(0.30000001,0,0.3,1)')          -- both round to the same float4
     ) v(lit);

-- The full message of each kind, with DETAIL and HINT
SELECT '(0,0,1)'::bbox;
SELECT '(0.7,0,0.5,1)'::bbox;
SELECT '(0,nan,0.5,1)'::bbox;
SELECT '(0,0,1,1.5)'::bbox;

--
-- Constructor
--
SELECT bbox(0.1, 0.2, 0.3, 0.4), bbox(1e-50, 0, 1.00000001, 1), bbox(-0.0, 0, 1, 1);
SELECT expr, bbox_try(expr) AS result
FROM (VALUES ('bbox(0.7, 0, 0.5, 1)'), ('bbox(0, 0.5, 1, 0.5)'), ('bbox(''NaN'', 0, 1, 1)'),
             ('bbox(0, ''Infinity'', 1, 1)'), ('bbox(0, 0, 1, ''-Infinity'')'),
             ('bbox(1e39, 0, 1, 1)'), ('bbox(0, 0, 1, 1e300)'), ('bbox(-1e-300, 0, 1, 1)'),
             ('bbox(0, 0, 1.0000001, 1)'), ('bbox(0.30000001, 0, 0.3, 1)')) v(expr);
SELECT bbox(NULL, 0, 1, 1) IS NULL AS strict;

--
-- JSON
--
SELECT '(0.1,0.2,0.3,0.4)'::bbox::jsonb AS jsonb, '(0.1,0.2,0.3,0.4)'::bbox::json AS json;
SELECT '(1e-05,0,1,1)'::bbox::jsonb;
SELECT to_jsonb(b) AS to_jsonb, jsonb_build_object('bounding_box', b) AS built,
       to_json(b) AS to_json
FROM (VALUES ('(0,0,0.5,0.5)'::bbox)) v(b);
SELECT '{"top_row":0.1,"left_col":0.2,"bottom_row":0.3,"right_col":0.4}'::jsonb::bbox;
SELECT '{"right_col":1,"bottom_row":1e0,"left_col":0,"top_row":1e-50}'::jsonb::bbox;
SELECT count(*) FILTER (WHERE b::jsonb::bbox = b AND b::json::jsonb::bbox = b) AS json_round_trips
FROM (SELECT bbox(r, c, r + 0.001 + random() * 0.1, c + 0.001 + random() * 0.1) AS b
      FROM (SELECT random() * 0.89 AS r, random() * 0.89 AS c FROM generate_series(1, 1000)) s) t;
SELECT js, bbox_try(quote_literal(js) || '::jsonb::annotations.bbox') AS result
FROM (VALUES ('{"top_row":0,"left_col":0,"bottom_row":1}'),
             ('{"top_row":0,"left_col":0,"bottom_row":1,"right_col":1,"confidence":1}'),
             ('{"top_row":0,"left_col":0,"bottom_row":1,"right_col":"1"}'),
             ('{"top_row":0,"left_col":0,"bottom_row":1,"right_col":null}'),
             ('{"top_row":0,"left_col":0,"bottom_row":1,"right_col":true}'),
             ('{"top_row":0,"left_col":0,"bottom_row":1,"right_col":[1]}'),
             ('{"top_row":0,"left_col":0,"bottom_row":1,"right_col":{"v":1}}'),
             ('{"bounding_box":{"top_row":0,"left_col":0,"bottom_row":1,"right_col":1}}'),
             ('{}'), ('[0,0,1,1]'), ('"(0,0,1,1)"'), ('0.5'), ('null'), ('true'),
             ('{"top_row":0.7,"left_col":0,"bottom_row":0.5,"right_col":1}'),
             ('{"top_row":-0.5,"left_col":0,"bottom_row":0.5,"right_col":1}'),
             ('{"top_row":1e400,"left_col":0,"bottom_row":1,"right_col":1}'),
             ('{"top_row":0,"left_col":-1e400,"bottom_row":1,"right_col":1}'),
             ('{"top_row":1e39,"left_col":0,"bottom_row":1,"right_col":1}'),
             ('{"top_row":1e-400,"left_col":0,"bottom_row":1,"right_col":1}')) v(js);
SELECT '{"top_row":0,"left_col":0,"bottom_row":1}'::jsonb::bbox;
SELECT '{"top_row":0,"left_col":0,"bottom_row":1,"right_col":1,"x":2}'::jsonb::bbox;

--
-- Binary send/receive (COPY ... FORMAT binary), receive re-validates
--
CREATE TEMP TABLE bbox_bin (id int, b bbox);
INSERT INTO bbox_bin
SELECT i, bbox(r, c, r + 0.001 + random() * 0.1, c + 0.001 + random() * 0.1)
FROM (SELECT i, random() * 0.89 AS r, random() * 0.89 AS c FROM generate_series(1, 500) i) s;
COPY bbox_bin TO '/tmp/annotations_bbox_regress.bin' (FORMAT binary);
CREATE TEMP TABLE bbox_bin2 (LIKE bbox_bin);
COPY bbox_bin2 FROM '/tmp/annotations_bbox_regress.bin' (FORMAT binary);
SELECT count(*) AS copied, count(*) FILTER (WHERE a.b = c.b) AS equal
FROM bbox_bin a JOIN bbox_bin2 c USING (id);
SELECT bbox_send('(0.5,0,1,1)');
-- A bytea column's binary COPY is the raw bytes, so it can feed bbox_recv.
CREATE TEMP TABLE bbox_raw (b bytea);
CREATE TEMP TABLE bbox_recv_test (b bbox);
INSERT INTO bbox_raw VALUES ('\x3f000000000000003f8000003f800000'),   -- (0.5,0,1,1)
                            ('\x80000000800000003f8000003f800000');   -- (-0,-0,1,1)
COPY bbox_raw TO '/tmp/annotations_bbox_regress.bin' (FORMAT binary);
COPY bbox_recv_test FROM '/tmp/annotations_bbox_regress.bin' (FORMAT binary);
SELECT b, bbox_send(b) FROM bbox_recv_test;
TRUNCATE bbox_raw;
INSERT INTO bbox_raw VALUES ('\x3f333333000000003f0000003f800000');   -- (0.7,0,0.5,1)
COPY bbox_raw TO '/tmp/annotations_bbox_regress.bin' (FORMAT binary);
COPY bbox_recv_test FROM '/tmp/annotations_bbox_regress.bin' (FORMAT binary);
TRUNCATE bbox_raw;
INSERT INTO bbox_raw VALUES ('\x7fc00000000000003f8000003f800000');   -- (NaN,0,1,1)
COPY bbox_raw TO '/tmp/annotations_bbox_regress.bin' (FORMAT binary);
COPY bbox_recv_test FROM '/tmp/annotations_bbox_regress.bin' (FORMAT binary);
TRUNCATE bbox_raw;
INSERT INTO bbox_raw VALUES ('\x00000000000000003f8000007f800000');   -- (0,0,1,Infinity)
COPY bbox_raw TO '/tmp/annotations_bbox_regress.bin' (FORMAT binary);
COPY bbox_recv_test FROM '/tmp/annotations_bbox_regress.bin' (FORMAT binary);
TRUNCATE bbox_raw;
INSERT INTO bbox_raw VALUES ('\x00000000000000003f800000');           -- only 12 bytes
COPY bbox_raw TO '/tmp/annotations_bbox_regress.bin' (FORMAT binary);
COPY bbox_recv_test FROM '/tmp/annotations_bbox_regress.bin' (FORMAT binary);
TRUNCATE bbox_raw;
INSERT INTO bbox_raw VALUES ('\x00000000000000003f8000003f80000000'); -- 17 bytes
COPY bbox_raw TO '/tmp/annotations_bbox_regress.bin' (FORMAT binary);
COPY bbox_recv_test FROM '/tmp/annotations_bbox_regress.bin' (FORMAT binary);
SELECT count(*) AS still_two FROM bbox_recv_test;

--
-- B-tree: ordering by top_row, then left_col, bottom_row, right_col
--
CREATE TEMP TABLE bbox_ord (b bbox);
INSERT INTO bbox_ord VALUES ('(0.5,0,1,1)'), ('(0,0.5,1,1)'), ('(0,0,0.5,1)'), ('(0,0,1,0.5)'),
  ('(0,0,1,1)'), ('(0.5,0.5,0.75,0.75)'), ('(0,0,0.5,0.5)'), ('(0,0,1,1)');
SELECT b FROM bbox_ord ORDER BY b;
SELECT b FROM bbox_ord ORDER BY b DESC LIMIT 3;
SELECT a, c, a = c AS eq, a <> c AS ne, a < c AS lt, a <= c AS le, a > c AS gt, a >= c AS ge,
       bbox_cmp(a, c) AS cmp
FROM (VALUES ('(0,0,1,1)'::bbox, '(0,0,1,1)'::bbox), ('(0,0,0.5,1)', '(0,0,1,0.5)'),
             ('(0.1,0,1,1)', '(0,0.9,1,1)'), ('(0,0,1,1)', '(-0,-0,1,1)')) v(a, c);
CREATE INDEX bbox_ord_btree ON bbox_ord (b);
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT b FROM bbox_ord WHERE b < '(0,0.5,1,1)' ORDER BY b;
SELECT b FROM bbox_ord WHERE b >= '(0,0,1,0.5)' ORDER BY b;
RESET enable_seqscan;

--
-- Hash: GROUP BY, hash join and a hash index agree with =
--
SELECT bbox_hash('(0,0,1,1)') = bbox_hash('(-0,-0,1,1)') AS hash_of_minus_zero,
       bbox_hash_extended('(0,0,1,1)', 7) = bbox_hash_extended('(-0,-0,1,1)', 7) AS extended,
       bbox_hash('(0,0,1,1)') <> bbox_hash('(0,0,1,0.5)') AS differs;
SET enable_sort = off;
EXPLAIN (COSTS OFF) SELECT b, count(*) FROM bbox_ord GROUP BY b;
SELECT b, count(*) FROM bbox_ord GROUP BY b ORDER BY b;
RESET enable_sort;
SET enable_mergejoin = off;
SET enable_nestloop = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM bbox_ord x JOIN bbox_ord y ON x.b = y.b;
SELECT count(*) FROM bbox_ord x JOIN bbox_ord y ON x.b = y.b;
RESET enable_mergejoin;
RESET enable_nestloop;
CREATE INDEX bbox_ord_hash ON bbox_ord USING hash (b);
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM bbox_ord WHERE b = '(-0,0,1,1)';
SELECT count(*) FROM bbox_ord WHERE b = '(-0,0,1,1)';
RESET enable_seqscan;
RESET enable_bitmapscan;

--
-- Geometry, on hand-computed cases
--
SELECT a, c, a && c AS overlaps, a @> c AS contains, a <@ c AS contained,
       iou(a, c), intersection(a, c)
FROM (VALUES ('(0,0,0.5,0.5)'::bbox, '(0,0,0.5,0.5)'::bbox),   -- identical
             ('(0,0,0.5,0.5)', '(0.5,0.5,1,1)'),               -- touch at a corner
             ('(0,0,0.5,0.5)', '(0,0.5,0.5,1)'),               -- share an edge
             ('(0,0,0.5,0.5)', '(0.6,0.6,1,1)'),               -- apart
             ('(0,0,1,1)', '(0.25,0.25,0.75,0.75)'),           -- inside
             ('(0,0,0.5,0.5)', '(0.25,0.25,0.75,0.75)'),       -- quarter overlap: 1/16 / (7/16)
             ('(0,0,0.2,1)', '(0,0,1,0.2)')) v(a, c);          -- cross: 0.04 / 0.36
SELECT area('(0,0,1,1)'::bbox) AS whole, area('(0.1,0.2,0.3,0.4)'::bbox) AS small,
       area('(0,0,0.5,0.2)'::bbox) AS tenth, area('(0,0,1.0e-45,1.0e-45)'::bbox) AS tiniest;

--
-- COCO [x, y, w, h] in pixels
--
SELECT to_coco('(0.1,0.2,0.3,0.4)', 640, 480) AS coco,
       from_coco('{128,48,128,96}', 640, 480) AS box,
       from_coco(to_coco('(0.1,0.2,0.3,0.4)', 640, 480), 640, 480) AS round_trip;
SELECT to_coco('(0,0,1,1)', 1920, 1080), from_coco('{0,0,1920,1080}', 1920, 1080);
SELECT count(*) FILTER (WHERE from_coco(to_coco(b, w, h), w, h) = b) AS coco_round_trips
FROM (SELECT bbox(r, c, r + 0.001 + random() * 0.1, c + 0.001 + random() * 0.1) AS b,
             (100 + random() * 4000)::int AS w, (100 + random() * 4000)::int AS h
      FROM (SELECT random() * 0.89 AS r, random() * 0.89 AS c FROM generate_series(1, 1000)) s) t;
SELECT expr, bbox_try(expr) AS result
FROM (VALUES ('to_coco(''(0,0,1,1)'', 0, 480)'), ('to_coco(''(0,0,1,1)'', 640, -1)'),
             ('from_coco(''{1,2,3}'', 640, 480)'), ('from_coco(''{1,2,3,4,5}'', 640, 480)'),
             ('from_coco(''{}'', 640, 480)'), ('from_coco(''{{1,2},{3,4}}'', 640, 480)'),
             ('from_coco(''{1,NULL,3,4}'', 640, 480)'), ('from_coco(''{NaN,2,3,4}'', 640, 480)'),
             ('from_coco(''{1,2,Infinity,4}'', 640, 480)'), ('from_coco(''{1,2,0,4}'', 640, 480)'),
             ('from_coco(''{1,2,3,-4}'', 640, 480)'), ('from_coco(''{-10,0,100,50}'', 640, 480)'),
             ('from_coco(''{600,0,100,50}'', 640, 480)'), ('from_coco(''{0,0,10,10}'', 0, 480)'),
             ('from_coco(''{0,0,10,10}'', 640, 0)'), ('from_coco(''{0,0,1e308,1e308}'', 640, 480)'),
             ('from_coco(''{0,0,1e-300,10}'', 640, 480)')) v(expr);

--
-- Every bbox object has a comment
--
SELECT pg_describe_object(classid, objid, 0) AS missing_comment
FROM pg_depend d
WHERE refclassid = 'pg_extension'::regclass AND deptype = 'e'
  AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'annotations')
  AND pg_describe_object(classid, objid, 0) ~ 'bbox|coco|area|iou|intersection'
  AND obj_description(objid, (SELECT relname FROM pg_class WHERE oid = classid)) IS NULL
ORDER BY 1;

DROP FUNCTION public.bbox_try_literal(text);
DROP FUNCTION public.bbox_try(text);
