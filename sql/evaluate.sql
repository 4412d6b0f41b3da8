--
-- Evaluation: COCO's box evaluator, the matching behind it, and agreement
-- between annotators, on a case small enough to check by hand.
--
\set SHOW_CONTEXT never
SET search_path = annotations, public;
CREATE ROLE regress_ev_collab;
CREATE ROLE regress_ev_stranger;
SELECT id FROM create_app('ev');
SELECT add_collaborator('ev', 'regress_ev_collab');

-- Two 100 x 100 images and one with no size.
--   i1: ground truth cat A (0,0)-(50,50) = 2500 px2 (medium);
--       predictions p1 on A (IoU 1, score 0.9), p2 elsewhere (score 0.9: a tie, it came later)
--   i2: ground truth cat B (0,0)-(20,20) = 400 px2 (small);
--       prediction p3 (0,0)-(20,30): IoU 400/600 = 0.667, score 0.8
SELECT id FROM post_inputs('ev', '[
 {"id": "i1", "data": {"image": {"url": "https://x/1.jpg", "image_info": {"width": 100, "height": 100}}}},
 {"id": "i2", "data": {"image": {"url": "https://x/2.jpg", "image_info": {"width": 100, "height": 100}}}},
 {"id": "i3", "data": {"image": {"url": "https://x/3.jpg"}}}]');
SELECT id FROM post_annotations('ev', '[
 {"id": "gA", "input_id": "i1", "data": {"regions": [{"id": "rA", "region_info": {"bounding_box":
   {"top_row": 0, "left_col": 0, "bottom_row": 0.5, "right_col": 0.5}}, "data": {"concepts": [{"id": "cat", "value": 1}]}}]}},
 {"id": "gB", "input_id": "i2", "data": {"regions": [{"id": "rB", "region_info": {"bounding_box":
   {"top_row": 0, "left_col": 0, "bottom_row": 0.2, "right_col": 0.2}}, "data": {"concepts": [{"id": "cat", "value": 1}]}}]}},
 {"id": "gP", "input_id": "i2", "status": {"code": 24151}, "data": {"regions": [{"region_info": {"bounding_box":
   {"top_row": 0.6, "left_col": 0.6, "bottom_row": 0.9, "right_col": 0.9}}, "data": {"concepts": [{"id": "cat", "value": 1}]}}]}},
 {"id": "gD", "input_id": "i2", "data": {"regions": [{"id": "rD", "region_info": {"bounding_box":
   {"top_row": 0.5, "left_col": 0.5, "bottom_row": 0.6, "right_col": 0.6}}, "data": {"concepts": [{"id": "dog", "value": 1}]}}]}},
 {"id": "g3", "input_id": "i3", "data": {"regions": [{"id": "r3", "region_info": {"bounding_box":
   {"top_row": 0, "left_col": 0, "bottom_row": 0.5, "right_col": 0.5}}, "data": {"concepts": [{"id": "cat", "value": 1}]}}]}},
 {"id": "p1", "input_id": "i1", "model_version_id": "m1", "data": {"regions": [{"id": "q1", "region_info": {"bounding_box":
   {"top_row": 0, "left_col": 0, "bottom_row": 0.5, "right_col": 0.5}}, "data": {"concepts": [{"id": "cat", "value": 0.9}]}}]}},
 {"id": "p2", "input_id": "i1", "model_version_id": "m1", "data": {"regions": [{"id": "q2", "region_info": {"bounding_box":
   {"top_row": 0.6, "left_col": 0.6, "bottom_row": 1, "right_col": 1}}, "data": {"concepts": [{"id": "cat", "value": 0.9}]}}]}},
 {"id": "p3", "input_id": "i2", "model_version_id": "m1", "data": {"regions": [{"id": "q3", "region_info": {"bounding_box":
   {"top_row": 0, "left_col": 0, "bottom_row": 0.2, "right_col": 0.3}}, "data": {"concepts": [{"id": "cat", "value": 0.8}]}}]}},
 {"id": "p4", "input_id": "i2", "model_version_id": "m2", "data": {"regions": [{"region_info": {"bounding_box":
   {"top_row": 0, "left_col": 0, "bottom_row": 0.2, "right_col": 0.2}}, "data": {"concepts": [{"id": "cat", "value": 1}]}}]}}
]');

