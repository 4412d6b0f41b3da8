-- A database as 1.0 left it: every kind of row the 1.0 API writes, posted
-- through the 1.0 functions by an owner, a collaborator and the superuser.
\set ON_ERROR_STOP 1
SET search_path = annotations, public;
SELECT create_app('upg-a');
SELECT create_app('upg-b', 'upg_owner');
SELECT add_collaborator('upg-a', 'upg_collab');
SELECT add_collaborator('upg-b', 'upg_collab');
SELECT count(*) FROM post_inputs('upg-a', '[
  {"id": "img-1", "data": {"image": {"url": "https://x/1.jpg", "image_info": {"width": 640, "height": 480, "format": "jpeg"}},
                           "concepts": [{"id": "cat", "name": "Cat", "value": 1}], "metadata": {"source": "camera"}}},
  {"id": "img-2", "data": {"image": {"url": "https://x/dir/2.png", "image_info": {"width": 100, "height": 50}}}},
  {"id": "vid-1", "data": {"video": {"url": "https://x/v.mp4"}}},
  {"id": "txt-1", "data": {"text": {"raw": "żółw 🐢"}}},
  {"id": "aud-1", "data": {"audio": {"url": "https://x/a.wav"}}}]');
SELECT count(*) FROM post_annotations('upg-a', '[
  {"id": "concepts", "input_id": "img-1", "data": {"concepts": [{"id": "tree", "value": 1}, {"id": "water", "value": 0, "name": "Water"}]},
   "annotation_info": {"reviewer": {"name": "kim", "round": 2}}, "task_id": "task-1", "embed_model_version_id": "emb-1"},
  {"id": "boxed", "input_id": "img-1", "data": {"regions": [{"id": "r1",
      "region_info": {"bounding_box": {"top_row": 0.1, "left_col": 0.2, "bottom_row": 0.3333333, "right_col": 0.9}},
      "data": {"concepts": [{"id": "bike", "value": 0.75}]}}]}},
  {"id": "by-model", "input_id": "img-2", "model_version_id": "det-7",
   "data": {"regions": [{"id": "det-r", "region_info": {"bounding_box": {"top_row": 0, "left_col": 0, "bottom_row": 1, "right_col": 1}},
                         "data": {"concepts": [{"id": "car", "value": 0.5}]}}]}},
  {"id": "framed", "input_id": "vid-1", "status": {"code": "ANNOTATION_PENDING"},
   "data": {"frames": [{"frame_info": {"index": 12, "time": 480}, "data": {"concepts": [{"id": "x"}],
      "regions": [{"id": "fr", "region_info": {"bounding_box": {"top_row": 0.5, "left_col": 0.5, "bottom_row": 0.75, "right_col": 0.75}}}]}}]}},
  {"id": "s-failed", "input_id": "aud-1", "status": {"code": "ANNOTATION_FAILED"}, "data": {"concepts": [{"id": "noise", "value": 0}]}},
  {"id": "s-unknown", "input_id": "aud-1", "status": {"code": 24154}, "data": {"concepts": [{"id": "noise"}]}},
  {"id": "s-review", "input_id": "txt-1", "user_id": "upg_collab", "status": {"code": "ANNOTATION_AWAITING_REVIEW"},
   "data": {"concepts": [{"id": "greeting"}]}},
  {"id": "s-denied", "input_id": "txt-1", "status": {"code": "ANNOTATION_REVIEW_DENIED"}, "data": {"concepts": [{"id": "t"}]}},
  {"id": "s-consensus", "input_id": "txt-1", "status": {"code": 24159}, "data": {"concepts": [{"id": "t2"}]}},
  {"id": "s-success", "input_id": "img-2", "status": {"code": "ANNOTATION_SUCCESS"}, "data": {"concepts": [{"id": "ok"}]}}]');
-- a user labels the model's region by id; a patch and a delete leave their marks
SELECT count(*) FROM post_annotations('upg-a', '[{"id": "labels-det", "input_id": "img-2",
  "data": {"regions": [{"id": "det-r", "data": {"concepts": [{"id": "truck"}]}}]}}]');
SELECT count(*) FROM patch_annotations('upg-a', 'merge', '[{"id": "concepts", "data": {"concepts": [{"id": "sky"}]}}]');
SELECT count(*) FROM post_annotations('upg-a', '[{"id": "gone", "input_id": "img-1", "data": {"concepts": [{"id": "tmp"}]}}]');
SELECT delete_annotation('upg-a', 'img-1', 'gone');
-- a collaborator and the second app's owner write too
SET ROLE upg_collab;
SELECT count(*) FROM post_annotations('upg-a', '[{"id": "by-collab", "input_id": "img-2",
  "data": {"regions": [{"region_info": {"bounding_box": {"top_row": 0.2, "left_col": 0.2, "bottom_row": 0.4, "right_col": 0.4}},
                        "data": {"concepts": [{"id": "dog"}]}}]}}]');
RESET ROLE;
SET ROLE upg_owner;
SELECT count(*) FROM post_inputs('upg-b', '[{"id": "img-1", "data": {"image": {"url": "https://y/1.jpg", "image_info": {"width": 10, "height": 10}}}}]');
SELECT count(*) FROM post_annotations('upg-b', '[{"id": "b1", "input_id": "img-1", "data": {"concepts": [{"id": "dog"}]}}]');
RESET ROLE;
-- COCO out and back in, through the 1.0 functions
SELECT jsonb_array_length(export_coco('upg-a') -> 'annotations') AS coco_boxes;
SELECT create_app('upg-coco');
SELECT * FROM import_coco('upg-coco', export_coco('upg-a'));
SELECT count_annotations('upg-coco');
SELECT delete_annotations('upg-coco', ARRAY['dir/2.png']);
SELECT delete_inputs('upg-coco', ARRAY['1.jpg']);
