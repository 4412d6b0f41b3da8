-- pgTAP: evaluation by the IoU of stored shapes (iou_type 'segm'): the
-- parameter, IoUs counted by hand on a 10 x 10 image, and every refusal by
-- SQLSTATE and message.
BEGIN;
SELECT plan(10);
SET LOCAL search_path = annotations, pg_catalog, public;
SET LOCAL client_min_messages = warning;

SELECT is((SELECT pg_get_function_arguments('annotations.evaluate_detections'::regproc) ~ 'iou_type text DEFAULT ''bbox''::text$'),
          true, 'evaluate_detections takes iou_type, bbox by default, last');
SELECT is((SELECT pg_get_function_arguments('annotations.match_detections'::regproc) ~ 'iou_type text DEFAULT ''bbox''::text$'),
          true, 'match_detections takes iou_type, bbox by default, last');

\o /dev/null
SELECT create_app('tap-segm');
SELECT post_inputs('tap-segm', '[
 {"id": "s1", "data": {"image": {"url": "https://x/s1.jpg", "image_info": {"width": 10, "height": 10}}}}]');
-- a mask of the 5 left columns (50 px) against a polygon of the 6 left
-- columns (60 px): 50 / 60; the triangle under the diagonal (45 px: pixel
-- centres on the diagonal are out) against the whole image: 45 / 100
SELECT post_annotations('tap-segm', '[
 {"id": "gL", "input_id": "s1", "data": {"regions": [{"region_info": {"mask": {"rle": {"size": [10, 10], "counts": [0, 50, 50]}}},
   "data": {"concepts": [{"id": "half"}]}}]}},
 {"id": "gT", "input_id": "s1", "data": {"regions": [{"region_info": {"polygon": {"points":
   [{"row": 0, "col": 0}, {"row": 0, "col": 1}, {"row": 1, "col": 0}]}}, "data": {"concepts": [{"id": "tri"}]}}]}},
 {"id": "pR", "input_id": "s1", "model_version_id": "m", "data": {"regions": [{"region_info": {"polygon": {"points":
   [{"row": 0, "col": 0}, {"row": 0, "col": 0.6}, {"row": 1, "col": 0.6}, {"row": 1, "col": 0}]}}, "data": {"concepts": [{"id": "half", "value": 0.9}]}}]}},
 {"id": "pW", "input_id": "s1", "model_version_id": "m", "data": {"regions": [{"region_info": {"bounding_box":
   {"top_row": 0, "left_col": 0, "bottom_row": 1, "right_col": 1}}, "data": {"concepts": [{"id": "tri", "value": 0.7}]}}]}}]');
\o

SELECT is((SELECT iou FROM match_detections('tap-segm', '{m}', iou_threshold => 0.3, iou_type => 'segm')
            WHERE prediction_id = 'pR'), 50.0::float8 / 60, 'segm: mask against polygon, 50 of 60 pixels');
SELECT is((SELECT iou FROM match_detections('tap-segm', '{m}', iou_threshold => 0.3, iou_type => 'segm')
            WHERE prediction_id = 'pW'), 45.0::float8 / 100, 'segm: triangle against the whole image, 45 of 100 pixels');
SELECT is((SELECT iou FROM match_detections('tap-segm', '{m}', iou_threshold => 0.3)
            WHERE prediction_id = 'pW'), 1.0::float8, 'bbox: the triangle''s box is the whole image');

SELECT throws_ok($$SELECT count(*) FROM annotations.evaluate_detections('tap-segm', '{m}', iou_type => 'mask')$$,
  '22023', 'iou_type must be ''bbox'' or ''segm'', not "mask"', 'an unknown iou_type: 22023');
SELECT throws_ok($$SELECT count(*) FROM annotations.match_detections('tap-segm', '{m}', iou_type => NULL)$$,
  '22023', 'iou_type must be ''bbox'' or ''segm'', not NULL', 'a NULL iou_type: 22023');

\o /dev/null
SELECT post_annotations('tap-segm', '[
 {"id": "pM", "input_id": "s1", "model_version_id": "m", "data": {"regions": [{"id": "qM", "region_info": {"mask": {"rle": {"size": [5, 5], "counts": [0, 5, 20]}}},
   "data": {"concepts": [{"id": "half", "value": 0.4}]}}]}}]');
\o
SELECT throws_ok($$SELECT count(*) FROM annotations.evaluate_detections('tap-segm', '{m}', iou_type => 'segm')$$,
  '22023', 'the mask of region "qM" of annotation "pM" on input "s1" is 5x5, the image 10x10',
  'segm: a mask of another size than the image: 22023');
SELECT lives_ok($$SELECT count(*) FROM annotations.evaluate_detections('tap-segm', '{m}')$$,
  'bbox: the same mask is compared by its box');
UPDATE annotations.regions SET mask = '{"rle": {"size": [10, 10], "counts": [100]}}'::jsonb::annotations.mask
 WHERE app_id = 'tap-segm' AND annotation_id = 'pM';
SELECT throws_ok($$SELECT count(*) FROM annotations.match_detections('tap-segm', '{m}', iou_type => 'segm')$$,
  'XX001', 'stored region "qM" of annotation "pM" on input "s1" is malformed',
  'segm: a stored prediction mask with no pixel set: XX001');

SELECT * FROM finish();
ROLLBACK;
