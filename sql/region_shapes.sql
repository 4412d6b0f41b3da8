--
-- Regions of every shape through the API: region_info holds exactly one of
-- bounding_box, polygon, point or mask; the region keeps its shape and the
-- box enclosing it.  Posted, labeled by id, listed, read, rendered by
-- to_json and posted back, patched from one shape into another, reported
-- by concept_labels, searched with the box index; stored rows that hold
-- two shapes are refused as malformed.
--
SET search_path = annotations, public;
\set SHOW_CONTEXT never
SET client_min_messages = warning;
\pset null '(null)'

SELECT id FROM create_app('shaped');
SELECT id FROM post_inputs('shaped', '[{"id": "img", "data": {"image": {"url": "https://x/a.jpg", "image_info": {"width": 640, "height": 480}}}},
                                       {"id": "clip", "data": {"video": {"url": "https://x/b.mp4"}}}]');

-- one region of each shape, in Clarifai's JSON
SELECT id, region_id, bbox, polygon, point, mask, region_concepts FROM post_annotations('shaped', '[
  {"id": "tri", "input_id": "img", "data": {"regions": [{"id": "r-tri", "region_info": {"polygon": {"points": [
      {"row": 0.1, "col": 0.1}, {"row": 0.1, "col": 0.5}, {"row": 0.4, "col": 0.3}]}},
      "data": {"concepts": [{"id": "roof"}]}}]}},
  {"id": "eye", "input_id": "img", "data": {"regions": [{"id": "r-eye", "region_info": {"point": {"row": 0.5, "col": 0.25}},
      "data": {"concepts": [{"id": "left-eye"}]}}]}},
  {"id": "blob", "input_id": "img", "data": {"regions": [{"id": "r-blob", "region_info": {"mask": {"rle": {"size": [4, 5], "counts": [5, 3, 6, 2, 4]}}},
      "data": {"concepts": [{"id": "puddle"}]}}]}},
  {"id": "box", "input_id": "img", "data": {"regions": [{"id": "r-box", "region_info": {"bounding_box":
      {"top_row": 0.6, "left_col": 0.6, "bottom_row": 0.8, "right_col": 0.8}}, "data": {"concepts": [{"id": "sign"}]}}]}},
  {"id": "framed", "input_id": "clip", "data": {"frames": [{"frame_info": {"index": 7, "time": 280}, "data": {"regions": [
      {"id": "r-frame", "region_info": {"point": {"row": 1, "col": 1}}, "data": {"concepts": [{"id": "ball"}]}}]}}]}}
]');

-- the table: the shape in its column, the enclosing box in bbox
SELECT annotation_id, id, bbox, polygon IS NOT NULL AS has_polygon, point, mask IS NOT NULL AS has_mask
  FROM annotations.regions WHERE app_id = 'shaped' ORDER BY annotation_id;

-- measured against values computed by hand: the triangle has base 0.4 and
-- height 0.3 (area 0.06); the mask has 3 + 2 of its 20 pixels set
SELECT round(area(polygon)::numeric, 12) AS triangle_area FROM annotations.regions WHERE app_id = 'shaped' AND id = 'r-tri';
SELECT area(mask) AS mask_area FROM annotations.regions WHERE app_id = 'shaped' AND id = 'r-blob';
-- the mask's 1 pixels are rows 1-3 (of 4), columns 1-3 (of 5): column-major runs 5,3,6,2,4
SELECT bbox FROM annotations.regions WHERE app_id = 'shaped' AND id = 'r-blob';

-- read back: get, list, to_json
SELECT id, region_id, polygon, point, mask FROM list_annotations('shaped') ORDER BY seq;
SELECT polygon FROM get_annotation('shaped', 'img', 'tri');
SELECT id, jsonb_pretty(to_json(a) -> 'data') FROM list_annotations('shaped') a ORDER BY seq;

