-- Interchange: to_json round trip, COCO import/export, concept_labels.
SET search_path = annotations, public;
\set SHOW_CONTEXT never
SET client_min_messages = warning;
\pset null '(null)'

-- fingerprint of every table, to show nothing changed
CREATE FUNCTION pg_temp.fingerprint() RETURNS text LANGUAGE sql AS $$
SELECT md5(string_agg(t, '|' ORDER BY t)) FROM (
  SELECT 'a' || a::text AS t FROM annotations.annotations a
  UNION ALL SELECT 'r' || r::text FROM annotations.regions r
  UNION ALL SELECT 'i' || i::text FROM annotations.inputs i
  UNION ALL SELECT 'p' || p::text FROM annotations.apps p
  UNION ALL SELECT 'k' || k::text FROM annotations.concepts k) s
$$;

-- the boxes of a COCO document, one line each, by file and category name
CREATE FUNCTION pg_temp.boxes(doc jsonb)
RETURNS TABLE (file_name text, category text, bbox jsonb, area jsonb) LANGUAGE sql AS $$
SELECT i->>'file_name', c->>'name', a->'bbox', a->'area'
  FROM jsonb_array_elements(doc->'annotations') a
  JOIN jsonb_array_elements(doc->'images') i ON i->'id' = a->'image_id'
  JOIN jsonb_array_elements(doc->'categories') c ON c->'id' = a->'category_id'
 ORDER BY 1, 2, 3::text
$$;

------------------------------------------------------------------------------
-- 1. to_json: posting an annotation's JSON again (with a new id) recreates
--    the same labels.
------------------------------------------------------------------------------
SELECT id FROM create_app('rt');
SELECT id FROM post_inputs('rt', '[
  {"id": "img", "data": {"image": {"url": "https://x/img.jpg", "image_info": {"width": 640, "height": 480}},
                         "concepts": [{"id": "street", "name": "Street", "value": 1}, {"id": "rain", "value": 0}]}},
  {"id": "vid", "data": {"video": {"url": "https://x/clip.mp4"}}}]');
SELECT count(*) FROM post_annotations('rt', '[
  {"id": "concepts", "input_id": "img", "embed_model_version_id": "emb-1", "task_id": "task-7",
   "annotation_info": {"source": "ui", "nested": {"n": 1, "list": [1, "two", null]}},
   "data": {"concepts": [{"id": "tree", "name": "Tree", "value": 1}, {"id": "water", "value": 0},
                         {"id": "sky", "value": 0.25}]}},
  {"id": "region", "input_id": "img",
   "data": {"regions": [{"id": "reg-1",
     "region_info": {"bounding_box": {"top_row": 0.1, "left_col": 0.2, "bottom_row": 0.30000001, "right_col": 0.9}},
     "data": {"concepts": [{"id": "car", "name": "Car", "value": 1}, {"id": "bus", "value": 0}]}}]}},
  {"id": "both", "input_id": "img",
   "data": {"concepts": [{"id": "night", "value": 1}],
            "regions": [{"id": "reg-2",
              "region_info": {"bounding_box": {"top_row": 0, "left_col": 0, "bottom_row": 1, "right_col": 1}}}]}},
  {"id": "model", "input_id": "img", "model_version_id": "detector-3",
   "data": {"regions": [{"id": "det-1",
     "region_info": {"bounding_box": {"top_row": 0.5, "left_col": 0.5, "bottom_row": 0.75, "right_col": 0.625}},
     "data": {"concepts": [{"id": "dog", "value": 0.87}]}}]}},
  {"id": "pending", "input_id": "img", "user_id": "ann", "status": {"code": "ANNOTATION_PENDING"}},
  {"id": "review", "input_id": "img", "status": {"code": 24157}, "data": {"concepts": [{"id": "tree"}]}},
  {"id": "frame-index", "input_id": "vid",
   "data": {"frames": [{"frame_info": {"index": 12},
     "data": {"regions": [{"region_info": {"bounding_box": {"top_row": 0.2, "left_col": 0.1, "bottom_row": 0.7, "right_col": 0.5}},
                           "data": {"concepts": [{"id": "glass", "value": 1}]}}]}}]}},
  {"id": "frame-time", "input_id": "vid",
   "data": {"frames": [{"frame_info": {"time": 480}, "data": {"concepts": [{"id": "beer", "value": 1}]}}]}},
  {"id": "frame-both", "input_id": "vid", "task_id": "task-7",
   "data": {"frames": [{"frame_info": {"index": 13, "time": 520},
     "data": {"concepts": [{"id": "toast", "value": 0.5}],
              "regions": [{"id": "glass-1",
                "region_info": {"bounding_box": {"top_row": 0.25, "left_col": 0.125, "bottom_row": 0.5, "right_col": 0.375}},
                "data": {"concepts": [{"id": "glass", "name": "Glass", "value": 1}]}}]}}]}}]');

