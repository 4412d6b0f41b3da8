-- _patch_value and _patch_enum: a patched row's new value of one column,
-- picked out of the batch's sorted arrays by the row's id (the one-table
-- UPDATE of patch_annotations on a Citus cluster); every refusal.
SET search_path = annotations, public;
\set SHOW_CONTEXT never
SET client_min_messages = warning;
\pset null '(null)'

-- the value at the id's position; a NULL value keeps the old one
SELECT _patch_value('{a,b,c}', 'b', '{1,2,3}'::int[], 9) AS b,
       _patch_value('{a,b,c}', 'c', '{1,2,NULL}'::int[], 9) AS c_kept,
       _patch_value('{a,b,c}', 'c', '{1,2,NULL}'::int[], NULL::int) AS c_kept_null,
       _patch_value('{a}', 'a', ARRAY['{"x": 1}'::jsonb], '{}'::jsonb) AS one;
-- byte order of the ids, whatever the collation says
SELECT _patch_value(ARRAY['B', 'a', 'b'], id, '{upper,lower-a,lower-b}'::text[], 'old') AS v
  FROM unnest(ARRAY['a', 'B', 'b']) id;
-- arrays that change from row to row are taken apart at each row
SELECT t.id, _patch_value(t.ids, t.id, t.vals, 0) AS v
  FROM (VALUES ('{x,y}'::text[], 'x', '{1,2}'::int[]), ('{p,q,r}', 'r', '{7,8,9}'),
               ('{p,q,r}', 'p', '{NULL,8,9}')) t(ids, id, vals);
-- an enum's new values as the oids of its labels
SELECT _patch_enum('{a,b}', id, ARRAY[(SELECT oid FROM pg_enum WHERE enumtypid = 'status'::regtype
                                                                AND enumlabel = 'success'), NULL],
                   'pending'::status) AS v
  FROM unnest('{a,b}'::text[]) id;

-- refusals
SELECT _patch_value('{a,b}', 'c', '{1,2}'::int[], 0);
SELECT _patch_value('{a,b}', NULL, '{1,2}'::int[], 0);
SELECT _patch_value(NULL, 'a', '{1,2}'::int[], 0);
SELECT _patch_value('{a,b}', 'a', NULL::int[], 0);
SELECT _patch_value('{a,b}', 'a', '{1,2,3}'::int[], 0);
SELECT _patch_value('{{a,b}}', 'a', '{1,2}'::int[], 0);
SELECT _patch_value('{a,b}', 'a', '{{1,2}}'::int[], 0);
SELECT _patch_value('{b,a}', 'a', '{1,2}'::int[], 0);
SELECT _patch_value('{a,a}', 'a', '{1,2}'::int[], 0);
SELECT _patch_value('{a,NULL}', 'a', '{1,2}'::int[], 0);
SELECT _patch_enum('{a,b}', 'a', '{1,2}'::oid[], 'pending'::status);
CREATE TYPE public.pv_color AS ENUM ('red');
SELECT _patch_enum('{a}', 'a', ARRAY[(SELECT oid FROM pg_enum WHERE enumtypid = 'pv_color'::regtype)],
                   'pending'::status);
DROP TYPE public.pv_color;

-- internal: not for other roles
CREATE ROLE regress_pv_stranger;
SET ROLE regress_pv_stranger;
SELECT annotations._patch_value('{a}', 'a', '{1}'::int[], 0);
SELECT annotations._patch_enum('{a}', 'a', '{1}'::oid[], 'pending'::annotations.status);
RESET ROLE;
DROP ROLE regress_pv_stranger;
