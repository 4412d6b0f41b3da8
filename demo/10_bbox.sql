-- ======================================================================
-- The bbox type: a normalized bounding box (top_row, left_col,
-- bottom_row, right_col), every value in [0,1], Clarifai order.
-- ======================================================================
SET search_path = annotations, public;

-- A literal; the output is the shortest text that reads back the same.
SELECT '(0.1, 0.2, 0.5, 0.6)'::bbox AS box,
       bbox(0.1, 0.2, 0.5, 0.6)     AS from_constructor;

-- Bad boxes never get in: the message names the offending value.
DO $$
BEGIN
  PERFORM '(0.7,0,0.5,1)'::annotations.bbox;
EXCEPTION WHEN invalid_parameter_value THEN
  RAISE NOTICE '% (SQLSTATE %)', SQLERRM, SQLSTATE;
END $$;

-- The Clarifai JSON object, both ways (to_jsonb and row_to_json use it too).
SELECT '(0.1,0.2,0.5,0.6)'::bbox::jsonb AS as_json,
       '{"top_row":0.1,"left_col":0.2,"bottom_row":0.5,"right_col":0.6}'::jsonb::bbox AS from_json;

-- Geometry: area (fraction of the image), intersection over union, the shared part.
SELECT area(a) AS area_a, iou(a, b), intersection(a, b), a && b AS overlaps
FROM (VALUES ('(0,0,0.5,0.5)'::bbox, '(0.25,0.25,0.75,0.75)'::bbox)) v(a, b);

-- COCO pixel boxes [x, y, w, h] of a 640x480 image, both ways.
SELECT to_coco('(0.1,0.2,0.5,0.6)', 640, 480) AS coco,
       from_coco('{128,48,256,192}', 640, 480) AS back;

-- A GiST index answers "which boxes overlap this region".
SELECT setseed(0.5) \g /dev/null
CREATE TEMP TABLE regions AS
SELECT i AS id, bbox(r, c, r + 0.01 + random() * 0.1, c + 0.01 + random() * 0.1) AS box
FROM (SELECT i, random() * 0.88 AS r, random() * 0.88 AS c FROM generate_series(1, 100000) i) s;
CREATE INDEX ON regions USING gist (box);
ANALYZE regions;
EXPLAIN (COSTS OFF)
SELECT count(*) FROM regions WHERE box OPERATOR(annotations.&&) '(0.4,0.4,0.45,0.45)';
SELECT count(*) AS overlapping FROM regions WHERE box && '(0.4,0.4,0.45,0.45)';