-- cat, at every threshold up to 0.65: sorted p1 (TP), p2 (FP), p3 (TP):
--   precision 1, 1/2, 2/3 -> envelope 1, 2/3, 2/3; recall 1/2, 1/2, 1
--   101-point AP = (51 * 1 + 50 * 2/3) / 101 = 84.333/101 = 0.834983
-- at 0.70 and above p3 misses: AP = 51/101 = 0.504950, recall 1/2.
-- ap = (4 * 0.834983 + 6 * 0.504950) / 10 = 0.636964; ap50 = 0.834983; ap75 = 0.504950
-- ar100 = (4 * 1 + 6 * 0.5) / 10 = 0.7; ar1: i1 keeps p1 only, i2 p3: the same, 0.7
-- small (only B counts; p1 matches A, an ignored object; p2 is medium, ignored):
--   p3 alone, precision 1 at recall 1 below 0.70, nothing above: ap_small = 0.4, ar_small = 0.4
-- medium (only A counts; p3 is small and unmatched there: ignored):
--   p1 TP reaches recall 1 at precision 1 before p2 (FP) comes: ap_medium = 1, ar_medium = 1
-- dog: ground truth, no prediction: every figure 0 (large: -1, no such object)
-- the all row: means over cat and dog; large stays -1 (no large object anywhere)
-- i3 has no size: left out, with a NOTICE
SELECT concept_id, round(ap::numeric, 6) AS ap, round(ap50::numeric, 6) AS ap50, round(ap75::numeric, 6) AS ap75,
       round(ap_small::numeric, 6) AS ap_s, round(ap_medium::numeric, 6) AS ap_m, ap_large AS ap_l,
       round(ar1::numeric, 6) AS ar1, round(ar10::numeric, 6) AS ar10, round(ar100::numeric, 6) AS ar100,
       round(ar_small::numeric, 6) AS ar_s, round(ar_medium::numeric, 6) AS ar_m, ar_large AS ar_l,
       gt_count, dt_count, tp50, fp50, fn50
  FROM evaluate_detections('ev', '{m1}');

-- thresholds of one's own; no 0.5 or 0.75 among them: ap50 and ap75 are NULL
SELECT concept_id, round(ap::numeric, 6) AS ap, ap50, ap75, tp50
  FROM evaluate_detections('ev', '{m1}', iou_thresholds => '{0.7}');
-- the pending object counts when pending is asked for: i2 now has 2 objects
SELECT concept_id, gt_count, tp50, fp50, fn50
  FROM evaluate_detections('ev', '{m1}', statuses => '{success,pending}');
-- one image; another model
SELECT concept_id, gt_count, dt_count, tp50 FROM evaluate_detections('ev', '{m1}', input_ids => '{i2}');
SELECT concept_id, round(ap::numeric, 6) AS ap, tp50 FROM evaluate_detections('ev', '{m2}');
-- nobody's ground truth: every concept -1
SELECT concept_id, ap, ar100, gt_count, dt_count FROM evaluate_detections('ev', '{m1}', user_ids => '{nobody}');

-- the matching at 0.5 and at 0.7 (p3 then misses B)
SELECT input_id, concept_id, prediction_id, prediction_region_id, score, ground_truth_id,
       ground_truth_region_id, round(iou::numeric, 6) AS iou, matched
  FROM match_detections('ev', '{m1}');
SELECT input_id, concept_id, prediction_id, ground_truth_id, matched
  FROM match_detections('ev', '{m1}', iou_threshold => 0.7);

-- the kernel with a crowd object: a 100 x 100 crowd region and a regular
-- object; the first detection lies inside the crowd, matches it (IoU =
-- overlap / its own area = 1) and is ignored; the second matches the regular
-- object: precision 1 / (1 + DBL_EPSILON) at every recall, as COCO has it.
-- gt_count counts the crowd object too.
SELECT concept_id, round(ap::numeric, 12) AS ap, ar100, gt_count, dt_count, tp50, fp50, fn50
  FROM _evaluate_boxes('{a,a,a,a}', '{c,c,c,c}', '{NULL,NULL,0.9,0.5}', '{true,false,false,false}',
                       '{0,0,100,100, 200,200,50,50, 10,10,20,20, 200,200,50,50}', '{10000,2500,400,2500}');

