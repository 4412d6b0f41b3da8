-- list_annotations and count_annotations: every filter, paging, errors, and
-- the plans that keep a page's cost independent of depth and app size.
SET search_path = annotations, public;
\set SHOW_CONTEXT never
SET client_min_messages = warning;
\pset null '(null)'

SELECT id FROM create_app('lists');
-- in-2 comes with concepts, so its input-level annotation is listed
SELECT id FROM post_inputs('lists', '[{"id": "in-1", "data": {"image": {"url": "u1"}}},
                                      {"id": "in-2", "data": {"image": {"url": "u2"}, "concepts": [{"id": "cat"}]}},
                                      {"id": "in-3", "data": {"image": {"url": "u3"}}}]');
-- 12 annotations: users ann and bob, model m1, statuses, a task
SELECT count(*) FROM post_annotations('lists', (
  SELECT jsonb_agg(
    jsonb_build_object('id', 'a' || lpad(i::text, 2, '0'), 'input_id', 'in-' || (1 + i % 3))
    || CASE WHEN i % 4 = 0 THEN jsonb_build_object('model_version_id', 'm1')
            ELSE jsonb_build_object('user_id', CASE WHEN i % 2 = 0 THEN 'ann' ELSE 'bob' END) END
    || CASE WHEN i % 3 = 0 THEN '{"status": {"code": "ANNOTATION_PENDING"}}'::jsonb ELSE '{}' END
    || CASE WHEN i > 9 THEN '{"task_id": "t1"}'::jsonb ELSE '{}' END
    ORDER BY i)
  FROM generate_series(1, 12) i));

-- listed by default: user-written only, plus in-2's input-level annotation
SELECT CASE WHEN input_level THEN '(input-level)' ELSE id END AS id,
       input_id, user_id, model_version_id, status, task_id
  FROM list_annotations('lists', per_page => 100);
SELECT count_annotations('lists');
SELECT count(*) FROM list_annotations('lists', list_all_annotations => true, per_page => 100);
SELECT count_annotations('lists', list_all_annotations => true);

-- each filter with its count
SELECT string_agg(id, ' ' ORDER BY seq) FROM list_annotations('lists', input_ids => ARRAY['in-1', 'in-3'], per_page => 100);
SELECT count_annotations('lists', input_ids => ARRAY['in-1', 'in-3']);
SELECT string_agg(id, ' ' ORDER BY seq) FROM list_annotations('lists', input_ids => ARRAY['in-1'], list_all_annotations => true, per_page => 100);
SELECT string_agg(id, ' ' ORDER BY seq) FROM list_annotations('lists', user_ids => ARRAY['ann'], per_page => 100);
SELECT string_agg(id, ' ' ORDER BY seq) FROM list_annotations('lists', user_ids => ARRAY['ann', 'bob', 'ann'], per_page => 100);
SELECT string_agg(id, ' ' ORDER BY seq) FROM list_annotations('lists', model_version_ids => ARRAY['m1'], per_page => 100);
SELECT string_agg(id, ' ' ORDER BY seq) FROM list_annotations('lists', user_ids => ARRAY['ann'], model_version_ids => ARRAY['m1'], per_page => 100);
SELECT count_annotations('lists', user_ids => ARRAY['ann'], model_version_ids => ARRAY['m1']);
SELECT string_agg(id, ' ' ORDER BY seq) FROM list_annotations('lists', statuses => ARRAY['pending']::annotations.status[], per_page => 100);
SELECT string_agg(id, ' ' ORDER BY seq) FROM list_annotations('lists', statuses => ARRAY['pending']::annotations.status[], list_all_annotations => true, per_page => 100);
SELECT string_agg(id, ' ' ORDER BY seq) FROM list_annotations('lists', task_id => 't1', per_page => 100);
SELECT string_agg(id, ' ' ORDER BY seq) FROM list_annotations('lists', task_id => 't1', statuses => ARRAY['success', 'pending']::annotations.status[], list_all_annotations => true, per_page => 100);
SELECT string_agg(id, ' ' ORDER BY seq) FROM list_annotations('lists', user_ids => ARRAY['bob'], statuses => ARRAY['pending']::annotations.status[], per_page => 100);
SELECT string_agg(id, ' ' ORDER BY seq) FROM list_annotations('lists', user_ids => ARRAY['bob'], input_ids => ARRAY['in-1'], per_page => 100);
SELECT count_annotations('lists', user_ids => ARRAY['bob'], input_ids => ARRAY['in-1']);
SELECT string_agg(id, ' ' ORDER BY seq) FROM list_annotations('lists', user_ids => ARRAY['nobody'], per_page => 100);
-- past 64 values a filter is one = ANY condition instead of one scan per value
SELECT string_agg(CASE WHEN input_level THEN '(input-level)' ELSE id END, ' ' ORDER BY seq) FROM list_annotations('lists', input_ids => (SELECT array_agg('in-' || i) FROM generate_series(1, 70) i), per_page => 100);
SELECT count_annotations('lists', input_ids => (SELECT array_agg('in-' || i) FROM generate_series(1, 70) i));
SELECT string_agg(id, ' ' ORDER BY seq) FROM list_annotations('lists', user_ids => (SELECT array_agg('u' || i) FROM generate_series(1, 70) i) || ARRAY['ann'], per_page => 100);
-- ids with input_ids, pairwise: user, model and input-level alike
SELECT id, input_id FROM list_annotations('lists', ids => ARRAY['a04', 'a01', 'a04'], input_ids => ARRAY['in-2', 'in-2', 'in-1']);
SELECT count_annotations('lists', ids => ARRAY['a04', 'a01'], input_ids => ARRAY['in-2', 'in-2']);
SELECT count(*) FROM list_annotations('lists',
    ids => ARRAY[(SELECT id FROM annotations.annotations WHERE app_id = 'lists' AND input_id = 'in-1' AND input_level)],
    input_ids => ARRAY['in-1']);
