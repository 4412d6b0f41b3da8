-- pgTAP: the annotations.bbox type — every entry point rejects bad boxes
-- with the right SQLSTATE and message, geometry answers, and the GiST index
-- agrees with a sequential scan.
BEGIN;
SELECT plan(64);
SET LOCAL search_path = annotations, public;

-- objects -----------------------------------------------------------------
SELECT has_type('annotations', 'bbox', 'type annotations.bbox exists');
SELECT is((SELECT typlen::int FROM pg_type WHERE oid = 'annotations.bbox'::regtype), 16,
          'bbox is 16 bytes');
SELECT has_function('annotations', 'bbox', ARRAY['double precision', 'double precision', 'double precision', 'double precision'],
                    'constructor annotations.bbox(float8 x4) exists');
SELECT has_function('annotations', 'iou', ARRAY['annotations.bbox', 'annotations.bbox'], 'iou exists');
SELECT is((SELECT count(*)::int FROM pg_opclass c JOIN pg_am a ON a.oid = c.opcmethod
           WHERE c.opcintype = 'annotations.bbox'::regtype AND c.opcdefault), 3,
          'default btree, hash and gist operator classes');
SELECT is((SELECT count(*)::int FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
           WHERE p.oid::regprocedure::text ~ 'bbox'
             AND NOT (p.provolatile = 'i' AND p.proisstrict AND p.proparallel = 's')), 0,
          'every bbox function is IMMUTABLE STRICT PARALLEL SAFE');

-- text input --------------------------------------------------------------
SELECT is('(0.1,0.2,0.3,0.4)'::bbox::text, '(0.1,0.2,0.3,0.4)', 'text round trip');
SELECT is(' ( 0 , 0 , 1 , 1 ) '::bbox::text, '(0,0,1,1)', 'whitespace around numbers');
SELECT is('(1e-50,0,1.00000001,1)'::bbox::text, '(0,0,1,1)', 'checked after rounding to float4');
SELECT is('(-0,0,1,1)'::bbox, '(0,0,1,1)'::bbox, '-0 equals 0');
SELECT throws_ok($$SELECT '(0,0,1)'::annotations.bbox$$, '22P02',
  'invalid input syntax for type bbox: "(0,0,1)"', 'three numbers: 22P02');
SELECT throws_ok($$SELECT ''::annotations.bbox$$, '22P02',
  'invalid input syntax for type bbox: ""', 'empty: 22P02');
SELECT throws_ok($$SELECT '((0,0,1,1))'::annotations.bbox$$, '22P02',
  'invalid input syntax for type bbox: "((0,0,1,1))"', 'double parentheses: 22P02');
SELECT throws_ok($$SELECT '(0,0,1,1) x'::annotations.bbox$$, '22P02',
  'invalid input syntax for type bbox: "(0,0,1,1) x"', 'trailing junk: 22P02');
SELECT throws_ok($$SELECT '(0.7,0,0.5,1)'::annotations.bbox$$, '22023',
  'invalid bounding box "(0.7,0,0.5,1)": top_row (0.7) must be less than bottom_row (0.5)',
  'inverted rows: 22023');
SELECT throws_ok($$SELECT '(0,0.5,1,0.5)'::annotations.bbox$$, '22023',
  'invalid bounding box "(0,0.5,1,0.5)": left_col (0.5) must be less than right_col (0.5)',
  'empty width: 22023');
SELECT throws_ok($$SELECT '(0,NaN,1,1)'::annotations.bbox$$, '22023',
  'invalid bounding box "(0,NaN,1,1)": left_col (NaN) must be a finite number', 'NaN: 22023');
SELECT throws_ok($$SELECT '(0,0,1,inf)'::annotations.bbox$$, '22023',
  'invalid bounding box "(0,0,1,inf)": right_col (Infinity) must be a finite number', 'inf: 22023');
SELECT throws_ok($$SELECT '(0,0,1,1.5)'::annotations.bbox$$, '22023',
  'invalid bounding box "(0,0,1,1.5)": right_col (1.5) must be between 0 and 1', 'above 1: 22023');
SELECT throws_ok($$SELECT '(-0.25,0,1,1)'::annotations.bbox$$, '22023',
  'invalid bounding box "(-0.25,0,1,1)": top_row (-0.25) must be between 0 and 1', 'negative: 22023');