-- annotator agreement (any status): the owner drew A, B and the pending box
-- of cat and a dog box; the collaborator draws A a little narrower (IoU 0.9)
-- and says "dog" for the whole of i2
SET ROLE regress_ev_collab;
SELECT id FROM post_annotations('ev', '[
 {"id": "c1", "input_id": "i1", "data": {"regions": [{"region_info": {"bounding_box":
   {"top_row": 0, "left_col": 0, "bottom_row": 0.5, "right_col": 0.45}}, "data": {"concepts": [{"id": "cat", "value": 1}]}}]}},
 {"id": "c2", "input_id": "i2", "data": {"concepts": [{"id": "dog"}]}}]');
RESET ROLE;
-- both labelled i1 and i2; cat boxes: A matched, B and the pending one only
-- the owner's -> F1 = 2 / (2 + 2) = 0.5; dog: the owner's box has no match
-- (F1 0); as a whole-input concept, present for the collaborator on i2 only:
-- po = 1/2, pe = 0 * 1/2 + 1 * 1/2 = 1/2, kappa 0; pooled: 2 / (2 + 3) = 0.4
SELECT CASE WHEN user_a = current_user THEN '<owner>' ELSE user_a END AS user_a, user_b, concept_id, inputs, matched, only_a, only_b, round(f1::numeric, 6) AS f1, kappa
  FROM annotator_agreement('ev', ARRAY[current_user, 'regress_ev_collab'])
 ORDER BY concept_id NULLS FIRST;
SELECT input_id, concept_id, users = ARRAY[current_user::text, 'regress_ev_collab'] AS both_users,
       replace(detail, current_user, '<owner>') AS detail
  FROM disagreements('ev', ARRAY[current_user, 'regress_ev_collab']);
-- at IoU 0.95 the narrower box no longer matches
SELECT input_id, concept_id, replace(detail, current_user, '<owner>') AS detail
  FROM disagreements('ev', ARRAY[current_user, 'regress_ev_collab'], iou_threshold => 0.95) WHERE input_id = 'i1';

-- any member may evaluate; a stranger finds no app
SET ROLE regress_ev_collab;
SELECT concept_id, gt_count FROM evaluate_detections('ev', '{m1}') WHERE concept_id IS NULL;
RESET ROLE;
SET ROLE regress_ev_stranger;
SELECT * FROM evaluate_detections('ev', '{m1}');
SELECT * FROM match_detections('ev', '{m1}');
SELECT * FROM annotator_agreement('ev', '{a,b}');
SELECT * FROM disagreements('ev', '{a,b}');
RESET ROLE;

-- bad arguments
SELECT * FROM evaluate_detections(NULL, '{m1}');
SELECT * FROM evaluate_detections('ev', NULL);
SELECT * FROM evaluate_detections('ev', '{}');
SELECT * FROM evaluate_detections('ev', '{m1,NULL}');
SELECT * FROM evaluate_detections('ev', '{m1}', user_ids => '{NULL}');
SELECT * FROM evaluate_detections('ev', '{m1}', iou_thresholds => '{}');
SELECT * FROM evaluate_detections('ev', '{m1}', iou_thresholds => '{0.5,1.5}');
SELECT * FROM evaluate_detections('ev', '{m1}', iou_thresholds => '{0}');
SELECT * FROM evaluate_detections('ev', '{m1}', iou_thresholds => '{NaN}');
SELECT * FROM evaluate_detections('ev', '{m1}', iou_thresholds => '{0.5,NULL}');
SELECT * FROM evaluate_detections('ev', '{m1}', max_detections => '{1,10}');
SELECT * FROM evaluate_detections('ev', '{m1}', max_detections => '{1,10,0}');
SELECT * FROM evaluate_detections('ev', '{m1}', max_detections => NULL);
SELECT * FROM match_detections('ev', '{m1}', iou_threshold => 0);
SELECT * FROM match_detections('ev', '{m1}', iou_threshold => NULL);
SELECT * FROM annotator_agreement('ev', '{a}');
SELECT * FROM annotator_agreement('ev', '{a,a}');
SELECT * FROM annotator_agreement('ev', NULL);
SELECT * FROM annotator_agreement('ev', '{a,b}', iou_threshold => 2);
SELECT * FROM disagreements('ev', '{a,NULL}');
SELECT * FROM _evaluate_boxes('{a}', '{c}', '{NULL}', '{false}', '{0,0,1}', '{1}');

