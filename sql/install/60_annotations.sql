-- Posting, reading and deleting annotations (SPEC §5, §6).

CREATE FUNCTION annotations.post_annotations(app_id text, annotations jsonb)
    RETURNS SETOF annotations.annotation
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_app  text := $1;
    v_role text;
    v_reqs annotations._request[];
    v_rows annotations.annotation[];
    v_ins  annotations.annotations[];
    v_bad  record;
BEGIN
    v_role := annotations._app_role(v_app);
    v_reqs := ARRAY(SELECT r FROM annotations._parse_annotations($2, false) r);

    -- who may be named as the author (SPEC §7)
    IF v_role <> 'owner' THEN
        SELECT r.ord, r.user_id, r.model_version_id INTO v_bad
          FROM pg_catalog.unnest(v_reqs) r
         WHERE r.model_version_id IS NOT NULL OR r.user_id <> current_user
         ORDER BY r.ord LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION 'annotations[%]: only the owner of app "%" may post annotations written by %',
                v_bad.ord, v_app,
                CASE WHEN v_bad.model_version_id IS NOT NULL
                     THEN pg_catalog.format('model version "%s"', v_bad.model_version_id)
                     ELSE pg_catalog.format('another user ("%s")', v_bad.user_id) END
                USING ERRCODE = '42501';
        END IF;
    END IF;

    -- every input named must exist
    SELECT r.ord, r.input_id INTO v_bad
      FROM pg_catalog.unnest(v_reqs) r
     WHERE NOT EXISTS (SELECT 1 FROM annotations.inputs i WHERE i.app_id = v_app AND i.id = r.input_id)
     ORDER BY r.ord LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'annotations[%].input_id: input "%" not found in app "%"', v_bad.ord, v_bad.input_id, v_app
            USING ERRCODE = 'P0002';
    END IF;

    -- a region named by id without geometry labels an existing region: take
    -- its box (and frame) from the earliest annotation on the input that has it
    IF EXISTS (SELECT 1 FROM pg_catalog.unnest(v_reqs) r WHERE r.region_present AND r.bbox IS NULL) THEN
        v_reqs := ARRAY(
            SELECT ROW(r.ord, r.id, r.input_id, r.user_id, r.model_version_id,
                       r.embed_model_version_id, r.task_id, r.status, r.annotation_info,
                       r.has_data, r.concepts, r.region_present, r.region_id,
                       COALESCE(r.bbox, src.bbox), r.region_concepts, r.region_has_data,
                       r.has_frame OR src.frame_index IS NOT NULL OR src.frame_time IS NOT NULL,
                       -- the labeled region's frame wins; the request's only where it has none
                       CASE WHEN src.frame_index IS NOT NULL OR src.frame_time IS NOT NULL
                            THEN src.frame_index ELSE r.frame_index END,
                       CASE WHEN src.frame_index IS NOT NULL OR src.frame_time IS NOT NULL
                            THEN src.frame_time ELSE r.frame_time END
                   )::annotations._request
              FROM pg_catalog.unnest(v_reqs) r
              LEFT JOIN LATERAL (
                    SELECT g.bbox, a.frame_index, a.frame_time
                      FROM annotations.regions g
                      JOIN annotations.annotations a ON a.app_id = g.app_id AND a.id = g.annotation_id
                     WHERE g.app_id = v_app AND g.input_id = r.input_id AND g.id = r.region_id
                     ORDER BY a.seq LIMIT 1
                   ) src ON r.region_present AND r.bbox IS NULL
             ORDER BY r.ord);
        SELECT r.ord, r.input_id, r.region_id, r.has_frame INTO v_bad
          FROM pg_catalog.unnest(v_reqs) r
         WHERE r.region_present AND r.bbox IS NULL
         ORDER BY r.ord LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION 'annotations[%].data.%regions[0].id: region "%" not found on input "%"',
                v_bad.ord, CASE WHEN v_bad.has_frame THEN 'frames[0].data.' ELSE '' END,
                v_bad.region_id, v_bad.input_id
                USING ERRCODE = 'P0002',
                      HINT = 'To label an existing region, give the id of a region listed on the same input.';
        END IF;
    END IF;

    -- store: one statement per table; a taken id shows as a missing row.
    -- The regions go in a statement of their own: the regions insert policy
    -- must see the new annotations, which a sibling in the same WITH cannot
    -- (one snapshot for all of it), so it would refuse every non-superuser.
    WITH ins AS (
        INSERT INTO annotations.annotations AS a
               (app_id, id, input_id, user_id, model_version_id, embed_model_version_id,
                task_id, status, concepts, frame_index, frame_time, annotation_info)
        SELECT v_app, r.id, r.input_id,
               CASE WHEN r.model_version_id IS NULL THEN COALESCE(r.user_id, current_user::text) END,
               r.model_version_id, r.embed_model_version_id, r.task_id,
               COALESCE(r.status, 'success')::annotations.status,
               COALESCE(r.concepts, '[]'::jsonb), r.frame_index, r.frame_time,
               COALESCE(r.annotation_info, '{}'::jsonb)
          FROM pg_catalog.unnest(v_reqs) r
         ORDER BY r.ord
        ON CONFLICT DO NOTHING
        RETURNING a
    )
    SELECT pg_catalog.array_agg(ins.a) INTO v_ins FROM ins;

    WITH ins AS (
        SELECT * FROM pg_catalog.unnest(v_ins)
    ), reg AS (
        INSERT INTO annotations.regions AS g (app_id, annotation_id, id, input_id, bbox, concepts)
        SELECT v_app, r.id, r.region_id, r.input_id, r.bbox, COALESCE(r.region_concepts, '[]'::jsonb)
          FROM pg_catalog.unnest(v_reqs) r JOIN ins ON ins.id = r.id
         WHERE r.region_present
        RETURNING g.*
    )
    SELECT pg_catalog.array_agg(ROW(ins.app_id, ins.id, ins.input_id, ins.seq, ins.user_id,
               ins.model_version_id, ins.embed_model_version_id, ins.task_id, ins.status,
               ins.input_level, ins.concepts, reg.id, reg.bbox, reg.concepts, ins.frame_index,
               ins.frame_time, ins.annotation_info, ins.created_at, ins.modified_at
           )::annotations.annotation ORDER BY ins.seq)
      INTO v_rows
      FROM ins LEFT JOIN reg ON reg.annotation_id = ins.id;

    IF COALESCE(pg_catalog.cardinality(v_rows), 0) < pg_catalog.cardinality(v_reqs) THEN
        SELECT r.ord, r.id INTO v_bad FROM pg_catalog.unnest(v_reqs) r
         WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.unnest(v_rows) w WHERE w.id = r.id)
         ORDER BY r.ord LIMIT 1;
        RAISE EXCEPTION 'annotations[%].id: annotation "%" already exists in app "%"', v_bad.ord, v_bad.id, v_app
            USING ERRCODE = '23505';
    END IF;
    RETURN QUERY SELECT * FROM pg_catalog.unnest(v_rows);
