-- import_coco and the ids it gives boxes (coco-<file_name>-<id>): an
-- annotation with such an id counts as already imported only when it is the
-- document's own box, imported by the same user (same input, same box,
-- region concepts exactly [{"id": <category>, "value": 1}]). Anything else
-- under that id is someone else's annotation: 23505, nothing written.
SET search_path = annotations, public;
SET client_min_messages = warning;

-- fingerprint of every table, to show nothing changed
CREATE FUNCTION pg_temp.fingerprint() RETURNS text LANGUAGE sql AS $$
SELECT md5(string_agg(t, '|' ORDER BY t)) FROM (
  SELECT 'a' || a::text AS t FROM annotations.annotations a
  UNION ALL SELECT 'r' || r::text FROM annotations.regions r
  UNION ALL SELECT 'i' || i::text FROM annotations.inputs i
  UNION ALL SELECT 'p' || p::text FROM annotations.apps p) s
$$;

CREATE ROLE regress_ids_alice;
CREATE ROLE regress_ids_bob;
SELECT id FROM create_app('ids', 'regress_ids_alice');
SELECT add_collaborator('ids', 'regress_ids_bob');

-- the document: one 100x100 image, one box of category "cat"
SELECT '{"images": [{"id": 7, "file_name": "a.jpg", "width": 100, "height": 100}],
  "categories": [{"id": 1, "name": "cat"}],
  "annotations": [{"id": 1, "image_id": 7, "category_id": 1, "bbox": [10, 10, 20, 20]}]}'::jsonb AS doc \gset

------------------------------------------------------------------------------
-- 1. Imported by another user: the box is theirs, not the importer's.
------------------------------------------------------------------------------
SET ROLE regress_ids_bob;
SELECT * FROM import_coco('ids', :'doc');
-- bob again: his own box, already imported
SELECT * FROM import_coco('ids', :'doc');
RESET ROLE;
SELECT pg_temp.fingerprint() AS before \gset
SET ROLE regress_ids_alice;
SELECT * FROM import_coco('ids', :'doc');
RESET ROLE;
SELECT pg_temp.fingerprint() = :'before' AS unchanged;
SELECT delete_inputs('ids', ARRAY['a.jpg']);

------------------------------------------------------------------------------
-- 2. Posted by the importer with another box.
------------------------------------------------------------------------------
SET ROLE regress_ids_alice;
SELECT id FROM post_inputs('ids', '[{"id": "a.jpg", "data": {"image": {"url": "a.jpg", "image_info": {"width": 100, "height": 100}}}}]');
SELECT id, bbox FROM post_annotations('ids', '[{"id": "coco-a.jpg-1", "input_id": "a.jpg",
   "data": {"regions": [{"id": "coco-a.jpg-1",
                         "region_info": {"bounding_box": {"top_row": 0.5, "left_col": 0.5, "bottom_row": 0.75, "right_col": 0.75}},
                         "data": {"concepts": [{"id": "cat", "value": 1}]}}]}}]');
RESET ROLE;
SELECT pg_temp.fingerprint() AS before \gset
SET ROLE regress_ids_alice;
SELECT * FROM import_coco('ids', :'doc');
RESET ROLE;
SELECT pg_temp.fingerprint() = :'before' AS unchanged;
SET ROLE regress_ids_alice;

------------------------------------------------------------------------------
-- 3. Posted by the importer with the same box but another concept, or no
--    region at all.
------------------------------------------------------------------------------
SELECT delete_annotation('ids', 'a.jpg', 'coco-a.jpg-1');
SELECT id, bbox FROM post_annotations('ids', '[{"id": "coco-a.jpg-1", "input_id": "a.jpg",
   "data": {"regions": [{"id": "coco-a.jpg-1",
                         "region_info": {"bounding_box": {"top_row": 0.1, "left_col": 0.1, "bottom_row": 0.3, "right_col": 0.3}},
                         "data": {"concepts": [{"id": "cat", "value": 1}, {"id": "dog", "value": 0}]}}]}}]');