-- Stored region concept lists of every shape (written straight into the
-- table): each object with an id and a positive value is one box; a value
-- absent counts as 1, a value that is no number or not positive, an id that
-- is absent or JSON null, and an element that is no object give none; an
-- id that is no string is its JSON text. The boxes counted per concept must
-- be those the same rule gives in SQL; a value too large for float8 is
-- refused as a cast of it would be.
SELECT id FROM post_annotations('ev', '[
 {"id": "o1", "input_id": "i1", "data": {"regions": [{"id": "ro1", "region_info": {"bounding_box":
   {"top_row": 0, "left_col": 0, "bottom_row": 0.5, "right_col": 0.5}}}]}},
 {"id": "o2", "input_id": "i2", "model_version_id": "m9", "data": {"regions": [{"id": "ro2", "region_info": {"bounding_box":
   {"top_row": 0, "left_col": 0, "bottom_row": 0.5, "right_col": 0.5}}}]}},
 {"id": "o3", "input_id": "i2", "data": {"regions": [{"id": "ro3", "region_info": {"bounding_box":
   {"top_row": 0, "left_col": 0, "bottom_row": 0.5, "right_col": 0.5}}}]}}]');
UPDATE annotations.regions SET concepts = '[{"id": "odd-absent"}, {"id": "odd-string", "value": "0.5"},
  {"id": "odd-zero", "value": 0}, {"id": "odd-null", "value": null}, {"value": 1}, {"id": null, "value": 1},
  {"id": 7, "value": 0.5}, {"id": true}, {"id": {"k": [1]}, "value": 2}, "odd", 3, [{"id": "odd-nested"}],
  {"id": "odd-absent", "value": 0.25}]'
 WHERE app_id = 'ev' AND annotation_id = 'o1';
UPDATE annotations.regions SET concepts = '[{"id": "odd-absent", "value": 1e-300}, {"id": 7}, {"id": "odd-neg", "value": -1}]'
 WHERE app_id = 'ev' AND annotation_id = 'o2';
UPDATE annotations.regions SET concepts = '[[], null]' WHERE app_id = 'ev' AND annotation_id = 'o3';
SELECT concept_id, gt_count, dt_count FROM evaluate_detections('ev', '{m9}', user_ids => ARRAY[current_user::text])
 WHERE concept_id NOT IN ('cat', 'dog') ORDER BY 1;
SELECT c.value ->> 'id' AS concept_id,
       count(*) FILTER (WHERE a.model_version_id IS NULL) AS gt_count,
       count(*) FILTER (WHERE a.model_version_id IS NOT NULL) AS dt_count
  FROM annotations.annotations a
  JOIN annotations.regions r ON r.app_id = a.app_id AND r.annotation_id = a.id
 CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(r.concepts) = 'array' THEN r.concepts ELSE '[]' END) c(value)
 WHERE a.app_id = 'ev' AND a.id IN ('o1', 'o2', 'o3') AND jsonb_typeof(c.value) = 'object'
   AND c.value ->> 'id' IS NOT NULL
   AND CASE WHEN jsonb_typeof(c.value -> 'value') = 'number' THEN (c.value ->> 'value')::float8
            WHEN c.value -> 'value' IS NULL THEN 1 END > 0
 GROUP BY 1 ORDER BY 1;
-- annotator agreement walks the same lists by the same rule: the owner's
-- boxes per concept (only_a: the collaborator has none of these concepts)
-- are the region concepts the rule counts, and a whole-input list of every
-- shape gives, as present, the concepts the rule counts in it
SELECT id FROM post_annotations('ev', '[{"id": "o4", "input_id": "i1", "data": {"concepts": [{"id": "odd-whole"}]}}]');
UPDATE annotations.annotations SET concepts = '[{"id": "odd-w-absent"}, {"id": "odd-w-string", "value": "1"},
  {"id": "odd-w-zero", "value": 0}, {"value": 1}, {"id": null}, {"id": 8, "value": 0.5}, "odd", [{"id": "odd-w-nested"}],
  {"id": "odd-w-neg", "value": -0.5}, {"id": "odd-w-tiny", "value": 1e-300}]'
 WHERE app_id = 'ev' AND id = 'o4';