END
$$;
COMMENT ON FUNCTION annotations.post_annotations(text, jsonb) IS
  'Adds 1..128 annotations given as Clarifai JSON; all or nothing; returns them oldest first';

CREATE FUNCTION annotations.get_annotation(app_id text, input_id text, annotation_id text)
    RETURNS annotations.annotation
    AS 'MODULE_PATHNAME', 'annotations_get_annotation'
    LANGUAGE C STABLE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.get_annotation(text, text, text) IS
  'One annotation by input id and annotation id; P0002 when there is none';

-- Listing and counting (src/list.c): one planner turns the filters into
-- ordered index scans merged on seq, and keeps one plan per shape of filters.
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
    AS 'MODULE_PATHNAME', 'annotations_list_annotations'
    LANGUAGE C STABLE
    SET search_path = pg_catalog, pg_temp;
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
    AS 'MODULE_PATHNAME', 'annotations_count_annotations'
    LANGUAGE C STABLE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.count_annotations(text, text[], text[], text[], text[],
    annotations.status[], text, boolean) IS
  'How many annotations list_annotations would return over all pages with the same filters';

-- The query the list planner keeps for a shape of filters, so tests can
-- EXPLAIN it; parameters $1 app_id, $2 ids, $3 input_ids, $4 user_ids,
-- $5 model_version_ids, $6 statuses (text[]), $7 task_id, $8 after,
-- $9 per_page, $10 offset.
CREATE FUNCTION annotations._list_sql_for(
        ids text[], input_ids text[], user_ids text[], model_version_ids text[],
        statuses annotations.status[], task_id text, list_all_annotations boolean,
        after bigint, for_count boolean)
    RETURNS text
    AS 'MODULE_PATHNAME', 'annotations_list_sql_for'
    LANGUAGE C IMMUTABLE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations._list_sql_for(text[], text[], text[], text[], annotations.status[],
    text, boolean, bigint, boolean) IS
  'Internal: the query list_annotations or count_annotations keeps for the shape of these filters';
REVOKE EXECUTE ON FUNCTION annotations._list_sql_for(text[], text[], text[], text[], annotations.status[],
    text, boolean, bigint, boolean) FROM PUBLIC;

-- Raises 42501 unless the acting user may delete an annotation written by
-- author (SPEC §7: the owner any, a collaborator only their own).
CREATE FUNCTION annotations._check_may_delete(app_id text, role text, ord text, annotation_id text, author text)
    RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF role <> 'owner' AND author IS DISTINCT FROM current_user::text THEN
        RAISE EXCEPTION '%permission denied to delete annotation "%" of app "%"', ord, annotation_id, app_id
            USING ERRCODE = '42501',
                  DETAIL = 'A collaborator deletes only their own annotations; the app owner deletes any.';
    END IF;
END
$$;
COMMENT ON FUNCTION annotations._check_may_delete(text, text, text, text, text) IS
  'Internal: 42501 unless the acting user may delete an annotation by this author';

