-- Every refusal of post_inputs / post_annotations / get / delete, with its
-- SQLSTATE and message, and proof that a refused call writes nothing.
SET search_path = annotations, public;
\set SHOW_CONTEXT never
\i test/regress/err.sql
SET client_min_messages = warning;

-- fingerprint of every table, to show nothing changed
CREATE FUNCTION pg_temp.fingerprint() RETURNS text LANGUAGE sql AS $$
SELECT md5(string_agg(t, '|' ORDER BY t)) FROM (
  SELECT 'a' || a::text AS t FROM annotations.annotations a
  UNION ALL SELECT 'r' || r::text FROM annotations.regions r
  UNION ALL SELECT 'i' || i::text FROM annotations.inputs i
  UNION ALL SELECT 'p' || p::text FROM annotations.apps p) s
$$;

SELECT id FROM create_app('errs');
SELECT id FROM post_inputs('errs', '[{"id": "in-1", "data": {"image": {"url": "https://x/1.jpg"}}},
                                     {"id": "in-2", "data": {"text": {"raw": "hello"}}}]');
SELECT id FROM post_annotations('errs', '[{"id": "ok-1", "input_id": "in-1",
   "data": {"regions": [{"id": "reg-1", "region_info": {"bounding_box":
      {"top_row": 0.1, "left_col": 0.1, "bottom_row": 0.2, "right_col": 0.2}}}]}}]');
-- ids that look like the key lists of PostgreSQL's own messages
SELECT id FROM post_inputs('errs', '[{"id": "in, (3)", "data": {"text": {"raw": "odd"}}}]');
SELECT id FROM post_annotations('errs', '[{"id": "ok, (2)", "input_id": "in, (3)"}]');
SELECT pg_temp.fingerprint() AS before \gset

-- apps
SELECT create_app('errs');
SELECT create_app('');
SELECT create_app(NULL);
SELECT create_app(repeat('x', 256));
SELECT create_app(E'bad\nid');

-- post_inputs
SELECT post_inputs('nope', '[{"data": {"image": {"url": "u"}}}]');
SELECT post_inputs('errs', '[]');
SELECT post_inputs('errs', '{}');
SELECT post_inputs('errs', NULL);
SELECT post_inputs('errs', '[{"id": "in-1", "data": {"image": {"url": "u"}}}]');
SELECT post_inputs('errs', '[{"id": "n", "data": {"image": {"url": "u"}}}, {"id": "n", "data": {"image": {"url": "u"}}}]');
SELECT post_inputs('errs', '[{"id": "n"}]');
SELECT post_inputs('errs', '[{"id": "n", "data": {}}]');
SELECT post_inputs('errs', '[{"id": "n", "data": {"image": {"url": "u"}, "video": {"url": "v"}}}]');
SELECT post_inputs('errs', '[{"id": "n", "data": {"image": {"url": 5}}}]');
SELECT post_inputs('errs', '[{"id": "n", "data": {"image": {}}}]');
SELECT post_inputs('errs', '[{"id": "n", "data": {"image": {"url": "u", "image_info": {"width": -1}}}}]');
SELECT post_inputs('errs', '[{"id": "n", "data": {"image": {"url": "u", "image_info": {"height": 0.5}}}}]');
SELECT post_inputs('errs', '[{"id": "n", "data": {"image": {"url": "u"}, "metadata": []}}]');
SELECT post_inputs('errs', '[{"id": "n", "data": {"image": {"url": "u"}, "concepts": [{"id": "c", "value": 2}]}}]');
SELECT post_inputs('errs', '[{"id": "n", "dta": {}}]');