-- a user labels the model's region by its id
SELECT id, region_id, bbox FROM post_annotations('rt', '[{"id": "labels-det", "input_id": "img",
   "data": {"regions": [{"id": "det-1", "data": {"concepts": [{"id": "beagle", "value": 1}]}}]}}]');

-- what to_json looks like (times left out: they change every run)
SELECT jsonb_pretty(to_json(x) - 'created_at' - 'modified_at')
  FROM list_annotations('rt', ids => ARRAY['frame-both'], input_ids => ARRAY['vid']) x;

-- every annotation, input-level ones with concepts and model-written ones included
CREATE TEMP TABLE originals AS
SELECT x AS o FROM list_annotations('rt', list_all_annotations => true, per_page => 1000) x;
SELECT count(*) AS originals, count(*) FILTER (WHERE (o).input_level) AS input_level FROM originals;

-- post each one's JSON back under a new id
SELECT count(*) AS copies
  FROM originals,
       LATERAL post_annotations('rt', jsonb_build_array(
           annotations.to_json(o) || jsonb_build_object('id', 'copy-' || (o).id))) c;

-- same labels: everything but id, seq and times (and input_level, which a
-- request cannot set: the copy of an input-level annotation is an ordinary one)
SELECT CASE WHEN (o).input_level THEN '(input-level of ' || (o).input_id || ')' ELSE (o).id END AS id,
       ((o).input_id, (o).user_id, (o).model_version_id, (o).embed_model_version_id, (o).task_id,
        (o).status, (o).concepts, (o).region_id, (o).bbox, (o).region_concepts, (o).frame_index,
        (o).frame_time, (o).annotation_info)
       IS NOT DISTINCT FROM
       (c.input_id, c.user_id, c.model_version_id, c.embed_model_version_id, c.task_id,
        c.status, c.concepts, c.region_id, c.bbox, c.region_concepts, c.frame_index,
        c.frame_time, c.annotation_info)
         AS same_labels,
       (o).input_level, c.input_level AS copy_input_level
  FROM originals
  JOIN list_annotations('rt', list_all_annotations => true, per_page => 1000) c ON c.id = 'copy-' || (o).id
 ORDER BY (o).seq;
-- and the copies render to the same JSON, id and times aside
SELECT count(*) AS copies, count(*) FILTER (WHERE
         (annotations.to_json(o) - '{id,created_at,modified_at,input_level}'::text[])
         IS DISTINCT FROM (annotations.to_json(c) - '{id,created_at,modified_at,input_level}'::text[])) AS json_differs
  FROM originals
  JOIN list_annotations('rt', list_all_annotations => true, per_page => 1000) c ON c.id = 'copy-' || (o).id;

-- reporting over the same data: one row per concept label
SELECT concept_id, count(*) AS labels, count(region_id) AS in_regions, min(value) AS min_value
  FROM concept_labels WHERE app_id = 'rt' GROUP BY 1 ORDER BY 1;

