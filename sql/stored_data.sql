-- Stored data: the C readers of stored jsonb (export_coco, the patch
-- engine) meet garbage written straight into the tables, as any role with
-- write access to its own rows, or a restore that skipped the checks, could
-- leave it; and the internal C functions meet garbage arguments. Every call
-- ends in a clear ERROR (XX001 naming the row for stored data, 22023 for an
-- argument) or a correct result; none may crash the server. Some values are
-- crafted so that reading them as the wrong kind of container reaches far
-- outside the value: before these checks they crashed the server.
SET search_path = annotations, public;
SET client_min_messages = warning;
\set SHOW_CONTEXT never
\pset null '(null)'

-- state(q): 'SQLSTATE: message' of q, or 'ok'
CREATE FUNCTION pg_temp.state(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE q;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

SELECT id FROM create_app('sd');
SELECT id FROM post_inputs('sd', '[
  {"id": "img", "data": {"image": {"url": "https://x/img.jpg", "image_info": {"width": 640, "height": 480}}}},
  {"id": "vid", "data": {"video": {"url": "https://x/clip.mp4"}}}]');
SELECT id, region_id FROM post_annotations('sd', '[
  {"id": "a1", "input_id": "img", "annotation_info": {"k": {"n": 1}, "value": 1},
   "data": {"concepts": [{"id": "street", "value": 1}],
            "regions": [{"id": "r1",
                         "region_info": {"bounding_box": {"top_row": 0.1, "left_col": 0.1, "bottom_row": 0.5, "right_col": 0.5}},
                         "data": {"concepts": [{"id": "car", "value": 1}]}}]}}]');

-- puts the good values back
CREATE PROCEDURE pg_temp.repair() LANGUAGE sql AS $$
UPDATE annotations.regions SET concepts = '[{"id": "car", "value": 1}]' WHERE app_id = 'sd' AND annotation_id = 'a1';
UPDATE annotations.annotations SET concepts = '[{"id": "street", "value": 1}]', annotation_info = '{"k": {"n": 1}, "value": 1}'
 WHERE app_id = 'sd' AND id = 'a1';
UPDATE annotations.inputs SET data = '{"image": {"url": "https://x/img.jpg", "image_info": {"width": 640, "height": 480}}}'
 WHERE app_id = 'sd' AND id = 'img';
$$;

-- the good state: one box
SELECT export_coco('sd') -> 'annotations' AS boxes;

-- A restore that skipped the CHECK constraints can leave concept lists that
-- are not arrays and annotation_info or input data that is not an object.
-- They are dropped here to make such rows, and put back at the end.
ALTER TABLE annotations.regions DROP CONSTRAINT regions_concepts_check;
ALTER TABLE annotations.annotations DROP CONSTRAINT annotations_concepts_check;
ALTER TABLE annotations.annotations DROP CONSTRAINT annotations_annotation_info_check;
ALTER TABLE annotations.inputs DROP CONSTRAINT inputs_data_check;


------------------------------------------------------------------------------
-- 1. annotations.regions.concepts: export_coco and the patch engine read it.
------------------------------------------------------------------------------

-- an array element crafted so that reading it as an object reaches far outside it
UPDATE annotations.regions SET concepts = '[["id", "a\u000fbcd", "\u0010zzzzz", "zzzzzz", "zzzzzz", "zzzzzz", "zidval", "uezzzz"]]' WHERE app_id = 'sd' AND annotation_id = 'a1';
SELECT export_coco('sd') -> 'annotations' AS boxes;
SELECT id, region_concepts FROM patch_annotations('sd', 'merge',
  '[{"id": "a1", "data": {"regions": [{"id": "r1", "data": {"concepts": [{"id": "bus"}]}}]}}]');
SELECT id, region_concepts FROM patch_annotations('sd', 'remove',
  '[{"id": "a1", "data": {"regions": [{"id": "r1", "data": {"concepts": [{"id": "car"}]}}]}}]');

-- a number element
UPDATE annotations.regions SET concepts = '[5]' WHERE app_id = 'sd' AND annotation_id = 'a1';
SELECT export_coco('sd') -> 'annotations' AS boxes;
SELECT id, region_concepts FROM patch_annotations('sd', 'merge',
  '[{"id": "a1", "data": {"regions": [{"id": "r1", "data": {"concepts": [{"id": "bus"}]}}]}}]');
SELECT id, region_concepts FROM patch_annotations('sd', 'remove',
  '[{"id": "a1", "data": {"regions": [{"id": "r1", "data": {"concepts": [{"id": "car"}]}}]}}]');

-- a null element
UPDATE annotations.regions SET concepts = '[null]' WHERE app_id = 'sd' AND annotation_id = 'a1';
SELECT export_coco('sd') -> 'annotations' AS boxes;
SELECT id, region_concepts FROM patch_annotations('sd', 'merge',
  '[{"id": "a1", "data": {"regions": [{"id": "r1", "data": {"concepts": [{"id": "bus"}]}}]}}]');
SELECT id, region_concepts FROM patch_annotations('sd', 'remove',
  '[{"id": "a1", "data": {"regions": [{"id": "r1", "data": {"concepts": [{"id": "car"}]}}]}}]');

-- a string element
UPDATE annotations.regions SET concepts = '["car"]' WHERE app_id = 'sd' AND annotation_id = 'a1';
SELECT export_coco('sd') -> 'annotations' AS boxes;
SELECT id, region_concepts FROM patch_annotations('sd', 'merge',
  '[{"id": "a1", "data": {"regions": [{"id": "r1", "data": {"concepts": [{"id": "bus"}]}}]}}]');
SELECT id, region_concepts FROM patch_annotations('sd', 'remove',
  '[{"id": "a1", "data": {"regions": [{"id": "r1", "data": {"concepts": [{"id": "car"}]}}]}}]');

-- a second element that is an array
UPDATE annotations.regions SET concepts = '[{"id": "car", "value": 1}, [1, 2]]' WHERE app_id = 'sd' AND annotation_id = 'a1';
SELECT export_coco('sd') -> 'annotations' AS boxes;
SELECT id, region_concepts FROM patch_annotations('sd', 'merge',
  '[{"id": "a1", "data": {"regions": [{"id": "r1", "data": {"concepts": [{"id": "bus"}]}}]}}]');
SELECT id, region_concepts FROM patch_annotations('sd', 'remove',
  '[{"id": "a1", "data": {"regions": [{"id": "r1", "data": {"concepts": [{"id": "car"}]}}]}}]');

-- no id
UPDATE annotations.regions SET concepts = '[{"name": "Car", "value": 1}]' WHERE app_id = 'sd' AND annotation_id = 'a1';
SELECT export_coco('sd') -> 'annotations' AS boxes;
SELECT id, region_concepts FROM patch_annotations('sd', 'merge',
  '[{"id": "a1", "data": {"regions": [{"id": "r1", "data": {"concepts": [{"id": "bus"}]}}]}}]');
SELECT id, region_concepts FROM patch_annotations('sd', 'remove',
  '[{"id": "a1", "data": {"regions": [{"id": "r1", "data": {"concepts": [{"id": "car"}]}}]}}]');

-- a number id
UPDATE annotations.regions SET concepts = '[{"id": 7, "value": 1}]' WHERE app_id = 'sd' AND annotation_id = 'a1';
SELECT export_coco('sd') -> 'annotations' AS boxes;
SELECT id, region_concepts FROM patch_annotations('sd', 'merge',
  '[{"id": "a1", "data": {"regions": [{"id": "r1", "data": {"concepts": [{"id": "bus"}]}}]}}]');
SELECT id, region_concepts FROM patch_annotations('sd', 'remove',
  '[{"id": "a1", "data": {"regions": [{"id": "r1", "data": {"concepts": [{"id": "car"}]}}]}}]');

-- an empty id
UPDATE annotations.regions SET concepts = '[{"id": "", "value": 1}]' WHERE app_id = 'sd' AND annotation_id = 'a1';
SELECT export_coco('sd') -> 'annotations' AS boxes;
SELECT id, region_concepts FROM patch_annotations('sd', 'merge',
  '[{"id": "a1", "data": {"regions": [{"id": "r1", "data": {"concepts": [{"id": "bus"}]}}]}}]');
SELECT id, region_concepts FROM patch_annotations('sd', 'remove',
  '[{"id": "a1", "data": {"regions": [{"id": "r1", "data": {"concepts": [{"id": "car"}]}}]}}]');

-- an id with a control character
UPDATE annotations.regions SET concepts = '[{"id": "c\u0001r", "value": 1}]' WHERE app_id = 'sd' AND annotation_id = 'a1';
SELECT export_coco('sd') -> 'annotations' AS boxes;
SELECT id, region_concepts FROM patch_annotations('sd', 'merge',
  '[{"id": "a1", "data": {"regions": [{"id": "r1", "data": {"concepts": [{"id": "bus"}]}}]}}]');
SELECT id, region_concepts FROM patch_annotations('sd', 'remove',
  '[{"id": "a1", "data": {"regions": [{"id": "r1", "data": {"concepts": [{"id": "car"}]}}]}}]');

-- a string value
UPDATE annotations.regions SET concepts = '[{"id": "car", "value": "1"}]' WHERE app_id = 'sd' AND annotation_id = 'a1';
SELECT export_coco('sd') -> 'annotations' AS boxes;
SELECT id, region_concepts FROM patch_annotations('sd', 'merge',
  '[{"id": "a1", "data": {"regions": [{"id": "r1", "data": {"concepts": [{"id": "bus"}]}}]}}]');
SELECT id, region_concepts FROM patch_annotations('sd', 'remove',
  '[{"id": "a1", "data": {"regions": [{"id": "r1", "data": {"concepts": [{"id": "car"}]}}]}}]');

-- a value above 1
UPDATE annotations.regions SET concepts = '[{"id": "car", "value": 2}]' WHERE app_id = 'sd' AND annotation_id = 'a1';
SELECT export_coco('sd') -> 'annotations' AS boxes;
SELECT id, region_concepts FROM patch_annotations('sd', 'merge',
  '[{"id": "a1", "data": {"regions": [{"id": "r1", "data": {"concepts": [{"id": "bus"}]}}]}}]');
SELECT id, region_concepts FROM patch_annotations('sd', 'remove',
  '[{"id": "a1", "data": {"regions": [{"id": "r1", "data": {"concepts": [{"id": "car"}]}}]}}]');

-- a number name
UPDATE annotations.regions SET concepts = '[{"id": "car", "name": 5, "value": 1}]' WHERE app_id = 'sd' AND annotation_id = 'a1';
SELECT export_coco('sd') -> 'annotations' AS boxes;
SELECT id, region_concepts FROM patch_annotations('sd', 'merge',
  '[{"id": "a1", "data": {"regions": [{"id": "r1", "data": {"concepts": [{"id": "bus"}]}}]}}]');
SELECT id, region_concepts FROM patch_annotations('sd', 'remove',
  '[{"id": "a1", "data": {"regions": [{"id": "r1", "data": {"concepts": [{"id": "car"}]}}]}}]');

-- an unknown key
UPDATE annotations.regions SET concepts = '[{"id": "car", "value": 1, "score": 0.5}]' WHERE app_id = 'sd' AND annotation_id = 'a1';
SELECT export_coco('sd') -> 'annotations' AS boxes;
SELECT id, region_concepts FROM patch_annotations('sd', 'merge',
  '[{"id": "a1", "data": {"regions": [{"id": "r1", "data": {"concepts": [{"id": "bus"}]}}]}}]');
SELECT id, region_concepts FROM patch_annotations('sd', 'remove',
  '[{"id": "a1", "data": {"regions": [{"id": "r1", "data": {"concepts": [{"id": "car"}]}}]}}]');

-- an object, not an array (CHECK skipped)
UPDATE annotations.regions SET concepts = '{"id": "car", "value": 1}' WHERE app_id = 'sd' AND annotation_id = 'a1';
SELECT export_coco('sd') -> 'annotations' AS boxes;
SELECT id, region_concepts FROM patch_annotations('sd', 'merge',
  '[{"id": "a1", "data": {"regions": [{"id": "r1", "data": {"concepts": [{"id": "bus"}]}}]}}]');
SELECT id, region_concepts FROM patch_annotations('sd', 'remove',
  '[{"id": "a1", "data": {"regions": [{"id": "r1", "data": {"concepts": [{"id": "car"}]}}]}}]');

-- a string, not an array (CHECK skipped)
UPDATE annotations.regions SET concepts = '"car"' WHERE app_id = 'sd' AND annotation_id = 'a1';
SELECT export_coco('sd') -> 'annotations' AS boxes;
SELECT id, region_concepts FROM patch_annotations('sd', 'merge',
  '[{"id": "a1", "data": {"regions": [{"id": "r1", "data": {"concepts": [{"id": "bus"}]}}]}}]');
SELECT id, region_concepts FROM patch_annotations('sd', 'remove',
  '[{"id": "a1", "data": {"regions": [{"id": "r1", "data": {"concepts": [{"id": "car"}]}}]}}]');

-- more than 1000 concepts, more than any request may leave in a list
UPDATE annotations.regions SET concepts = (SELECT jsonb_agg(jsonb_build_object('id', 'c' || i, 'value', 1)) FROM generate_series(1, 1001) i)
 WHERE app_id = 'sd' AND annotation_id = 'a1';
SELECT export_coco('sd') -> 'annotations' AS boxes;
SELECT id FROM patch_annotations('sd', 'remove',
  '[{"id": "a1", "data": {"regions": [{"id": "r1", "data": {"concepts": [{"id": "c1"}]}}]}}]');

-- the same id twice: export has nothing to refuse (one box, the other is 0),
-- a merge or remove by id would be ambiguous
UPDATE annotations.regions SET concepts = '[{"id": "car", "value": 1}, {"id": "car", "value": 0}]'
 WHERE app_id = 'sd' AND annotation_id = 'a1';
SELECT export_coco('sd') -> 'annotations' AS boxes;
SELECT id FROM patch_annotations('sd', 'merge',
  '[{"id": "a1", "data": {"regions": [{"id": "r1", "data": {"concepts": [{"id": "car", "value": 0.5}]}}]}}]');

-- the SQL readers show what is stored, as it is
UPDATE annotations.regions SET concepts = '[5, ["car"], {"id": 7}]' WHERE app_id = 'sd' AND annotation_id = 'a1';
SELECT annotations.to_json(a) -> 'data' -> 'regions' -> 0 -> 'data' FROM list_annotations('sd') a;
SELECT region_concepts FROM get_annotation('sd', 'img', 'a1');
-- concept_labels leaves out what is not a concept object and reads a value
-- that is not a number as NULL: one bad row does not sink a whole report
SELECT concept_id, value FROM concept_labels WHERE app_id = 'sd' ORDER BY 1;
UPDATE annotations.regions SET concepts = '[{"id": "car", "value": "high"}]' WHERE app_id = 'sd' AND annotation_id = 'a1';
SELECT concept_id, value FROM concept_labels WHERE app_id = 'sd' ORDER BY 1;
-- an overwrite that gives the region anew does not read the stored list: it repairs it
SELECT id, region_concepts FROM patch_annotations('sd', 'overwrite',
  '[{"id": "a1", "data": {"concepts": [{"id": "street"}], "regions": [{"id": "r1", "data": {"concepts": [{"id": "car"}]}}]}}]');
CALL pg_temp.repair();

------------------------------------------------------------------------------
-- 2. annotations.annotations.concepts: the patch engine reads it when a
--    patch touches the concepts.
------------------------------------------------------------------------------

-- an array element crafted so that reading it as an object reaches far outside it
UPDATE annotations.annotations SET concepts = '[["id", "a\u000fbcd", "\u0010zzzzz", "zzzzzz", "zzzzzz", "zzzzzz", "zidval", "uezzzz"]]' WHERE app_id = 'sd' AND id = 'a1';
SELECT id, concepts FROM patch_annotations('sd', 'merge', '[{"id": "a1", "data": {"concepts": [{"id": "night"}]}}]');
SELECT id, concepts FROM patch_annotations('sd', 'remove', '[{"id": "a1", "data": {"concepts": [{"id": "street"}]}}]');

-- a number element
UPDATE annotations.annotations SET concepts = '[5]' WHERE app_id = 'sd' AND id = 'a1';
SELECT id, concepts FROM patch_annotations('sd', 'merge', '[{"id": "a1", "data": {"concepts": [{"id": "night"}]}}]');
SELECT id, concepts FROM patch_annotations('sd', 'remove', '[{"id": "a1", "data": {"concepts": [{"id": "street"}]}}]');

-- a number id
UPDATE annotations.annotations SET concepts = '[{"id": 7, "value": 1}]' WHERE app_id = 'sd' AND id = 'a1';
SELECT id, concepts FROM patch_annotations('sd', 'merge', '[{"id": "a1", "data": {"concepts": [{"id": "night"}]}}]');
SELECT id, concepts FROM patch_annotations('sd', 'remove', '[{"id": "a1", "data": {"concepts": [{"id": "street"}]}}]');

-- a null value
UPDATE annotations.annotations SET concepts = '[{"id": "street", "value": null}]' WHERE app_id = 'sd' AND id = 'a1';
SELECT id, concepts FROM patch_annotations('sd', 'merge', '[{"id": "a1", "data": {"concepts": [{"id": "night"}]}}]');
SELECT id, concepts FROM patch_annotations('sd', 'remove', '[{"id": "a1", "data": {"concepts": [{"id": "street"}]}}]');

-- an object, not an array (CHECK skipped)
UPDATE annotations.annotations SET concepts = '{"id": "street", "value": 1}' WHERE app_id = 'sd' AND id = 'a1';
SELECT id, concepts FROM patch_annotations('sd', 'merge', '[{"id": "a1", "data": {"concepts": [{"id": "night"}]}}]');
SELECT id, concepts FROM patch_annotations('sd', 'remove', '[{"id": "a1", "data": {"concepts": [{"id": "street"}]}}]');

-- a number, not an array (CHECK skipped)
UPDATE annotations.annotations SET concepts = '5' WHERE app_id = 'sd' AND id = 'a1';
SELECT id, concepts FROM patch_annotations('sd', 'merge', '[{"id": "a1", "data": {"concepts": [{"id": "night"}]}}]');
SELECT id, concepts FROM patch_annotations('sd', 'remove', '[{"id": "a1", "data": {"concepts": [{"id": "street"}]}}]');

-- a patch that does not touch the concepts keeps them as they are
SELECT id, status, concepts FROM patch_annotations('sd', 'merge', '[{"id": "a1", "status": {"code": "ANNOTATION_PENDING"}}]');
SELECT concept_id, value FROM concept_labels WHERE app_id = 'sd' AND region_id IS NULL;
SELECT annotations.to_json(a) -> 'data' -> 'concepts' FROM list_annotations('sd') a;
-- overwrite replaces them without reading them
SELECT id, concepts, region_concepts FROM patch_annotations('sd', 'overwrite',
  '[{"id": "a1", "data": {"concepts": [{"id": "street"}], "regions": [{"id": "r1", "data": {"concepts": [{"id": "car"}]}}]}}]');
CALL pg_temp.repair();

------------------------------------------------------------------------------
-- 3. annotations.annotations.annotation_info (its CHECK skipped): the patch
--    engine merges into it and removes from it.
------------------------------------------------------------------------------

-- an array crafted so that reading it as an object reaches far outside it
UPDATE annotations.annotations SET annotation_info = '["id", "a\u000fbcd", "\u0010zzzzz", "zzzzzz", "zzzzzz", "zidval", "uezzzz", "zzzzzz"]' WHERE app_id = 'sd' AND id = 'a1';
SELECT id, annotation_info FROM patch_annotations('sd', 'merge', '[{"id": "a1", "annotation_info": {"id": "x", "value": 2}}]');
SELECT id, annotation_info FROM patch_annotations('sd', 'remove', '[{"id": "a1", "annotation_info": {"value": true}}]');

-- an array
UPDATE annotations.annotations SET annotation_info = '[1, 2]' WHERE app_id = 'sd' AND id = 'a1';
SELECT id, annotation_info FROM patch_annotations('sd', 'merge', '[{"id": "a1", "annotation_info": {"id": "x", "value": 2}}]');
SELECT id, annotation_info FROM patch_annotations('sd', 'remove', '[{"id": "a1", "annotation_info": {"value": true}}]');

-- a string
UPDATE annotations.annotations SET annotation_info = '"info"' WHERE app_id = 'sd' AND id = 'a1';
SELECT id, annotation_info FROM patch_annotations('sd', 'merge', '[{"id": "a1", "annotation_info": {"id": "x", "value": 2}}]');
SELECT id, annotation_info FROM patch_annotations('sd', 'remove', '[{"id": "a1", "annotation_info": {"value": true}}]');

-- JSON null
UPDATE annotations.annotations SET annotation_info = 'null' WHERE app_id = 'sd' AND id = 'a1';
SELECT id, annotation_info FROM patch_annotations('sd', 'merge', '[{"id": "a1", "annotation_info": {"id": "x", "value": 2}}]');
SELECT id, annotation_info FROM patch_annotations('sd', 'remove', '[{"id": "a1", "annotation_info": {"value": true}}]');

-- patches that do not merge into it or remove from it keep or replace it
SELECT id, annotation_info FROM patch_annotations('sd', 'merge', '[{"id": "a1", "task_id": "t1"}]');
SELECT annotations.to_json(get_annotation('sd', 'img', 'a1')) -> 'annotation_info';
SELECT id, annotation_info FROM patch_annotations('sd', 'overwrite', '[{"id": "a1", "annotation_info": {"fresh": true}}]');
CALL pg_temp.repair();

------------------------------------------------------------------------------
-- 4. annotations.inputs.data: export_coco reads data.image.
------------------------------------------------------------------------------

-- image is a string
UPDATE annotations.inputs SET data = '{"image": "https://x/img.jpg"}' WHERE app_id = 'sd' AND id = 'img';
SELECT export_coco('sd') -> 'images' AS images;

-- image is an array
UPDATE annotations.inputs SET data = '{"image": [1, 2]}' WHERE app_id = 'sd' AND id = 'img';
SELECT export_coco('sd') -> 'images' AS images;

-- url is a number
UPDATE annotations.inputs SET data = '{"image": {"url": 5, "image_info": {"width": 640, "height": 480}}}' WHERE app_id = 'sd' AND id = 'img';
SELECT export_coco('sd') -> 'images' AS images;

-- image_info is an array
UPDATE annotations.inputs SET data = '{"image": {"url": "https://x/img.jpg", "image_info": [640, 480]}}' WHERE app_id = 'sd' AND id = 'img';
SELECT export_coco('sd') -> 'images' AS images;

-- width is a string
UPDATE annotations.inputs SET data = '{"image": {"url": "https://x/img.jpg", "image_info": {"width": "640", "height": 480}}}' WHERE app_id = 'sd' AND id = 'img';
SELECT export_coco('sd') -> 'images' AS images;

-- width is 0
UPDATE annotations.inputs SET data = '{"image": {"url": "https://x/img.jpg", "image_info": {"width": 0, "height": 480}}}' WHERE app_id = 'sd' AND id = 'img';
SELECT export_coco('sd') -> 'images' AS images;

-- height is not whole
UPDATE annotations.inputs SET data = '{"image": {"url": "https://x/img.jpg", "image_info": {"width": 640, "height": 480.5}}}' WHERE app_id = 'sd' AND id = 'img';
SELECT export_coco('sd') -> 'images' AS images;

-- height is too large
UPDATE annotations.inputs SET data = '{"image": {"url": "https://x/img.jpg", "image_info": {"width": 640, "height": 1e10}}}' WHERE app_id = 'sd' AND id = 'img';
SELECT export_coco('sd') -> 'images' AS images;

-- data is an array (CHECK skipped)
UPDATE annotations.inputs SET data = '[{"image": {"url": "https://x/img.jpg"}}]' WHERE app_id = 'sd' AND id = 'img';
SELECT export_coco('sd') -> 'images' AS images;

-- data is a string (CHECK skipped)
UPDATE annotations.inputs SET data = '"image"' WHERE app_id = 'sd' AND id = 'img';
SELECT export_coco('sd') -> 'images' AS images;

-- JSON null for image or image_info or width is "not there", as in post_inputs:
-- no image, or an image without a known size (its box is skipped)
UPDATE annotations.inputs SET data = '{"image": null, "video": {"url": "https://x/v.mp4"}}' WHERE app_id = 'sd' AND id = 'img';
SELECT export_coco('sd') -> 'images' AS images;
UPDATE annotations.inputs SET data = '{"image": {"url": null, "image_info": {"width": null, "height": 480}}}' WHERE app_id = 'sd' AND id = 'img';
SELECT export_coco('sd') -> 'images' AS images;

-- import_coco compares a stored input with the document's image in SQL
UPDATE annotations.inputs SET data = '[1, 2]' WHERE app_id = 'sd' AND id = 'img';
SELECT * FROM import_coco('sd', '{"images": [{"id": 1, "file_name": "img", "width": 640, "height": 480}],
  "categories": [{"id": 1, "name": "car"}], "annotations": []}');
UPDATE annotations.inputs SET data = '{"image": {"url": "img", "image_info": {"width": "640", "height": 480}}}' WHERE app_id = 'sd' AND id = 'img';
SELECT * FROM import_coco('sd', '{"images": [{"id": 1, "file_name": "img", "width": 640, "height": 480}],
  "categories": [{"id": 1, "name": "car"}], "annotations": []}');
-- into an app whose other rows are bad, an import of new images and boxes works
UPDATE annotations.regions SET concepts = '[[1]]' WHERE app_id = 'sd' AND annotation_id = 'a1';
SELECT * FROM import_coco('sd', '{"images": [{"id": 1, "file_name": "new.jpg", "width": 100, "height": 100}],
  "categories": [{"id": 1, "name": "car"}],
  "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "bbox": [10, 10, 20, 20]}]}');
CALL pg_temp.repair();
SELECT export_coco('sd') -> 'annotations' AS boxes;

-- the constraints come back (every row satisfies them again)
ALTER TABLE annotations.regions ADD CONSTRAINT regions_concepts_check
    CHECK (pg_catalog.jsonb_typeof(concepts) OPERATOR(pg_catalog.=) 'array');
ALTER TABLE annotations.annotations ADD CONSTRAINT annotations_concepts_check
    CHECK (pg_catalog.jsonb_typeof(concepts) OPERATOR(pg_catalog.=) 'array');
ALTER TABLE annotations.annotations ADD CONSTRAINT annotations_annotation_info_check
    CHECK (pg_catalog.jsonb_typeof(annotation_info) OPERATOR(pg_catalog.=) 'object');
ALTER TABLE annotations.inputs ADD CONSTRAINT inputs_data_check
    CHECK (pg_catalog.jsonb_typeof(data) OPERATOR(pg_catalog.=) 'object');

------------------------------------------------------------------------------
-- 5. The readers that have no table of their own meet garbage arguments:
--    the COCO reader through import_coco, the id check, the bbox JSON cast.
--    (The patch engine and the request parsers, which only a database still
--    on 1.0 declares as SQL functions, get theirs in the upgrade test.)
------------------------------------------------------------------------------
SELECT * FROM import_coco('sd', '"images"');
SELECT * FROM import_coco('sd', '{"images": [null], "categories": [], "annotations": []}');
SELECT * FROM import_coco('sd', NULL);
SELECT * FROM import_coco('sd', '[1]');
SELECT * FROM import_coco('sd', '{"images": {"id": 1}, "categories": [], "annotations": []}');
SELECT annotations._check_id(NULL, NULL);
SELECT annotations._check_id(E'a\x01b', 'thing');
SELECT '[1, 2, 3, 4]'::jsonb::annotations.bbox;
SELECT '0.5'::jsonb::annotations.bbox;
SELECT '{"top_row": [0], "left_col": 0, "bottom_row": 1, "right_col": 1}'::jsonb::annotations.bbox;

-- the SQLSTATEs: XX001 for stored data, 22023 for arguments
UPDATE annotations.regions SET concepts = '[[1]]' WHERE app_id = 'sd' AND annotation_id = 'a1';
SELECT pg_temp.state($$SELECT export_coco('sd')$$);
CALL pg_temp.repair();
UPDATE annotations.inputs SET data = '{"image": {"image_info": {"width": "1", "height": 1}}}' WHERE app_id = 'sd' AND id = 'img';
SELECT pg_temp.state($$SELECT export_coco('sd')$$);
CALL pg_temp.repair();
SELECT pg_temp.state($$SELECT * FROM import_coco('sd', '{}')$$);

-- after all this the app is whole and exports as before
SELECT export_coco('sd') -> 'annotations' AS boxes;
SELECT id, concepts, region_concepts, annotation_info FROM list_annotations('sd');