RESET ROLE;
SELECT pg_temp.fingerprint() AS before \gset
SET ROLE regress_ids_alice;
SELECT * FROM import_coco('ids', :'doc');
RESET ROLE;
SELECT pg_temp.fingerprint() = :'before' AS unchanged;
SET ROLE regress_ids_alice;
SELECT delete_annotation('ids', 'a.jpg', 'coco-a.jpg-1');
SELECT id FROM post_annotations('ids', '[{"id": "coco-a.jpg-1", "input_id": "a.jpg", "data": {"concepts": [{"id": "cat"}]}}]');
SELECT * FROM import_coco('ids', :'doc');
RESET ROLE;
SELECT delete_inputs('ids', ARRAY['a.jpg']);

------------------------------------------------------------------------------
-- 4. Posted by the importer on another input: the import would create a.jpg
--    first; that is undone too.
------------------------------------------------------------------------------
SET ROLE regress_ids_alice;
SELECT id FROM post_inputs('ids', '[{"id": "b.jpg", "data": {"image": {"url": "b.jpg", "image_info": {"width": 100, "height": 100}}}}]');
SELECT id, bbox FROM post_annotations('ids', '[{"id": "coco-a.jpg-1", "input_id": "b.jpg",
   "data": {"regions": [{"id": "coco-a.jpg-1",
                         "region_info": {"bounding_box": {"top_row": 0.1, "left_col": 0.1, "bottom_row": 0.3, "right_col": 0.3}},
                         "data": {"concepts": [{"id": "cat", "value": 1}]}}]}}]');
RESET ROLE;
SELECT pg_temp.fingerprint() AS before \gset
SET ROLE regress_ids_alice;
SELECT * FROM import_coco('ids', :'doc');
RESET ROLE;
SELECT pg_temp.fingerprint() = :'before' AS unchanged;
SELECT count(*) AS a_jpg_inputs FROM annotations.inputs WHERE app_id = 'ids' AND id = 'a.jpg';
SELECT delete_inputs('ids', ARRAY['b.jpg']);

------------------------------------------------------------------------------
-- 5. The same document twice, by the same user: the second import finds
--    everything (more than one batch of boxes), and changes nothing.
------------------------------------------------------------------------------
SELECT jsonb_build_object(
  'images', (SELECT jsonb_agg(jsonb_build_object('id', i, 'file_name', 'f' || i || '.jpg', 'width', 640, 'height', 480))
               FROM generate_series(1, 3) i),
  'categories', '[{"id": 1, "name": "cat"}, {"id": 2, "name": "dog"}]'::jsonb,
  'annotations', (SELECT jsonb_agg(jsonb_build_object('id', i, 'image_id', 1 + i % 3, 'category_id', 1 + i % 2,
                                                      'bbox', jsonb_build_array(i % 600, i % 400, 1 + i % 40, 0.5 + i % 80)))
                    FROM generate_series(1, 300) i)) AS big \gset
SET ROLE regress_ids_alice;
SELECT * FROM import_coco('ids', :'big');
RESET ROLE;
SELECT pg_temp.fingerprint() AS before \gset
SET ROLE regress_ids_alice;
SELECT * FROM import_coco('ids', :'big');
RESET ROLE;
SELECT pg_temp.fingerprint() = :'before' AS unchanged;
SET ROLE regress_ids_alice;
-- box 200 (coco.annotations[199], in the second batch) taken by another box:
-- reported by its place in the document, nothing written
SELECT delete_annotation('ids', 'f3.jpg', 'coco-f3.jpg-200');
SELECT id FROM post_annotations('ids', '[{"id": "coco-f3.jpg-200", "input_id": "f3.jpg",
   "data": {"regions": [{"region_info": {"bounding_box": {"top_row": 0, "left_col": 0, "bottom_row": 1, "right_col": 1}},
                         "data": {"concepts": [{"id": "cat", "value": 1}]}}]}}]');
RESET ROLE;
SELECT pg_temp.fingerprint() AS before \gset
SET ROLE regress_ids_alice;
SELECT * FROM import_coco('ids', :'big');
RESET ROLE;
SELECT pg_temp.fingerprint() = :'before' AS unchanged;

DROP ROLE regress_ids_alice;
DROP ROLE regress_ids_bob;