------------------------------------------------------------------------------
-- 2. COCO import -> export: pixel boxes come back unchanged.
------------------------------------------------------------------------------
SELECT id FROM create_app('coco');
SELECT '{"info": {"description": "hand-written"}, "licenses": [],
 "images": [{"id": 10, "file_name": "street.jpg", "width": 1024, "height": 768, "license": 1},
            {"id": 11, "file_name": "dog.jpg", "width": 640, "height": 480},
            {"id": 12, "file_name": "odd.png", "width": 333, "height": 777}],
 "categories": [{"id": 1, "name": "person", "supercategory": "human"}, {"id": 3, "name": "car"}],
 "annotations": [
   {"id": 100, "image_id": 10, "category_id": 1, "bbox": [0, 0, 1024, 768], "area": 786432, "iscrowd": 0, "segmentation": []},
   {"id": 101, "image_id": 10, "category_id": 3, "bbox": [512.5, 100.25, 99.75, 48], "iscrowd": 0},
   {"id": 102, "image_id": 11, "category_id": 1, "bbox": [10, 20, 300, 400]},
   {"id": 103, "image_id": 12, "category_id": 3, "bbox": [1, 2, 331, 775]},
   {"id": 104, "image_id": 12, "category_id": 1, "bbox": [123.4, 56.7, 8.9, 10.1]}]}'::jsonb AS coco \gset

SELECT * FROM import_coco('coco', :'coco');
SELECT id, data FROM annotations.inputs WHERE app_id = 'coco' ORDER BY id;
SELECT id, input_id, user_id, region_id, bbox, region_concepts
  FROM list_annotations('coco', per_page => 100);

SET client_min_messages = notice;
SELECT jsonb_pretty(export_coco('coco'));
SET client_min_messages = warning;

-- the boxes of the document and of the export are the same, to the digit
SELECT * FROM pg_temp.boxes(export_coco('coco'));
SELECT (SELECT array_agg((file_name, category, bbox)) FROM pg_temp.boxes(:'coco'))
     = (SELECT array_agg((file_name, category, bbox)) FROM pg_temp.boxes(export_coco('coco'))) AS boxes_survive;
-- and survive a second round (export -> import elsewhere -> export)
SELECT id FROM create_app('coco-2');
SELECT * FROM import_coco('coco-2', export_coco('coco'));
SELECT export_coco('coco-2') - 'info' = export_coco('coco') - 'info' AS same_document;

-- export is deterministic and a well-formed jsonb value
SELECT export_coco('coco') = export_coco('coco') AS deterministic,
       export_coco('coco') = (export_coco('coco')::text)::jsonb AS same_as_reparsed,
       export_coco('coco') @> '{"annotations": [{"bbox": [512.5, 100.25, 99.75, 48]}]}' AS containment;

-- import is idempotent: the second time nothing changes
SELECT pg_temp.fingerprint() AS before \gset
SELECT * FROM import_coco('coco', :'coco');
SELECT pg_temp.fingerprint() = :'before' AS unchanged;

-- import never deletes: labels added in the app stay, a smaller document
-- changes nothing, a new box is added next to the old ones (box 102 is the
-- one imported above, so it exists)
SELECT id FROM post_annotations('coco', '[{"id": "extra", "input_id": "dog.jpg",
   "data": {"regions": [{"region_info": {"bounding_box": {"top_row": 0, "left_col": 0, "bottom_row": 0.5, "right_col": 0.5}},
                         "data": {"concepts": [{"id": "person"}]}}]}}]');
SELECT * FROM import_coco('coco', '{"images": [{"id": 1, "file_name": "dog.jpg", "width": 640, "height": 480}],
  "categories": [{"id": 1, "name": "person"}], "annotations": []}');
SELECT * FROM import_coco('coco', '{"images": [{"id": 1, "file_name": "dog.jpg", "width": 640, "height": 480}],
  "categories": [{"id": 1, "name": "person"}, {"id": 5, "name": "frisbee"}],
  "annotations": [{"id": 102, "image_id": 1, "category_id": 1, "bbox": [10, 20, 300, 400]},
                  {"id": 200, "image_id": 1, "category_id": 5, "bbox": [600, 400, 40, 80]}]}');
