-- The internal C functions that a database still on 1.0 declares as SQL
-- functions (the patch engine and the request parsers, which 1.1 calls from
-- C only), called with garbage on such a database, running the current
-- library: an ERROR every time, never a crash. Their 1.0 declarations were
-- executable by any role.
\set SHOW_CONTEXT never
SET search_path = annotations, public;
CREATE FUNCTION pg_temp.state(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE q;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
-- a value nested deeper than any request may be
CREATE FUNCTION pg_temp.nest(depth int, leaf text DEFAULT 'true', key text DEFAULT repeat('k', 100))
RETURNS jsonb LANGUAGE sql AS $$
SELECT (repeat('{"' || key || '": ', depth) || leaf || repeat('}', depth))::jsonb
$$;
-- a stored row and a parsed patch item, as patch_annotations builds them
CREATE FUNCTION pg_temp.stored(concepts jsonb DEFAULT '[]', region_concepts jsonb DEFAULT '[]',
                               info jsonb DEFAULT '{"id": 1, "value": 2}')
RETURNS annotations.annotation LANGUAGE sql AS $$
SELECT ROW('sd', 'a1', 'img', 1, 'u', NULL, NULL, NULL, 'success', false, concepts,
           'r1', '(0,0,1,1)', region_concepts, NULL, NULL, info,
           '2024-01-01Z', '2024-01-01Z')::annotations.annotation
$$;
CREATE FUNCTION pg_temp.req(concepts jsonb DEFAULT NULL, region_concepts jsonb DEFAULT NULL,
                            info jsonb DEFAULT NULL, ord integer DEFAULT 0, region_id text DEFAULT NULL,
                            frame_index integer DEFAULT NULL, has_frame boolean DEFAULT false)
RETURNS annotations._request LANGUAGE sql AS $$
SELECT ROW(ord, 'a1', NULL, NULL, NULL, NULL, NULL, NULL, info, concepts IS NOT NULL, concepts,
           region_id IS NOT NULL OR region_concepts IS NOT NULL, COALESCE(region_id, 'r1'), NULL,
           region_concepts, region_concepts IS NOT NULL, has_frame, frame_index, NULL)::annotations._request
$$;
SELECT (annotations._patch_apply('merge', pg_temp.stored(), pg_temp.req(info => '["id", "a\u000fbcd", "\u0010zzzzz", "zzzzzz", "zzzzzz", "zidval", "uezzzz", "zzzzzz"]'), false)).annotation_info;
SELECT (annotations._patch_apply('remove', pg_temp.stored(), pg_temp.req(info => '["id", "a\u000fbcd", "\u0010zzzzz", "zzzzzz", "zzzzzz", "zidval", "uezzzz", "zzzzzz"]'), false)).annotation_info;
SELECT (annotations._patch_apply('merge', pg_temp.stored(), pg_temp.req(info => '5'), false)).annotation_info;
SELECT (annotations._patch_apply('overwrite', pg_temp.stored(), pg_temp.req(info => '"x"'), false)).annotation_info;
SELECT (annotations._patch_apply('merge', pg_temp.stored(info => '[1]'), pg_temp.req(info => '{"a": 1}'), false)).annotation_info;
SELECT (annotations._patch_apply('remove', pg_temp.stored(info => '"x"'), pg_temp.req(info => '{"a": true}'), false)).annotation_info;
SELECT (annotations._patch_apply('merge', pg_temp.stored(), pg_temp.req(concepts => '[["id", "a\u000fbcd", "\u0010zzzzz", "zzzzzz", "zzzzzz", "zzzzzz", "zidval", "uezzzz"]]'), false)).concepts;
SELECT (annotations._patch_apply('merge', pg_temp.stored(), pg_temp.req(concepts => '[[1]]'), false)).concepts;
SELECT (annotations._patch_apply('remove', pg_temp.stored(), pg_temp.req(concepts => '{"id": "x"}'), false)).concepts;
SELECT (annotations._patch_apply('merge', pg_temp.stored(), pg_temp.req(concepts => '[{"id": "x", "value": 5}]'), false)).concepts;
SELECT (annotations._patch_apply('merge', pg_temp.stored(), pg_temp.req(region_concepts => '[5]'), false)).region_concepts;
SELECT (annotations._patch_apply('remove', pg_temp.stored(region_concepts => '[{"id": 1}]'), pg_temp.req(region_concepts => '[{"id": "x"}]'), false)).region_concepts;
SELECT (annotations._patch_apply('merge', pg_temp.stored(concepts => '["x"]'), pg_temp.req(concepts => '[{"id": "y"}]'), false)).concepts;
SELECT (annotations._patch_apply('merge', pg_temp.stored(), pg_temp.req(ord => NULL), false)).id;
SELECT (annotations._patch_apply('merge', pg_temp.stored(), pg_temp.req(ord => -1), false)).id;
SELECT (annotations._patch_apply('merge', pg_temp.stored(), pg_temp.req(region_id => ''), false)).region_id;
SELECT (annotations._patch_apply('merge', pg_temp.stored(), pg_temp.req(region_id => repeat('r', 256)), false)).region_id;
SELECT (annotations._patch_apply('merge', pg_temp.stored(), pg_temp.req(frame_index => -1, has_frame => true), false)).frame_index;
SELECT (annotations._patch_apply('merge', pg_temp.stored(), pg_temp.req(has_frame => true), false)).frame_index;
SELECT annotations._patch_apply('bogus', pg_temp.stored(), pg_temp.req(), false);
-- a well-formed call still works
SELECT (annotations._patch_apply('merge', pg_temp.stored(concepts => '[{"id": "x", "value": 1}]'), pg_temp.req(concepts => '[{"id": "y", "value": 0.5}]', info => '{"value": 3}'), false)).concepts;

-- the request parsers
SELECT * FROM annotations._parse_annotations('[{"id": "a1"}]', NULL);
SELECT * FROM annotations._parse_annotations(NULL, true);
SELECT * FROM annotations._parse_inputs(NULL);
SELECT * FROM annotations._parse_inputs('{"id": "x"}');
SELECT pg_temp.state($$SELECT annotations._patch_apply('merge', pg_temp.stored(concepts => '[1]'), pg_temp.req(concepts => '[]'), false)$$);
SELECT pg_temp.state($$SELECT annotations._patch_apply('merge', pg_temp.stored(), pg_temp.req(concepts => '[1]'), false)$$);
-- nesting beyond the request limits, straight into the engine
SELECT (annotations._patch_apply('remove', pg_temp.stored(),
          ROW(0, 'a1', NULL, NULL, NULL, NULL, NULL, NULL, pg_temp.nest(65, 'true', 'k'), false, NULL,
              false, NULL, NULL, NULL, false, false, NULL, NULL)::annotations._request, false)).id;
SELECT (annotations._patch_apply('merge', pg_temp.stored(),
          ROW(0, 'a1', NULL, NULL, NULL, NULL, NULL, NULL, pg_temp.nest(8000), false, NULL,
              false, NULL, NULL, NULL, false, false, NULL, NULL)::annotations._request, false)).id;
-- 1.0 stores boxes only: a region of another shape is refused, not cut down to its box
SELECT * FROM annotations._parse_annotations('[{"input_id": "i", "data": {"regions": [{"region_info": {"polygon": {"points": [{"row": 0, "col": 0}, {"row": 0, "col": 1}, {"row": 1, "col": 1}]}}}]}}]', false);