-- to_json posted back (with a new id) recreates the same regions
SELECT b.id, b.polygon IS NOT DISTINCT FROM a.polygon AND b.point IS NOT DISTINCT FROM a.point
             AND b.mask IS NOT DISTINCT FROM a.mask AND b.bbox = a.bbox AS same_shape,
       b.frame_index, b.frame_time
  FROM list_annotations('shaped') a,
       LATERAL post_annotations('shaped', jsonb_build_array(
           to_json(a) - 'created_at' - 'modified_at' || jsonb_build_object('id', 'again-' || a.id))) b
 ORDER BY a.seq;

-- labeling a region by id copies its shape (and frame)
SELECT id, region_id, bbox, polygon, point, mask, frame_index, frame_time, region_concepts
  FROM post_annotations('shaped', '[
  {"id": "tri-2", "input_id": "img", "data": {"regions": [{"id": "r-tri", "data": {"concepts": [{"id": "tiles"}]}}]}},
  {"id": "blob-2", "input_id": "img", "data": {"regions": [{"id": "r-blob"}]}},
  {"id": "ball-2", "input_id": "clip", "data": {"regions": [{"id": "r-frame"}]}}]');

-- concept_labels: the kind of each region and the box around it
SELECT annotation_id, region_id, concept_id, shape_kind, bbox
  FROM concept_labels WHERE app_id = 'shaped' AND annotation_id NOT LIKE 'again-%' ORDER BY annotation_id, concept_id;
SELECT annotation_id, polygon IS NOT NULL AS has_polygon, point, mask IS NOT NULL AS has_mask
  FROM visible_regions WHERE app_id = 'shaped' AND annotation_id IN ('tri', 'eye', 'blob', 'box') ORDER BY annotation_id;

--
-- patching one shape into another
--
-- merge by the current region id: the box becomes a polygon ...
SELECT id, region_id, bbox, polygon, point, mask, region_concepts FROM patch_annotations('shaped', 'merge', '[
  {"id": "box", "data": {"regions": [{"id": "r-box", "region_info": {"polygon": {"points": [
      {"row": 0.6, "col": 0.6}, {"row": 0.6, "col": 0.8}, {"row": 0.8, "col": 0.8}, {"row": 0.8, "col": 0.6}]}}}]}}]');
SELECT id, bbox, polygon IS NOT NULL AS has_polygon FROM annotations.regions WHERE app_id = 'shaped' AND annotation_id = 'box';
-- ... and back: no polygon is left behind
SELECT id, region_id, bbox, polygon, point, mask, region_concepts FROM patch_annotations('shaped', 'merge', '[
  {"id": "box", "data": {"regions": [{"id": "r-box", "region_info": {"bounding_box":
      {"top_row": 0.6, "left_col": 0.6, "bottom_row": 0.8, "right_col": 0.8}}}]}}]');
SELECT id, bbox, polygon, point, mask FROM annotations.regions WHERE app_id = 'shaped' AND annotation_id = 'box';
-- the point becomes a mask, its concepts merged
SELECT id, bbox, point, mask, region_concepts FROM patch_annotations('shaped', 'merge', '[
  {"id": "eye", "data": {"regions": [{"id": "r-eye", "region_info": {"mask": {"rle": {"size": [2, 2], "counts": [3, 1]}}},
      "data": {"concepts": [{"id": "iris"}]}}]}}]');
-- overwrite naming the current region without geometry keeps the shape
SELECT id, region_id, bbox, polygon, region_concepts FROM patch_annotations('shaped', 'overwrite', '[
  {"id": "tri", "data": {"regions": [{"id": "r-tri", "data": {"concepts": [{"id": "gable"}]}}]}}]');
-- a region with another id replaces the current one, with its own shape
SELECT id, region_id, bbox, polygon, point, mask FROM patch_annotations('shaped', 'merge', '[
  {"id": "blob", "data": {"regions": [{"id": "r-new", "region_info": {"point": {"row": 0, "col": 0}}}]}}]');
