-- Bounded work: what a request may ask of the server is bounded by stated
-- limits, checked in one pass before any costly step, and the loops whose
-- length a caller controls answer statement_timeout. annotation_info and
-- input metadata may nest 64 levels deep (the object itself is the first)
-- and hold 10,000 keys and array elements at all depths together.
SET search_path = annotations, public;
SET client_min_messages = warning;
\set SHOW_CONTEXT never

SELECT id FROM create_app('bw');
SELECT id FROM post_inputs('bw', '[{"id": "img", "data": {"image": {"url": "https://x/img.jpg"}}}]');
SELECT id FROM post_annotations('bw', '[{"id": "a1", "input_id": "img", "annotation_info": {"keep": 1}}]');

-- nest(depth, leaf, key): objects nested depth levels deep, one key each
CREATE FUNCTION pg_temp.nest(depth int, leaf text DEFAULT 'true', key text DEFAULT repeat('k', 100))
RETURNS jsonb LANGUAGE sql AS $$
SELECT (repeat('{"' || key || '": ', depth) || leaf || repeat('}', depth))::jsonb
$$;
-- item(info): one patch item for a1 with that annotation_info
CREATE FUNCTION pg_temp.item(info jsonb) RETURNS jsonb LANGUAGE sql AS $$
SELECT jsonb_build_array(jsonb_build_object('id', 'a1', 'annotation_info', info))
$$;
-- wide(n): an object of n keys
CREATE FUNCTION pg_temp.wide(n int) RETURNS jsonb LANGUAGE sql AS $$
SELECT jsonb_object_agg('k' || i, i) FROM generate_series(1, n) i
$$;

------------------------------------------------------------------------------
-- 1. A remove whose annotation_info nests 8,000 levels deep (0.85 MB) once
--    built the key path at every level: gigabytes and twenty seconds, deaf
--    to statement_timeout. It is now refused at the depth limit at once.
------------------------------------------------------------------------------
SELECT octet_length(pg_temp.item(pg_temp.nest(8000))::text) AS request_bytes;
-- The time allowed is one second on one server; a cluster (where the
-- request also travels to the worker as SQL text and is parsed there) sets
-- its own in BOUNDED_WORK_TIMEOUT. The 8,000-level request once took twenty
-- seconds, so any budget well below that keeps the check's meaning.
\getenv time_budget BOUNDED_WORK_TIMEOUT
\if :{?time_budget}
\else
\set time_budget 1s
\endif
SET statement_timeout = :'time_budget';
SELECT id FROM patch_annotations('bw', 'remove', pg_temp.item(pg_temp.nest(8000)));
SELECT id FROM patch_annotations('bw', 'merge', pg_temp.item(pg_temp.nest(8000)));
SELECT id FROM post_annotations('bw', jsonb_build_array(jsonb_build_object(
    'input_id', 'img', 'annotation_info', pg_temp.nest(8000))));
SELECT id FROM post_inputs('bw', jsonb_build_array(jsonb_build_object(
    'data', jsonb_build_object('text', '{"raw": "x"}'::jsonb, 'metadata', pg_temp.nest(8000)))));
RESET statement_timeout;

------------------------------------------------------------------------------
-- 2. Depth: 64 levels pass, 65 are refused, for every way in.
------------------------------------------------------------------------------
SELECT id FROM post_annotations('bw', jsonb_build_array(jsonb_build_object(
    'id', 'd64', 'input_id', 'img', 'annotation_info', pg_temp.nest(64, '1', 'k'))));
SELECT id FROM post_annotations('bw', jsonb_build_array(jsonb_build_object(
    'id', 'd65', 'input_id', 'img', 'annotation_info', pg_temp.nest(65, '1', 'k'))));
-- arrays count as levels too: the object, then 63 arrays
SELECT id FROM post_annotations('bw', jsonb_build_array(jsonb_build_object(
    'id', 'a64', 'input_id', 'img', 'annotation_info',
    ('{"a": ' || repeat('[', 63) || '1' || repeat(']', 63) || '}')::jsonb)));
SELECT id FROM post_annotations('bw', jsonb_build_array(jsonb_build_object(
    'id', 'a65', 'input_id', 'img', 'annotation_info',
    ('{"a": ' || repeat('[', 64) || '1' || repeat(']', 64) || '}')::jsonb)));

SELECT id FROM patch_annotations('bw', 'merge', pg_temp.item(pg_temp.nest(64, '1', 'k')));
SELECT id FROM patch_annotations('bw', 'merge', pg_temp.item(pg_temp.nest(65, '1', 'k')));
SELECT id, annotation_info -> 'keep' AS keep FROM patch_annotations('bw', 'remove', pg_temp.item(pg_temp.nest(64, 'true', 'k')));
SELECT id FROM patch_annotations('bw', 'remove', pg_temp.item(pg_temp.nest(65, 'true', 'k')));
-- a wrong value at the deepest level is named by its whole path
SELECT id FROM patch_annotations('bw', 'remove', pg_temp.item(pg_temp.nest(64, 'false', 'k')));

