-- Posting, reading and deleting annotations (SPEC §5, §6).

CREATE FUNCTION annotations.post_annotations(app_id text, annotations jsonb)
    RETURNS SETOF annotations.annotation
    AS 'MODULE_PATHNAME', 'annotations_post_annotations'
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.post_annotations(text, jsonb) IS
  'Adds 1..128 annotations given as Clarifai JSON; all or nothing; returns them oldest first';

CREATE FUNCTION annotations.get_annotation(app_id text, input_id text, annotation_id text)
    RETURNS annotations.annotation
    AS 'MODULE_PATHNAME', 'annotations_get_annotation'
    LANGUAGE C STABLE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.get_annotation(text, text, text) IS
  'One annotation by input id and annotation id; P0002 when there is none';

-- Checks an array argument: no NULL elements; returns it without duplicates.
CREATE FUNCTION annotations._distinct_ids(arr text[], what text) RETURNS text[]
    LANGUAGE plpgsql IMMUTABLE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF arr IS NULL OR pg_catalog.cardinality(arr) = 0 THEN
        RETURN NULL;
    END IF;
    IF pg_catalog.array_position(arr, NULL) IS NOT NULL THEN
        RAISE EXCEPTION '% must not contain NULL', what USING ERRCODE = '22023';
    END IF;
    RETURN ARRAY(SELECT DISTINCT x FROM pg_catalog.unnest(arr) x);
END
$$;
COMMENT ON FUNCTION annotations._distinct_ids(text[], text) IS
  'Internal: NULL for an empty array, 22023 for NULL elements, else the distinct elements';

-- The list planner shared by list_annotations and count_annotations.
--
-- It writes one query over annotations.annotations, parameterized as
--   $1 app_id, $2 ids, $3 input_ids, $4 user_ids, $5 model_version_ids,
--   $6 statuses, $7 task_id, $8 after, $9 per_page, $10 offset.
-- A many-valued filter becomes one index scan per value (each already in seq
-- order) under UNION ALL, so the executor merges them (Merge Append) and
-- stops at per_page rows: no sort of the filtered set, no walk past rows
-- that are not listed. Past max_branches values it falls back to = ANY.
CREATE FUNCTION annotations._list_sql(
        n_ids integer, n_inputs integer, n_users integer, n_models integer,
        n_statuses integer, has_task boolean, list_all boolean, has_after boolean,
        for_count boolean)
    RETURNS text
    LANGUAGE plpgsql IMMUTABLE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    max_branches constant integer := 64;
    cols constant text :=
        'a.app_id, a.id, a.input_id, a.seq, a.user_id, a.model_version_id, '
        'a.embed_model_version_id, a.task_id, a.status, a.input_level, a.concepts, '
        'a.frame_index, a.frame_time, a.annotation_info, a.created_at, a.modified_at';
    worker  boolean := n_users > 0 OR n_models > 0;
    drivers text[] := '{}';
    conds   text[] := ARRAY['a.app_id = $1'];
    base    text;
    branches text;
    i integer;