SELECT id, point, mask FROM annotations.regions WHERE app_id = 'shaped' AND annotation_id = 'blob';
-- a merge that changes nothing writes nothing (the row keeps its version)
SELECT xmin AS tri_xmin FROM annotations.regions WHERE app_id = 'shaped' AND annotation_id = 'tri' \gset
SELECT id, polygon FROM patch_annotations('shaped', 'merge', '[
  {"id": "tri", "data": {"regions": [{"id": "r-tri", "region_info": {"polygon": {"points": [
      {"row": 0.1, "col": 0.1}, {"row": 0.1, "col": 0.5}, {"row": 0.4, "col": 0.3}]}}}]}}]');
SELECT xmin = :'tri_xmin' AS region_not_rewritten FROM annotations.regions WHERE app_id = 'shaped' AND annotation_id = 'tri';
-- remove by region id takes the shape away with the region
SELECT id, region_id, bbox, polygon FROM patch_annotations('shaped', 'remove', '[{"id": "tri-2", "data": {"regions": [{"id": "r-tri"}]}}]');
SELECT count(*) AS left_over FROM annotations.regions WHERE app_id = 'shaped' AND annotation_id = 'tri-2';

--
-- searching: the box index finds regions of every shape; the polygon's own
-- && refines the match
--
SET enable_seqscan = off;
-- (read from the plan's lines, which say the same on one server and on a
-- Citus cluster, where the plan of the app's shard is shown inside a task;
-- a plain or a bitmap scan of the box index both count, since the
-- statistics of so small a table decide between them)
CREATE FUNCTION pg_temp.plan_lines(q text) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    l text;
BEGIN
    FOR l IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP
        RETURN NEXT l;
    END LOOP;
END
$$;
SELECT bool_or(l ~ 'Index Scan (using|on) regions_bbox_idx') AS geometry_index,
       bool_or(l ~ 'Index Cond: .*app_id = ''shaped''.*bbox .*&&') AS by_app_and_box,
       bool_or(l ~ 'Filter: .*polygon IS NULL.*polygon .*&&') AS polygon_refines
  FROM pg_temp.plan_lines($q$
SELECT annotation_id FROM annotations.regions
 WHERE app_id = 'shaped' AND bbox && '(0.35,0.1,0.4,0.15)'
   AND (polygon IS NULL OR polygon && '(0.35,0.1,0.4,0.15)'::bbox)$q$) l;
-- the window touches the triangle's box but not the triangle
SELECT annotation_id, bbox && q AS box_overlaps, polygon && q AS polygon_overlaps
  FROM annotations.regions, (SELECT '(0.35,0.1,0.4,0.15)'::bbox AS q) w
 WHERE app_id = 'shaped' AND bbox && q ORDER BY annotation_id;
SELECT annotation_id FROM annotations.regions, (SELECT '(0.35,0.1,0.4,0.15)'::bbox AS q) w
 WHERE app_id = 'shaped' AND bbox && q AND (polygon IS NULL OR polygon && q) ORDER BY annotation_id;
-- a window holding a vertex, or touching one with its corner, finds it
SELECT w, annotation_id FROM annotations.regions,
       (VALUES ('(0.05,0.05,0.15,0.15)'::bbox), ('(0.4,0.3,0.45,0.35)'), ('(0.41,0.3,0.45,0.35)')) v(w)
 WHERE app_id = 'shaped' AND annotation_id = 'tri' AND bbox && w AND (polygon IS NULL OR polygon && w) ORDER BY 1;
-- a window over the triangle's middle finds it
SELECT annotation_id FROM annotations.regions, (SELECT '(0.15,0.25,0.2,0.35)'::bbox AS q) w
 WHERE app_id = 'shaped' AND bbox && q AND (polygon IS NULL OR polygon && q) ORDER BY annotation_id;
RESET enable_seqscan;
-- iou of stored shapes, against the hand value: the square (0,0)-(0.5,0.5)
-- and the box of its left half overlap by half
SELECT id FROM post_annotations('shaped', '[
  {"id": "square", "input_id": "img", "data": {"regions": [{"id": "r-square", "region_info": {"polygon": {"points": [
      {"row": 0, "col": 0}, {"row": 0, "col": 0.5}, {"row": 0.5, "col": 0.5}, {"row": 0.5, "col": 0}]}}}]}},
  {"id": "half", "input_id": "img", "data": {"regions": [{"region_info": {"bounding_box":
      {"top_row": 0, "left_col": 0, "bottom_row": 0.5, "right_col": 0.25}}}]}}]');
