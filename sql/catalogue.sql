--
-- The concept catalogue of an app: filled by every write on first use, with
-- a coco_id handed out once; post_concepts, list_concepts with label counts,
-- a closed vocabulary, who may rename, and the visible_concepts view.
--
\set SHOW_CONTEXT never
SET search_path = annotations, public;
CREATE ROLE regress_cat_owner;
CREATE ROLE regress_cat_collab;
CREATE ROLE regress_cat_stranger;
SELECT id, closed_vocabulary, last_coco_id FROM create_app('cat', 'regress_cat_owner');
SELECT add_collaborator('cat', 'regress_cat_collab');

-- the whole database's tables, to show refused calls write nothing
CREATE FUNCTION pg_temp.fingerprint() RETURNS text LANGUAGE sql AS $$
SELECT md5(string_agg(t, '|' ORDER BY t)) FROM (
  SELECT 'a' || a::text AS t FROM annotations.annotations a
  UNION ALL SELECT 'r' || r::text FROM annotations.regions r
  UNION ALL SELECT 'i' || i::text FROM annotations.inputs i
  UNION ALL SELECT 'p' || p::text FROM annotations.apps p
  UNION ALL SELECT 'k' || k::text FROM annotations.concepts k) s
$$;

-- 1. Every write adds the concepts it uses, numbered in order of first use:
-- input concepts, whole-input and region concepts, frames, patches.
SET ROLE regress_cat_owner;
SELECT id FROM post_inputs('cat', '[{"id": "i1", "data": {"image": {"url": "https://x/1.jpg", "image_info": {"width": 100, "height": 100}},
  "concepts": [{"id": "sky", "name": "Sky"}]}},
  {"id": "i2", "data": {"video": {"url": "https://x/2.mp4"}}}]');
SELECT id FROM post_annotations('cat', '[
  {"id": "a1", "input_id": "i1", "data": {"concepts": [{"id": "tree"}, {"id": "sky", "name": "Heaven"}],
   "regions": [{"id": "r1", "region_info": {"bounding_box": {"top_row": 0.1, "left_col": 0.1, "bottom_row": 0.5, "right_col": 0.5}},
                "data": {"concepts": [{"id": "dog", "name": "Dog"}, {"id": "cat", "value": 0}]}}]}},
  {"id": "a2", "input_id": "i1", "model_version_id": "det", "data": {"regions": [{"id": "r2",
     "region_info": {"bounding_box": {"top_row": 0.2, "left_col": 0.2, "bottom_row": 0.6, "right_col": 0.6}},
     "data": {"concepts": [{"id": "dog", "value": 0.8}, {"id": "tree", "value": 0.4}]}}]}},
  {"id": "a3", "input_id": "i2", "data": {"frames": [{"frame_info": {"index": 1},
     "data": {"concepts": [{"id": "bird"}]}}]}}]');
SELECT id FROM patch_annotations('cat', 'merge', '[{"id": "a1", "data": {"concepts": [{"id": "grass"}]}}]');
-- a remove never adds what it names
SELECT id FROM patch_annotations('cat', 'remove', '[{"id": "a1", "data": {"concepts": [{"id": "ghost"}]}}]');
-- a name given later does not rename (Heaven above, not taken)
SELECT id, name, coco_id, supercategory FROM visible_concepts WHERE app_id = 'cat' ORDER BY coco_id;
SELECT id FROM create_app('cat-2', 'regress_cat_owner');
SELECT last_coco_id FROM member_apps() WHERE id = 'cat';

-- 2. list_concepts: the catalogue by coco_id with the positive labels of each
-- (value 0 is not a label), by users and models, on inputs and regions
SELECT id, coco_id, user_input_labels, user_region_labels, model_input_labels, model_region_labels
  FROM list_concepts('cat');
SELECT id, user_input_labels FROM list_concepts('cat', ids => ARRAY['sky', 'dog', 'unknown']);
SELECT count(*) FROM list_concepts('cat', ids => ARRAY[]::text[]);

-- 3. post_concepts: new concepts (next coco_ids, or their own), renames,
-- rows in request order; what is not given keeps its value
SELECT id, name, coco_id, supercategory, created_at = modified_at AS untouched
  FROM post_concepts('cat', '[{"id": "car", "coco_id": 40, "supercategory": "vehicle"},
                              {"id": "sky", "name": "Blue sky"},
                              {"id": "boat"},
                              {"id": "tree"}]');