SELECT concept_id, only_a, only_b FROM annotator_agreement('ev', ARRAY[current_user, 'regress_ev_collab'])
 WHERE concept_id NOT IN ('cat', 'dog') AND only_a > 0 ORDER BY 1;
SELECT c.value ->> 'id' AS concept_id, count(*) AS only_a
  FROM annotations.annotations a
  JOIN annotations.regions r ON r.app_id = a.app_id AND r.annotation_id = a.id
 CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(r.concepts) = 'array' THEN r.concepts ELSE '[]' END) c(value)
 WHERE a.app_id = 'ev' AND a.user_id = current_user AND a.listed AND a.input_id IN ('i1', 'i2')
   AND jsonb_typeof(c.value) = 'object' AND c.value ->> 'id' IS NOT NULL AND c.value ->> 'id' NOT IN ('cat', 'dog')
   AND CASE WHEN jsonb_typeof(c.value -> 'value') = 'number' THEN (c.value ->> 'value')::float8
            WHEN c.value -> 'value' IS NULL THEN 1 END > 0
 GROUP BY 1 ORDER BY 1;
SELECT concept_id, replace(detail, current_user, '<owner>') AS detail
  FROM disagreements('ev', ARRAY[current_user, 'regress_ev_collab'])
 WHERE input_id = 'i1' AND detail LIKE 'present%' ORDER BY 1;
SELECT DISTINCT c.value ->> 'id' AS concept_id
  FROM annotations.annotations a CROSS JOIN LATERAL jsonb_array_elements(a.concepts) c(value)
 WHERE a.app_id = 'ev' AND a.id = 'o4' AND jsonb_typeof(c.value) = 'object' AND c.value ->> 'id' IS NOT NULL
   AND CASE WHEN jsonb_typeof(c.value -> 'value') = 'number' THEN (c.value ->> 'value')::float8
            WHEN c.value -> 'value' IS NULL THEN 1 END > 0
 ORDER BY 1;
-- a value beyond double precision never came through the API: malformed (XX001)
UPDATE annotations.regions SET concepts = '[{"id": "odd-huge", "value": 1e400}]'
 WHERE app_id = 'ev' AND annotation_id = 'o2';
SELECT count(*) FROM evaluate_detections('ev', '{m9}');
UPDATE annotations.regions SET concepts = '[{"id": "odd-huge", "value": -1e400}]'
 WHERE app_id = 'ev' AND annotation_id = 'o1';
SELECT count(*) FROM annotator_agreement('ev', ARRAY[current_user, 'regress_ev_collab']);
UPDATE annotations.annotations SET concepts = '[{"id": "odd-huge", "value": 1e400}]' WHERE app_id = 'ev' AND id = 'o4';
UPDATE annotations.regions SET concepts = '[]' WHERE app_id = 'ev' AND annotation_id = 'o1';
SELECT count(*) FROM disagreements('ev', ARRAY[current_user, 'regress_ev_collab']);
SELECT delete_annotations('ev', '{i1,i2,i2,i1}', '{o1,o2,o3,o4}');

