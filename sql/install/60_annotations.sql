-- Posting, reading, listing and deleting annotations.

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

-- Listing and counting (src/list.c): one planner turns the filters into
-- ordered index scans merged on seq, and keeps one plan per shape of filters.
CREATE FUNCTION annotations.list_annotations(
        app_id text,
        ids text[] DEFAULT NULL,
        input_ids text[] DEFAULT NULL,
        user_ids text[] DEFAULT NULL,
        model_version_ids text[] DEFAULT NULL,
        statuses text[] DEFAULT NULL,
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
    text[], text, boolean, integer, integer, bigint) IS
  'Lists annotations oldest first, one page at a time (keyset paging with after => last seq seen)';

CREATE FUNCTION annotations.count_annotations(
        app_id text,
        ids text[] DEFAULT NULL,
        input_ids text[] DEFAULT NULL,
        user_ids text[] DEFAULT NULL,
        model_version_ids text[] DEFAULT NULL,
        statuses text[] DEFAULT NULL,
        task_id text DEFAULT NULL,
        list_all_annotations boolean DEFAULT false)
    RETURNS bigint
    AS 'MODULE_PATHNAME', 'annotations_count_annotations'
    LANGUAGE C STABLE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.count_annotations(text, text[], text[], text[], text[],
    text[], text, boolean) IS
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
    v_info jsonb;
BEGIN
    v_data := pg_catalog.jsonb_build_object('concepts', COALESCE(a.concepts, '[]'::jsonb));
    IF a.region_id IS NOT NULL THEN
        -- exactly one shape per region: the box only when there is no other
        IF pg_catalog.num_nonnulls(a.polygon, a.point, a.mask) OPERATOR(pg_catalog.>) 1 THEN
            RAISE EXCEPTION 'stored region of annotation "%" in app "%" is malformed', a.id, a.app_id
                USING ERRCODE = 'XX001',
                      DETAIL = 'annotations.regions holds more than one of polygon, point and mask.',
                      HINT = 'The API never stores such a value. Correct it with UPDATE or delete the annotation.';
        END IF;
        v_info := CASE WHEN a.polygon IS NOT NULL THEN pg_catalog.jsonb_build_object('polygon', a.polygon::jsonb)
                       WHEN a.point IS NOT NULL THEN pg_catalog.jsonb_build_object('point', a.point::jsonb)
                       WHEN a.mask IS NOT NULL THEN pg_catalog.jsonb_build_object('mask', a.mask::jsonb)
                       ELSE pg_catalog.jsonb_build_object('bounding_box', a.bbox::jsonb) END;
        v_data := v_data || pg_catalog.jsonb_build_object('regions', pg_catalog.jsonb_build_array(
            pg_catalog.jsonb_build_object(
                'id', a.region_id,
                'region_info', v_info,
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
               'worker', CASE WHEN a.user_id IS NOT NULL
                              THEN pg_catalog.jsonb_build_object('user', pg_catalog.jsonb_build_object('id', a.user_id))
                              WHEN a.model_version_id IS NOT NULL
                              THEN pg_catalog.jsonb_build_object('model', pg_catalog.jsonb_build_object(
                                       'model_version', pg_catalog.jsonb_build_object('id', a.model_version_id)))
                         END,
               'created_at', pg_catalog.to_char(a.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
               'modified_at', pg_catalog.to_char(a.modified_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')))
        || pg_catalog.jsonb_build_object(
               'status', pg_catalog.jsonb_build_object(
                   'code', annotations.status_code(a.status),
                   'description', annotations.status_description(a.status)),
               'input_level', a.input_level,
               'annotation_info', COALESCE(a.annotation_info, '{}'::jsonb),
               'data', v_data)
        -- proto3 leaves out a field at its default: trusted only when true,
        -- consensus_info only when it holds something
        || CASE WHEN a.trusted THEN '{"trusted": true}'::jsonb ELSE '{}'::jsonb END
        || CASE WHEN a.consensus_info OPERATOR(pg_catalog.<>) '{}'::jsonb
                THEN pg_catalog.jsonb_build_object('consensus_info', a.consensus_info)
                ELSE '{}'::jsonb END;
END
$$;
COMMENT ON FUNCTION annotations.to_json(annotations.annotation) IS
  'The annotation in Clarifai REST JSON; posting it again (with a new id) recreates the same labels';