-- post_annotations: the batch
SELECT post_annotations('nope', '[{"input_id": "in-1"}]');
SELECT post_annotations(NULL, '[{"input_id": "in-1"}]');
SELECT post_annotations('errs', NULL);
SELECT post_annotations('errs', '[]');
SELECT post_annotations('errs', '{"input_id": "in-1"}');
SELECT post_annotations('errs', '"x"');
SELECT post_annotations('errs', (SELECT jsonb_agg(jsonb_build_object('input_id', 'in-1')) FROM generate_series(1, 129)));
SELECT post_annotations('errs', '[5]');
-- items
SELECT post_annotations('errs', '[{"data": {}}]');
SELECT post_annotations('errs', '[{"input_id": "nope"}]');
SELECT post_annotations('errs', '[{"input_id": "in-1", "colour": "red"}]');
SELECT post_annotations('errs', '[{"input_id": 7}]');
SELECT post_annotations('errs', '[{"input_id": ""}]');
SELECT post_annotations('errs', '[{"id": "ok-1", "input_id": "in-1"}]');
SELECT post_annotations('errs', '[{"id": "d", "input_id": "in-1"}, {"id": "d", "input_id": "in-2"}]');
-- the first element that repeats an earlier id is named, with the first element of that id
SELECT post_annotations('errs', '[{"id": "x", "input_id": "in-1"}, {"id": "y", "input_id": "in-1"}, {"id": "y", "input_id": "in-1"}, {"id": "x", "input_id": "in-1"}]');
SELECT post_annotations('errs', '[{"id": "p", "input_id": "in-1"}, {"id": "q", "input_id": "in-1"}, {"id": "r", "input_id": "in-1"}, {"id": "q", "input_id": "in-1"}, {"id": "p", "input_id": "in-1"}, {"id": "q", "input_id": "in-1"}]');
SELECT post_annotations('errs', '[{"id": "z", "input_id": "in-1"}, {"id": "a", "input_id": "in-1"}, {"id": "b", "input_id": "in-1"}, {"id": "a", "input_id": "in-1"}, {"id": "z", "input_id": "in-1"}]');
SELECT post_annotations('errs', '[{"input_id": "in-1", "user_id": "u", "model_version_id": "m"}]');
SELECT post_annotations('errs', '[{"input_id": "in-1", "status": {"code": 99}}]');
SELECT post_annotations('errs', '[{"input_id": "in-1", "status": {"code": "ANNOTATION_GREAT"}}]');
SELECT post_annotations('errs', '[{"input_id": "in-1", "status": 24150}]');
SELECT post_annotations('errs', '[{"input_id": "in-1", "status": {}}]');
SELECT post_annotations('errs', '[{"input_id": "in-1", "annotation_info": [1]}]');
-- data, concepts
SELECT post_annotations('errs', '[{"input_id": "in-1", "data": {"colors": [{"hex": "#ffffff"}]}}]');
SELECT post_annotations('errs', '[{"input_id": "in-1", "data": {"concepts": {}}}]');
SELECT post_annotations('errs', '[{"input_id": "in-1", "data": {"concepts": [{"value": 1}]}}]');
SELECT post_annotations('errs', '[{"input_id": "in-1", "data": {"concepts": [{"id": ""}]}}]');
SELECT post_annotations('errs', '[{"input_id": "in-1", "data": {"concepts": [{"id": "a"}, {"id": "a"}]}}]');
SELECT post_annotations('errs', '[{"input_id": "in-1", "data": {"concepts": [{"id": "a", "value": 1.5}]}}]');
SELECT post_annotations('errs', '[{"input_id": "in-1", "data": {"concepts": [{"id": "a", "value": -0.1}]}}]');
SELECT post_annotations('errs', '[{"input_id": "in-1", "data": {"concepts": [{"id": "a", "value": "1"}]}}]');
SELECT post_annotations('errs', '[{"input_id": "in-1", "data": {"concepts": [{"id": "a", "value": 1e400}]}}]');
SELECT post_annotations('errs', '[{"input_id": "in-1", "data": {"concepts": [{"id": "a", "score": 1}]}}]');
-- regions
SELECT post_annotations('errs', '[{"input_id": "in-1", "data": {"regions": [{"region_info": {"bounding_box": {"top_row": 0, "left_col": 0, "bottom_row": 0.5, "right_col": 0.5}}}, {"region_info": {"bounding_box": {"top_row": 0, "left_col": 0, "bottom_row": 0.5, "right_col": 0.5}}}]}}]');
SELECT post_annotations('errs', '[{"input_id": "in-1", "data": {"regions": [{"data": {"concepts": []}}]}}]');
SELECT post_annotations('errs', '[{"input_id": "in-1", "data": {"regions": [{"id": "no-such-region"}]}}]');
SELECT post_annotations('errs', '[{"input_id": "in-2", "data": {"regions": [{"id": "reg-1"}]}}]');
SELECT post_annotations('errs', '[{"input_id": "in-1", "data": {"regions": [{"region_info": {}}]}}]');
SELECT post_annotations('errs', '[{"input_id": "in-1", "data": {"regions": [{"region_info": {"polygon": {}}}]}}]');
SELECT post_annotations('errs', '[{"input_id": "in-1", "data": {"regions": [{"region_info": {"bounding_box": {"top_row": 0.7, "left_col": 0, "bottom_row": 0.5, "right_col": 1}}}]}}]');
SELECT post_annotations('errs', '[{"input_id": "in-1", "data": {"regions": [{"region_info": {"bounding_box": {"top_row": 0, "left_col": 0, "bottom_row": 1.5, "right_col": 1}}}]}}]');
SELECT post_annotations('errs', '[{"input_id": "in-1", "data": {"regions": [{"region_info": {"bounding_box": {"top_row": 0, "left_col": 0, "bottom_row": 1}}}]}}]');
SELECT post_annotations('errs', '[{"input_id": "in-1", "data": {"regions": [{"region_info": {"bounding_box": {"top_row": "0", "left_col": 0, "bottom_row": 1, "right_col": 1}}}]}}]');
SELECT post_annotations('errs', '[{"input_id": "in-1", "data": {"regions": [{"region_info": {"bounding_box": {"top_row": 0, "left_col": 0, "bottom_row": 1, "right_col": 1}}, "data": {"concepts": [{"id": "x", "value": 2}]}}]}}]');
-- frames
SELECT post_annotations('errs', '[{"input_id": "in-1", "data": {"frames": [{"frame_info": {"index": 1}}, {"frame_info": {"index": 2}}]}}]');
SELECT post_annotations('errs', '[{"input_id": "in-1", "data": {"concepts": [{"id": "a"}], "frames": [{"frame_info": {"index": 1}}]}}]');
SELECT post_annotations('errs', '[{"input_id": "in-1", "data": {"frames": [{"data": {}}]}}]');
SELECT post_annotations('errs', '[{"input_id": "in-1", "data": {"frames": [{"frame_info": {"index": -1}}]}}]');
SELECT post_annotations('errs', '[{"input_id": "in-1", "data": {"frames": [{"frame_info": {"index": 1.5}}]}}]');
SELECT post_annotations('errs', '[{"input_id": "in-1", "data": {"frames": [{"frame_info": {"time": 1e12}}]}}]');
SELECT post_annotations('errs', '[{"input_id": "in-1", "data": {"frames": [{"frame_info": {"index": 1}, "data": {"frames": [{"frame_info": {"index": 2}}]}}]}}]');