-- Crowd regions, as COCO evaluates them (iscrowd is set by a COCO import;
-- here straight in the table). On a 100 x 100 image: a crowd of cats over
-- the left half, one cat on the right. Three predictions fall in the crowd:
-- each matches it (IoU over the prediction's own area: 1 for d1 and d2,
-- 20 x 20 / (30 x 20) = 0.667 for d3, partly outside) and is ignored,
-- neither true nor false positive; d4 finds the cat. Up to IoU 0.65
-- precision is 1 (AP 1); from 0.70 d3 is a false positive ahead of d4 (AP
-- 1/2): AP = (4 + 6 / 2) / 10 = 0.7. Without the crowd flag: 3 false
-- positives ahead of the true one. A crowd no prediction fell into is not
-- missed, and a concept with only crowd regions has no AP (-1): the dogs.
SELECT id FROM create_app('evc');
SELECT id FROM post_inputs('evc', '[{"id": "k1", "data": {"image": {"url": "https://x/k.jpg", "image_info": {"width": 100, "height": 100}}}}]');
SELECT id FROM post_annotations('evc', '[
 {"id": "crowd", "input_id": "k1", "data": {"regions": [{"region_info": {"bounding_box":
   {"top_row": 0, "left_col": 0, "bottom_row": 1, "right_col": 0.5}}, "data": {"concepts": [{"id": "cat"}]}}]}},
 {"id": "one", "input_id": "k1", "data": {"regions": [{"region_info": {"bounding_box":
   {"top_row": 0.2, "left_col": 0.6, "bottom_row": 0.5, "right_col": 0.9}}, "data": {"concepts": [{"id": "cat"}]}}]}},
 {"id": "dogs", "input_id": "k1", "data": {"regions": [{"region_info": {"bounding_box":
   {"top_row": 0.5, "left_col": 0.5, "bottom_row": 1, "right_col": 1}}, "data": {"concepts": [{"id": "dog"}]}}]}},
 {"id": "d1", "input_id": "k1", "model_version_id": "m", "data": {"regions": [{"region_info": {"bounding_box":
   {"top_row": 0.1, "left_col": 0.1, "bottom_row": 0.3, "right_col": 0.2}}, "data": {"concepts": [{"id": "cat", "value": 0.9}]}}]}},
 {"id": "d2", "input_id": "k1", "model_version_id": "m", "data": {"regions": [{"region_info": {"bounding_box":
   {"top_row": 0.4, "left_col": 0.1, "bottom_row": 0.6, "right_col": 0.3}}, "data": {"concepts": [{"id": "cat", "value": 0.8}]}}]}},
 {"id": "d3", "input_id": "k1", "model_version_id": "m", "data": {"regions": [{"region_info": {"bounding_box":
   {"top_row": 0.7, "left_col": 0.3, "bottom_row": 0.9, "right_col": 0.6}}, "data": {"concepts": [{"id": "cat", "value": 0.7}]}}]}},
 {"id": "d4", "input_id": "k1", "model_version_id": "m", "data": {"regions": [{"region_info": {"bounding_box":
   {"top_row": 0.2, "left_col": 0.6, "bottom_row": 0.5, "right_col": 0.9}}, "data": {"concepts": [{"id": "cat", "value": 0.6}]}}]}}]');
SELECT concept_id, ap, ar100, gt_count, dt_count, tp50, fp50, fn50 FROM evaluate_detections('evc', '{m}');
UPDATE annotations.regions SET iscrowd = true WHERE app_id = 'evc' AND annotation_id IN ('crowd', 'dogs');
SELECT concept_id, round(ap::numeric, 12) AS ap, ar100, gt_count, dt_count, tp50, fp50, fn50 FROM evaluate_detections('evc', '{m}');
SELECT concept_id, prediction_id, ground_truth_id, round(iou::numeric, 6) AS iou, matched
  FROM match_detections('evc', '{m}') ORDER BY score DESC NULLS LAST;
-- at 0.7, d3 no longer falls in the crowd: a false positive
SELECT concept_id, prediction_id, ground_truth_id, matched
  FROM match_detections('evc', '{m}', iou_threshold => 0.7) ORDER BY score DESC NULLS LAST;
-- a crowd flag on a prediction's region means nothing
UPDATE annotations.regions SET iscrowd = true WHERE app_id = 'evc' AND annotation_id = 'd4';
SELECT concept_id, round(ap::numeric, 12) AS ap, tp50, fp50 FROM evaluate_detections('evc', '{m}');
-- ground truth's area for the area ranges, as export_coco writes it: a
-- polygon's area in pixels (a triangle of 800 px in a 40 x 40 box: small,
-- where its box is medium), unless an import kept another (a kept area that
-- is no number is not one); a stored mask with no pixel set is XX001
SELECT id FROM post_inputs('evc', '[{"id": "k2", "data": {"image": {"url": "https://x/k2.jpg", "image_info": {"width": 100, "height": 100}}}}]');
SELECT id FROM post_annotations('evc', '[
 {"id": "tri", "input_id": "k2", "data": {"regions": [{"region_info": {"polygon": {"points":
   [{"row": 0.1, "col": 0.1}, {"row": 0.1, "col": 0.5}, {"row": 0.5, "col": 0.1}]}}, "data": {"concepts": [{"id": "roof"}]}}]}},
 {"id": "d5", "input_id": "k2", "model_version_id": "m", "data": {"regions": [{"region_info": {"bounding_box":
   {"top_row": 0.1, "left_col": 0.1, "bottom_row": 0.5, "right_col": 0.5}}, "data": {"concepts": [{"id": "roof", "value": 0.9}]}}]}}]');