SELECT iou(s.polygon, h.bbox) FROM annotations.regions s, annotations.regions h
 WHERE s.app_id = 'shaped' AND s.annotation_id = 'square' AND h.app_id = 'shaped' AND h.annotation_id = 'half';

-- evaluation compares regions by their boxes: the polygon by its enclosing
-- box; the point region takes no part
SELECT id FROM post_annotations('shaped', '[
  {"id": "det-tri", "input_id": "img", "model_version_id": "det", "data": {"regions": [{"region_info": {"bounding_box":
      {"top_row": 0.1, "left_col": 0.1, "bottom_row": 0.4, "right_col": 0.5}}, "data": {"concepts": [{"id": "gable", "value": 0.9}]}}]}},
  {"id": "det-eye", "input_id": "img", "model_version_id": "det", "data": {"regions": [{"region_info": {"point":
      {"row": 0.5, "col": 0.25}}, "data": {"concepts": [{"id": "left-eye", "value": 0.9}]}}]}}]');
SELECT concept_id, gt_count, dt_count, tp50 FROM evaluate_detections('shaped', '{det}')
 WHERE concept_id IN ('gable', 'left-eye') ORDER BY 1;

--
-- refused: nothing changes
--
SELECT count(*) AS regions_before FROM annotations.regions WHERE app_id = 'shaped' \gset
SELECT post_annotations('shaped', '[{"input_id": "img", "data": {"regions": [{"region_info": {"polygon": {"points": [
  {"row": 0, "col": 0}, {"row": 0, "col": 1}, {"row": 0, "col": 0.5}]}}}]}}]');
SELECT post_annotations('shaped', '[{"input_id": "img", "data": {"regions": [{"region_info": {"point": {"row": 0, "col": 0}, "bounding_box":
  {"top_row": 0, "left_col": 0, "bottom_row": 1, "right_col": 1}}}]}}]');
SELECT post_annotations('shaped', '[{"input_id": "img", "data": {"regions": [{"region_info": {"mask": {"rle": {"size": [3, 3], "counts": [9]}}}}]}}]');
SELECT patch_annotations('shaped', 'merge', '[{"id": "box", "data": {"regions": [{"id": "r-box", "region_info": {"point": {"row": 0, "col": -1}}}]}}]');
SELECT patch_annotations('shaped', 'merge', '[{"id": "box", "data": {"regions": [{"id": "other", "data": {"concepts": [{"id": "x"}]}}]}}]');
SELECT count(*) = :regions_before AS unchanged FROM annotations.regions WHERE app_id = 'shaped';
SELECT bbox, polygon, point, mask FROM annotations.regions WHERE app_id = 'shaped' AND annotation_id = 'box';

--
-- stored rows are checked: a region holding two shapes, or a mask with no
-- pixel set, is malformed (XX001), never read as one of them
--
BEGIN;
ALTER TABLE annotations.regions DROP CONSTRAINT regions_one_shape;
UPDATE annotations.regions SET point = '(0.7,0.7)' WHERE app_id = 'shaped' AND annotation_id = 'square';
SAVEPOINT s;
SELECT patch_annotations('shaped', 'merge', '[{"id": "square", "data": {"concepts": [{"id": "x"}]}}]');
ROLLBACK TO s;
SELECT to_json(a) FROM list_annotations('shaped', ids => '{square}', input_ids => '{img}') a;
ROLLBACK TO s;
SELECT post_annotations('shaped', '[{"input_id": "img", "data": {"regions": [{"id": "r-square"}]}}]');
ROLLBACK TO s;
UPDATE annotations.regions SET point = NULL, polygon = NULL, mask = mask(2, 2, '{4}') WHERE app_id = 'shaped' AND annotation_id = 'square';
SELECT patch_annotations('shaped', 'merge', '[{"id": "square", "data": {"concepts": [{"id": "x"}]}}]');
ROLLBACK;
