-- Every example of the Clarifai Annotations documentation, in SQL.
-- (Updating annotations is in patch.sql.)
SET search_path = annotations, public;
SET client_min_messages = warning;
\pset null '(null)'

SELECT id, owner_id FROM create_app('docs');

-- Inputs: each gets an input-level annotation carrying its concepts.
SELECT id, data FROM post_inputs('docs', '[
  {"id": "img-1", "data": {"image": {"url": "https://samples.clarifai.com/metro-north.jpg",
                                     "image_info": {"width": 640, "height": 480}}}},
  {"id": "img-2", "data": {"image": {"url": "https://samples.clarifai.com/dog.jpg"},
                           "concepts": [{"id": "dog", "value": 1}]}},
  {"id": "vid-1", "data": {"video": {"url": "https://samples.clarifai.com/beer.mp4"}}}
]');
SELECT input_id, user_id, input_level, concepts FROM annotations.annotations WHERE app_id = 'docs' ORDER BY seq;

-- "Annotate images with concepts": tree present, water absent.
SELECT id, input_id, concepts, embed_model_version_id, status, user_id
  FROM post_annotations('docs', '[
  {"id": "a-concepts", "input_id": "img-1",
   "data": {"concepts": [{"id": "tree", "value": 1}, {"id": "water", "value": 0}]},
   "embed_model_version_id": "emb-1"}
]');

-- "Annotate new bounding boxes in an image": two annotations in one call.
SELECT id, region_id, bbox, region_concepts
  FROM post_annotations('docs', '[
  {"id": "a-box-1", "input_id": "img-1",
   "data": {"regions": [{"id": "r-1",
      "region_info": {"bounding_box": {"top_row": 0, "left_col": 0, "bottom_row": 0.5, "right_col": 0.5}},
      "data": {"concepts": [{"id": "tree", "value": 1}, {"id": "water", "value": 0}]}}]},
   "embed_model_version_id": "emb-1"},
  {"id": "a-box-2", "input_id": "img-1",
   "data": {"regions": [{"id": "r-2",
      "region_info": {"bounding_box": {"top_row": 0.6, "left_col": 0.6, "bottom_row": 0.8, "right_col": 0.8}},
      "data": {"concepts": [{"id": "bike", "value": 1}]}}]},
   "embed_model_version_id": "emb-1"}
]');

-- A detection model writes regions (the app owner posts on its behalf) ...
SELECT id, model_version_id, user_id, region_id, bbox
  FROM post_annotations('docs', '[
  {"id": "det-1", "input_id": "img-2", "model_version_id": "general-detection",
   "data": {"regions": [{"id": "det-region-1",
      "region_info": {"bounding_box": {"top_row": 0.1, "left_col": 0.2, "bottom_row": 0.4, "right_col": 0.5}},
      "data": {"concepts": [{"id": "dog", "value": 0.93}]}}]}},
  {"id": "det-2", "input_id": "img-2", "model_version_id": "general-detection",
   "data": {"regions": [{"id": "det-region-2",
      "region_info": {"bounding_box": {"top_row": 0.5, "left_col": 0.5, "bottom_row": 0.9, "right_col": 0.9}},
      "data": {"concepts": [{"id": "bike", "value": 0.71}]}}]}}
]');

-- "Annotate existing regions in an image": label regions by id; the box is
-- taken from the region the model wrote.
SELECT id, user_id, region_id, bbox, region_concepts
  FROM post_annotations('docs', '[
  {"id": "label-1", "input_id": "img-2",
   "data": {"regions": [{"id": "det-region-1",
      "data": {"concepts": [{"id": "tree", "value": 1}, {"id": "water", "value": 0}]}}]},
   "embed_model_version_id": "emb-1"},
  {"id": "label-2", "input_id": "img-2",
   "data": {"regions": [{"id": "det-region-2",
      "data": {"concepts": [{"id": "bike", "value": 1}]}}]},
   "embed_model_version_id": "emb-1"}
]');

-- "Annotate images with different user_id and status": assign to another
-- user with status pending (app owner only).
SELECT id, user_id, status, status_code(status)
  FROM post_annotations('docs', '[
  {"id": "assigned", "input_id": "img-1", "user_id": "labeler-ann",
   "status": {"code": "ANNOTATION_PENDING"}}
]');

-- A video frame with a region.
SELECT id, frame_index, frame_time, bbox, region_concepts
  FROM post_annotations('docs', '[
  {"id": "frame-1", "input_id": "vid-1",
   "data": {"frames": [{"frame_info": {"index": 12, "time": 480},
      "data": {"regions": [{"region_info": {"bounding_box":
          {"top_row": 0.2, "left_col": 0.2, "bottom_row": 0.6, "right_col": 0.7}},
        "data": {"concepts": [{"id": "beer", "value": 1}]}}]}}]}}
]');

-- "List all user created annotations in your app" (per_page=10): model
-- annotations and the empty input-level ones are not listed; oldest first.
SELECT CASE WHEN input_level THEN '(input-level)' ELSE id END AS id, input_id, user_id FROM list_annotations('docs', per_page => 10);

-- "List all annotations in your app", models' included.
SELECT CASE WHEN input_level THEN '(input-level)' ELSE id END AS id, input_id, user_id, model_version_id FROM list_annotations('docs', per_page => 10, list_all_annotations => true);

-- "List user created annotations by input ids".
SELECT CASE WHEN input_level THEN '(input-level)' ELSE id END AS id, input_id FROM list_annotations('docs', input_ids => ARRAY['img-2', 'vid-1'], per_page => 10);

-- "List annotations by input ids and annotation ids": user and model alike.
SELECT id, input_id, model_version_id
  FROM list_annotations('docs', input_ids => ARRAY['img-2', 'img-1'], ids => ARRAY['det-1', 'a-box-2'], per_page => 10);

-- "List annotations by user ids".
SELECT CASE WHEN input_level THEN '(input-level)' ELSE id END AS id, user_id FROM list_annotations('docs', user_ids => ARRAY['labeler-ann', current_user::text], per_page => 10);

-- "List annotations by model version ids".
SELECT id, model_version_id FROM list_annotations('docs', model_version_ids => ARRAY['general-detection'], per_page => 10);

SELECT count_annotations('docs') AS user_written,
       count_annotations('docs', list_all_annotations => true) AS all_written;

-- "Delete annotation by input id and annotation id".
SELECT delete_annotation('docs', 'img-1', 'a-concepts');
SELECT count(*) FROM annotations.annotations WHERE app_id = 'docs' AND id = 'a-concepts';

-- "Bulk delete annotations by input ids and annotation ids".
SELECT delete_annotations('docs', ARRAY['img-1', 'img-2'], ARRAY['a-box-1', 'label-1']);

-- "Bulk delete all annotations by input ids": all but input-level ones.
SELECT delete_annotations('docs', ARRAY['img-1', 'img-2']);
SELECT input_id, CASE WHEN input_level THEN '(input-level)' ELSE id END AS id FROM annotations.annotations WHERE app_id = 'docs' ORDER BY seq;
-- deleting a region's annotation deletes its region
SELECT annotation_id FROM annotations.regions WHERE app_id = 'docs' ORDER BY annotation_id;