SELECT id, bbox, region_concepts FROM list_annotations('coco', input_ids => ARRAY['dog.jpg']);

-- an existing input with the image's file name is used when it is the same size
SELECT id FROM post_inputs('coco', '[{"id": "posted.jpg", "data": {"image": {"url": "https://x/y/posted.jpg?sig=1",
   "image_info": {"width": 100, "height": 50}}}}]');
SELECT * FROM import_coco('coco', '{"images": [{"id": 1, "file_name": "posted.jpg", "width": 100, "height": 50}],
  "categories": [{"id": 1, "name": "kite"}],
  "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "bbox": [25, 12.5, 50, 25]}]}');

-- a document with more than 32 images and boxes (JSONB stores an offset every 32 entries)
SELECT id FROM create_app('coco-big');
SELECT * FROM import_coco('coco-big', jsonb_build_object(
  'images', (SELECT jsonb_agg(jsonb_build_object('id', i, 'file_name', 'f' || i || '.jpg', 'width', 100 + i, 'height', 200))
               FROM generate_series(1, 40) i),
  'categories', '[{"id": 1, "name": "a"}, {"id": 2, "name": "b"}]'::jsonb,
  'annotations', (SELECT jsonb_agg(jsonb_build_object('id', i, 'image_id', 1 + i % 40, 'category_id', 1 + i % 2,
                                                      'bbox', jsonb_build_array(i % 50, i % 100, 1 + i % 7, 0.5 + i % 3)))
                    FROM generate_series(1, 300) i)));
SELECT jsonb_array_length(d->'images') AS images, jsonb_array_length(d->'annotations') AS boxes,
       d = (d::text)::jsonb AS same_as_reparsed,
       d->'annotations'->299 AS last_box, d #> '{images,39}' AS last_image
  FROM export_coco('coco-big') d;

-- reporting: the imported labels in concept_labels
SELECT concept_id, count(*) AS labels, count(bbox) AS boxes
  FROM concept_labels WHERE app_id = 'coco' GROUP BY 1 ORDER BY 1;

------------------------------------------------------------------------------
-- 3. export_coco: what is exported, and the filters (as list_annotations).
------------------------------------------------------------------------------
SELECT id FROM create_app('exp');
SELECT id FROM post_inputs('exp', '[
  {"id": "street", "data": {"image": {"url": "https://cdn.example.com/a/b/street.jpg?w=100#top",
                                      "image_info": {"width": 1024, "height": 768}}}},
  {"id": "dog", "data": {"image": {"base64": "aGVsbG8=", "image_info": {"width": 640, "height": 480}}}},
  {"id": "nosize", "data": {"image": {"url": "https://x/nosize.jpg"}}},
  {"id": "clip", "data": {"video": {"url": "https://x/clip.mp4"}}}]');
SELECT count(*) FROM post_annotations('exp', '[
  {"id": "u1", "input_id": "street", "task_id": "t1",
   "data": {"regions": [{"region_info": {"bounding_box": {"top_row": 0, "left_col": 0, "bottom_row": 0.5, "right_col": 0.5}},
                         "data": {"concepts": [{"id": "tree", "value": 1}, {"id": "water", "value": 0}, {"id": "bush", "value": 0.5}]}}]}},
  {"id": "u2", "input_id": "dog", "user_id": "ann", "status": {"code": "ANNOTATION_PENDING"},
   "data": {"regions": [{"region_info": {"bounding_box": {"top_row": 0.1, "left_col": 0.2, "bottom_row": 0.9, "right_col": 0.7}},
                         "data": {"concepts": [{"id": "dog", "value": 1}]}}]}},
  {"id": "u3", "input_id": "dog", "data": {"concepts": [{"id": "cute", "value": 1}]}},
  {"id": "u4", "input_id": "dog",
   "data": {"regions": [{"region_info": {"bounding_box": {"top_row": 0.5, "left_col": 0.5, "bottom_row": 0.6, "right_col": 0.6}}}]}},
  {"id": "m1", "input_id": "street", "model_version_id": "det",
   "data": {"regions": [{"region_info": {"bounding_box": {"top_row": 0.25, "left_col": 0.25, "bottom_row": 0.75, "right_col": 0.75}},
                         "data": {"concepts": [{"id": "car", "value": 0.9}]}}]}},
  {"id": "n1", "input_id": "nosize",
   "data": {"regions": [{"region_info": {"bounding_box": {"top_row": 0, "left_col": 0, "bottom_row": 1, "right_col": 1}},
                         "data": {"concepts": [{"id": "tree"}]}}]}},
  {"id": "v1", "input_id": "clip",
   "data": {"frames": [{"frame_info": {"index": 1}, "data": {"regions": [{"region_info": {"bounding_box":
     {"top_row": 0, "left_col": 0, "bottom_row": 1, "right_col": 1}}, "data": {"concepts": [{"id": "glass"}]}}]}}]}}]');

-- user-written by default; a concept with value 0 is not a box; a region
-- without concepts is not a box; inputs that are not images with a size are
-- skipped with a notice; file_name is the url's last path segment, else the input id
SET client_min_messages = notice;
SELECT d->'images' AS images, d->'categories' AS categories FROM export_coco('exp') d;
SELECT * FROM pg_temp.boxes(export_coco('exp'));
SET client_min_messages = warning;
SELECT * FROM pg_temp.boxes(export_coco('exp', list_all_annotations => true));
SELECT * FROM pg_temp.boxes(export_coco('exp', model_version_ids => ARRAY['det']));
SELECT * FROM pg_temp.boxes(export_coco('exp', user_ids => ARRAY['ann']));
SELECT * FROM pg_temp.boxes(export_coco('exp', user_ids => ARRAY['ann'], model_version_ids => ARRAY['det']));
SELECT * FROM pg_temp.boxes(export_coco('exp', statuses => ARRAY['pending']::annotations.status[]));
SELECT * FROM pg_temp.boxes(export_coco('exp', task_id => 't1'));
SELECT d->'images' AS images, jsonb_array_length(d->'annotations') AS boxes
  FROM export_coco('exp', input_ids => ARRAY['dog']) d;
SELECT export_coco('exp', user_ids => '{}', statuses => '{}') = export_coco('exp') AS empty_filters_ignored;
-- an app without images
SELECT id FROM create_app('empty');
SELECT export_coco('empty');

------------------------------------------------------------------------------
-- 4. Errors: every refusal with its SQLSTATE; a refused import writes nothing.
------------------------------------------------------------------------------
SELECT pg_temp.fingerprint() AS before \gset

-- export
SELECT export_coco('nope');
SELECT export_coco(NULL);
SELECT export_coco('exp', input_ids => ARRAY['dog', NULL]);
SELECT export_coco('exp', user_ids => ARRAY[NULL::text]);
SELECT export_coco('exp', model_version_ids => ARRAY[NULL::text]);
SELECT export_coco('exp', statuses => ARRAY[NULL::annotations.status]);

-- import: the app and the document as a whole
SELECT import_coco('nope', '{"images": [], "categories": [], "annotations": []}');
SELECT import_coco(NULL, '{"images": [], "categories": [], "annotations": []}');
SELECT import_coco('coco', NULL);
SELECT import_coco('coco', '[]');
SELECT import_coco('coco', '{"categories": [], "annotations": []}');
-- tolerated (run dry, so nothing is written): no categories at all
SELECT images, annotations, skipped FROM import_coco('coco', '{"images": [], "annotations": []}', dry_run => true);
SELECT import_coco('coco', '{"images": [], "categories": []}');
SELECT import_coco('coco', '{"images": {}, "categories": [], "annotations": []}');
SELECT import_coco('coco', '{"images": [], "categories": [], "annotations": null}');

-- images
SELECT import_coco('coco', '{"images": [7], "categories": [], "annotations": []}');
SELECT import_coco('coco', '{"images": [{"file_name": "a", "width": 1, "height": 1}], "categories": [], "annotations": []}');
-- an id written as a string of digits is that number
SELECT images, inputs_created FROM import_coco('coco', '{"images": [{"id": "1", "file_name": "a", "width": 1, "height": 1}], "categories": [], "annotations": []}', dry_run => true);
SELECT import_coco('coco', '{"images": [{"id": "1e3", "file_name": "a", "width": 1, "height": 1}], "categories": [], "annotations": []}');
SELECT import_coco('coco', '{"images": [{"id": "9007199254740992", "file_name": "a", "width": 1, "height": 1}], "categories": [], "annotations": []}');
SELECT import_coco('coco', '{"images": [{"id": -1, "file_name": "a", "width": 1, "height": 1}], "categories": [], "annotations": []}');
SELECT import_coco('coco', '{"images": [{"id": 1.5, "file_name": "a", "width": 1, "height": 1}], "categories": [], "annotations": []}');
SELECT import_coco('coco', '{"images": [{"id": 9007199254740992, "file_name": "a", "width": 1, "height": 1}], "categories": [], "annotations": []}');
SELECT import_coco('coco', '{"images": [{"id": 1, "width": 1, "height": 1}], "categories": [], "annotations": []}');
SELECT import_coco('coco', '{"images": [{"id": 1, "file_name": "", "width": 1, "height": 1}], "categories": [], "annotations": []}');
SELECT import_coco('coco', '{"images": [{"id": 1, "file_name": 5, "width": 1, "height": 1}], "categories": [], "annotations": []}');
SELECT format($$SELECT import_coco('coco', '{"images": [{"id": 1, "file_name": "%s", "width": 1, "height": 1}], "categories": [], "annotations": []}')$$, repeat('x', 256)) \gexec
SELECT import_coco('coco', '{"images": [{"id": 1, "file_name": "a\nb", "width": 1, "height": 1}], "categories": [], "annotations": []}');
SELECT import_coco('coco', '{"images": [{"id": 1, "file_name": "a", "height": 1}], "categories": [], "annotations": []}');
SELECT import_coco('coco', '{"images": [{"id": 1, "file_name": "a", "width": 0, "height": 1}], "categories": [], "annotations": []}');
SELECT import_coco('coco', '{"images": [{"id": 1, "file_name": "a", "width": 1.5, "height": 1}], "categories": [], "annotations": []}');
SELECT import_coco('coco', '{"images": [{"id": 1, "file_name": "a", "width": 1, "height": "480"}], "categories": [], "annotations": []}');
SELECT import_coco('coco', '{"images": [{"id": 1, "file_name": "a", "width": 1, "height": 2147483648}], "categories": [], "annotations": []}');
SELECT import_coco('coco', '{"images": [{"id": 1, "file_name": "a", "width": 1, "height": 1},
   {"id": 1, "file_name": "b", "width": 1, "height": 1}], "categories": [], "annotations": []}');