SELECT id FROM post_inputs('bw', jsonb_build_array(jsonb_build_object(
    'id', 'm64', 'data', jsonb_build_object('text', '{"raw": "x"}'::jsonb, 'metadata', pg_temp.nest(64, '1', 'k')))));
SELECT id FROM post_inputs('bw', jsonb_build_array(jsonb_build_object(
    'id', 'm65', 'data', jsonb_build_object('text', '{"raw": "x"}'::jsonb, 'metadata', pg_temp.nest(65, '1', 'k')))));

------------------------------------------------------------------------------
-- 3. Size: 10,000 keys and array elements pass, 10,001 are refused.
------------------------------------------------------------------------------
SELECT id FROM post_annotations('bw', jsonb_build_array(jsonb_build_object(
    'id', 'w10000', 'input_id', 'img', 'annotation_info', pg_temp.wide(10000))));
SELECT id FROM post_annotations('bw', jsonb_build_array(jsonb_build_object(
    'id', 'w10001', 'input_id', 'img', 'annotation_info', pg_temp.wide(10001))));
-- one key and 9,999 elements; one key and 10,000 elements
SELECT id FROM patch_annotations('bw', 'merge', pg_temp.item(jsonb_build_object('list',
    (SELECT jsonb_agg(i) FROM generate_series(1, 9999) i))));
SELECT id FROM patch_annotations('bw', 'merge', pg_temp.item(jsonb_build_object('list',
    (SELECT jsonb_agg(i) FROM generate_series(1, 10000) i))));
-- keys are counted at every depth: 100 objects of 100 keys, plus the 100 keys holding them
SELECT id FROM patch_annotations('bw', 'remove', pg_temp.item(
    (SELECT jsonb_object_agg('o' || j, (SELECT jsonb_object_agg('k' || i, true) FROM generate_series(1, 99) i))
       FROM generate_series(1, 100) j)));
SELECT id FROM patch_annotations('bw', 'remove', pg_temp.item(
    (SELECT jsonb_object_agg('o' || j, (SELECT jsonb_object_agg('k' || i, true) FROM generate_series(1, 100) i))
       FROM generate_series(1, 100) j)));
SELECT id FROM post_inputs('bw', jsonb_build_array(jsonb_build_object(
    'id', 'mw10000', 'data', jsonb_build_object('text', '{"raw": "x"}'::jsonb, 'metadata', pg_temp.wide(10000)))));
SELECT id FROM post_inputs('bw', jsonb_build_array(jsonb_build_object(
    'id', 'mw10001', 'data', jsonb_build_object('text', '{"raw": "x"}'::jsonb, 'metadata', pg_temp.wide(10001)))));

------------------------------------------------------------------------------
-- 4. Concept lists at their limit: merging 1,000 concepts into 500 and
--    removing 1,000 from 1,000, with ids that share 250 characters, in 32
--    annotations at once. Ids are found through a hash once lists are long,
--    so this is linear in the size of the lists.
------------------------------------------------------------------------------
CREATE FUNCTION pg_temp.concepts(n int, first int DEFAULT 1) RETURNS jsonb LANGUAGE sql AS $$
SELECT jsonb_agg(jsonb_build_object('id', repeat('c', 250) || lpad(i::text, 5, '0'), 'value', 1))
  FROM generate_series(first, first + n - 1) i
$$;
SELECT count(*) FROM post_annotations('bw', (SELECT jsonb_agg(jsonb_build_object(
    'id', 'big' || j, 'input_id', 'img', 'data', jsonb_build_object('concepts', pg_temp.concepts(500))))
  FROM generate_series(1, 32) j));
SELECT count(*), min(jsonb_array_length(concepts)), max(jsonb_array_length(concepts))
  FROM patch_annotations('bw', 'merge', (SELECT jsonb_agg(jsonb_build_object(
    'id', 'big' || j, 'data', jsonb_build_object('concepts', pg_temp.concepts(1000))))
  FROM generate_series(1, 32) j));
SELECT count(*), min(jsonb_array_length(concepts)), max(jsonb_array_length(concepts))
  FROM patch_annotations('bw', 'remove', (SELECT jsonb_agg(jsonb_build_object(
    'id', 'big' || j, 'data', jsonb_build_object('concepts', pg_temp.concepts(1000, 501))))
  FROM generate_series(1, 32) j));
-- a merge may not leave more than 1,000: 500 are left, 501 new ones make 1,001
SELECT id FROM patch_annotations('bw', 'merge', jsonb_build_array(jsonb_build_object(
    'id', 'big1', 'data', jsonb_build_object('concepts', pg_temp.concepts(501, 2001)))));
SELECT id, jsonb_array_length(concepts) FROM patch_annotations('bw', 'merge', jsonb_build_array(jsonb_build_object(
    'id', 'big1', 'data', jsonb_build_object('concepts', pg_temp.concepts(500, 2001)))));
