-- The plans behind list_annotations and count_annotations, on one server:
-- what keeps a page's cost independent of depth and app size. (On a Citus
-- cluster the same queries run on the worker holding the app, planned for
-- each call's values; the behaviour is in list.sql.)
SET search_path = annotations, public;
\set SHOW_CONTEXT never
SET client_min_messages = warning;
\pset null '(null)'

-- Plans, on an app large enough for the planner to care: 30,000
-- annotations by 60 users and 3 models on 3,000 inputs whose empty
-- input-level annotations are never listed.
INSERT INTO annotations.apps (id, owner_id) VALUES ('plans', current_user);
INSERT INTO annotations.inputs (app_id, id, data)
SELECT 'plans', 'in-' || i, '{"image": {"url": "u"}}' FROM generate_series(1, 3000) i;
INSERT INTO annotations.annotations (app_id, id, input_id, user_id, input_level)
SELECT 'plans', 'lvl-' || i, 'in-' || i, current_user, true FROM generate_series(1, 3000) i;
INSERT INTO annotations.annotations (app_id, id, input_id, user_id, model_version_id, status, task_id, concepts)
SELECT 'plans', 'p-' || i, 'in-' || (1 + i % 3000),
       CASE WHEN i % 10 <> 0 THEN 'user-' || (i % 60) END,
       CASE WHEN i % 10 = 0 THEN 'model-' || (i % 3) END,
       (ARRAY['success', 'pending', 'awaiting_review'])[1 + i % 3]::annotations.status,
       CASE WHEN i % 7 = 0 THEN 'task-' || (i % 5) END,
       '[{"id": "a", "value": 1}]'
  FROM generate_series(1, 30000) i;
ANALYZE annotations.annotations, annotations.regions;

-- A many-valued filter is one index scan per value, merged in seq order
-- (Merge Append) under the page's LIMIT: no sort of the filtered set. The
-- functions keep one generic plan per shape of filters (which filters, how
-- many values): these are those plans, of the query _list_sql_for returns.
CREATE FUNCTION pg_temp.plan(app text, ids text[], input_ids text[], user_ids text[],
                             model_version_ids text[], statuses annotations.status[],
                             task_id text, list_all boolean, after bigint)
RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    q text;
    line text;
    base integer;
    indent integer;
BEGIN
    q := annotations._list_sql_for(ids, input_ids, user_ids, model_version_ids,
                                   statuses, task_id, list_all, after, false);
    DEALLOCATE ALL;
    EXECUTE 'PREPARE list_q(text, text[], text[], text[], text[], text[], text, bigint, integer, bigint) AS ' || q;
    SET LOCAL plan_cache_mode = force_generic_plan;
    -- Show the page's subtree only (from the first Limit down); the
    -- page's regions are read by a statement of their own.
    FOR line IN EXECUTE format('EXPLAIN (COSTS OFF) EXECUTE list_q(%L, %L, %L, %L, %L, %L, %L, %L, 20, 0)',
                               app, ids, input_ids, user_ids, model_version_ids, statuses::text[], task_id, after)
    LOOP
        indent := length(line) - length(ltrim(line, ' ->'));
        IF base IS NULL THEN
            CONTINUE WHEN line !~ 'Limit';
            base := indent;
        ELSIF indent <= base THEN
            EXIT;
        END IF;
        RETURN NEXT substr(line, base + 1);
    END LOOP;
    DEALLOCATE list_q;
    RESET plan_cache_mode;
END $$;
-- 50 users
SELECT * FROM pg_temp.plan('plans', NULL, NULL, (SELECT array_agg('user-' || i) FROM generate_series(1, 50) i), NULL, NULL, NULL, false, NULL)
 LIMIT 7;
-- users and a model, after a seq
SELECT * FROM pg_temp.plan('plans', NULL, NULL, ARRAY['user-1', 'user-2'], ARRAY['model-1'], NULL, NULL, false, 1000);
-- default: user-written, listed, in seq order, straight off one partial index
SELECT * FROM pg_temp.plan('plans', NULL, NULL, NULL, NULL, NULL, NULL, false, NULL);
SELECT * FROM pg_temp.plan('plans', NULL, NULL, NULL, NULL, NULL, NULL, true, 5000);
-- inputs
SELECT * FROM pg_temp.plan('plans', NULL, ARRAY['in-1', 'in-2', 'in-3'], NULL, NULL, NULL, NULL, false, NULL);
-- statuses
SELECT * FROM pg_temp.plan('plans', NULL, NULL, NULL, NULL, ARRAY['pending', 'failed']::annotations.status[], NULL, true, NULL);
-- task
SELECT * FROM pg_temp.plan('plans', NULL, NULL, NULL, NULL, NULL, 'task-1', true, NULL);

-- The functions run with the store owner's rights, so row-level security
-- is not in their plans: a member who is not a superuser gets the same plan
-- as above. A status no row has costs nothing.
CREATE ROLE regress_list_owner;
SELECT owner_id FROM transfer_app('plans', 'regress_list_owner');
SET ROLE regress_list_owner;
SELECT count(*) FROM list_annotations('plans', statuses => ARRAY['review_denied', 'failed']::annotations.status[], list_all_annotations => true, per_page => 1000);
RESET ROLE;
SELECT owner_id FROM transfer_app('plans', current_user::text) \gset
DROP ROLE regress_list_owner;

-- Every statement a call runs asks whether Citus is installed (it decides
-- how the statement is planned); the answer comes from the catalog cache,
-- so a call reads pg_extension not even once.
CREATE FUNCTION pg_temp.extension_reads() RETURNS bigint LANGUAGE sql AS $$
SELECT seq_scan + COALESCE(idx_scan, 0) FROM pg_stat_xact_sys_tables
 WHERE relid = 'pg_extension'::regclass
$$;
BEGIN;
SELECT pg_temp.extension_reads() AS reads \gset
SELECT id FROM get_annotation('plans', 'in-2', 'p-1');
SELECT pg_temp.extension_reads() - :reads AS extension_reads;
SELECT pg_temp.extension_reads() AS reads \gset
SELECT count(*) FROM list_annotations('plans', per_page => 20);
SELECT pg_temp.extension_reads() - :reads AS extension_reads;
ROLLBACK;
DROP FUNCTION pg_temp.extension_reads();
