-- An import stores its document a chunk of boxes at a time, and what it
-- reads of the store grows with the number of chunks, not of boxes: crowd
-- boxes are written as such by the regions INSERT (no row updated after),
-- and importing the document again reads the stored regions at most once a
-- chunk. 9,000 boxes on 50 images make three chunks of boxes; four boxes
-- around the first boundary are empty (skipped), every 50th is a crowd.
-- What is read is counted by this backend's statistics of the transaction
-- (pg_stat_get_xact_*), so the test runs on one server only.
SET search_path = annotations, public;
SET client_min_messages = warning;
\set SHOW_CONTEXT never

SELECT id FROM create_app('bwi');
CREATE TEMP TABLE bwdoc AS SELECT jsonb_build_object(
  'images', (SELECT jsonb_agg(jsonb_build_object('id', i, 'file_name', 'w' || i || '.jpg',
                                                 'width', 100, 'height', 100) ORDER BY i)
               FROM generate_series(1, 50) i),
  'categories', '[{"id": 1, "name": "thing"}]'::jsonb,
  'annotations', (SELECT jsonb_agg(jsonb_build_object(
                    'id', i, 'image_id', 1 + i % 50, 'category_id', 1,
                    'bbox', jsonb_build_array(i % 90, i % 80, CASE WHEN i BETWEEN 4095 AND 4098 THEN 0 ELSE 10 END, 10),
                    'iscrowd', (i % 50 = 0)::int) ORDER BY i)
                    FROM generate_series(1, 9000) i)) AS d;
-- (counts of this transaction, each taken before the import and after)
BEGIN;
SELECT pg_stat_get_xact_tuples_updated('annotations.regions'::regclass) AS regions_updated \gset
SELECT images, annotations, skipped, skipped_reasons, annotations_created
  FROM import_coco('bwi', (SELECT d FROM bwdoc));
-- crowd boxes are written as crowd regions by the INSERT itself, so no row
-- is updated afterwards
SELECT pg_stat_get_xact_tuples_updated('annotations.regions'::regclass) - :regions_updated AS regions_updated;
SELECT count(*) FILTER (WHERE iscrowd) AS crowd, count(*) AS regions
  FROM annotations.regions WHERE app_id = 'bwi';
COMMIT;
-- the boxes at the chunk boundaries are the document's
SELECT r.annotation_id, r.bbox, r.iscrowd FROM annotations.regions r
 WHERE r.app_id = 'bwi' AND r.annotation_id IN ('coco-w45.jpg-4094', 'coco-w49.jpg-4098', 'coco-w50.jpg-4099',
                                                'coco-w44.jpg-4193', 'coco-w1.jpg-8200', 'coco-w1.jpg-9000')
 ORDER BY 1;
-- importing it again finds every box stored, reading the stored regions at
-- most once a chunk (three chunks), by their key or, when the plan chosen
-- from the statistics reads the app by app id, in one pass each
BEGIN;
SELECT pg_stat_get_xact_tuples_fetched('annotations.regions_bbox_idx'::regclass)
     + pg_stat_get_xact_tuples_fetched('annotations.regions_pkey'::regclass)
     + pg_stat_get_xact_tuples_fetched('annotations.regions_by_id_idx'::regclass)
     + pg_stat_get_xact_tuples_fetched('annotations.regions'::regclass) AS regions_read \gset
SELECT annotations_created, annotations_existing FROM import_coco('bwi', (SELECT d FROM bwdoc));
SELECT pg_stat_get_xact_tuples_fetched('annotations.regions_bbox_idx'::regclass)
     + pg_stat_get_xact_tuples_fetched('annotations.regions_pkey'::regclass)
     + pg_stat_get_xact_tuples_fetched('annotations.regions_by_id_idx'::regclass)
     + pg_stat_get_xact_tuples_fetched('annotations.regions'::regclass) - :regions_read
       BETWEEN 8996 AND 3 * 8996 AS regions_read_at_most_once_a_chunk;
COMMIT;