CREATE FUNCTION annotations.delete_annotation(app_id text, input_id text, annotation_id text)
    RETURNS void
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_role text := annotations._app_role($1);
    v_row  record;
BEGIN
    PERFORM annotations._check_id($2, 'input_id');
    PERFORM annotations._check_id($3, 'annotation_id');
    -- no FOR UPDATE: a row lock needs the UPDATE policy too, which hides
    -- model-written annotations (and from a collaborator, others') and would
    -- turn a refusal into "not found"; the DELETE below locks the row
    SELECT a.user_id, a.input_level INTO v_row
      FROM annotations.annotations a
     WHERE a.app_id = $1 AND a.id = $3 AND a.input_id = $2;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'annotation "%" not found on input "%" in app "%"', $3, $2, $1
            USING ERRCODE = 'P0002';
    END IF;
    IF v_row.input_level THEN
        RAISE EXCEPTION 'annotation "%" is the input-level annotation of input "%"', $3, $2
            USING ERRCODE = '22023',
                  DETAIL = 'An input-level annotation is deleted only with its input (delete_inputs).';
    END IF;
    PERFORM annotations._check_may_delete($1, v_role, '', $3, v_row.user_id);
    DELETE FROM annotations.annotations a WHERE a.app_id = $1 AND a.id = $3;
END
$$;
COMMENT ON FUNCTION annotations.delete_annotation(text, text, text) IS
  'Deletes one annotation; P0002 when it does not exist';

CREATE FUNCTION annotations.delete_annotations(app_id text, input_ids text[], ids text[] DEFAULT NULL)
    RETURNS bigint
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_role  text := annotations._app_role($1);
    v_bad   record;
    v_count bigint;
BEGIN
    IF $2 IS NULL OR pg_catalog.cardinality($2) = 0 THEN
        RAISE EXCEPTION 'input_ids must not be empty' USING ERRCODE = '22023';
    END IF;
    IF pg_catalog.array_position($2, NULL) IS NOT NULL THEN
        RAISE EXCEPTION 'input_ids must not contain NULL' USING ERRCODE = '22023';
    END IF;

    IF $3 IS NULL THEN
        -- every annotation of these inputs the acting user may delete,
        -- except the input-level ones (they go with their input)
        SELECT u.i AS input_id INTO v_bad FROM pg_catalog.unnest($2) WITH ORDINALITY u(i, n)
         WHERE NOT EXISTS (SELECT 1 FROM annotations.inputs x WHERE x.app_id = $1 AND x.id = u.i)
         ORDER BY u.n LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION 'input "%" not found in app "%"', v_bad.input_id, $1 USING ERRCODE = 'P0002';
        END IF;
        DELETE FROM annotations.annotations a
         WHERE a.app_id = $1 AND a.input_id = ANY ($2) AND NOT a.input_level
           AND (v_role = 'owner' OR a.user_id = current_user::text);
        GET DIAGNOSTICS v_count = ROW_COUNT;
        RETURN v_count;
    END IF;

    IF pg_catalog.cardinality($3) <> pg_catalog.cardinality($2) THEN
        RAISE EXCEPTION 'ids and input_ids must have the same length (% ids, % input_ids)',
            pg_catalog.cardinality($3), pg_catalog.cardinality($2)
            USING ERRCODE = '22023', DETAIL = 'Annotations are named by (input_ids[i], ids[i]) pairs.';
    END IF;
    IF pg_catalog.array_position($3, NULL) IS NOT NULL THEN
        RAISE EXCEPTION 'ids must not contain NULL' USING ERRCODE = '22023';
    END IF;
    FOR v_bad IN
        SELECT p.n, p.i, p.a, x.id AS found, x.user_id, x.input_level
          FROM ROWS FROM (pg_catalog.unnest($2), pg_catalog.unnest($3)) WITH ORDINALITY p(i, a, n)
          LEFT JOIN annotations.annotations x ON x.app_id = $1 AND x.id = p.a AND x.input_id = p.i
         ORDER BY p.n
    LOOP
        IF v_bad.found IS NULL THEN
            RAISE EXCEPTION 'ids[%]: annotation "%" not found on input "%" in app "%"',
                v_bad.n - 1, v_bad.a, v_bad.i, $1 USING ERRCODE = 'P0002';
        END IF;
        IF v_bad.input_level THEN
            RAISE EXCEPTION 'ids[%]: annotation "%" is the input-level annotation of input "%"',
                v_bad.n - 1, v_bad.a, v_bad.i
                USING ERRCODE = '22023',
                      DETAIL = 'An input-level annotation is deleted only with its input (delete_inputs).';
        END IF;
        PERFORM annotations._check_may_delete($1, v_role, pg_catalog.format('ids[%s]: ', v_bad.n - 1),
                                              v_bad.a, v_bad.user_id);
    END LOOP;
    DELETE FROM annotations.annotations a
     WHERE a.app_id = $1 AND (a.input_id, a.id) IN (SELECT * FROM ROWS FROM (pg_catalog.unnest($2), pg_catalog.unnest($3)));
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count;
END
$$;
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
