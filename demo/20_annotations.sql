-- The Clarifai Annotations API, in SQL: the documentation's examples, in order.
\pset null '·'
\pset border 2
SET search_path = annotations, public;

\echo
\echo '== An app with two images and a video. Each input gets an input-level annotation.'
SELECT id, owner_id FROM create_app('demo');
SELECT id, data FROM post_inputs('demo', '[
  {"id": "street", "data": {"image": {"url": "https://samples.clarifai.com/metro-north.jpg",
                                      "image_info": {"width": 1024, "height": 768}}}},
  {"id": "dog",    "data": {"image": {"url": "https://samples.clarifai.com/dog.jpg",
                                      "image_info": {"width": 640, "height": 480}},
                            "concepts": [{"id": "dog", "value": 1}]}},
  {"id": "clip",   "data": {"video": {"url": "https://samples.clarifai.com/beer.mp4"}}}
]');

\echo
\echo '== Annotate an image with concepts (tree present, water absent)'
SELECT id, input_id, concepts, user_id FROM post_annotations('demo', '[
  {"id": "street-concepts", "input_id": "street",
   "data": {"concepts": [{"id": "tree", "value": 1}, {"id": "water", "value": 0}]},
   "embed_model_version_id": "embed-v1"}]');

\echo
\echo '== Two new bounding boxes in one call'
SELECT id, region_id, bbox, region_concepts FROM post_annotations('demo', '[
  {"id": "box-1", "input_id": "street", "data": {"regions": [{"id": "region-1",
     "region_info": {"bounding_box": {"top_row": 0, "left_col": 0, "bottom_row": 0.5, "right_col": 0.5}},
     "data": {"concepts": [{"id": "tree", "value": 1}, {"id": "water", "value": 0}]}}]}},
  {"id": "box-2", "input_id": "street", "data": {"regions": [{"id": "region-2",
     "region_info": {"bounding_box": {"top_row": 0.6, "left_col": 0.6, "bottom_row": 0.8, "right_col": 0.8}},
     "data": {"concepts": [{"id": "bike", "value": 1}]}}]}}]');

\echo
\echo '== A detection model found a region on the dog image; a user labels it by region id'
SELECT id, model_version_id, region_id, bbox FROM post_annotations('demo', '[
  {"id": "detected", "input_id": "dog", "model_version_id": "general-detection",
   "data": {"regions": [{"id": "det-1",
     "region_info": {"bounding_box": {"top_row": 0.1, "left_col": 0.2, "bottom_row": 0.9, "right_col": 0.7}},
     "data": {"concepts": [{"id": "dog", "value": 0.97}]}}]}}]');
SELECT id, user_id, region_id, bbox, region_concepts FROM post_annotations('demo', '[
  {"id": "labeled", "input_id": "dog",
   "data": {"regions": [{"id": "det-1", "data": {"concepts": [{"id": "golden-retriever", "value": 1}]}}]}}]');

\echo
\echo '== Assign an image to another labeler, status pending'
SELECT id, user_id, status, status_code(status) FROM post_annotations('demo', '[
  {"id": "for-ann", "input_id": "dog", "user_id": "ann", "status": {"code": "ANNOTATION_PENDING"}}]');

\echo
\echo '== A label on video frame 12 (480 ms)'
SELECT id, frame_index, frame_time, bbox, region_concepts FROM post_annotations('demo', '[
  {"id": "frame-12", "input_id": "clip", "data": {"frames": [{"frame_info": {"index": 12, "time": 480},
     "data": {"regions": [{"region_info": {"bounding_box": {"top_row": 0.2, "left_col": 0.1, "bottom_row": 0.7, "right_col": 0.5}},
                           "data": {"concepts": [{"id": "glass", "value": 1}]}}]}}]}}]');

