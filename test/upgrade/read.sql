-- Reads back what data.sql wrote, through the tables and the API, in a form
-- that must not change when the extension is updated.
\set ON_ERROR_STOP 1
\pset format unaligned
\pset footer off
SET search_path = annotations, public;
SELECT id, owner_id, created_at FROM apps ORDER BY id;
SELECT app_id, user_id FROM collaborators ORDER BY 1, 2;
SELECT app_id, id, data, created_at, modified_at FROM inputs ORDER BY 1, 2;
SELECT app_id, id, input_id, seq, user_id, model_version_id, embed_model_version_id, task_id, status,
       input_level, concepts, frame_index, frame_time, annotation_info, created_at, modified_at
  FROM annotations.annotations ORDER BY 1, seq;
SELECT app_id, annotation_id, id, bbox, concepts FROM regions ORDER BY 1, 2;
-- the API's view of the same rows (the 1.0 columns of annotations.annotation)
SELECT a.app_id, a.id, a.input_id, a.seq, a.user_id, a.model_version_id, a.embed_model_version_id, a.task_id,
       a.status, a.input_level, a.concepts, a.region_id, a.bbox, a.region_concepts, a.frame_index,
       a.frame_time, a.annotation_info, a.created_at, a.modified_at
  FROM list_annotations('upg-a', list_all_annotations => true, per_page => 1000) a;
SELECT a.app_id, a.id, a.seq FROM list_annotations('upg-b', per_page => 1000) a;
SELECT count_annotations('upg-a', list_all_annotations => true);
SELECT g.id, g.bbox, g.region_concepts FROM get_annotation('upg-a', 'img-2', 'labels-det') g;
SELECT app_id, annotation_id, concept_id, value, status FROM concept_labels ORDER BY 1, 2, 3;