-- empty arrays mean "no filter", as in Clarifai's API
SELECT count(*) FROM list_annotations('lists', user_ids => '{}', input_ids => '{}', per_page => 100);

-- keyset paging with after: pages of 4 cover everything once, in order
WITH RECURSIVE pages(n, last, ids) AS (
    SELECT 1, max(seq), string_agg(CASE WHEN input_level THEN '(input-level)' ELSE id END, ' ' ORDER BY seq)
      FROM list_annotations('lists', per_page => 4)
  UNION ALL
    SELECT n + 1, (SELECT max(seq) FROM list_annotations('lists', per_page => 4, after => last)),
           (SELECT string_agg(id, ' ' ORDER BY seq) FROM list_annotations('lists', per_page => 4, after => last))
      FROM pages WHERE last IS NOT NULL)
SELECT n, ids FROM pages WHERE ids IS NOT NULL;
-- page numbers, for Clarifai compatibility
SELECT string_agg(id, ' ' ORDER BY seq) FROM list_annotations('lists', per_page => 4, page => 2);
SELECT string_agg(id, ' ' ORDER BY seq) FROM list_annotations('lists', per_page => 4, page => 9);
-- the default page size is 20
SELECT count(*) FROM list_annotations('lists', list_all_annotations => true);
-- 0 is proto3's "not set": the default page size, the first page
SELECT count(*) FROM list_annotations('lists', list_all_annotations => true, per_page => 0);
SELECT count(*) FROM list_annotations('lists', list_all_annotations => true, per_page => 0, page => 0);
SELECT count(*) FROM list_annotations('lists', list_all_annotations => true, page => 0, after => 0);

-- errors
SELECT list_annotations('lists', per_page => -1);
SELECT list_annotations('lists', per_page => 1001);
SELECT list_annotations('lists', per_page => NULL);
SELECT list_annotations('lists', page => -1);
SELECT list_annotations('lists', page => 1, after => 5);
SELECT list_annotations('lists', ids => ARRAY['a01']);
SELECT list_annotations('lists', ids => ARRAY['a01', 'a02'], input_ids => ARRAY['in-2']);
SELECT list_annotations('lists', ids => ARRAY['a01', NULL], input_ids => ARRAY['in-2', 'in-2']);
SELECT list_annotations('lists', user_ids => ARRAY[NULL]::text[]);
SELECT list_annotations('lists', statuses => ARRAY[NULL]::annotations.status[]);
SELECT list_annotations('nope');
SELECT list_annotations(NULL);
SELECT count_annotations('nope');
SELECT count_annotations('lists', ids => ARRAY['a01']);

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
    -- Show the page's subtree only (from the first Limit down): how the
    -- page's rows are joined to their regions depends on the regions table.
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
