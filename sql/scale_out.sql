--
-- What the store does so that it can be distributed by app on a Citus
-- cluster, checked on one server: seq values above the app's highest even
-- when the node's sequence is behind (as after a shard move or a restore),
-- seq unique per app, collaborators following a transferred app, and
-- distribute() refusing where Citus is absent.
--
SET search_path = annotations, public;
\set SHOW_CONTEXT never
SELECT id FROM create_app('so-app');
SELECT id FROM create_app('so-other');
SELECT count(*) FROM post_inputs('so-app', '[{"id": "i1", "data": {"text": {"raw": "x"}}}]');
SELECT count(*) FROM post_inputs('so-other', '[{"id": "i1", "data": {"text": {"raw": "x"}}}]');
SELECT count(*) FROM post_annotations('so-app', '[
  {"id": "a1", "input_id": "i1", "data": {"concepts": [{"id": "c"}]}},
  {"id": "a2", "input_id": "i1", "data": {"concepts": [{"id": "c"}]}}]');

-- the sequence is put back below the app's rows, as on a node that a
-- shard has just moved to: new annotations still come after the old ones
SELECT setval('annotations.annotation_seq', 1);
SELECT count(*) FROM post_annotations('so-app', '[
  {"id": "a3", "input_id": "i1", "data": {"concepts": [{"id": "c"}]}},
  {"id": "a4", "input_id": "i1", "data": {"concepts": [{"id": "c"}]}}]');
SELECT id, seq > (SELECT max(seq) FROM app_annotations('so-app') WHERE id IN ('a1', 'a2')) AS after_old
  FROM app_annotations('so-app') WHERE id IN ('a3', 'a4') ORDER BY seq;
SELECT array_agg(id ORDER BY seq) FROM list_annotations('so-app');
-- keyset paging after the last old row finds the new ones
SELECT array_agg(l.id ORDER BY l.seq)
  FROM list_annotations('so-app', after => (SELECT seq FROM get_annotation('so-app', 'i1', 'a2'))) l;
-- another app is not held back by this one's rows: its values only have to
-- be above its own
SELECT setval('annotations.annotation_seq', 1);
SELECT seq < (SELECT min(seq) FROM app_annotations('so-app') WHERE NOT input_level) AS below_other_app
  FROM post_annotations('so-other', '[{"id": "b1", "input_id": "i1", "data": {"concepts": [{"id": "c"}]}}]');
-- inputs' input-level annotations take their seq the same way
SELECT setval('annotations.annotation_seq', 1);
SELECT count(*) FROM post_inputs('so-app', '[{"id": "i2", "data": {"text": {"raw": "y"}}}]');
SELECT a.seq > (SELECT max(seq) FROM app_annotations('so-app') WHERE id = 'a4') AS input_level_after
  FROM app_annotations('so-app') a WHERE a.input_id = 'i2' AND a.input_level;
-- rows far above the sequence (a restore): the sequence is set forward
-- (a short way it is drawn forward), and the next post comes right after
INSERT INTO annotations.annotations (app_id, id, input_id, seq, user_id)
VALUES ('so-app', 'far', 'i1', 5000000, 'x');
SELECT id, seq > 5000000 AS after_far, seq < 5000010 AS right_after
  FROM post_annotations('so-app', '[{"id": "a5", "input_id": "i1", "data": {"concepts": [{"id": "c"}]}}]');

-- seq is unique within an app, not across apps (terse: the key's value
-- depends on what ran before in this database)
\set VERBOSITY terse
INSERT INTO annotations.annotations (app_id, id, input_id, seq, user_id)
SELECT 'so-app', 'dup', 'i1', seq, 'x' FROM get_annotation('so-app', 'i1', 'a1');
INSERT INTO annotations.annotations (app_id, id, input_id, seq, user_id)
SELECT 'so-other', 'dup', 'i1', seq, 'x' FROM get_annotation('so-app', 'i1', 'a4');
\set VERBOSITY default
SELECT a.seq = o.seq AS same_seq FROM get_annotation('so-app', 'i1', 'a4') a, get_annotation('so-other', 'i1', 'dup') o;

-- collaborators keep their app's owner through a transfer
CREATE ROLE regress_so_owner;
CREATE ROLE regress_so_collab;
SELECT add_collaborator('so-app', 'regress_so_collab');
SELECT owner_id FROM transfer_app('so-app', 'regress_so_owner');
SELECT user_id, owner_id FROM annotations.collaborators WHERE app_id = 'so-app';
-- and go with it; the foreign key cascades deletes only (Citus refuses
-- cascading updates of the app id)
SELECT confdeltype, confupdtype FROM pg_constraint
 WHERE conrelid = 'annotations.collaborators'::regclass AND contype = 'f';
SELECT delete_app('so-app');
SELECT count(*) FROM annotations.collaborators WHERE app_id = 'so-app';

-- distribute() needs Citus, and only its owner may call it
SELECT distribute();
SET ROLE regress_so_owner;
SELECT distribute();
RESET ROLE;
SELECT delete_app('so-other');
DROP ROLE regress_so_owner;
DROP ROLE regress_so_collab;