SELECT throws_ok($$SELECT '(1e39,0,1,1)'::annotations.bbox$$, '22023',
  'invalid bounding box "(1e39,0,1,1)": top_row (1e39) must be between 0 and 1', 'float4 overflow: 22023');

-- binary receive ------------------------------------------------------------
CREATE TEMP TABLE tap_raw (b bytea);
CREATE TEMP TABLE tap_recv (b annotations.bbox);
INSERT INTO tap_raw VALUES ('\x3f000000000000003f8000003f800000');
COPY tap_raw TO '/tmp/annotations_bbox_tap.bin' (FORMAT binary);
SELECT lives_ok($$COPY tap_recv FROM '/tmp/annotations_bbox_tap.bin' (FORMAT binary)$$, 'recv of a valid box');
SELECT is((SELECT b::text FROM tap_recv), '(0.5,0,1,1)', 'recv gives the box');
TRUNCATE tap_raw;
INSERT INTO tap_raw VALUES ('\x3f333333000000003f0000003f800000');
COPY tap_raw TO '/tmp/annotations_bbox_tap.bin' (FORMAT binary);
SELECT throws_ok($$COPY tap_recv FROM '/tmp/annotations_bbox_tap.bin' (FORMAT binary)$$, '22023',
  'invalid bounding box in binary input: top_row (0.7) must be less than bottom_row (0.5)',
  'recv of an inverted box: 22023');
TRUNCATE tap_raw;
INSERT INTO tap_raw VALUES ('\x7fc00000000000003f8000003f800000');
COPY tap_raw TO '/tmp/annotations_bbox_tap.bin' (FORMAT binary);
SELECT throws_ok($$COPY tap_recv FROM '/tmp/annotations_bbox_tap.bin' (FORMAT binary)$$, '22023',
  'invalid bounding box in binary input: top_row (NaN) must be a finite number', 'recv of NaN: 22023');
SELECT is((SELECT annotations.bbox_send(b) FROM tap_recv), '\x3f000000000000003f8000003f800000'::bytea,
          'send gives four big-endian float4');

-- constructor ---------------------------------------------------------------
SELECT is(annotations.bbox(0.1, 0.2, 0.3, 0.4), '(0.1,0.2,0.3,0.4)'::annotations.bbox, 'constructor');
SELECT throws_ok($$SELECT annotations.bbox(0.7, 0, 0.5, 1)$$, '22023',
  'invalid bounding box: top_row (0.7) must be less than bottom_row (0.5)', 'constructor: inverted');
SELECT throws_ok($$SELECT annotations.bbox('NaN', 0, 1, 1)$$, '22023',
  'invalid bounding box: top_row (NaN) must be a finite number', 'constructor: NaN');
SELECT throws_ok($$SELECT annotations.bbox(0, 0, 1, 1e300)$$, '22023',
  'invalid bounding box: right_col (1e+300) must be between 0 and 1', 'constructor: float4 overflow');

-- JSON ------------------------------------------------------------------------
SELECT is('(0.1,0.2,0.3,0.4)'::annotations.bbox::jsonb,
          '{"top_row":0.1,"left_col":0.2,"bottom_row":0.3,"right_col":0.4}'::jsonb, 'bbox::jsonb');
SELECT is('{"top_row":0.1,"left_col":0.2,"bottom_row":0.3,"right_col":0.4}'::jsonb::annotations.bbox,
          '(0.1,0.2,0.3,0.4)'::annotations.bbox, 'jsonb::bbox');
SELECT throws_ok($$SELECT '{"top_row":0,"left_col":0,"bottom_row":1}'::jsonb::annotations.bbox$$, '22023',
  'bounding_box: missing key "right_col"', 'JSON: missing key');
SELECT throws_ok($$SELECT '{"top_row":0,"left_col":0,"bottom_row":1,"right_col":1,"id":"x"}'::jsonb::annotations.bbox$$,
  '22023', 'bounding_box: unknown key "id"', 'JSON: extra key');
