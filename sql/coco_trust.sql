--
-- COCO that a training pipeline can trust: categories are the app's
-- catalogue, identical in every export whatever the filter; file names are
-- unique and stable; an imported document keeps its ids, iscrowd, area and
-- supercategories and comes back on export; what real files get wrong is
-- tolerated by documented rules and reported; export -> import -> export
-- gives the same document.
--
\set SHOW_CONTEXT never
SET search_path = annotations, public;

CREATE FUNCTION pg_temp.fingerprint() RETURNS text LANGUAGE sql AS $$
SELECT md5(string_agg(t, '|' ORDER BY t)) FROM (
  SELECT 'a' || a::text AS t FROM annotations.annotations a
  UNION ALL SELECT 'r' || r::text FROM annotations.regions r
  UNION ALL SELECT 'i' || i::text FROM annotations.inputs i
  UNION ALL SELECT 'p' || p::text FROM annotations.apps p
  UNION ALL SELECT 'k' || k::text FROM annotations.concepts k) s
$$;

-- a varied app: folders, percent-escapes, a base64 image, two URLs ending
-- in the same name, a video, an image without a size; user and model
-- boxes, regions with two concepts, absent concepts, a concept with no box
SELECT id FROM create_app('coco-trust');
SELECT id FROM post_inputs('coco-trust', '[
  {"id": "mn-1", "data": {"image": {"url": "https://a.example/metro-north.jpg", "image_info": {"width": 640, "height": 480}}}},
  {"id": "mn-2", "data": {"image": {"url": "https://b.example/photos/metro-north.jpg?size=large", "image_info": {"width": 800, "height": 600}}}},
  {"id": "mn-3", "data": {"image": {"url": "https://c.example/metro-north.jpg#top", "image_info": {"width": 333, "height": 777}}}},
  {"id": "coco-1", "data": {"image": {"url": "http://images.cocodataset.org/train2017/000000397133.jpg", "image_info": {"width": 640, "height": 427}}}},
  {"id": "odd", "data": {"image": {"url": "https://x.example/odd%20name.png", "image_info": {"width": 100, "height": 100}}}},
  {"id": "b64", "data": {"image": {"base64": "iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB", "image_info": {"width": 10, "height": 20}}}},
  {"id": "b64-jpeg", "data": {"image": {"base64": "/9j/4AAQSkZJRg", "image_info": {"width": 10, "height": 20, "format": "JPEG"}}}},
  {"id": "clip", "data": {"video": {"url": "https://x.example/clip.mp4"}}},
  {"id": "nosize", "data": {"image": {"url": "https://x.example/nosize.jpg"}}}]');
SELECT id, coco_id FROM post_concepts('coco-trust', '[{"id": "unused", "supercategory": "nothing"}]');
SELECT count(*) AS posted FROM post_annotations('coco-trust', '[
  {"input_id": "mn-1", "data": {"regions": [{"region_info": {"bounding_box": {"top_row": 0.1, "left_col": 0.2, "bottom_row": 0.3, "right_col": 0.4}},
     "data": {"concepts": [{"id": "train"}, {"id": "person"}]}}]}},
  {"input_id": "mn-2", "data": {"regions": [{"region_info": {"bounding_box": {"top_row": 0.125, "left_col": 0.0625, "bottom_row": 0.5, "right_col": 0.9}},
     "data": {"concepts": [{"id": "person"}, {"id": "dog", "value": 0}]}}]}},
  {"input_id": "mn-3", "data": {"regions": [{"region_info": {"bounding_box": {"top_row": 0.33, "left_col": 0.17, "bottom_row": 0.71, "right_col": 0.93}},
     "data": {"concepts": [{"id": "dog"}]}}]}},
  {"input_id": "coco-1", "data": {"regions": [{"region_info": {"bounding_box": {"top_row": 0, "left_col": 0, "bottom_row": 1, "right_col": 1}},
     "data": {"concepts": [{"id": "train", "value": 0.7}]}}]}},
  {"input_id": "odd", "data": {"concepts": [{"id": "indoor"}]}},
  {"input_id": "b64", "data": {"regions": [{"region_info": {"bounding_box": {"top_row": 0.05, "left_col": 0.1, "bottom_row": 0.95, "right_col": 0.9}},
     "data": {"concepts": [{"id": "cat"}]}}]}},
  {"input_id": "b64-jpeg", "data": {"regions": [{"region_info": {"bounding_box": {"top_row": 0.5, "left_col": 0.5, "bottom_row": 0.6, "right_col": 0.7}},
     "data": {"concepts": [{"id": "cat"}]}}]}},
  {"input_id": "clip", "data": {"frames": [{"frame_info": {"index": 2}, "data": {"regions": [
     {"region_info": {"bounding_box": {"top_row": 0, "left_col": 0, "bottom_row": 0.5, "right_col": 0.5}}, "data": {"concepts": [{"id": "car"}]}}]}}]}},
  {"input_id": "mn-1", "model_version_id": "det-1", "data": {"regions": [{"region_info": {"bounding_box": {"top_row": 0.1, "left_col": 0.1, "bottom_row": 0.2, "right_col": 0.2}},
     "data": {"concepts": [{"id": "bus", "value": 0.9}]}}]}}]');