BEGIN
    -- conditions every row must meet
    IF n_ids > 0 THEN
        conds := conds || '(a.input_id, a.id) IN (SELECT p.i, p.a FROM ROWS FROM (pg_catalog.unnest($3), pg_catalog.unnest($2)) p(i, a))'::text;
    ELSE
        conds := conds || 'a.listed'::text;
        IF NOT worker AND NOT list_all THEN
            conds := conds || 'a.model_version_id IS NULL'::text;
        END IF;
    END IF;
    IF has_after THEN
        conds := conds || 'a.seq > $8'::text;
    END IF;
    IF has_task THEN
        conds := conds || 'a.task_id = $7'::text;
    END IF;

    -- the driving filter: the one whose index scans are merged
    IF n_ids > 0 THEN
        NULL;                   -- primary-key look-ups; at most n_ids rows
    ELSIF n_inputs > 0 THEN
        IF n_inputs <= max_branches THEN
            FOR i IN 1 .. n_inputs LOOP
                drivers := drivers || pg_catalog.format('a.input_id = $3[%s]', i);
            END LOOP;
        ELSE
            conds := conds || 'a.input_id = ANY ($3)'::text;
        END IF;
    ELSIF worker THEN
        IF n_users + n_models <= max_branches THEN
            FOR i IN 1 .. n_users LOOP
                drivers := drivers || pg_catalog.format('a.user_id = $4[%s]', i);
            END LOOP;
            FOR i IN 1 .. n_models LOOP
                drivers := drivers || pg_catalog.format('a.model_version_id = $5[%s]', i);
            END LOOP;
            worker := false;    -- the branches are the worker filter
        END IF;
    ELSIF n_statuses > 0 AND NOT has_task THEN
        FOR i IN 1 .. n_statuses LOOP
            drivers := drivers || pg_catalog.format('a.status OPERATOR(annotations.=) $6[%s]', i);
        END LOOP;
        n_statuses := 0;        -- the branches are the status filter
    END IF;

    IF worker THEN
        conds := conds || '(a.user_id = ANY ($4) OR a.model_version_id = ANY ($5))'::text;
    END IF;
    IF n_statuses > 0 THEN
        conds := conds || 'a.status OPERATOR(annotations.=) ANY ($6)'::text;
    END IF;
    IF n_inputs > 0 AND n_ids = 0 AND pg_catalog.cardinality(drivers) = 0
       AND NOT ('a.input_id = ANY ($3)' = ANY (conds)) THEN
        conds := conds || 'a.input_id = ANY ($3)'::text;
    END IF;

    base := 'SELECT ' || cols || ' FROM annotations.annotations a WHERE '
            || pg_catalog.array_to_string(conds, ' AND ');
    IF pg_catalog.cardinality(drivers) = 0 THEN
        branches := base;
    ELSE
        -- Each branch is ordered and limited on its own: the planner then
        -- plans it as an ordered index scan that stops early, and merges the
        -- branches (quals of plain UNION ALL leaves make no equivalence
        -- classes, so without this it would sort everything instead).
        SELECT pg_catalog.string_agg('(' || base || ' AND ' || d
                   || CASE WHEN for_count THEN '' ELSE ' ORDER BY a.seq LIMIT $9 + $10' END
                   || ')', ' UNION ALL ')
          INTO branches FROM pg_catalog.unnest(drivers) d;
    END IF;

    IF for_count THEN
        RETURN 'SELECT pg_catalog.count(*) FROM (' || branches || ') u';
    END IF;
    RETURN 'SELECT x.app_id, x.id, x.input_id, x.seq, x.user_id, x.model_version_id, '
        || 'x.embed_model_version_id, x.task_id, x.status, x.input_level, x.concepts, '
        || 'r.id, r.bbox, r.concepts, x.frame_index, x.frame_time, x.annotation_info, '
        || 'x.created_at, x.modified_at '
        || 'FROM (SELECT * FROM (' || branches || ') u ORDER BY u.seq LIMIT $9 OFFSET $10) x '
        || 'LEFT JOIN annotations.regions r ON r.app_id = x.app_id AND r.annotation_id = x.id '
        || 'ORDER BY x.seq';
END
$$;
COMMENT ON FUNCTION annotations._list_sql(integer, integer, integer, integer, integer,
                                          boolean, boolean, boolean, boolean) IS
  'Internal: the query list_annotations and count_annotations run for a set of filters';

