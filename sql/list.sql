-- list_annotations and count_annotations: every filter, paging and errors
-- (the plans behind them are in list_plans.sql).
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