SELECT concept_id, ap_small, ap_medium FROM evaluate_detections('evc', '{m}', input_ids => '{k2}');
UPDATE annotations.annotations SET annotation_info = '{"coco": {"area": 5000}}' WHERE app_id = 'evc' AND id = 'tri';
SELECT concept_id, ap_small, ap_medium FROM evaluate_detections('evc', '{m}', input_ids => '{k2}');
UPDATE annotations.annotations SET annotation_info = '{"coco": {"area": "5000"}}' WHERE app_id = 'evc' AND id = 'tri';
SELECT concept_id, ap_small, ap_medium FROM evaluate_detections('evc', '{m}', input_ids => '{k2}');
UPDATE annotations.annotations SET annotation_info = '{}' WHERE app_id = 'evc' AND id = 'tri';
UPDATE annotations.regions SET polygon = NULL, mask = '{"rle": {"size": [4, 5], "counts": [20]}}'::jsonb::annotations.mask
 WHERE app_id = 'evc' AND annotation_id = 'tri';
SELECT count(*) FROM evaluate_detections('evc', '{m}', input_ids => '{k2}');
SELECT delete_app('evc');

-- iou_type 'segm': the IoU of the stored shapes, each rasterized at the
-- image's size as pycocotools rasterizes a COCO polygon (a pixel is in when
-- its centre is inside), pixels counted. On a 10 x 10 image:
--   gL: a mask of the 5 left columns (50 px); pR: a polygon rectangle of the
--       6 left columns (60 px): IoU 50 / 60 = 0.833333; pB: a box over
--       columns 2 to 6 (50 px), 30 px shared: 30 / 70 = 0.428571
--   gT: the triangle (0,0) (0,1) (1,0): the 45 pixels below the diagonal
--       (the 10 pixels whose centre is on it are out); pW: the whole image
--       as a box: IoU 45 / 100 = 0.45 (its box, the whole image: 1 in bbox);
--       pU: the other triangle, 45 px, none shared: IoU 0
SELECT id FROM create_app('evs');
SELECT id FROM post_inputs('evs', '[
 {"id": "s1", "data": {"image": {"url": "https://x/s1.jpg", "image_info": {"width": 10, "height": 10}}}},
 {"id": "s2", "data": {"image": {"url": "https://x/s2.jpg"}}}]');
SELECT id FROM post_annotations('evs', '[
 {"id": "gL", "input_id": "s1", "data": {"regions": [{"id": "rL", "region_info": {"mask": {"rle": {"size": [10, 10], "counts": [0, 50, 50]}}},
   "data": {"concepts": [{"id": "half"}]}}]}},
 {"id": "gT", "input_id": "s1", "data": {"regions": [{"id": "rT", "region_info": {"polygon": {"points":
   [{"row": 0, "col": 0}, {"row": 0, "col": 1}, {"row": 1, "col": 0}]}}, "data": {"concepts": [{"id": "tri"}]}}]}},
 {"id": "g2", "input_id": "s2", "data": {"regions": [{"region_info": {"bounding_box":
   {"top_row": 0, "left_col": 0, "bottom_row": 0.5, "right_col": 0.5}}, "data": {"concepts": [{"id": "tri"}]}}]}},
 {"id": "pR", "input_id": "s1", "model_version_id": "m", "data": {"regions": [{"id": "qR", "region_info": {"polygon": {"points":
   [{"row": 0, "col": 0}, {"row": 0, "col": 0.6}, {"row": 1, "col": 0.6}, {"row": 1, "col": 0}]}}, "data": {"concepts": [{"id": "half", "value": 0.9}]}}]}},
 {"id": "pB", "input_id": "s1", "model_version_id": "m", "data": {"regions": [{"id": "qB", "region_info": {"bounding_box":
   {"top_row": 0, "left_col": 0.2, "bottom_row": 1, "right_col": 0.7}}, "data": {"concepts": [{"id": "half", "value": 0.5}]}}]}},
 {"id": "pW", "input_id": "s1", "model_version_id": "m", "data": {"regions": [{"id": "qW", "region_info": {"bounding_box":
   {"top_row": 0, "left_col": 0, "bottom_row": 1, "right_col": 1}}, "data": {"concepts": [{"id": "tri", "value": 0.7}]}}]}},
 {"id": "pU", "input_id": "s1", "model_version_id": "m", "data": {"regions": [{"id": "qU", "region_info": {"polygon": {"points":
   [{"row": 1, "col": 1}, {"row": 1, "col": 0}, {"row": 0, "col": 1}]}}, "data": {"concepts": [{"id": "tri", "value": 0.6}]}}]}},
 {"id": "p2", "input_id": "s2", "model_version_id": "m", "data": {"regions": [{"region_info": {"bounding_box":
   {"top_row": 0, "left_col": 0, "bottom_row": 0.5, "right_col": 0.5}}, "data": {"concepts": [{"id": "tri", "value": 0.7}]}}]}}
]');
-- bbox (the default) compares the boxes: the triangle's is the whole image
SELECT concept_id, prediction_id, ground_truth_id, round(iou::numeric, 6) AS iou, matched
  FROM match_detections('evs', '{m}', input_ids => '{s1}') ORDER BY concept_id, score DESC NULLS LAST;
