-- Helpers of test/bench/30_list.sh (bench database only; not part of the extension).

CREATE SCHEMA IF NOT EXISTS bench;
GRANT USAGE ON SCHEMA bench TO PUBLIC;

-- A pseudo-random non-negative int from (g, salt): deterministic data.
CREATE OR REPLACE FUNCTION bench.h(g bigint, salt int) RETURNS int
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN pg_catalog.hashint8(g * 1000003 + salt) & 2147483647;

-- Fills one app directly (superuser, no API calls): n_inputs inputs, each
-- with its empty input-level annotation (not listed), and n_regular regular
-- annotations, interleaved in time (seq order): each input is posted, then
-- about n_regular / n_inputs annotations follow on inputs posted so far.
-- Shape of the regular annotations (per row, pseudo-random):
--   80% written by one of 50 users (user00..user49), 20% by a model:
--       model-1 (half of those), model-2 (30%), model-3 (20%)
--   status: 70% success, 15% pending, 10% awaiting_review, 5% failed
--   30% carry a task id (task0..task9)
--   90% have 2 concepts (of 200) and 1 bbox region; the others 1 concept, no region
CREATE OR REPLACE FUNCTION bench.build_app(app text, n_inputs int, n_regular int)
    RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    per int := n_regular / n_inputs;    -- regular annotations per input (integer)
BEGIN
    INSERT INTO annotations.inputs (app_id, id, data)
    SELECT app, 'in' || g,
           jsonb_build_object('image', jsonb_build_object(
               'url', 'https://example.com/' || app || '/' || g || '.jpg',
               'image_info', jsonb_build_object('width', 640, 'height', 480)))
      FROM generate_series(1, n_inputs) g;

    -- g runs over (1 + per) slots per input: slot 0 is the input-level
    -- annotation of input k, slots 1..per regular annotations on inputs 1..k
    INSERT INTO annotations.annotations
           (app_id, id, input_id, user_id, model_version_id, task_id, status,
            input_level, concepts)
    SELECT app,
           CASE WHEN s = 0 THEN md5(app || ':lvl:' || k) ELSE md5(app || ':' || g) END,
           'in' || CASE WHEN s = 0 THEN k ELSE 1 + bench.h(g, 1) % k END,
           CASE WHEN s = 0 THEN 'user' || lpad((k % 50)::text, 2, '0')
                WHEN bench.h(g, 2) % 10 >= 2 THEN 'user' || lpad((bench.h(g, 3) % 50)::text, 2, '0') END,
           CASE WHEN s > 0 AND bench.h(g, 2) % 10 < 2 THEN
                CASE WHEN bench.h(g, 4) % 10 < 5 THEN 'model-1'
                     WHEN bench.h(g, 4) % 10 < 8 THEN 'model-2' ELSE 'model-3' END END,
           CASE WHEN s > 0 AND bench.h(g, 5) % 10 < 3 THEN 'task' || bench.h(g, 6) % 10 END,
           (CASE WHEN s = 0 THEN 'success'
                 WHEN bench.h(g, 7) % 100 < 70 THEN 'success'
                 WHEN bench.h(g, 7) % 100 < 85 THEN 'pending'
                 WHEN bench.h(g, 7) % 100 < 95 THEN 'awaiting_review'
                 ELSE 'failed' END)::annotations.status,
           s = 0,
           CASE WHEN s = 0 THEN '[]'::jsonb
                WHEN bench.h(g, 8) % 10 < 9 THEN
                     jsonb_build_array(jsonb_build_object('id', 'concept' || bench.h(g, 9) % 200, 'value', 1),
                                       jsonb_build_object('id', 'concept' || (bench.h(g, 9) + 1) % 200, 'value', 0.5))
                ELSE jsonb_build_array(jsonb_build_object('id', 'concept' || bench.h(g, 9) % 200, 'value', 1)) END
      FROM generate_series(0, n_inputs::bigint * (1 + per) - 1) g,
           LATERAL (SELECT (g / (1 + per) + 1)::int AS k, (g % (1 + per))::int AS s) ks
     ORDER BY g;

    INSERT INTO annotations.regions (app_id, annotation_id, id, input_id, bbox, concepts)
    SELECT a.app_id, a.id, md5(a.id || ':region'), a.input_id,
           annotations.bbox(t, l, t + 0.01 + (bench.h(a.seq, 12) % 400) / 1000.0,
                                  l + 0.01 + (bench.h(a.seq, 13) % 400) / 1000.0),
           '[]'
      FROM annotations.annotations a,
           LATERAL (SELECT (bench.h(a.seq, 10) % 500) / 1000.0 AS t,
                           (bench.h(a.seq, 11) % 500) / 1000.0 AS l) b
     WHERE a.app_id = app AND NOT a.input_level AND jsonb_array_length(a.concepts) = 2;
END
$$;

-- Server-side time of one query (ms) and the rows it counted.
CREATE OR REPLACE FUNCTION bench.time_query(q text, OUT ms float8, OUT n bigint)
    LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz;
BEGIN
    t0 := clock_timestamp();
    EXECUTE q INTO n;
    ms := 1000 * extract(epoch FROM clock_timestamp() - t0);
END
$$;
