-- patch_annotations: the documentation's update examples, each action's
-- rules, delete_if_empty_data, and every refusal.
SET search_path = annotations, public;
\set SHOW_CONTEXT never
SET client_min_messages = warning;
\pset null '(null)'

SELECT id FROM create_app('patching');
SELECT id FROM post_inputs('patching', '[{"id": "img", "data": {"image": {"url": "u"}}},
                                         {"id": "other", "data": {"image": {"url": "v"}}}]');
SELECT id FROM post_annotations('patching', '[
  {"id": "concepts", "input_id": "img", "data": {"concepts": [{"id": "tree", "value": 1}, {"id": "water", "value": 0}]},
   "annotation_info": {"source": "docs", "reviewer": {"name": "kim", "round": 1}}},
  {"id": "boxed", "input_id": "img", "data": {"regions": [{"id": "r1",
      "region_info": {"bounding_box": {"top_row": 0, "left_col": 0, "bottom_row": 0.5, "right_col": 0.5}},
      "data": {"concepts": [{"id": "bike", "value": 1}]}}]}},
  {"id": "pending", "input_id": "img", "status": {"code": "ANNOTATION_PENDING"}, "data": {"concepts": [{"id": "tree"}]}},
  {"id": "by-model", "input_id": "img", "model_version_id": "det", "data": {"concepts": [{"id": "car", "value": 0.8}]}},
  {"id": "framed", "input_id": "other", "data": {"frames": [{"frame_info": {"index": 3, "time": 120},
      "data": {"concepts": [{"id": "x"}]}}]}}
]');
SELECT seq AS boxed_seq, created_at AS boxed_created FROM annotations.annotations WHERE app_id = 'patching' AND id = 'boxed' \gset

-- "Update annotation with concepts" (merge): apple appended, tree's value changed
SELECT id, concepts FROM patch_annotations('patching', 'merge', '[
  {"input_id": "img", "id": "concepts", "data": {"concepts": [{"id": "apple", "value": 1}, {"id": "tree", "value": 0, "name": "Tree"}]}}]');

-- "Update annotation with concepts in a region" (merge by the current region id)
SELECT id, region_id, bbox, region_concepts FROM patch_annotations('patching', 'merge', '[
  {"input_id": "img", "id": "boxed", "data": {"regions": [{"id": "r1", "data": {"concepts": [{"id": "tree", "value": 1}]}}]}}]');
-- merge with the current region id and a new box moves the box, keeps concepts
SELECT region_id, bbox, region_concepts FROM patch_annotations('patching', 'merge', '[
  {"id": "boxed", "data": {"regions": [{"id": "r1", "region_info": {"bounding_box": {"top_row": 0.1, "left_col": 0.1, "bottom_row": 0.6, "right_col": 0.6}}}]}}]');

-- "Update annotation region coordinates" (overwrite: what is not given is gone)
SELECT id, region_id = 'r1' AS same_region_id, bbox, region_concepts, concepts
  FROM patch_annotations('patching', 'overwrite', '[
  {"input_id": "img", "id": "boxed", "data": {"regions": [{
      "region_info": {"bounding_box": {"top_row": 0.5, "left_col": 0.5, "bottom_row": 0.8, "right_col": 0.8}},
      "data": {"concepts": [{"id": "bike", "value": 1}]}}]}}]');
-- seq and created_at never move; modified_at does
SELECT seq = :boxed_seq AS same_seq, created_at = :'boxed_created' AS same_created,
       modified_at >= created_at AS modified
  FROM annotations.annotations WHERE app_id = 'patching' AND id = 'boxed';
SELECT count(*) AS regions_of_boxed FROM annotations.regions WHERE app_id = 'patching' AND annotation_id = 'boxed';

-- "Update annotation status": pending -> success
SELECT id, status FROM patch_annotations('patching', 'merge', '[
  {"input_id": "img", "id": "pending", "status": {"code": "ANNOTATION_SUCCESS"}}]');

-- merge: a region with another id replaces the current one
SELECT region_id, bbox, region_concepts FROM patch_annotations('patching', 'merge', '[
  {"id": "boxed", "data": {"regions": [{"id": "r2", "region_info": {"bounding_box": {"top_row": 0, "left_col": 0, "bottom_row": 1, "right_col": 1}}}]}}]');
-- merge: annotation_info is deep-merged
SELECT annotation_info FROM patch_annotations('patching', 'merge', '[
  {"id": "concepts", "annotation_info": {"reviewer": {"round": 2}, "flag": true}}]');
-- overwrite: annotation_info and status replaced; data not given is kept
SELECT concepts, annotation_info, status FROM patch_annotations('patching', 'overwrite', '[
  {"id": "concepts", "annotation_info": {"only": 1}, "status": {"code": 24157}}]');
-- overwrite with data: the frame is gone unless given again
SELECT concepts, frame_index, frame_time FROM patch_annotations('patching', 'overwrite', '[
  {"id": "framed", "data": {"concepts": [{"id": "y"}]}}]');
SELECT concepts, frame_index, frame_time FROM patch_annotations('patching', 'merge', '[
  {"id": "framed", "data": {"frames": [{"frame_info": {"index": 9}, "data": {"concepts": [{"id": "z", "value": 0.5}]}}]}}]');