SELECT id, name, coco_id, supercategory FROM list_concepts('coco-trust');
-- the video's box is never exported (a NOTICE says so once)
SELECT jsonb_array_length(export_coco('coco-trust') -> 'annotations') AS boxes;
SET client_min_messages = warning;

-- 1. Categories are the catalogue, the same in every export: two splits by
-- input, a split by concept, the whole app, the model's boxes
SELECT export_coco('coco-trust') -> 'categories' AS categories;
SELECT export_coco('coco-trust', input_ids => '{mn-1,coco-1}') -> 'categories'
     = export_coco('coco-trust', input_ids => '{mn-2,mn-3,b64}') -> 'categories' AS same_in_both_splits,
       export_coco('coco-trust', input_ids => '{mn-1,coco-1}') -> 'categories'
     = export_coco('coco-trust') -> 'categories' AS same_as_whole_app,
       export_coco('coco-trust', model_version_ids => '{det-1}') -> 'categories'
     = export_coco('coco-trust') -> 'categories' AS same_for_the_model;
-- the boxes of a split carry the catalogue's ids
SELECT b ->> 'image_id' AS image, b ->> 'category_id' AS category
  FROM jsonb_array_elements(export_coco('coco-trust', input_ids => '{mn-2,mn-3}') -> 'annotations') b;
-- concept_ids: only those categories and their boxes, with the same ids
SELECT export_coco('coco-trust', concept_ids => '{person,unused}') -> 'categories' AS categories,
       (SELECT jsonb_agg(b -> 'category_id') FROM jsonb_array_elements(
          export_coco('coco-trust', concept_ids => '{person,unused}') -> 'annotations') b) AS box_categories;
SELECT export_coco('coco-trust', concept_ids => '{person,nope}');

-- 2. File names: the path below the host, decoded; the input id with the
-- image's extension when there is no URL; later namesakes get their input id
SELECT i ->> 'id' AS id, i ->> 'file_name' AS file_name
  FROM jsonb_array_elements(export_coco('coco-trust') -> 'images') i;
-- a filter does not rename what it keeps first
SELECT i ->> 'file_name' AS file_name FROM jsonb_array_elements(export_coco('coco-trust', input_ids => '{mn-2}') -> 'images') i;

-- 3. Round trip: export -> import into a new app -> export is the same
-- document (the info block names the app)
SELECT export_coco('coco-trust') AS original \gset
SELECT id FROM create_app('coco-trust-copy');
SELECT images, annotations, skipped, skipped_reasons, clipped, concepts_created, category_clashes
  FROM import_coco('coco-trust-copy', :'original');
SELECT (export_coco('coco-trust-copy') - 'info')::text = (:'original'::jsonb - 'info')::text AS same_text,
       export_coco('coco-trust-copy') - 'info' = :'original'::jsonb - 'info' AS same_json;
-- and again, from the copy into a third app
SELECT id FROM create_app('coco-trust-copy-2');
SELECT annotations FROM import_coco('coco-trust-copy-2', export_coco('coco-trust-copy'));
SELECT export_coco('coco-trust-copy-2') - 'info' = :'original'::jsonb - 'info' AS same_after_two_trips;

RESET client_min_messages;