-- the counter passed the explicit 40, so no later concept collides with it
SELECT id, coco_id FROM post_concepts('cat', '[{"id": "bike"}]');
SELECT id, name, supercategory FROM post_concepts('cat', '[{"id": "car", "name": "Car"}]');
-- posting a concept as it is changes nothing, not even modified_at
SELECT modified_at AS car_modified FROM visible_concepts WHERE app_id = 'cat' AND id = 'car' \gset
SELECT modified_at = :'car_modified' AS unchanged FROM post_concepts('cat', '[{"id": "car", "name": "Car", "coco_id": 40}]');
-- a coco_id never changes, and is never given twice
RESET ROLE;
SELECT pg_temp.fingerprint() AS fingerprint \gset
SET ROLE regress_cat_owner;
SELECT * FROM post_concepts('cat', '[{"id": "car", "coco_id": 41}]');
SELECT * FROM post_concepts('cat', '[{"id": "van", "coco_id": 40}]');
SELECT * FROM post_concepts('cat', '[{"id": "van", "coco_id": 50}, {"id": "truck", "coco_id": 50}]');
SELECT * FROM post_concepts('cat', '[{"id": "van"}, {"id": "van"}]');
SELECT * FROM post_concepts('cat', '[{"id": "van", "size": 3}]');
SELECT * FROM post_concepts('cat', '[]');
RESET ROLE;
SELECT pg_temp.fingerprint() = :'fingerprint' AS nothing_written;

-- 4. Who may do what: a collaborator adds concepts but does not rename them
SET ROLE regress_cat_collab;
SELECT id, coco_id FROM post_concepts('cat', '[{"id": "horse"}, {"id": "car"}]');
RESET ROLE;
SELECT pg_temp.fingerprint() AS fingerprint \gset
SET ROLE regress_cat_collab;
SELECT * FROM post_concepts('cat', '[{"id": "horse", "name": "Pony"}]');
SELECT * FROM post_concepts('cat', '[{"id": "car", "supercategory": "thing"}]');
SELECT set_closed_vocabulary('cat', true);
SELECT id, coco_id FROM list_concepts('cat', ids => ARRAY['horse']);
RESET ROLE;
SET ROLE regress_cat_stranger;
SELECT * FROM post_concepts('cat', '[{"id": "x"}]');
SELECT * FROM list_concepts('cat');
SELECT set_closed_vocabulary('cat', true);
SELECT count(*) AS concepts_seen_by_stranger FROM visible_concepts WHERE app_id = 'cat';
RESET ROLE;
SELECT pg_temp.fingerprint() = :'fingerprint' AS nothing_written;
SELECT id, coco_id FROM app_concepts('cat') WHERE id = 'horse';

-- 5. A closed vocabulary: only catalogued concepts, for everyone; only the
-- owner adds to the catalogue
SET ROLE regress_cat_owner;
SELECT id, closed_vocabulary FROM set_closed_vocabulary('cat', true);
RESET ROLE;
SELECT pg_temp.fingerprint() AS fingerprint \gset
SET ROLE regress_cat_collab;
SELECT id FROM post_annotations('cat', '[{"input_id": "i1", "data": {"concepts": [{"id": "zebra"}]}}]');
SET ROLE regress_cat_owner;
SELECT id FROM post_annotations('cat', '[{"input_id": "i1", "data": {"concepts": [{"id": "dog"}]}},
  {"input_id": "i1", "data": {"regions": [{"region_info": {"bounding_box": {"top_row": 0, "left_col": 0, "bottom_row": 1, "right_col": 1}},
   "data": {"concepts": [{"id": "dog"}, {"id": "bicycle"}]}}]}}]');
SELECT id FROM patch_annotations('cat', 'merge', '[{"id": "a1", "data": {"concepts": [{"id": "bicycle"}]}}]');
SELECT id FROM post_inputs('cat', '[{"id": "i3", "data": {"text": {"raw": "x"}, "concepts": [{"id": "bicycle"}]}}]');
SELECT * FROM import_coco('cat', '{"images": [{"id": 1, "file_name": "c.jpg", "width": 10, "height": 10}],
  "categories": [{"id": 1, "name": "bicycle"}], "annotations": []}');