-- remove: concept ids, region concepts by the current region id, info keys
SELECT id, concepts FROM patch_annotations('patching', 'remove', '[
  {"id": "concepts", "data": {"concepts": [{"id": "tree"}, {"id": "not-there"}]}}]');
SELECT region_id, region_concepts FROM patch_annotations('patching', 'merge', '[
  {"id": "boxed", "data": {"regions": [{"id": "r2", "data": {"concepts": [{"id": "a"}, {"id": "b"}]}}]}}]');
SELECT region_id, region_concepts FROM patch_annotations('patching', 'remove', '[
  {"id": "boxed", "data": {"regions": [{"id": "r2", "data": {"concepts": [{"id": "a"}]}}]}}]');
SELECT annotation_info FROM patch_annotations('patching', 'merge', '[
  {"id": "pending", "annotation_info": {"a": 1, "b": {"c": 2, "d": 3}}}]');
SELECT annotation_info FROM patch_annotations('patching', 'remove', '[
  {"id": "pending", "annotation_info": {"a": true, "b": {"c": true}}}]');
-- remove: a region given by id with no data removes the region
SELECT region_id, bbox FROM patch_annotations('patching', 'remove', '[
  {"id": "boxed", "data": {"regions": [{"id": "r2"}]}}]');
SELECT count(*) AS regions_of_boxed FROM annotations.regions WHERE app_id = 'patching' AND annotation_id = 'boxed';

-- delete_if_empty_data: an annotation left empty is deleted and not returned
SELECT count(*) FROM patch_annotations('patching', 'remove', '[
  {"id": "pending", "data": {"concepts": [{"id": "tree"}]}}]', delete_if_empty_data => true);
SELECT count(*) AS pending_left FROM annotations.annotations WHERE app_id = 'patching' AND id = 'pending';
-- ... but not while something is left, and never an input-level one
SELECT count(*) FROM patch_annotations('patching', 'remove', '[
  {"id": "concepts", "data": {"concepts": [{"id": "water"}]}}]', delete_if_empty_data => true);
SELECT id AS level_id FROM annotations.annotations WHERE app_id = 'patching' AND input_id = 'img' AND input_level \gset
SELECT input_level, concepts FROM patch_annotations('patching', 'merge',
  jsonb_build_array(jsonb_build_object('id', :'level_id', 'data', '{"concepts": [{"id": "k"}]}'::jsonb)));
SELECT count(*) FROM patch_annotations('patching', 'remove',
  jsonb_build_array(jsonb_build_object('id', :'level_id', 'data', '{"concepts": [{"id": "k"}]}'::jsonb)),
  delete_if_empty_data => true);

-- refusals; none of them changes anything
CREATE FUNCTION pg_temp.fingerprint() RETURNS text LANGUAGE sql AS $$
SELECT md5(string_agg(t, '|' ORDER BY t)) FROM (
  SELECT 'a' || a::text AS t FROM annotations.annotations a
  UNION ALL SELECT 'r' || r::text FROM annotations.regions r) s
$$;
SELECT pg_temp.fingerprint() AS before \gset
SELECT patch_annotations('patching', 'replace', '[{"id": "concepts"}]');
SELECT patch_annotations('patching', NULL, '[{"id": "concepts"}]');
SELECT patch_annotations('nope', 'merge', '[{"id": "concepts"}]');
SELECT patch_annotations('patching', 'merge', '[]');
SELECT patch_annotations('patching', 'merge', (SELECT jsonb_agg(jsonb_build_object('id', 'concepts' || i)) FROM generate_series(1, 129) i));
SELECT patch_annotations('patching', 'merge', '[{"input_id": "img"}]');
SELECT patch_annotations('patching', 'merge', '[{"id": "nope"}]');
SELECT patch_annotations('patching', 'merge', '[{"id": "concepts", "input_id": "other"}]');
SELECT patch_annotations('patching', 'merge', '[{"id": "by-model", "data": {"concepts": [{"id": "car", "value": 1}]}}]');
SELECT patch_annotations('patching', 'merge', '[{"id": "concepts"}, {"id": "concepts"}]');
SELECT patch_annotations('patching', 'merge', '[{"id": "concepts", "user_id": "someone-else"}]');
SELECT patch_annotations('patching', 'merge', '[{"id": "concepts", "model_version_id": "m"}]');
SELECT patch_annotations('patching', 'merge', '[{"id": "concepts", "data": {"concepts": [{"id": "a", "value": 7}]}}]');
SELECT patch_annotations('patching', 'merge', '[{"id": "concepts", "data": {"regions": [{"id": "new-region"}]}}]');
SELECT patch_annotations('patching', 'overwrite', '[{"id": "concepts", "data": {"regions": [{"data": {}}]}}]');
SELECT patch_annotations('patching', 'remove', '[{"id": "boxed", "data": {"regions": [{"id": "r9"}]}}]');
SELECT patch_annotations('patching', 'remove', '[{"id": "concepts", "status": {"code": 24150}}]');
SELECT patch_annotations('patching', 'remove', '[{"id": "concepts", "annotation_info": {"source": 1}}]');
SELECT patch_annotations('patching', 'merge', '[{"id": "concepts", "data": {"concepts": []}}, {"id": "missing"}]');
SELECT pg_temp.fingerprint() = :'before' AS unchanged;