-- Validates list filters and returns the normalized arguments with the query.
CREATE FUNCTION annotations._list_plan(
        app_id text, ids text[], input_ids text[], user_ids text[],
        model_version_ids text[], statuses annotations.status[], task_id text,
        list_all_annotations boolean, after bigint, for_count boolean,
        OUT sql text, OUT o_ids text[], OUT o_input_ids text[], OUT o_user_ids text[],
        OUT o_model_version_ids text[], OUT o_statuses annotations.status[])
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM annotations._app_role($1);
    IF $2 IS NOT NULL AND pg_catalog.cardinality($2) > 0 THEN
        IF $3 IS NULL OR pg_catalog.cardinality($2) <> pg_catalog.cardinality($3) THEN
            RAISE EXCEPTION 'ids and input_ids must have the same length (% ids, % input_ids)',
                pg_catalog.cardinality($2), COALESCE(pg_catalog.cardinality($3), 0)
                USING ERRCODE = '22023',
                      DETAIL = 'Annotations are looked up by (input_ids[i], ids[i]) pairs.';
        END IF;
        IF pg_catalog.array_position($2, NULL) IS NOT NULL OR pg_catalog.array_position($3, NULL) IS NOT NULL THEN
            RAISE EXCEPTION 'ids and input_ids must not contain NULL' USING ERRCODE = '22023';
        END IF;
        o_ids := $2;
        o_input_ids := $3;
    ELSE
        o_input_ids := annotations._distinct_ids($3, 'input_ids');
    END IF;
    o_user_ids := annotations._distinct_ids($4, 'user_ids');
    o_model_version_ids := annotations._distinct_ids($5, 'model_version_ids');
    IF $6 IS NOT NULL AND pg_catalog.cardinality($6) > 0 THEN
        IF pg_catalog.array_position($6, NULL) IS NOT NULL THEN
            RAISE EXCEPTION 'statuses must not contain NULL' USING ERRCODE = '22023';
        END IF;
        o_statuses := ARRAY(SELECT DISTINCT s FROM pg_catalog.unnest($6) s);
    END IF;
    sql := annotations._list_sql(
        COALESCE(pg_catalog.cardinality(o_ids), 0),
        COALESCE(pg_catalog.cardinality(o_input_ids), 0),
        COALESCE(pg_catalog.cardinality(o_user_ids), 0),
        COALESCE(pg_catalog.cardinality(o_model_version_ids), 0),
        COALESCE(pg_catalog.cardinality(o_statuses), 0),
        $7 IS NOT NULL, COALESCE($8, false), $9 IS NOT NULL, for_count);
END
$$;
COMMENT ON FUNCTION annotations._list_plan(text, text[], text[], text[], text[],
    annotations.status[], text, boolean, bigint, boolean) IS
  'Internal: checks list filters and plans the list or count query';

CREATE FUNCTION annotations.list_annotations(
        app_id text,
        ids text[] DEFAULT NULL,
        input_ids text[] DEFAULT NULL,
        user_ids text[] DEFAULT NULL,
        model_version_ids text[] DEFAULT NULL,
        statuses annotations.status[] DEFAULT NULL,
        task_id text DEFAULT NULL,
        list_all_annotations boolean DEFAULT false,
        per_page integer DEFAULT 20,
        page integer DEFAULT NULL,
        after bigint DEFAULT NULL)
    RETURNS SETOF annotations.annotation
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    p record;
BEGIN
    IF per_page IS NULL OR per_page < 1 OR per_page > 1000 THEN
        RAISE EXCEPTION 'per_page must be between 1 and 1000, got %', COALESCE(per_page::text, 'NULL')
            USING ERRCODE = '22023';
    END IF;
    IF page IS NOT NULL AND page < 1 THEN
        RAISE EXCEPTION 'page must be 1 or more, got %', page USING ERRCODE = '22023';
    END IF;
    IF page IS NOT NULL AND after IS NOT NULL THEN
        RAISE EXCEPTION 'page and after cannot be used together'
            USING ERRCODE = '22023',
                  HINT = 'Use after (the seq of the last row seen) for paging; page exists for Clarifai compatibility.';
    END IF;
    p := annotations._list_plan($1, $2, $3, $4, $5, $6, $7, $8, $11, false);
    RETURN QUERY EXECUTE p.sql
        USING $1, p.o_ids, p.o_input_ids, p.o_user_ids, p.o_model_version_ids, p.o_statuses,
              $7, $11, per_page, (COALESCE(page, 1) - 1)::bigint * per_page;
