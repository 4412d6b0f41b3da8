--
-- COCO segmentation both ways: polygons (one ring and several) and RLE
-- masks (compressed and uncompressed counts, a crowd region) become region
-- shapes on import, with areas checked against values computed by hand;
-- export writes segmentation and the shape's true area; export -> import
-- -> export gives the same document; a box-only app exports no
-- segmentation.
-- Import tolerates ring points up to 1 px outside the image (moved onto the
-- edge) and drops rings that enclose nothing, counting both; a patch that
-- changes the geometry drops the segmentation and area an import kept.
--
\set SHOW_CONTEXT never
-- app names sort before list_plans' "plans": dead index entries of apps after it
-- (refused imports) would flip its plan tests on the updated database
SET search_path = annotations, public;

SELECT id FROM create_app('cocoseg-a');
SELECT id FROM create_app('cocoseg-b');

-- one 10x8 image (W = 10, H = 8):
--  1: triangle (0,0) (4,0) (4,2), no bbox: area 4 by hand, box [0,0,4,2]
--  2: two rings, a 2x2 square (area 4) and a 5x4 rectangle (area 20): the
--     rectangle is the region's polygon, both rings come back
--  3: compressed RLE "<counts 10,6,64>": column 1, rows 2..7 (6 pixels)
--  4: uncompressed RLE [0, 8, 72], a crowd: column 0 whole (8 pixels)
\set doc '{"images": [{"id": 5, "file_name": "seg.png", "width": 10, "height": 8}], "categories": [{"id": 1, "name": "thing"}], "annotations": [{"id": 1, "image_id": 5, "category_id": 1, "segmentation": [[0, 0, 4, 0, 4, 2]]}, {"id": 2, "image_id": 5, "category_id": 1, "segmentation": [[0, 4, 2, 4, 2, 6, 0, 6], [5, 0, 10, 0, 10, 4, 5, 4]], "bbox": [0, 0, 10, 6], "area": 24}, {"id": 3, "image_id": 5, "category_id": 1, "segmentation": {"size": [8, 10], "counts": ":6P2"}, "bbox": [1, 2, 1, 6], "iscrowd": 0}, {"id": 4, "image_id": 5, "category_id": 1, "segmentation": {"size": [8, 10], "counts": [0, 8, 72]}, "bbox": [0, 0, 1, 8], "iscrowd": 1}]}'

-- the compressed string above is the mask type's own encoding of 10,6,64
SELECT '{"rle": {"size": [8, 10], "counts": [10, 6, 64]}}'::jsonb::annotations.mask;

SELECT images, annotations, skipped, skipped_reasons, annotations_created FROM import_coco('cocoseg-a', :'doc');

-- stored shapes, boxes, crowd flags, and areas (fractions of the 80-pixel image) against the hand-computed ones
SELECT annotation_id, bbox, polygon, mask, iscrowd,
       round((coalesce(annotations.area(polygon), annotations.area(mask)) * 80)::numeric, 6) AS area_px
  FROM annotations.regions WHERE app_id = 'cocoseg-a' ORDER BY annotation_id;
SELECT annotation_id,
       round((coalesce(annotations.area(polygon), annotations.area(mask)) * 80)::numeric, 6)
         = (ARRAY[4, 20, 6, 8])[row_number() OVER (ORDER BY annotation_id)] AS area_as_by_hand
  FROM annotations.regions WHERE app_id = 'cocoseg-a' ORDER BY annotation_id;

-- export: segmentation as written (every ring), area as written or the shape's
SELECT e AS exported FROM jsonb_array_elements(export_coco('cocoseg-a') -> 'annotations') e;