SELECT import_coco('coco', '{"images": [{"id": 1, "file_name": "a", "width": 1, "height": 1},
   {"id": 2, "file_name": "a", "width": 1, "height": 1}], "categories": [], "annotations": []}');
-- an input with that id exists and is not the same image
SELECT import_coco('coco', '{"images": [{"id": 1, "file_name": "dog.jpg", "width": 64, "height": 48}], "categories": [], "annotations": []}');
SELECT import_coco('exp', '{"images": [{"id": 1, "file_name": "clip", "width": 64, "height": 48}], "categories": [], "annotations": []}');

-- categories
\set img '"images": [{"id": 1, "file_name": "e.jpg", "width": 640, "height": 480}]'
SELECT format($$SELECT import_coco('coco', '{%s, "categories": [[]], "annotations": []}')$$, :'img') \gexec
SELECT format($$SELECT import_coco('coco', '{%s, "categories": [{"id": 1}], "annotations": []}')$$, :'img') \gexec
SELECT format($$SELECT import_coco('coco', '{%s, "categories": [{"name": "x"}], "annotations": []}')$$, :'img') \gexec
SELECT format($$SELECT import_coco('coco', '{%s, "categories": [{"id": 1, "name": ""}], "annotations": []}')$$, :'img') \gexec
SELECT format($$SELECT import_coco('coco', '{%s, "categories": [{"id": 1, "name": null}], "annotations": []}')$$, :'img') \gexec
SELECT format($$SELECT import_coco('coco', '{%s, "categories": [{"id": 1, "name": "x"}, {"id": 1, "name": "y"}], "annotations": []}')$$, :'img') \gexec
SELECT format($$SELECT import_coco('coco', '{%s, "categories": [{"id": 1, "name": "x"}, {"id": 2, "name": "x"}], "annotations": []}')$$, :'img') \gexec

