-- The internal look-up of a patched row's new values by id (the one-table
-- UPDATE of patch_annotations on a Citus cluster): each refusal with its
-- SQLSTATE and message.
BEGIN;
SET LOCAL client_min_messages = warning;
SET LOCAL search_path = public, pg_catalog;
SELECT plan(11);

SELECT throws_ok($$SELECT annotations._patch_value('{a,b}', 'c', '{1,2}'::int[], 0)$$, '22023',
  'annotations._patch_value: annotation "c" is not among the ids', 'an id the batch lacks');
SELECT throws_ok($$SELECT annotations._patch_value('{a,b}', NULL, '{1,2}'::int[], 0)$$, '22023',
  'annotations._patch_value: the row''s id is NULL', 'a NULL id');
SELECT throws_ok($$SELECT annotations._patch_value(NULL, 'a', '{1,2}'::int[], 0)$$, '22023',
  'annotations._patch_value: the ids and the values must not be NULL', 'NULL ids');
SELECT throws_ok($$SELECT annotations._patch_value('{a,b}', 'a', NULL::int[], 0)$$, '22023',
  'annotations._patch_value: the ids and the values must not be NULL', 'NULL values');
SELECT throws_ok($$SELECT annotations._patch_value('{a,b}', 'a', '{1,2,3}'::int[], 0)$$, '22023',
  'annotations._patch_value: 2 ids but 3 values', 'more values than ids');
SELECT throws_ok($$SELECT annotations._patch_value('{{a,b}}', 'a', '{1,2}'::int[], 0)$$, '22023',
  'annotations._patch_value: the ids and the values must be one-dimensional arrays, the ids of text',
  'two-dimensional ids');
SELECT throws_ok($$SELECT annotations._patch_value('{a,b}', 'a', '{{1,2}}'::int[], 0)$$, '22023',
  'annotations._patch_value: the ids and the values must be one-dimensional arrays, the ids of text',
  'two-dimensional values');
SELECT throws_ok($$SELECT annotations._patch_value('{b,a}', 'a', '{1,2}'::int[], 0)$$, '22023',
  'annotations._patch_value: the ids must be distinct, in byte order and not NULL (at position 2)',
  'ids out of order');
SELECT throws_ok($$SELECT annotations._patch_value('{a,a}', 'a', '{1,2}'::int[], 0)$$, '22023',
  'annotations._patch_value: the ids must be distinct, in byte order and not NULL (at position 2)',
  'an id twice');
SELECT throws_ok($$SELECT annotations._patch_value('{a,NULL}', 'a', '{1,2}'::int[], 0)$$, '22023',
  'annotations._patch_value: the ids must be distinct, in byte order and not NULL (at position 2)',
  'a NULL among the ids');
SELECT throws_ok($$SELECT annotations._patch_enum('{a,b}', 'a', '{1,2}'::oid[], 'pending'::annotations.status)$$,
  '22023', 'annotations._patch_value: the value at position 1 is not a label of type annotations.status',
  'an oid that is not a label of the column''s enum');

SELECT * FROM finish();
ROLLBACK;