RESET ROLE;
SET ROLE regress_cat_collab;
SELECT * FROM post_concepts('cat', '[{"id": "bicycle"}]');
RESET ROLE;
SELECT pg_temp.fingerprint() = :'fingerprint' AS nothing_written;
SET ROLE regress_cat_owner;
-- catalogued concepts go through, and the owner may add one
SELECT id FROM patch_annotations('cat', 'merge', '[{"id": "a1", "data": {"concepts": [{"id": "dog"}]}}]');
SELECT id, coco_id FROM post_concepts('cat', '[{"id": "bicycle"}]');
SELECT id FROM patch_annotations('cat', 'merge', '[{"id": "a1", "data": {"concepts": [{"id": "bicycle"}]}}]');
SELECT id, closed_vocabulary FROM set_closed_vocabulary('cat', false);
RESET ROLE;

-- 6. The catalogue through the reporting views, for members only
SET ROLE regress_cat_collab;
SELECT app_id, id, coco_id FROM visible_concepts WHERE app_id = 'cat' ORDER BY coco_id LIMIT 3;
RESET ROLE;

-- 7. A write whose concepts this session has seen catalogued skips the
-- fill (catalogue_memory counts that it does, and re-creates an app within
-- one transaction); what it remembers must still be true after rollbacks
-- and when the app is deleted and created again under the same id
SELECT id FROM create_app('cat-3', 'regress_cat_owner');
SET ROLE regress_cat_owner;
SELECT id FROM post_inputs('cat-3', '[{"id": "j1", "data": {"text": {"raw": "x"}}}]');
-- added by a write that rolls back: not in the catalogue, and added again
BEGIN;
SELECT id FROM post_annotations('cat-3', '[{"id": "b1", "input_id": "j1", "data": {"concepts": [{"id": "undone"}]}}]');
SELECT id, coco_id FROM app_concepts('cat-3');
ROLLBACK;
SELECT id FROM post_annotations('cat-3', '[{"id": "b1", "input_id": "j1", "data": {"concepts": [{"id": "undone"}]}}]');
SELECT id, coco_id FROM app_concepts('cat-3');
-- added in a savepoint rolled back, the transaction committed
BEGIN;
SAVEPOINT s;
SELECT id FROM post_annotations('cat-3', '[{"id": "b2", "input_id": "j1", "data": {"concepts": [{"id": "saved"}]}}]');
ROLLBACK TO SAVEPOINT s;
COMMIT;
SELECT id FROM patch_annotations('cat-3', 'merge', '[{"id": "b1", "data": {"concepts": [{"id": "saved"}]}}]');
SELECT id, coco_id FROM app_concepts('cat-3');
-- a concept committed and seen twice, then the app deleted and created again
SELECT id FROM post_annotations('cat-3', '[{"id": "b3", "input_id": "j1", "data": {"concepts": [{"id": "kept"}]}}]');
SELECT id FROM post_annotations('cat-3', '[{"id": "b4", "input_id": "j1", "data": {"concepts": [{"id": "kept"}, {"id": "undone"}]}}]');
SELECT delete_inputs('cat-3', ARRAY['j1']);
SELECT delete_app('cat-3');
RESET ROLE;
SELECT id FROM create_app('cat-3', 'regress_cat_owner');
SET ROLE regress_cat_owner;
SELECT id FROM post_inputs('cat-3', '[{"id": "j1", "data": {"text": {"raw": "x"}}}]');
SELECT id, closed_vocabulary FROM set_closed_vocabulary('cat-3', true);
-- the new app's catalogue is empty: refused as for any unknown concept
SELECT id FROM post_annotations('cat-3', '[{"id": "b5", "input_id": "j1", "data": {"concepts": [{"id": "kept"}]}}]');
SELECT id, closed_vocabulary FROM set_closed_vocabulary('cat-3', false);
SELECT id FROM post_annotations('cat-3', '[{"id": "b5", "input_id": "j1", "data": {"concepts": [{"id": "kept"}]}}]');
SELECT id, coco_id FROM app_concepts('cat-3');
SELECT delete_inputs('cat-3', ARRAY['j1']);
SELECT delete_app('cat-3');
RESET ROLE;

SET ROLE regress_cat_owner;
SELECT delete_inputs('cat', ARRAY['i1', 'i2']);
SELECT delete_app('cat');
SELECT delete_app('cat-2');
RESET ROLE;
SELECT count(*) AS catalogue_rows_left FROM annotations.concepts WHERE app_id IN ('cat', 'cat-2');
DROP ROLE regress_cat_owner;
DROP ROLE regress_cat_collab;
DROP ROLE regress_cat_stranger;
