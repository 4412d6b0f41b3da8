-- Reading inputs back: get_input, list_inputs (oldest first, keyset paging
-- with after => the id of the last input seen), to_json of an input.
SET search_path = annotations, public;
\set SHOW_CONTEXT never
SET client_min_messages = warning;

SELECT id FROM create_app('ins');
SELECT id FROM create_app('ins-other');
-- three calls: inputs of one call share their time and follow in id order;
-- "aa", posted after "b", lists after it
SELECT id FROM post_inputs('ins', '[{"id": "b", "data": {"image": {"url": "https://x/b.jpg", "image_info": {"width": 640, "height": 480}}, "concepts": [{"id": "cat"}], "metadata": {"k": 1}}},
                                    {"id": "a", "data": {"video": {"url": "https://x/a.mp4"}}}]');
SELECT pg_sleep(0.01);
SELECT id FROM post_inputs('ins', '[{"id": "aa", "data": {"text": {"raw": "hello"}}}]');
SELECT pg_sleep(0.01);
SELECT id FROM post_inputs('ins', '[{"id": "e", "data": {"audio": {"url": "https://x/e.mp3"}}},
                                    {"id": "d", "data": {"image": {"base64": "AAAA"}}}]');
SELECT id FROM post_inputs('ins-other', '[{"id": "a", "data": {"text": {"raw": "another app"}}}]');

SELECT app_id, id, data FROM get_input('ins', 'b');
SELECT string_agg(id, ' ') FROM list_inputs('ins');
SELECT string_agg(id, ' ') FROM list_inputs('ins', per_page => 2);
SELECT string_agg(id, ' ') FROM list_inputs('ins', per_page => 2, after => 'b');
SELECT string_agg(id, ' ') FROM list_inputs('ins', per_page => 2, after => 'd');
SELECT string_agg(id, ' ') FROM list_inputs('ins', per_page => 2, after => 'e');
SELECT string_agg(id, ' ') FROM list_inputs('ins', per_page => 2, page => 2);
SELECT string_agg(id, ' ') FROM list_inputs('ins', per_page => 0, page => 0);
SELECT string_agg(id, ' ') FROM list_inputs('ins', ids => '{e,a,zzz}');
SELECT string_agg(id, ' ') FROM list_inputs('ins', ids => '{e,a,aa}', after => 'a', per_page => 1);
SELECT string_agg(id, ' ') FROM list_inputs('ins', ids => '{}');
SELECT string_agg(id, ' ') FROM list_inputs('ins-other');

-- to_json: a Clarifai Input
SELECT to_json(i) - 'created_at' - 'modified_at' FROM list_inputs('ins') i;
SELECT (to_json(i) ->> 'created_at') = to_char(i.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
  FROM get_input('ins', 'aa') i;
-- what it writes posts back as a new input
SELECT id, data FROM post_inputs('ins', jsonb_build_array(
  (to_json(get_input('ins', 'b')) - 'created_at' - 'modified_at') || '{"id": "b-copy"}'));

-- errors
SELECT * FROM get_input('ins', 'nope');
SELECT * FROM get_input('ins', '');
SELECT * FROM get_input('ins', NULL);
SELECT * FROM get_input('nope', 'a');
SELECT * FROM list_inputs('nope');
SELECT * FROM list_inputs('ins', after => 'nope');
SELECT * FROM list_inputs('ins', page => 2, after => 'a');
SELECT * FROM list_inputs('ins', per_page => 1001);
SELECT * FROM list_inputs('ins', per_page => -1);
SELECT * FROM list_inputs('ins', per_page => NULL);
SELECT * FROM list_inputs('ins', page => -1);
SELECT * FROM list_inputs('ins', ids => '{a,NULL}');

-- a stranger sees nothing, a collaborator reads the app
CREATE ROLE regress_ins_stranger;
CREATE ROLE regress_ins_collab;
SELECT add_collaborator('ins', 'regress_ins_collab');
SET ROLE regress_ins_stranger;
SELECT * FROM get_input('ins', 'a');
SELECT * FROM list_inputs('ins');
SET ROLE regress_ins_collab;
SELECT id FROM get_input('ins', 'a');
SELECT count(*) FROM list_inputs('ins');
RESET ROLE;

SELECT delete_inputs('ins', (SELECT array_agg(id) FROM list_inputs('ins', per_page => 1000)));
SELECT delete_inputs('ins-other', ARRAY['a']);
DELETE FROM annotations.apps WHERE id IN ('ins', 'ins-other');
DROP ROLE regress_ins_stranger;
DROP ROLE regress_ins_collab;