END
$$;
COMMENT ON FUNCTION annotations.list_annotations(text, text[], text[], text[], text[],
    annotations.status[], text, boolean, integer, integer, bigint) IS
  'Lists annotations oldest first, one page at a time (keyset paging with after => last seq seen)';

CREATE FUNCTION annotations.count_annotations(
        app_id text,
        ids text[] DEFAULT NULL,
        input_ids text[] DEFAULT NULL,
        user_ids text[] DEFAULT NULL,
        model_version_ids text[] DEFAULT NULL,
        statuses annotations.status[] DEFAULT NULL,
        task_id text DEFAULT NULL,
        list_all_annotations boolean DEFAULT false)
    RETURNS bigint
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    p record;
    n bigint;
BEGIN
    p := annotations._list_plan($1, $2, $3, $4, $5, $6, $7, $8, NULL, true);
    EXECUTE p.sql INTO n
        USING $1, p.o_ids, p.o_input_ids, p.o_user_ids, p.o_model_version_ids, p.o_statuses,
              $7, NULL::bigint, NULL::integer, NULL::bigint;
    RETURN n;
END
$$;
COMMENT ON FUNCTION annotations.count_annotations(text, text[], text[], text[], text[],
    annotations.status[], text, boolean) IS
  'How many annotations list_annotations would return over all pages with the same filters';

CREATE FUNCTION annotations.delete_annotation(app_id text, input_id text, annotation_id text)
    RETURNS void
    AS 'MODULE_PATHNAME', 'annotations_delete_annotation'
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.delete_annotation(text, text, text) IS
  'Deletes one annotation; P0002 when it does not exist';

CREATE FUNCTION annotations.delete_annotations(app_id text, input_ids text[], ids text[] DEFAULT NULL)
    RETURNS bigint
    AS 'MODULE_PATHNAME', 'annotations_delete_annotations'
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.delete_annotations(text, text[], text[]) IS
  'Deletes annotations by (input_ids, ids) pairs, or all deletable non-input-level annotations of some inputs';

CREATE FUNCTION annotations.to_json(annotation annotations.annotation)
    RETURNS jsonb
    LANGUAGE plpgsql STABLE STRICT
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    a annotations.annotation := $1;
    v_data jsonb;
BEGIN
    v_data := pg_catalog.jsonb_build_object('concepts', COALESCE(a.concepts, '[]'::jsonb));
    IF a.region_id IS NOT NULL THEN
        v_data := v_data || pg_catalog.jsonb_build_object('regions', pg_catalog.jsonb_build_array(
            pg_catalog.jsonb_build_object(
                'id', a.region_id,
                'region_info', pg_catalog.jsonb_build_object('bounding_box', a.bbox::jsonb),
                'data', pg_catalog.jsonb_build_object('concepts', COALESCE(a.region_concepts, '[]'::jsonb)))));
    END IF;
    IF a.frame_index IS NOT NULL OR a.frame_time IS NOT NULL THEN
        v_data := pg_catalog.jsonb_build_object('frames', pg_catalog.jsonb_build_array(
            pg_catalog.jsonb_build_object(
                'frame_info', pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
                    'index', a.frame_index, 'time', a.frame_time)),
                'data', v_data)));
    END IF;
    RETURN pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
               'id', a.id,
               'input_id', a.input_id,
               'user_id', a.user_id,
               'model_version_id', a.model_version_id,
               'embed_model_version_id', a.embed_model_version_id,
               'task_id', a.task_id,
               'created_at', pg_catalog.to_char(a.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
               'modified_at', pg_catalog.to_char(a.modified_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')))
        || pg_catalog.jsonb_build_object(
               'status', pg_catalog.jsonb_build_object(
                   'code', annotations.status_code(a.status),
                   'description', annotations.status_description(a.status)),
               'input_level', a.input_level,
               'annotation_info', COALESCE(a.annotation_info, '{}'::jsonb),
               'data', v_data);
END
$$;
COMMENT ON FUNCTION annotations.to_json(annotations.annotation) IS
  'The annotation in Clarifai REST JSON; posting it again (with a new id) recreates the same labels';