SELECT throws_ok($$SELECT '{"top_row":"0","left_col":0,"bottom_row":1,"right_col":1}'::jsonb::annotations.bbox$$,
  '22023', 'bounding_box.top_row: expected a number, got string', 'JSON: string value');
SELECT throws_ok($$SELECT '[0,0,1,1]'::jsonb::annotations.bbox$$, '22023',
  'bounding_box: expected an object, got array', 'JSON: array');
SELECT throws_ok($$SELECT '{"top_row":1e400,"left_col":0,"bottom_row":1,"right_col":1}'::jsonb::annotations.bbox$$,
  '22023', 'bounding_box: top_row (1.000e+400) must be between 0 and 1', 'JSON: huge number');
SELECT throws_ok($$SELECT '{"top_row":0.7,"left_col":0,"bottom_row":0.5,"right_col":1}'::jsonb::annotations.bbox$$,
  '22023', 'bounding_box: top_row (0.7) must be less than bottom_row (0.5)', 'JSON: inverted');

-- comparison ----------------------------------------------------------------
SELECT ok('(0,0,0.5,1)'::bbox < '(0,0,1,0.5)'::bbox, 'ordering by bottom_row before right_col');
SELECT ok('(0.1,0,1,1)'::bbox > '(0,0.9,1,1)'::bbox, 'ordering by top_row first');
SELECT is(bbox_hash('(-0,0,1,1)'), bbox_hash('(0,0,1,1)'), 'hash agrees with =');

-- geometry ------------------------------------------------------------------
SELECT ok('(0,0,0.5,0.5)'::bbox && '(0.5,0.5,1,1)'::bbox, 'boxes touching at a corner overlap');
SELECT ok(NOT ('(0,0,0.5,0.5)'::bbox && '(0.6,0,1,1)'::bbox), 'apart boxes do not overlap');
SELECT ok('(0,0,1,1)'::bbox @> '(0.2,0.2,0.3,0.3)'::bbox, '@> contains');
SELECT ok('(0.2,0.2,0.3,0.3)'::bbox <@ '(0,0,1,1)'::bbox, '<@ is contained by');
SELECT is(area('(0,0,0.5,0.2)'::bbox), 0.1::float8, 'area');
SELECT is(iou('(0.1,0.2,0.3,0.4)', '(0.1,0.2,0.3,0.4)'), 1::float8, 'iou of identical boxes is 1');
SELECT is(iou('(0,0,0.5,0.5)', '(0.5,0.5,1,1)'), 0::float8, 'iou of touching boxes is 0');
SELECT is(iou('(0,0,0.5,0.5)', '(0.25,0.25,0.75,0.75)'), 1::float8 / 7, 'iou of quarter overlap is 1/7');
SELECT is(intersection('(0,0,0.5,0.5)', '(0.25,0.25,0.75,0.75)'), '(0.25,0.25,0.5,0.5)'::bbox, 'intersection');
SELECT is(intersection('(0,0,0.5,0.5)', '(0,0.5,0.5,1)'), NULL, 'intersection of touching boxes is NULL');

-- COCO ----------------------------------------------------------------------
SELECT is(to_coco('(0.1,0.2,0.3,0.4)', 640, 480), ARRAY[128, 48, 128, 96]::float8[], 'to_coco');
SELECT is(from_coco('{128,48,128,96}', 640, 480), '(0.1,0.2,0.3,0.4)'::bbox, 'from_coco');
SELECT throws_ok($$SELECT annotations.from_coco('{600,0,100,50}', 640, 480)$$, '22023',
  'invalid COCO box [600,0,100,50] in a 640x480 image: right_col (1.09375) must be between 0 and 1',
  'from_coco: outside the image');
SELECT throws_ok($$SELECT annotations.from_coco('{1,2,3}', 640, 480)$$, '22023',
  'invalid COCO box: expected 4 numbers [x,y,w,h], got 3', 'from_coco: three numbers');
SELECT throws_ok($$SELECT annotations.from_coco('{1,2,-3,4}', 640, 480)$$, '22023',
  'invalid COCO box [1,2,-3,4] in a 640x480 image: w (-3) must be greater than 0', 'from_coco: negative width');
SELECT throws_ok($$SELECT annotations.to_coco('(0,0,1,1)', 0, 480)$$, '22023',
  'invalid image size: image width (0) must be greater than 0', 'to_coco: zero width');

