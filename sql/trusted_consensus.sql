-- Annotation.trusted and Annotation.consensus_info, kept: posted (trusted
-- by the app owner only), returned in every row, patched (consensus_info
-- like annotation_info; trusted set by true, cleared by remove), written by
-- to_json when set. false, {} and null are proto3's "not set".
SET search_path = annotations, public;
\set SHOW_CONTEXT never
SET client_min_messages = warning;

CREATE FUNCTION pg_temp.fingerprint() RETURNS text LANGUAGE sql AS $$
SELECT md5(string_agg(t, '|' ORDER BY t)) FROM (
  SELECT 'a' || a::text AS t FROM annotations.annotations a
  UNION ALL SELECT 'r' || r::text FROM annotations.regions r) s
$$;

CREATE ROLE regress_tc_owner;
CREATE ROLE regress_tc_collab;
SELECT id FROM create_app('tc', 'regress_tc_owner');
SELECT add_collaborator('tc', 'regress_tc_collab');
SET ROLE regress_tc_owner;
SELECT id FROM post_inputs('tc', '[{"id": "img", "data": {"image": {"url": "https://x/1.jpg"}}}]');

-- the owner posts both; they come back in the row and in to_json
SELECT id, trusted, consensus_info FROM post_annotations('tc', '[
  {"id": "t1", "input_id": "img", "trusted": true,
   "consensus_info": {"group": "g-1", "parent": {"id": "a-0", "split": true}, "votes": [2, null, "x"]},
   "data": {"concepts": [{"id": "cat"}]}},
  {"id": "plain", "input_id": "img", "trusted": false, "consensus_info": {}, "data": {"concepts": [{"id": "dog"}]}},
  {"id": "nulls", "input_id": "img", "trusted": null, "consensus_info": null, "data": {"concepts": [{"id": "cow"}]}}]');
SELECT jsonb_pretty(to_json(a) - 'created_at' - 'modified_at') FROM get_annotation('tc', 'img', 't1') a;
-- at their defaults, to_json leaves them out, as proto3 writers do
SELECT id, to_json(a) ? 'trusted' AS has_trusted, to_json(a) ? 'consensus_info' AS has_consensus_info
  FROM list_annotations('tc') a ORDER BY seq;
SELECT id, trusted, consensus_info FROM list_annotations('tc') ORDER BY seq;
SELECT id, trusted, consensus_info FROM visible_annotations WHERE app_id = 'tc' AND NOT input_level ORDER BY seq;
-- what to_json writes, posted again, stores the same
SELECT trusted, consensus_info FROM post_annotations('tc',
  (SELECT jsonb_build_array(to_json(a) - 'id' - 'created_at' - 'modified_at') FROM get_annotation('tc', 'img', 't1') a));

-- wrong types stay errors, and nothing is stored
RESET ROLE;
SELECT pg_temp.fingerprint() AS before \gset
SET ROLE regress_tc_owner;
SELECT post_annotations('tc', '[{"input_id": "img", "trusted": "true"}]');
SELECT post_annotations('tc', '[{"input_id": "img", "trusted": 1}]');
SELECT post_annotations('tc', '[{"input_id": "img", "consensus_info": [{"group": "g"}]}]');
SELECT post_annotations('tc', '[{"input_id": "img", "consensus_info": true}]');
SELECT patch_annotations('tc', 'merge', '[{"id": "t1", "consensus_info": 5}]');
SELECT patch_annotations('tc', 'merge', '[{"id": "t1", "trusted": "yes"}]');
SELECT patch_annotations('tc', 'remove', '[{"id": "t1", "consensus_info": {"group": "g-1"}}]');
RESET ROLE;
SELECT pg_temp.fingerprint() = :'before' AS unchanged;
SET ROLE regress_tc_owner;

-- patching: consensus_info merges, is overwritten, loses keys like annotation_info
SELECT id, trusted, consensus_info FROM patch_annotations('tc', 'merge',
  '[{"id": "plain", "consensus_info": {"group": "g-2", "parent": {"id": "p"}}}]');