-- shapes drawn through the API: the polygon as one ring in pixels, the mask
-- as RLE, areas the shapes' own; a point is left out with a NOTICE
SELECT id FROM post_inputs('cocoseg-a', '[{"id": "drawn", "data": {"image": {"url": "https://x.example/drawn.png", "image_info": {"width": 10, "height": 8}}}}]');
SELECT count(*) FROM post_annotations('cocoseg-a', '[
  {"id": "tri", "input_id": "drawn", "data": {"regions": [{"region_info": {"polygon": {"points": [
      {"row": 0, "col": 0}, {"row": 0, "col": 0.5}, {"row": 0.5, "col": 0.5}]}}, "data": {"concepts": [{"id": "thing"}]}}]}},
  {"id": "blob", "input_id": "drawn", "data": {"regions": [{"region_info": {"mask": {"rle": {"size": [8, 10], "counts": [12, 3, 65]}}},
      "data": {"concepts": [{"id": "thing"}]}}]}},
  {"id": "dot", "input_id": "drawn", "data": {"regions": [{"region_info": {"point": {"row": 0.5, "col": 0.5}},
      "data": {"concepts": [{"id": "thing"}]}}]}}]');
SELECT e - 'id' - 'image_id' - 'category_id' AS drawn
  FROM jsonb_array_elements(export_coco('cocoseg-a', input_ids => ARRAY['drawn']) -> 'annotations') e;

-- export -> import into another app -> export: the same document but for
-- info (the imported shapes and the drawn ones)
SELECT annotations_created FROM import_coco('cocoseg-b', export_coco('cocoseg-a'));
SELECT (export_coco('cocoseg-a') - 'info') = (export_coco('cocoseg-b') - 'info') AS round_trip;
-- importing it again creates nothing
SELECT annotations_created, annotations_existing FROM import_coco('cocoseg-b', export_coco('cocoseg-a'));