SELECT concept_id, prediction_id, ground_truth_id, round(iou::numeric, 6) AS iou, matched
  FROM match_detections('evs', '{m}', input_ids => '{s1}', iou_type => 'segm') ORDER BY concept_id, score DESC NULLS LAST;
-- at 0.5 pW (0.45) misses the triangle; the input without a size is left
-- out, with a NOTICE, in segm mode as in bbox mode
SELECT concept_id, round(ap::numeric, 6) AS ap, round(ap50::numeric, 6) AS ap50, tp50, fp50, fn50
  FROM evaluate_detections('evs', '{m}', iou_type => 'segm');
SELECT concept_id, round(ap::numeric, 6) AS ap, round(ap50::numeric, 6) AS ap50, tp50, fp50, fn50
  FROM evaluate_detections('evs', '{m}', iou_type => 'bbox');
SELECT count(*) FROM match_detections('evs', '{m}', iou_type => 'segm');
-- a crowd region: the shared pixels over the prediction's own (pR 50 / 60,
-- pB 30 / 50); both fall into it, neither counts
UPDATE annotations.regions SET iscrowd = true WHERE app_id = 'evs' AND annotation_id = 'gL';
SELECT concept_id, prediction_id, ground_truth_id, round(iou::numeric, 6) AS iou, matched
  FROM match_detections('evs', '{m}', input_ids => '{s1}', iou_type => 'segm')
 WHERE concept_id = 'half' ORDER BY score DESC NULLS LAST;
-- an iou_type other than bbox and segm is 22023, and so is NULL
SELECT count(*) FROM evaluate_detections('evs', '{m}', iou_type => 'mask');
SELECT count(*) FROM match_detections('evs', '{m}', iou_type => NULL);
-- a mask of another size than the image is refused in segm mode (pixels
-- compare on one grid), not in bbox mode
SELECT id FROM post_annotations('evs', '[
 {"id": "pM", "input_id": "s1", "model_version_id": "m", "data": {"regions": [{"id": "qM", "region_info": {"mask": {"rle": {"size": [5, 5], "counts": [0, 5, 20]}}},
   "data": {"concepts": [{"id": "half", "value": 0.4}]}}]}}]');
SELECT count(*) FROM evaluate_detections('evs', '{m}', iou_type => 'segm');
SELECT count(*) FROM evaluate_detections('evs', '{m}');
-- a prediction's stored shape is checked as every reader checks it: a
-- mask with no pixel set is XX001
UPDATE annotations.regions SET mask = '{"rle": {"size": [10, 10], "counts": [100]}}'::jsonb::annotations.mask
 WHERE app_id = 'evs' AND annotation_id = 'pM';
SELECT count(*) FROM match_detections('evs', '{m}', iou_type => 'segm');
SELECT delete_app('evs');

SELECT delete_inputs('ev', ARRAY['i1', 'i2', 'i3']);
DROP ROLE regress_ev_collab;
DROP ROLE regress_ev_stranger;