-- a 128-item batch whose last item is bad writes nothing
SELECT post_annotations('errs',
   (SELECT jsonb_agg(jsonb_build_object('id', 'batch-' || i, 'input_id', 'in-1',
          'data', jsonb_build_object('concepts', jsonb_build_array(jsonb_build_object('id', 'c', 'value', CASE WHEN i = 128 THEN 2 ELSE 1 END)))))
      FROM generate_series(1, 128) i));
-- ... and so does one whose last item names a missing input (found after parsing)
SELECT post_annotations('errs',
   (SELECT jsonb_agg(jsonb_build_object('id', 'batch-' || i, 'input_id', CASE WHEN i = 128 THEN 'gone' ELSE 'in-1' END))
      FROM generate_series(1, 128) i));
-- ... or an id already taken (found while storing)
SELECT post_annotations('errs',
   (SELECT jsonb_agg(jsonb_build_object('id', CASE WHEN i = 128 THEN 'ok-1' ELSE 'batch-' || i END, 'input_id', 'in-1'))
      FROM generate_series(1, 128) i));

-- the item is named exactly, whatever its ids look like: a missing input
-- whose id starts like an existing one's key, after that existing one...
SELECT post_annotations('errs', '[{"input_id": "in, (3)"}, {"input_id": "in, (3)), (errs, in-1"}]');
-- ... and a taken id after a new one
SELECT post_annotations('errs', '[{"id": "fresh", "input_id": "in-1"}, {"id": "ok, (2)", "input_id": "in, (3)"}]');
-- a region labeled by id on a missing input: the input is what is missing
SELECT post_annotations('errs', '[{"input_id": "in-1"}, {"input_id": "nope", "data": {"regions": [{"id": "reg-1"}]}}]');
-- get / delete
SELECT get_annotation('errs', 'in-1', 'nope');
SELECT get_annotation('errs', 'in-2', 'ok-1');
SELECT get_annotation('nope', 'in-1', 'ok-1');
SELECT delete_annotation('errs', 'in-1', 'nope');
SELECT regexp_replace(pg_temp.err($$SELECT delete_annotation('errs', 'in-1', (SELECT id FROM annotations.annotations WHERE app_id = 'errs' AND input_id = 'in-1' AND input_level))$$), '[0-9a-f]{32}', '<generated id>');
SELECT delete_annotations('errs', ARRAY[]::text[]);
SELECT delete_annotations('errs', NULL);
SELECT delete_annotations('errs', ARRAY['in-1', NULL]);
SELECT delete_annotations('errs', ARRAY['in-1'], ARRAY['ok-1', 'x']);
SELECT delete_annotations('errs', ARRAY['in-1', 'in-1'], ARRAY['ok-1', 'nope']);
SELECT delete_annotations('errs', ARRAY['gone']);
SELECT regexp_replace(pg_temp.err($$SELECT delete_annotations('errs', ARRAY['in-1'], ARRAY[(SELECT id FROM annotations.annotations WHERE app_id = 'errs' AND input_id = 'in-1' AND input_level)])$$), '[0-9a-f]{32}', '<generated id>');
SELECT delete_inputs('errs', ARRAY['gone']);
SELECT delete_inputs('errs', ARRAY[]::text[]);