-- a box-only app exports exactly as before: no segmentation key
SELECT id FROM create_app('cocoseg-boxes');
SELECT count(*) FROM import_coco('cocoseg-boxes', '{"images": [{"id": 1, "file_name": "b.png", "width": 10, "height": 8}],
  "categories": [{"id": 1, "name": "thing"}], "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "bbox": [1, 2, 3, 4]}]}');
SELECT export_coco('cocoseg-boxes') -> 'annotations';

-- tolerated and reported, on a 10x8 image:
--  10: a ring up to 1 px outside the image (-0.4 and 10.5 wide, 8.0000001
--      high): moved onto the edges, the region the whole image, counted in
--      clipped; the segmentation is kept as written
--  11: a triangle beside a ring of 2 points and a ring of collinear points:
--      the two are dropped (degenerate_rings), the triangle is the region;
--      its area (4.5, not the triangle's 4) and bbox are kept as written
--  12, 13: only rings that enclose nothing (collinear; empty): skipped
--      (degenerate_segmentation), even with a bbox
\set tol '{"images": [{"id": 7, "file_name": "tol.png", "width": 10, "height": 8}], "categories": [{"id": 1, "name": "thing"}], "annotations": [{"id": 10, "image_id": 7, "category_id": 1, "segmentation": [[-0.4, 0, 10.5, 0, 10.5, 8.0000001, -0.4, 8]]}, {"id": 11, "image_id": 7, "category_id": 1, "segmentation": [[1, 1, 2, 2], [0, 0, 4, 0, 4, 2], [0, 0, 1, 1, 2, 2]], "area": 4.5, "bbox": [0, 0, 4, 2]}, {"id": 12, "image_id": 7, "category_id": 1, "segmentation": [[1, 1, 2, 2, 3, 3]], "bbox": [1, 1, 2, 2]}, {"id": 13, "image_id": 7, "category_id": 1, "segmentation": [[]]}]}'
SELECT id FROM create_app('cocoseg-tol');
SELECT annotations, skipped, skipped_reasons, clipped FROM import_coco('cocoseg-tol', :'tol');
SELECT annotation_id, bbox, polygon, round((annotations.area(polygon) * 80)::numeric, 6) AS area_px
  FROM annotations.regions WHERE app_id = 'cocoseg-tol' ORDER BY annotation_id;
SELECT e -> 'segmentation' AS segmentation, e -> 'area' AS area
  FROM jsonb_array_elements(export_coco('cocoseg-tol') -> 'annotations') e ORDER BY e -> 'id';

-- a patch that changes a region's geometry drops what the import kept of
-- the old one (segmentation, area, bbox; the COCO id stays): export writes
-- the new shape and its own area.  A patch that leaves the geometry as it
-- was keeps them.
--  10: concepts merged, the region named by id without geometry: kept
--  11: its polygon given again, point for point: kept
SELECT id, annotation_info FROM patch_annotations('cocoseg-tol', 'merge', '[
  {"id": "coco-tol.png-10", "data": {"regions": [{"id": "coco-tol.png-10", "data": {"concepts": [{"id": "thing", "value": 1}]}}]}},
  {"id": "coco-tol.png-11", "data": {"regions": [{"id": "coco-tol.png-11", "region_info": {"polygon": {"points": [
      {"row": 0, "col": 0}, {"row": 0, "col": 0.4}, {"row": 0.25, "col": 0.4}]}}}]}}]') ORDER BY id;
SELECT e -> 'id' AS id, e -> 'segmentation' AS segmentation, e -> 'area' AS area, e -> 'bbox' AS bbox
  FROM jsonb_array_elements(export_coco('cocoseg-tol') -> 'annotations') e ORDER BY e -> 'id';
--  11: now a square of 2x2 pixels (4 px, the kept area was 4.5); 10: a box
SELECT id, annotation_info FROM patch_annotations('cocoseg-tol', 'merge', '[
  {"id": "coco-tol.png-11", "data": {"regions": [{"id": "coco-tol.png-11", "region_info": {"polygon": {"points": [
      {"row": 0, "col": 0}, {"row": 0, "col": 0.2}, {"row": 0.25, "col": 0.2}, {"row": 0.25, "col": 0}]}}}]}},
  {"id": "coco-tol.png-10", "data": {"regions": [{"id": "coco-tol.png-10", "region_info": {"bounding_box":
      {"top_row": 0.5, "left_col": 0.5, "bottom_row": 1, "right_col": 1}}}]}}]') ORDER BY id;
SELECT e -> 'id' AS id, e -> 'segmentation' AS segmentation, e -> 'area' AS area, e -> 'bbox' AS bbox
  FROM jsonb_array_elements(export_coco('cocoseg-tol') -> 'annotations') e ORDER BY e -> 'id';

-- refused, naming the item, nothing written
SELECT * FROM import_coco('cocoseg-b', '{"images": [{"id": 1, "file_name": "x.png", "width": 10, "height": 8}],
  "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "segmentation": [[0, 0, 4, 0, 4]]}]}');
SELECT * FROM import_coco('cocoseg-b', '{"images": [{"id": 1, "file_name": "x.png", "width": 10, "height": 8}],
  "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "segmentation": [[0, 0, 40, 0, 4, 2]]}]}');
-- more than 1 px outside; a ring that encloses nothing but lies outside
SELECT * FROM import_coco('cocoseg-b', '{"images": [{"id": 1, "file_name": "x.png", "width": 10, "height": 8}],
  "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "segmentation": [[0, 0, 11.5, 0, 4, 2]]}]}');
SELECT * FROM import_coco('cocoseg-b', '{"images": [{"id": 1, "file_name": "x.png", "width": 10, "height": 8}],
  "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "segmentation": [[0, 0, 4, 0, 4, 2], [0, 0, 0, -2, 0, -4]]}]}');
SELECT * FROM import_coco('cocoseg-b', '{"images": [{"id": 1, "file_name": "x.png", "width": 10, "height": 8}],
  "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "segmentation": {"size": [4, 5], "counts": [5, 3, 12]}}]}');
SELECT * FROM import_coco('cocoseg-b', '{"images": [{"id": 1, "file_name": "x.png", "width": 10, "height": 8}],
  "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "segmentation": {"size": [8, 10], "counts": [80]}}]}');
SELECT * FROM import_coco('cocoseg-b', '{"images": [{"id": 1, "file_name": "x.png", "width": 10, "height": 8}],
  "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "segmentation": "0 0 4 0 4 2"}]}');
SELECT count(*) AS not_written FROM annotations.inputs WHERE app_id = 'cocoseg-b' AND id = 'x.png';