\echo
\echo '== List user-created annotations (oldest first, 10 per page)'
SELECT seq, id, input_id, user_id, status FROM list_annotations('demo', per_page => 10);
\echo '== ... all annotations, models included'
SELECT seq, id, user_id, model_version_id FROM list_annotations('demo', list_all_annotations => true, per_page => 10);
\echo '== ... by input ids; by (input id, annotation id) pairs; by user ids; by model version ids'
SELECT id, input_id FROM list_annotations('demo', input_ids => ARRAY['dog']);
SELECT id, input_id, model_version_id FROM list_annotations('demo', input_ids => ARRAY['dog', 'street'], ids => ARRAY['detected', 'box-2']);
SELECT id, user_id FROM list_annotations('demo', user_ids => ARRAY['ann']);
SELECT id, model_version_id FROM list_annotations('demo', model_version_ids => ARRAY['general-detection']);
\echo '== Keyset paging: pass the last seq seen as after'
SELECT seq, id FROM list_annotations('demo', per_page => 2);
SELECT seq, id FROM list_annotations('demo', per_page => 2,
    after => (SELECT max(seq) FROM list_annotations('demo', per_page => 2)));
SELECT count_annotations('demo') AS user_created, count_annotations('demo', list_all_annotations => true) AS all_annotations;

\echo
\echo '== Update: merge a concept, merge into a region, move a box, approve a pending label'
SELECT id, concepts FROM patch_annotations('demo', 'merge', '[
  {"input_id": "street", "id": "street-concepts", "data": {"concepts": [{"id": "apple", "value": 1}]}}]');
SELECT id, region_id, region_concepts FROM patch_annotations('demo', 'merge', '[
  {"input_id": "street", "id": "box-1", "data": {"regions": [{"id": "region-1", "data": {"concepts": [{"id": "tree", "value": 1}, {"id": "bench", "value": 1}]}}]}}]');
SELECT id, bbox, region_concepts FROM patch_annotations('demo', 'overwrite', '[
  {"input_id": "street", "id": "box-2", "data": {"regions": [{
     "region_info": {"bounding_box": {"top_row": 0.5, "left_col": 0.5, "bottom_row": 0.8, "right_col": 0.8}},
     "data": {"concepts": [{"id": "bike", "value": 1}]}}]}}]');
SELECT id, status FROM patch_annotations('demo', 'merge', '[
  {"input_id": "dog", "id": "for-ann", "status": {"code": "ANNOTATION_SUCCESS"}}]');

\echo
\echo '== One annotation as Clarifai REST JSON'
SELECT jsonb_pretty(to_json(get_annotation('demo', 'dog', 'labeled')));

\echo
\echo '== Reporting: one row per concept label'
SELECT concept_id, count(*) AS labels, round(avg(value)::numeric, 2) AS mean_value
  FROM concept_labels WHERE app_id = 'demo' GROUP BY 1 ORDER BY 2 DESC, 1;

\echo
\echo '== Bad input gets a clear error and changes nothing'
\set ON_ERROR_STOP 0
SELECT * FROM post_annotations('demo', '[
  {"input_id": "street", "data": {"concepts": [{"id": "ok"}]}},
  {"input_id": "street", "data": {"regions": [{"region_info": {"bounding_box":
      {"top_row": 0.7, "left_col": 0, "bottom_row": 0.5, "right_col": 1}}}]}}]');
SELECT * FROM patch_annotations('demo', 'merge', '[{"id": "detected", "data": {"concepts": [{"id": "cat"}]}}]');
\set ON_ERROR_STOP 1
SELECT count_annotations('demo', list_all_annotations => true) AS still;

\echo
\echo '== Delete: one annotation; by (input, annotation) pairs; everything but input-level ones'
SELECT delete_annotation('demo', 'street', 'street-concepts');
SELECT delete_annotations('demo', ARRAY['street'], ARRAY['box-1']) AS deleted;
SELECT delete_annotations('demo', ARRAY['street', 'dog']) AS deleted;
SELECT input_id, count(*) AS left_over, bool_and(input_level) AS only_input_level
  FROM annotations.annotations WHERE app_id = 'demo' GROUP BY 1 ORDER BY 1;
