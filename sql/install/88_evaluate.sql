-- Evaluation (src/evaluate.c, src/coco_eval.c): how well a model's boxes
-- agree with the boxes people drew, as COCO's evaluator measures it, and
-- how well people agree with each other. Any member of an app may run
-- them; they read with the store owner's rights.

CREATE FUNCTION annotations.evaluate_detections(
        app_id text,
        model_version_ids text[],
        user_ids text[] DEFAULT NULL,
        statuses annotations.status[] DEFAULT '{success}',
        iou_thresholds float8[] DEFAULT NULL,
        max_detections integer[] DEFAULT '{1,10,100}',
        input_ids text[] DEFAULT NULL,
        iou_type text DEFAULT 'bbox')
    RETURNS TABLE (concept_id text, ap float8, ap50 float8, ap75 float8,
                   ap_small float8, ap_medium float8, ap_large float8,
                   ar1 float8, ar10 float8, ar100 float8,
                   ar_small float8, ar_medium float8, ar_large float8,
                   gt_count bigint, dt_count bigint, tp50 bigint, fp50 bigint, fn50 bigint)
    AS 'MODULE_PATHNAME', 'annotations_evaluate_detections'
    LANGUAGE C STABLE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.evaluate_detections(text, text[], text[], annotations.status[], float8[], integer[], text[], text) IS
  'COCO evaluation (iou_type bbox: boxes, segm: shapes at the image''s size) of the model versions'' region concepts against users'' ones (value > 0), per concept and over all (concept_id NULL, first); -1 where COCO gives -1, NULL for a threshold not asked for';

CREATE FUNCTION annotations.match_detections(
        app_id text,
        model_version_ids text[],
        user_ids text[] DEFAULT NULL,
        statuses annotations.status[] DEFAULT '{success}',
        input_ids text[] DEFAULT NULL,
        iou_threshold float8 DEFAULT 0.5,
        iou_type text DEFAULT 'bbox')
    RETURNS TABLE (input_id text, concept_id text, prediction_id text, prediction_region_id text,
                   score float8, ground_truth_id text, ground_truth_region_id text,
                   iou float8, matched boolean)
    AS 'MODULE_PATHNAME', 'annotations_match_detections'
    LANGUAGE C STABLE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.match_detections(text, text[], text[], annotations.status[], text[], float8, text) IS
  'COCO''s greedy matching at one IoU threshold: a row per prediction (matched, a false positive, or matched NULL inside a crowd region) and per ground-truth box no prediction matched (crowd regions are never missed)';

CREATE FUNCTION annotations.annotator_agreement(
        app_id text,
        user_ids text[],
        iou_threshold float8 DEFAULT 0.5,
        statuses annotations.status[] DEFAULT NULL)
    RETURNS TABLE (user_a text, user_b text, concept_id text, inputs bigint, matched bigint,
                   only_a bigint, only_b bigint, f1 float8, kappa float8)
    AS 'MODULE_PATHNAME', 'annotations_annotator_agreement'
    LANGUAGE C STABLE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.annotator_agreement(text, text[], float8, annotations.status[]) IS
  'Per pair of users, over the inputs both labelled: boxes matched one to one by IoU and their F1, Cohen''s kappa of whole-input concepts; per concept, and pooled (concept_id NULL)';

CREATE FUNCTION annotations.disagreements(
        app_id text,
        user_ids text[],
        iou_threshold float8 DEFAULT 0.5,
        statuses annotations.status[] DEFAULT NULL)
    RETURNS TABLE (input_id text, concept_id text, users text[], detail text)
    AS 'MODULE_PATHNAME', 'annotations_disagreements'
    LANGUAGE C STABLE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.disagreements(text, text[], float8, annotations.status[]) IS
  'Inputs labelled by two or more of the users where they differ on a concept: present for some and absent for others, or boxes without a match';

CREATE FUNCTION annotations._evaluate_boxes(
        images text[], concepts text[], scores float8[], crowd boolean[],
        boxes float8[], areas float8[],
        iou_thresholds float8[] DEFAULT NULL,
        max_detections integer[] DEFAULT '{1,10,100}')
    RETURNS TABLE (concept_id text, ap float8, ap50 float8, ap75 float8,
                   ap_small float8, ap_medium float8, ap_large float8,
                   ar1 float8, ar10 float8, ar100 float8,
                   ar_small float8, ar_medium float8, ar_large float8,
                   gt_count bigint, dt_count bigint, tp50 bigint, fp50 bigint, fn50 bigint)
    AS 'MODULE_PATHNAME', 'annotations_evaluate_boxes'
    LANGUAGE C IMMUTABLE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations._evaluate_boxes(text[], text[], float8[], boolean[], float8[], float8[], float8[], integer[]) IS
  'Internal: COCO box evaluation of boxes given as arrays (pixels [x,y,w,h], area, crowd flag; NULL score for ground truth), reading no table';
