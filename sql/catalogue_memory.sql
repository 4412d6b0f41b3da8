--
-- What a backend remembers of the catalogue. A write whose concepts this
-- session has seen catalogued by committed writes does not read the
-- catalogue; a write that brings a new concept does (counted with this
-- backend's table statistics). An app deleted and created again in one
-- transaction starts with an empty catalogue. One server only: on a Citus
-- cluster the write runs on the worker holding the app, whose statistics
-- the caller's session does not see, and one transaction may not mix a
-- superuser's and a role's calls on an app's shard.
--
\set SHOW_CONTEXT never
SET search_path = annotations, public;
CREATE ROLE regress_catr_owner;
SELECT id FROM create_app('catr', 'regress_catr_owner');
SET ROLE regress_catr_owner;
SELECT id FROM post_inputs('catr', '[{"id": "j1", "data": {"text": {"raw": "x"}}}]');
-- seen catalogued by committed writes: the first adds them, the second sees them
SELECT id FROM post_annotations('catr', '[{"id": "b1", "input_id": "j1", "data": {"concepts": [{"id": "kept"}, {"id": "saved"}]}}]');
SELECT id FROM post_annotations('catr', '[{"id": "b2", "input_id": "j1", "data": {"concepts": [{"id": "kept"}, {"id": "saved"}]}}]');
CREATE FUNCTION pg_temp.catalogue_reads() RETURNS bigint LANGUAGE sql AS $$
SELECT seq_scan + COALESCE(idx_scan, 0) FROM pg_stat_xact_user_tables
 WHERE relid = 'annotations.concepts'::regclass
$$;
BEGIN;
SELECT pg_temp.catalogue_reads() AS reads \gset
SELECT id FROM post_annotations('catr', '[{"id": "b3", "input_id": "j1", "data": {"concepts": [{"id": "kept"}, {"id": "saved"}]}}]');
SELECT pg_temp.catalogue_reads() - :reads AS catalogue_reads;
SELECT id FROM post_annotations('catr', '[{"id": "b4", "input_id": "j1", "data": {"concepts": [{"id": "kept"}, {"id": "new"}]}}]');
SELECT pg_temp.catalogue_reads() - :reads > 0 AS catalogue_read;
ROLLBACK;
DROP FUNCTION pg_temp.catalogue_reads();
SELECT id, coco_id FROM app_concepts('catr');
SELECT delete_inputs('catr', ARRAY['j1']);
SELECT delete_app('catr');
RESET ROLE;
-- deleted and created again in one transaction: the same creation time, and
-- still an empty catalogue that a closed vocabulary guards
BEGIN;
SELECT id FROM create_app('catr', 'regress_catr_owner');
SET LOCAL ROLE regress_catr_owner;
SELECT id FROM post_inputs('catr', '[{"id": "j1", "data": {"text": {"raw": "x"}}}]');
SELECT id FROM post_annotations('catr', '[{"id": "b1", "input_id": "j1", "data": {"concepts": [{"id": "kept"}]}}]');
SELECT id FROM post_annotations('catr', '[{"id": "b2", "input_id": "j1", "data": {"concepts": [{"id": "kept"}]}}]');
SELECT delete_inputs('catr', ARRAY['j1']);
SELECT delete_app('catr');
RESET ROLE;
SELECT id FROM create_app('catr', 'regress_catr_owner');
SET LOCAL ROLE regress_catr_owner;
SELECT id, closed_vocabulary FROM set_closed_vocabulary('catr', true);
SELECT id FROM post_inputs('catr', '[{"id": "j1", "data": {"text": {"raw": "x"}}}]');
SELECT id FROM post_annotations('catr', '[{"id": "b1", "input_id": "j1", "data": {"concepts": [{"id": "kept"}]}}]');
ROLLBACK;
DROP ROLE regress_catr_owner;