-- 4. A hand-written document with what real files hold: string ids, a box
-- overshooting by float noise, one starting slightly left of the image, a
-- crowd box with an RLE segmentation, w = 0, a segmentation-only
-- annotation (a polygon region with the polygon's box), an image without a
-- size, a category the document does not list, areas that are not w x h,
-- supercategories, ids far from 1
SELECT '{"info": {"year": 2017}, "licenses": [{"id": 1, "name": "x"}],
  "images": [{"id": "397133", "file_name": "train2017/000000397133.jpg", "width": 640, "height": 427, "license": 1},
             {"id": 37777, "file_name": "val2017/000000037777.jpg", "width": 352, "height": 230},
             {"id": 8, "file_name": "unsized.jpg"}],
  "categories": [{"id": 62, "name": "chair", "supercategory": "furniture"},
                 {"id": 1, "name": "person", "supercategory": "person"},
                 {"id": 90, "name": "toothbrush", "supercategory": "indoor"}],
  "annotations": [
    {"id": "1001", "image_id": 397133, "category_id": 62, "bbox": [600, 10, 40.0000001, 10], "area": 321.75, "iscrowd": 0,
     "segmentation": [[600, 10, 640, 10, 640, 20]]},
    {"id": 1002, "image_id": "397133", "category_id": 1, "bbox": [-0.3, 5, 20, 20], "area": 100, "iscrowd": 1,
     "segmentation": {"counts": [5, 10, 273265], "size": [427, 640]}},
    {"id": 1003, "image_id": 397133, "category_id": 1, "bbox": [10, 10, 0, 5], "area": 0, "iscrowd": 0},
    {"id": 1004, "image_id": 397133, "category_id": 1, "segmentation": [[1, 1, 2, 2, 3, 1]], "area": 0.5, "iscrowd": 0},
    {"id": 1005, "image_id": 8, "category_id": 1, "bbox": [1, 1, 2, 2]},
    {"id": 1006, "image_id": 37777, "category_id": 12345, "bbox": [1, 1, 2, 2]},
    {"id": 900100200300, "image_id": 37777, "category_id": 90, "bbox": [100.5, 20.25, 50, 60.125], "area": 2500.123, "iscrowd": false}]}'::jsonb AS quirky \gset
SELECT id FROM create_app('coco-quirky');
-- a dry run reports and writes nothing
SELECT pg_temp.fingerprint() AS before \gset
SELECT * FROM import_coco('coco-quirky', :'quirky', dry_run => true);
SELECT pg_temp.fingerprint() = :'before' AS nothing_written;
SELECT * FROM import_coco('coco-quirky', :'quirky');
-- again: nothing new
SELECT images, annotations, inputs_created, annotations_created, annotations_existing
  FROM import_coco('coco-quirky', :'quirky');
-- the crowd box is a crowd region; listings show it like any other region
SELECT r.annotation_id, r.iscrowd, r.bbox FROM visible_regions r WHERE r.app_id = 'coco-quirky' ORDER BY 1;
SELECT id, region_concepts FROM list_annotations('coco-quirky') ORDER BY id;
-- the image without a size is an input without image_info
SELECT id, data FROM visible_inputs WHERE app_id = 'coco-quirky' ORDER BY id;
-- exported again: ids, iscrowd, area, supercategories as the document gave them
SELECT export_coco('coco-quirky') -> 'images' AS images;
SELECT export_coco('coco-quirky') -> 'categories' AS categories;
SELECT a FROM jsonb_array_elements(export_coco('coco-quirky') -> 'annotations') a;

-- the catalogue already numbers a category's concept: the concept keeps its
-- coco_id and the clash is reported; a new concept whose id is taken gets
-- the next free one
SELECT id FROM create_app('coco-clash');
SELECT id, coco_id FROM post_concepts('coco-clash', '[{"id": "person", "coco_id": 62}]');
SELECT concepts_created, category_clashes FROM import_coco('coco-clash', :'quirky');
SELECT c ->> 'name' AS name, c -> 'id' AS id FROM jsonb_array_elements(export_coco('coco-clash') -> 'categories') c;
-- a document without categories uses the catalogue's coco_ids
SELECT annotations, skipped_reasons FROM import_coco('coco-clash', '{"images": [{"id": 5, "file_name": "plain.jpg", "width": 10, "height": 10}],
  "annotations": [{"id": 1, "image_id": 5, "category_id": 62, "bbox": [0, 0, 5, 5]},
                  {"id": 2, "image_id": 5, "category_id": 7, "bbox": [0, 0, 5, 5]}]}');
SELECT region_concepts FROM list_annotations('coco-clash', input_ids => '{plain.jpg}');
-- an import never renames a catalogued concept
SELECT id, name, supercategory FROM list_concepts('coco-clash', ids => '{person}');

SELECT delete_app(a) FROM unnest(ARRAY['coco-trust', 'coco-trust-copy', 'coco-trust-copy-2', 'coco-quirky', 'coco-clash']) a;