-- nothing above changed anything
SELECT pg_temp.fingerprint() = :'before' AS unchanged;

-- status codes
SELECT s, status_code(s), status_from_code(status_code(s)) = s AS round_trip, status_description(s)
  FROM unnest(enum_range(NULL::annotations.status)) s;
SELECT status_from_code(24153);
SELECT id, status FROM post_annotations('errs', '[
  {"id": "st-1", "input_id": "in-1", "status": {"code": 24151}},
  {"id": "st-2", "input_id": "in-1", "status": {"code": "ANNOTATION_AWAITING_REVIEW", "description": "ignored"}},
  {"id": "st-3", "input_id": "in-1"}]');

-- values float8 cannot hold as normal numbers are stored as 0, so every
-- reader (concept_labels casts to float8) can read them back
SELECT concepts FROM post_annotations('errs', '[{"id": "tiny", "input_id": "in-1", "data": {"concepts": [
  {"id": "a", "value": 1e-310}, {"id": "b", "value": 1e-400}, {"id": "c", "value": -0}, {"id": "d", "value": 0.25}]}}]');
SELECT concept_id, value FROM concept_labels WHERE app_id = 'errs' AND annotation_id = 'tiny' ORDER BY 1;

-- Unicode control characters (C1, U+0080..U+009F) are control characters too
SELECT post_annotations('errs', '[{"id": "a\u0085b", "input_id": "in-1"}]');
-- to_json of nothing is nothing
SELECT annotations.to_json(NULL::annotations.annotation) IS NULL AS null_in_null_out;
-- labeling a region by id takes its frame too, whatever frame the request names
SELECT id FROM post_inputs('errs', '[{"id": "vid", "data": {"video": {"url": "v.mp4"}}}]');
SELECT id, frame_index, frame_time FROM post_annotations('errs', '[
  {"id": "on-frame", "input_id": "vid", "data": {"frames": [{"frame_info": {"index": 12, "time": 480},
     "data": {"regions": [{"id": "vr", "region_info": {"bounding_box": {"top_row": 0, "left_col": 0, "bottom_row": 0.5, "right_col": 0.5}}}]}}]}}]');
SELECT id, frame_index, frame_time, bbox FROM post_annotations('errs', '[
  {"id": "same-region", "input_id": "vid", "data": {"regions": [{"id": "vr", "data": {"concepts": [{"id": "x"}]}}]}}]');
SELECT id, frame_index, frame_time, bbox FROM post_annotations('errs', '[
  {"id": "other-frame", "input_id": "vid", "data": {"frames": [{"frame_info": {"index": 99, "time": 9},
     "data": {"regions": [{"id": "vr", "data": {"concepts": [{"id": "y"}]}}]}}]}}]');