-- annotations
CREATE FUNCTION pg_temp.imp(ann text) RETURNS text LANGUAGE sql AS $$
SELECT format($q$SELECT import_coco('coco', '{"images": [{"id": 1, "file_name": "e.jpg", "width": 640, "height": 480}],
  "categories": [{"id": 1, "name": "thing"}], "annotations": [%s]}')$q$, ann)
$$;
-- what import tolerates, run dry: what it would do, and nothing written
CREATE FUNCTION pg_temp.dry(ann text) RETURNS text LANGUAGE sql AS $$
SELECT format($q$SELECT annotations, skipped, skipped_reasons, clipped FROM import_coco('coco', '{"images": [{"id": 1, "file_name": "e.jpg", "width": 640, "height": 480}],
  "categories": [{"id": 1, "name": "thing"}], "annotations": [%s]}', dry_run => true)$q$, ann)
$$;
SELECT pg_temp.imp('"box"') \gexec
SELECT pg_temp.imp('{"image_id": 1, "category_id": 1, "bbox": [0, 0, 1, 1]}') \gexec
SELECT pg_temp.imp('{"id": 1, "category_id": 1, "bbox": [0, 0, 1, 1]}') \gexec
SELECT pg_temp.imp('{"id": 1, "image_id": 1, "bbox": [0, 0, 1, 1]}') \gexec
SELECT pg_temp.dry('{"id": 1, "image_id": 1, "category_id": 1}') \gexec
SELECT pg_temp.imp('{"id": 1, "image_id": 2, "category_id": 1, "bbox": [0, 0, 1, 1]}') \gexec
SELECT pg_temp.dry('{"id": 1, "image_id": 1, "category_id": 9, "bbox": [0, 0, 1, 1]}') \gexec
SELECT pg_temp.imp('{"id": 1, "image_id": 1, "category_id": 1, "bbox": [0, 0, 1, 1]}, {"id": 1, "image_id": 1, "category_id": 1, "bbox": [0, 0, 2, 2]}') \gexec
SELECT pg_temp.imp('{"id": 1, "image_id": 1, "category_id": 1, "bbox": {"x": 0}}') \gexec
SELECT pg_temp.imp('{"id": 1, "image_id": 1, "category_id": 1, "bbox": [0, 0, 1]}') \gexec
SELECT pg_temp.imp('{"id": 1, "image_id": 1, "category_id": 1, "bbox": [0, 0, 1, 1, 1]}') \gexec
SELECT pg_temp.imp('{"id": 1, "image_id": 1, "category_id": 1, "bbox": [0, "0", 1, 1]}') \gexec
SELECT pg_temp.imp('{"id": 1, "image_id": 1, "category_id": 1, "bbox": [0, 0, null, 1]}') \gexec
SELECT pg_temp.dry('{"id": 1, "image_id": 1, "category_id": 1, "bbox": [0, 0, 0, 1]}') \gexec
SELECT pg_temp.imp('{"id": 1, "image_id": 1, "category_id": 1, "bbox": [0, 0, 1, -5]}') \gexec
SELECT pg_temp.imp('{"id": 1, "image_id": 1, "category_id": 1, "bbox": [1e400, 0, 1, 1]}') \gexec
SELECT pg_temp.dry('{"id": 1, "image_id": 1, "category_id": 1, "bbox": [-1, 0, 10, 10]}') \gexec
SELECT pg_temp.dry('{"id": 1, "image_id": 1, "category_id": 1, "bbox": [0, -0.5, 10, 10]}') \gexec
SELECT pg_temp.imp('{"id": 1, "image_id": 1, "category_id": 1, "bbox": [600, 10, 40.5, 10]}') \gexec
SELECT pg_temp.dry('{"id": 1, "image_id": 1, "category_id": 1, "bbox": [600, 10, 40.001, 10]}') \gexec
SELECT pg_temp.imp('{"id": 1, "image_id": 1, "category_id": 1, "bbox": [600, 10, 40.0011, 10]}') \gexec
SELECT pg_temp.imp('{"id": 1, "image_id": 1, "category_id": 1, "bbox": [-1.5, 0, 10, 10]}') \gexec
SELECT pg_temp.dry('{"id": 1, "image_id": 1, "category_id": 1, "bbox": [-0.5, 0, 0.5, 10]}') \gexec
SELECT pg_temp.imp('{"id": 1, "image_id": 1, "category_id": 1, "bbox": [0, 0, 1, 1], "iscrowd": 2}') \gexec
SELECT pg_temp.imp('{"id": 1, "image_id": 1, "category_id": 1, "bbox": [0, 0, 1, 1], "iscrowd": "yes"}') \gexec
SELECT pg_temp.imp('{"id": 1, "image_id": 1, "category_id": 1, "bbox": [0, 0, 1, 1], "area": -1}') \gexec
SELECT pg_temp.imp('{"id": 1, "image_id": 1, "category_id": 1, "bbox": [0, 0, 1, 1], "area": "big"}') \gexec
SELECT pg_temp.imp('{"id": 1, "image_id": 1, "category_id": 1, "bbox": [0, 400, 10, 81]}') \gexec
SELECT pg_temp.imp('{"id": 1, "image_id": 1, "category_id": 1, "bbox": [100, 0, 1e-9, 10]}') \gexec
-- the last box is bad: the images and boxes before it are not written either
SELECT pg_temp.imp('{"id": 1, "image_id": 1, "category_id": 1, "bbox": [0, 0, 10, 10]}, {"id": 2, "image_id": 1, "category_id": 1, "bbox": [0, 0, 641, 10]}') \gexec
SELECT pg_temp.fingerprint() = :'before' AS nothing_written;

------------------------------------------------------------------------------
-- 5. Row-level security: export and import run with the caller's rights.
------------------------------------------------------------------------------
CREATE ROLE regress_coco_stranger;
CREATE ROLE regress_coco_collab;
SELECT add_collaborator('coco', 'regress_coco_collab');
SET ROLE regress_coco_stranger;
SELECT export_coco('coco');
SELECT import_coco('coco', '{"images": [], "categories": [], "annotations": []}');
SET ROLE regress_coco_collab;
SELECT jsonb_array_length(export_coco('coco')->'annotations') AS boxes_seen_by_collaborator;
SELECT * FROM import_coco('coco', '{"images": [{"id": 1, "file_name": "collab.jpg", "width": 10, "height": 10}],
  "categories": [{"id": 1, "name": "thing"}],
  "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "bbox": [1, 1, 8, 8]}]}');
SELECT id, user_id, bbox FROM list_annotations('coco', input_ids => ARRAY['collab.jpg']);
RESET ROLE;
SELECT user_id FROM annotations.annotations WHERE app_id = 'coco' AND input_id = 'collab.jpg' ORDER BY 1;
DROP ROLE regress_coco_stranger;
DROP ROLE regress_coco_collab;