SELECT id, trusted, consensus_info FROM patch_annotations('tc', 'merge',
  '[{"id": "plain", "consensus_info": {"parent": {"split": true}}, "trusted": true}]');
SELECT id, trusted, consensus_info FROM patch_annotations('tc', 'remove',
  '[{"id": "plain", "consensus_info": {"parent": {"id": true}}}]');
-- a patch that leaves them out (or gives them at their default) keeps them
SELECT id, trusted, consensus_info FROM patch_annotations('tc', 'merge',
  '[{"id": "plain", "trusted": false, "consensus_info": {}, "data": {"concepts": [{"id": "pig"}]}}]');
SELECT id, trusted, consensus_info FROM patch_annotations('tc', 'overwrite',
  '[{"id": "plain", "trusted": null, "consensus_info": {}, "data": {"concepts": [{"id": "pig"}]}}]');
SELECT id, trusted, consensus_info FROM patch_annotations('tc', 'overwrite',
  '[{"id": "plain", "consensus_info": {"round": 3}}]');
-- remove with trusted: true takes the mark away
SELECT id, trusted, consensus_info FROM patch_annotations('tc', 'remove', '[{"id": "plain", "trusted": true}]');
SELECT id, trusted, consensus_info FROM get_annotation('tc', 'img', 'plain');

-- a collaborator writes consensus_info, but may not trust a label (42501)
RESET ROLE;
SELECT pg_temp.fingerprint() AS before \gset
SET ROLE regress_tc_collab;
SELECT post_annotations('tc', '[{"input_id": "img", "consensus_info": {"group": "c"}},
                                {"input_id": "img", "trusted": true}]');
RESET ROLE;
SELECT pg_temp.fingerprint() = :'before' AS unchanged;
SET ROLE regress_tc_collab;
SELECT id, user_id, trusted, consensus_info FROM post_annotations('tc',
  '[{"id": "by-collab", "input_id": "img", "trusted": false, "consensus_info": {"group": "c"}}]');
RESET ROLE;
SELECT pg_temp.fingerprint() AS before \gset
SET ROLE regress_tc_collab;
SELECT patch_annotations('tc', 'merge', '[{"id": "by-collab", "trusted": true}]');
SELECT patch_annotations('tc', 'remove', '[{"id": "by-collab", "trusted": true}]');
RESET ROLE;
SELECT pg_temp.fingerprint() = :'before' AS unchanged;
SET ROLE regress_tc_collab;
SELECT id, trusted, consensus_info FROM patch_annotations('tc', 'merge',
  '[{"id": "by-collab", "consensus_info": {"agreed": true}}]');
RESET ROLE;
-- the owner may trust the collaborator's label
SET ROLE regress_tc_owner;
SELECT id, user_id, trusted FROM patch_annotations('tc', 'merge', '[{"id": "by-collab", "trusted": true}]');
RESET ROLE;

-- a stored consensus_info that is not an object is not patched (XX001)
ALTER TABLE annotations.annotations DROP CONSTRAINT annotations_consensus_info_check;
UPDATE annotations.annotations SET consensus_info = '[1]' WHERE app_id = 'tc' AND id = 't1';
SELECT patch_annotations('tc', 'merge', '[{"id": "t1", "consensus_info": {"a": 1}}]');
SELECT id, consensus_info FROM patch_annotations('tc', 'overwrite', '[{"id": "t1", "consensus_info": {"a": 1}}]');
UPDATE annotations.annotations SET consensus_info = '{}' WHERE app_id = 'tc' AND id = 't1';
ALTER TABLE annotations.annotations ADD CONSTRAINT annotations_consensus_info_check
  CHECK (pg_catalog.jsonb_typeof(consensus_info) OPERATOR(pg_catalog.=) 'object');

SELECT delete_inputs('tc', '{img}');
SELECT delete_app('tc');
DROP ROLE regress_tc_owner;
DROP ROLE regress_tc_collab;
