-- COCO: export the app's boxes for a training pipeline, import a labeled set.
\pset null '·'
SET search_path = annotations, public;

\echo
\echo '== Two boxes to export (demo 20 deleted its own at the end)'
SELECT id, input_id, bbox, region_concepts FROM post_annotations('demo', '[
  {"id": "coco-box-1", "input_id": "street", "data": {"regions": [{
     "region_info": {"bounding_box": {"top_row": 0.25, "left_col": 0.5, "bottom_row": 0.75, "right_col": 0.75}},
     "data": {"concepts": [{"id": "bike", "value": 1}, {"id": "car", "value": 0}]}}]}},
  {"id": "coco-box-2", "input_id": "dog", "data": {"regions": [{
     "region_info": {"bounding_box": {"top_row": 0.1, "left_col": 0.2, "bottom_row": 0.9, "right_col": 0.7}},
     "data": {"concepts": [{"id": "dog", "value": 1}]}}]}}]');

\echo
\echo '== export_coco: images with their pixel size, one category per concept, one box per positive concept'
\echo '   (car has value 0: not a box; the video frame box cannot be given in pixels: a notice says so)'
SELECT jsonb_pretty(export_coco('demo'));

\echo
\echo '== Filters as in list_annotations: model-written boxes too, or some statuses'
SET client_min_messages = warning;
SELECT jsonb_array_length(export_coco('demo')->'annotations') AS user_boxes,
       jsonb_array_length(export_coco('demo', list_all_annotations => true)->'annotations') AS all_boxes,
       jsonb_array_length(export_coco('demo', statuses => ARRAY['pending']::status[])->'annotations') AS pending_boxes;
RESET client_min_messages;

\echo
\echo '== import_coco: an input per image (id = file_name), an annotation per box (concept = category name)'
\set doc '{"images": [{"id": 1, "file_name": "kitchen.jpg", "width": 800, "height": 600}], "categories": [{"id": 7, "name": "cup"}, {"id": 8, "name": "plate"}], "annotations": [{"id": 1, "image_id": 1, "category_id": 7, "bbox": [100, 150, 40.5, 60]}, {"id": 2, "image_id": 1, "category_id": 8, "bbox": [300, 320, 200, 120]}]}'
SELECT * FROM import_coco('demo', :'doc');
SELECT id, input_id, bbox, region_concepts FROM list_annotations('demo', input_ids => ARRAY['kitchen.jpg']);
SELECT a->'bbox' AS pixels_back FROM jsonb_array_elements(export_coco('demo', input_ids => ARRAY['kitchen.jpg'])->'annotations') a;

\echo
\echo '== Importing the same document again changes nothing'
SELECT * FROM import_coco('demo', :'doc');

\echo
\echo '== A box outside its image is refused, naming the item; nothing is written'
\set ON_ERROR_STOP 0
SELECT * FROM import_coco('demo', '{"images": [{"id": 1, "file_name": "tiny.jpg", "width": 10, "height": 10}],
  "categories": [{"id": 1, "name": "cup"}],
  "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "bbox": [5, 5, 6, 2]}]}');
\set ON_ERROR_STOP 1

\echo
\echo '== Reporting: labels per concept, boxes among them'
SELECT concept_id, count(*) AS labels, count(bbox) AS boxes
  FROM concept_labels WHERE app_id = 'demo' GROUP BY 1 ORDER BY 2 DESC, 1;
