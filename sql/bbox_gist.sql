--
-- GiST operator class of annotations.bbox: the index is used, and its
-- answers equal a sequential scan's for &&, @>, <@ and =.
--
SET search_path = annotations, public;
SELECT setseed(0.17);

CREATE TEMP TABLE gist_boxes (id serial, b bbox);
-- realistic boxes (sides 0.01 .. 0.2), plus edge cases: the whole image,
-- tiny boxes, boxes on the borders, duplicates
INSERT INTO gist_boxes (b)
SELECT bbox(r, c, r + 0.01 + random() * 0.19, c + 0.01 + random() * 0.19)
FROM (SELECT random() * 0.8 AS r, random() * 0.8 AS c FROM generate_series(1, 5000)) s;
INSERT INTO gist_boxes (b)
VALUES ('(0,0,1,1)'), ('(0,0,1e-45,1e-45)'), ('(0.99999994,0.99999994,1,1)'),
       ('(0,0,0.5,0.5)'), ('(0,0,0.5,0.5)'), ('(0.5,0.5,1,1)'), ('(0,0.5,0.5,1)');
CREATE INDEX gist_boxes_b ON gist_boxes USING gist (b);
ANALYZE gist_boxes;

-- query windows: random ones of several sizes, and the edge cases again
CREATE TEMP TABLE gist_windows (wid serial, q bbox);
INSERT INTO gist_windows (q)
SELECT bbox(r, c, r + s, c + s)
FROM (SELECT random() * 0.5 AS r, random() * 0.5 AS c,
             (ARRAY[0.001, 0.05, 0.2, 0.5])[1 + (i % 4)] AS s
      FROM generate_series(1, 100) i) t;
INSERT INTO gist_windows (q)
SELECT b FROM gist_boxes WHERE id % 500 = 0 OR id > 5000;

SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM gist_boxes WHERE b OPERATOR(annotations.&&) '(0.1,0.1,0.2,0.2)';
EXPLAIN (COSTS OFF) SELECT count(*) FROM gist_boxes WHERE b @> '(0.1,0.1,0.2,0.2)';
EXPLAIN (COSTS OFF) SELECT count(*) FROM gist_boxes WHERE b <@ '(0.1,0.1,0.2,0.2)';
EXPLAIN (COSTS OFF) SELECT count(*) FROM gist_boxes WHERE '(0.1,0.1,0.2,0.2)' && b;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT b FROM gist_boxes WHERE b && '(0.1,0.1,0.2,0.2)';
SELECT b FROM gist_boxes WHERE b = '(0,0,0.5,0.5)';
RESET enable_bitmapscan;

-- counts through the index ...
CREATE TEMP TABLE gist_by_index AS
SELECT wid,
       (SELECT count(*) FROM gist_boxes WHERE b && q) AS overlaps,
       (SELECT count(*) FROM gist_boxes WHERE b @> q) AS contains,
       (SELECT count(*) FROM gist_boxes WHERE b <@ q) AS contained,
       (SELECT count(*) FROM gist_boxes WHERE b = q) AS equal
FROM gist_windows;
EXPLAIN (COSTS OFF) SELECT (SELECT count(*) FROM gist_boxes WHERE b && q) FROM gist_windows;

-- ... and by a sequential scan
RESET enable_seqscan;
SET enable_indexscan = off;
SET enable_bitmapscan = off;
CREATE TEMP TABLE gist_by_seqscan AS
SELECT wid,
       (SELECT count(*) FROM gist_boxes WHERE b && q) AS overlaps,
       (SELECT count(*) FROM gist_boxes WHERE b @> q) AS contains,
       (SELECT count(*) FROM gist_boxes WHERE b <@ q) AS contained,
       (SELECT count(*) FROM gist_boxes WHERE b = q) AS equal
FROM gist_windows;
RESET enable_indexscan;
RESET enable_bitmapscan;

SELECT count(*) AS windows,
       count(*) FILTER (WHERE i IS DISTINCT FROM s) AS mismatches,
       sum((i).overlaps) > 1000 AS overlaps_found,
       sum((i).contains) > 0 AS contains_found,
       sum((i).contained) > 1000 AS contained_found,
       sum((i).equal) > 10 AS equal_found
FROM gist_by_index i JOIN gist_by_seqscan s USING (wid);

-- the same after updates and deletes (splits and key adjustments)
DELETE FROM gist_boxes WHERE id % 3 = 0;
INSERT INTO gist_boxes (b)
SELECT bbox(r, c, r + 0.001 + random() * 0.5, c + 0.001 + random() * 0.5)
FROM (SELECT random() * 0.499 AS r, random() * 0.499 AS c FROM generate_series(1, 3000)) s;
SET enable_seqscan = off;
SELECT count(*) FROM gist_boxes WHERE b && '(0.3,0.3,0.35,0.35)';
RESET enable_seqscan;
SET enable_indexscan = off;
SET enable_bitmapscan = off;
SELECT count(*) FROM gist_boxes WHERE b && '(0.3,0.3,0.35,0.35)';
RESET enable_indexscan;
RESET enable_bitmapscan;

-- degenerate splits: thousands of identical boxes, and boxes sharing one edge
CREATE TEMP TABLE gist_same (b bbox);
INSERT INTO gist_same SELECT '(0.5,0.5,0.6,0.6)' FROM generate_series(1, 3000);
INSERT INTO gist_same SELECT bbox(0.25, i / 4000.0, 0.75, i / 4000.0 + 0.0001) FROM generate_series(0, 3000) i;
CREATE INDEX gist_same_b ON gist_same USING gist (b);
SET enable_seqscan = off;
SELECT count(*) FILTER (WHERE b = '(0.5,0.5,0.6,0.6)') AS identical,
       (SELECT count(*) FROM gist_same WHERE b && '(0.5,0.5,0.6,0.6)') AS overlapping,
       (SELECT count(*) FROM gist_same WHERE b <@ '(0.2,0.2,0.8,0.3)') AS inside
FROM gist_same;
RESET enable_seqscan;
SELECT count(*) FILTER (WHERE b = '(0.5,0.5,0.6,0.6)') AS identical,
       (SELECT count(*) FROM gist_same WHERE b && '(0.5,0.5,0.6,0.6)') AS overlapping,
       (SELECT count(*) FROM gist_same WHERE b <@ '(0.2,0.2,0.8,0.3)') AS inside
FROM gist_same;
