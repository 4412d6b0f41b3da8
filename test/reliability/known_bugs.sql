-- Reproductions of the bugs the reliability work found in code this
-- suite does not own (see RELIABILITY.md, "Bugs found"). Each block says
-- what happens today and what should. Run on a scratch database that has
-- the extension:  psql -X -d scratch -f test/reliability/known_bugs.sql
-- When a bug is fixed, move its case into sql/bad_requests.sql with the
-- correct error, and drop its entry from KNOWN_BUGS in
-- test/drivers/request_fuzz.py.
\set ON_ERROR_STOP 0
SET search_path = annotations, public;
SELECT id FROM create_app('known-bugs');
SELECT id FROM post_inputs('known-bugs', '[{"id": "in-1", "data": {"image": {"url": "u"}}}]');

-- B1. A concept value outside [0,1], or one float8 cannot hold, is accepted
-- when it converts to a float8 inside [0,1]: 1e-400 and -1e-400 (underflow
-- to 0 / -0) and 1.00000000000000000001 (rounds to 1). The numeric is
-- stored as given (src/concepts.c keeps c->num), so a negative value and a
-- value above 1 are stored, and the reporting view concept_labels (which
-- casts value to float8) fails for every query reading that row: 22003.
-- Expected: 22023 "annotations[0].data.concepts[0].value: concept value
-- must be between 0 and 1" for -1e-400 and 1.00000000000000000001, and
-- 1e-400 either refused the same way or stored as the float8 0.
SELECT id, concepts FROM post_annotations('known-bugs', '[
  {"id": "b1-under", "input_id": "in-1", "data": {"concepts": [{"id": "a", "value": 1e-400}]}},
  {"id": "b1-neg", "input_id": "in-1", "data": {"concepts": [{"id": "a", "value": -1e-400}]}},
  {"id": "b1-over", "input_id": "in-1", "data": {"concepts": [{"id": "a", "value": 1.00000000000000000001}]}}]');
SELECT annotation_id, value FROM concept_labels WHERE app_id = 'known-bugs';   -- ERROR 22003 today
-- the same through patch merge, and in region concepts
SELECT count(*) FROM patch_annotations('known-bugs', 'merge', '[{"id": "b1-over",
  "data": {"regions": [{"region_info": {"bounding_box": {"top_row": 0, "left_col": 0, "bottom_row": 1, "right_col": 1}},
                        "data": {"concepts": [{"id": "r", "value": -1e-400}]}}]}}]');

-- B2. A frame index, frame time, status code or image size that is not a
-- whole number is accepted when its float8 is one: 1e-400 becomes 0,
-- 0.99999999999999999999 becomes 1 (src/json_read.c jr_integer checks the
-- double, not the numeric). Expected: 22023 "expected a whole number".
SELECT id, frame_index, frame_time FROM post_annotations('known-bugs', '[
  {"id": "b2-a", "input_id": "in-1", "data": {"frames": [{"frame_info": {"index": 1e-400, "time": 0.99999999999999999999}}]}}]');
SELECT id, status FROM post_annotations('known-bugs', '[
  {"id": "b2-b", "input_id": "in-1", "status": {"code": 24150.99999999999999999}}]');

-- B3. One request can hold a backend for minutes, deaf to
-- statement_timeout and pg_cancel_backend: the duplicate check of a concept
-- list is quadratic (src/concepts.c concepts_find, called for each concept)
-- with no CHECK_FOR_INTERRUPTS, and nothing bounds the list's length.
-- 20,000 concepts take 1.4 s, 60,000 take 12 s (a 2 s statement_timeout
-- fires only after them), 1,000,000 (a 20 MB request) about an hour.
-- concepts_merge in patch merge has the same shape. Expected: a limit on
-- concepts per list (22023), a hash for the duplicate check, and
-- CHECK_FOR_INTERRUPTS() in the loops.
SET statement_timeout = '2s';
\timing on
SELECT count(*) FROM post_annotations('known-bugs', jsonb_build_array(jsonb_build_object('input_id', 'in-1',
  'data', jsonb_build_object('concepts', (SELECT jsonb_agg(jsonb_build_object('id', 'c' || i)) FROM generate_series(1, 60000) i)))));
\timing off
RESET statement_timeout;

-- B4. The "unknown key" message cuts the key at 100 bytes (src/json_read.c
-- jr_object, "%.*s" with Min(len, 100)), which can split a multibyte
-- character: the message then holds invalid UTF-8 (psql shows a
-- replacement character; a client decoding strictly raises). Expected: cut
-- with pg_mbcliplen().
SELECT post_annotations('known-bugs', jsonb_build_array(jsonb_build_object('input_id', 'in-1', repeat('k', 99) || 'é', 1)));
-- patch.c push_removed has the same "%.*s" on keys (annotation_info paths).

-- B5. patch remove validates nested annotation_info only where the stored
-- object has the key: {"reviewer": {"name": "kim"}} ("kim" is not true) is
-- refused when the stored info has "reviewer", accepted (and modified_at
-- bumped) when it does not. Expected: the request's shape checked whole,
-- whatever is stored.
SELECT count(*) FROM post_annotations('known-bugs', '[{"id": "b5", "input_id": "in-1", "annotation_info": {"other": 1}}]');
SELECT count(*) FROM patch_annotations('known-bugs', 'remove', '[{"id": "b5", "annotation_info": {"reviewer": {"name": "kim"}}}]');

-- B6 (messages). Numbers are echoed in full: status code 1e400 gives a
-- message of 486 characters ("got 1000…0"); a 1 MB id or bbox text is
-- echoed whole in its P0002 / 22023 message (1 MB in the server log per
-- refused call). Type names differ between parsers: "got string" (bbox.c)
-- vs "got a string" (json_read.c); a scalar batch says "got a scalar" where
-- the item-level message names the type. Expected: clip user-supplied text
-- in messages (as bbox.c's shown_text does for numbers), print huge numbers
-- with %g, one type-name helper.
SELECT post_annotations('known-bugs', '[{"input_id": "in-1", "status": {"code": 1e400}}]');

DELETE FROM annotations.apps WHERE id = 'known-bugs';