-- GiST agrees with a sequential scan on 5000 random boxes ---------------------
SELECT setseed(0.5);
CREATE TEMP TABLE tap_boxes AS
SELECT i AS id, annotations.bbox(r, c, r + 0.01 + random() * 0.19, c + 0.01 + random() * 0.19) AS b
FROM (SELECT i, random() * 0.8 AS r, random() * 0.8 AS c FROM generate_series(1, 5000) i) s;
CREATE INDEX tap_boxes_b ON tap_boxes USING gist (b);
ANALYZE tap_boxes;
CREATE TEMP TABLE tap_windows AS
SELECT i AS wid, annotations.bbox(r, c, r + s, c + s) AS q
FROM (SELECT i, random() * 0.5 AS r, random() * 0.5 AS c, (ARRAY[0.01, 0.1, 0.3, 0.5])[1 + i % 4] AS s
      FROM generate_series(1, 60) i) t
UNION ALL SELECT 1000 + id, b FROM tap_boxes WHERE id <= 20;

CREATE FUNCTION pg_temp.plan_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r record; p text := '';
BEGIN
  FOR r IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP p := p || r."QUERY PLAN" || E'\n'; END LOOP;
  RETURN p;
END $$;

SET LOCAL enable_seqscan = off;
SELECT matches(pg_temp.plan_of($$SELECT count(*) FROM tap_boxes WHERE b OPERATOR(annotations.&&) '(0.1,0.1,0.2,0.2)'$$),
               'Index Scan on tap_boxes_b|Index Scan using tap_boxes_b|Index Only Scan using tap_boxes_b',
               '&& uses the GiST index');
CREATE TEMP TABLE tap_by_index AS
SELECT wid, (SELECT count(*) FROM tap_boxes WHERE b && q) AS n_overlap,
            (SELECT count(*) FROM tap_boxes WHERE b @> q) AS n_contains,
            (SELECT count(*) FROM tap_boxes WHERE b <@ q) AS n_contained,
            (SELECT count(*) FROM tap_boxes WHERE b = q) AS n_equal
FROM tap_windows;
SET LOCAL enable_seqscan = on;
SET LOCAL enable_indexscan = off;
SET LOCAL enable_bitmapscan = off;
SELECT unalike(pg_temp.plan_of($$SELECT count(*) FROM tap_boxes WHERE b && '(0.1,0.1,0.2,0.2)'$$),
               '%tap_boxes_b%', 'the reference counts use a sequential scan');
CREATE TEMP TABLE tap_by_seqscan AS
SELECT wid, (SELECT count(*) FROM tap_boxes WHERE b && q) AS n_overlap,
            (SELECT count(*) FROM tap_boxes WHERE b @> q) AS n_contains,
            (SELECT count(*) FROM tap_boxes WHERE b <@ q) AS n_contained,
            (SELECT count(*) FROM tap_boxes WHERE b = q) AS n_equal
FROM tap_windows;
SELECT results_eq('SELECT wid, n_overlap FROM tap_by_index ORDER BY wid',
                  'SELECT wid, n_overlap FROM tap_by_seqscan ORDER BY wid', 'GiST && equals a sequential scan');
SELECT results_eq('SELECT wid, n_contains FROM tap_by_index ORDER BY wid',
                  'SELECT wid, n_contains FROM tap_by_seqscan ORDER BY wid', 'GiST @> equals a sequential scan');
SELECT results_eq('SELECT wid, n_contained FROM tap_by_index ORDER BY wid',
                  'SELECT wid, n_contained FROM tap_by_seqscan ORDER BY wid', 'GiST <@ equals a sequential scan');
SELECT results_eq('SELECT wid, n_equal FROM tap_by_index ORDER BY wid',
                  'SELECT wid, n_equal FROM tap_by_seqscan ORDER BY wid', 'GiST = equals a sequential scan');
SELECT ok((SELECT sum(n_overlap) > 5000 AND sum(n_contains) >= 20 AND sum(n_contained) > 100 AND sum(n_equal) >= 20
           FROM tap_by_seqscan), 'the comparison covers matches of every operator');

SELECT * FROM finish();
ROLLBACK;
