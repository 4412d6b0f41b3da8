-- Patching annotations (SPEC §6): merge, overwrite, remove.

CREATE FUNCTION annotations._patch_apply(action text, stored annotations.annotation,
                                         patch annotations._request, delete_if_empty boolean)
    RETURNS annotations.annotation
    AS 'MODULE_PATHNAME', 'annotations_patch_apply'
    LANGUAGE C VOLATILE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION annotations._patch_apply(text, annotations.annotation, annotations._request, boolean) IS
  'Internal: the patch engine; the new state of an annotation, or NULL when it is to be deleted';

CREATE FUNCTION annotations.patch_annotations(app_id text, action text, annotations jsonb,
                                              delete_if_empty_data boolean DEFAULT false)
    RETURNS SETOF annotations.annotation
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_app  text := $1;
    v_role text;
    v_reqs annotations._request[];
    v_new  annotations.annotation[];
    v_del  text[];
    v_bad  record;
BEGIN
    v_role := annotations._app_role(v_app);
    IF $2 IS NULL OR $2 NOT IN ('merge', 'overwrite', 'remove') THEN
        RAISE EXCEPTION 'unknown patch action "%"', COALESCE($2, 'NULL')
            USING ERRCODE = '22023', HINT = 'The actions are merge, overwrite and remove.';
    END IF;
    v_reqs := ARRAY(SELECT r FROM annotations._parse_annotations($3, true) r);

    -- every element names an annotation the acting user may patch
    FOR v_bad IN
        SELECT r.ord, r.id, r.input_id, r.user_id AS given_user, r.model_version_id AS given_model,
               a.id AS found, a.input_id AS stored_input, a.user_id, a.model_version_id
          FROM pg_catalog.unnest(v_reqs) r
          LEFT JOIN annotations.annotations a ON a.app_id = v_app AND a.id = r.id
         ORDER BY r.ord
    LOOP
        IF v_bad.found IS NULL OR v_bad.input_id <> v_bad.stored_input THEN
            RAISE EXCEPTION 'annotations[%]: annotation "%" not found%in app "%"', v_bad.ord, v_bad.id,
                CASE WHEN v_bad.input_id IS NULL THEN ' ' ELSE pg_catalog.format(' on input "%s" ', v_bad.input_id) END,
                v_app
                USING ERRCODE = 'P0002';
        END IF;
        IF v_bad.model_version_id IS NOT NULL THEN
            RAISE EXCEPTION 'annotations[%]: annotation "%" was written by model "%" and cannot be patched',
                v_bad.ord, v_bad.id, v_bad.model_version_id
                USING ERRCODE = '42501',
                      HINT = 'Label its region in a new annotation instead (post_annotations with the region id).';
        END IF;
        IF v_role <> 'owner' AND v_bad.user_id IS DISTINCT FROM current_user::text THEN
            RAISE EXCEPTION 'annotations[%]: permission denied to patch annotation "%" of user "%"',
                v_bad.ord, v_bad.id, v_bad.user_id
                USING ERRCODE = '42501',
                      DETAIL = 'A collaborator patches only their own annotations; the app owner patches any user''s.';
        END IF;
        IF v_bad.given_model IS NOT NULL
           OR (v_bad.given_user IS NOT NULL AND v_bad.given_user IS DISTINCT FROM v_bad.user_id) THEN
            RAISE EXCEPTION 'annotations[%]: the author of annotation "%" cannot be changed by a patch', v_bad.ord, v_bad.id
                USING ERRCODE = '22023';
        END IF;
    END LOOP;

    -- Lock in id order (two batches never deadlock), then read the state
    -- as committed by whoever held the lock before: concurrent patches of
    -- one annotation apply one after the other and none is lost.
    PERFORM 1 FROM annotations.annotations a
      WHERE a.app_id = v_app AND a.id IN (SELECT r.id FROM pg_catalog.unnest(v_reqs) r)
      ORDER BY a.id
      FOR UPDATE OF a;

    SELECT pg_catalog.array_agg(x.res ORDER BY x.ord) FILTER (WHERE (x.res).id IS NOT NULL),
           pg_catalog.array_agg(x.id) FILTER (WHERE (x.res).id IS NULL)
      INTO v_new, v_del
      FROM (SELECT r.ord, r.id,
                   annotations._patch_apply($2,
                       ROW(a.app_id, a.id, a.input_id, a.seq, a.user_id, a.model_version_id,
                           a.embed_model_version_id, a.task_id, a.status, a.input_level, a.concepts,
                           g.id, g.bbox, g.concepts, a.frame_index, a.frame_time, a.annotation_info,
                           a.created_at, pg_catalog.now())::annotations.annotation,
                       r, COALESCE($4, false)) AS res
              FROM pg_catalog.unnest(v_reqs) r
              JOIN annotations.annotations a ON a.app_id = v_app AND a.id = r.id
              LEFT JOIN annotations.regions g ON g.app_id = a.app_id AND g.annotation_id = a.id) x;

    IF v_new IS NOT NULL THEN
        UPDATE annotations.annotations a
           SET concepts = n.concepts, status = n.status, frame_index = n.frame_index,
               frame_time = n.frame_time, annotation_info = n.annotation_info,
               embed_model_version_id = n.embed_model_version_id, task_id = n.task_id,
               modified_at = n.modified_at
          FROM pg_catalog.unnest(v_new) n
         WHERE a.app_id = v_app AND a.id = n.id;
        DELETE FROM annotations.regions g
         USING pg_catalog.unnest(v_new) n
         WHERE g.app_id = v_app AND g.annotation_id = n.id AND n.region_id IS NULL;
        INSERT INTO annotations.regions AS g (app_id, annotation_id, id, input_id, bbox, concepts)
        SELECT v_app, n.id, n.region_id, n.input_id, n.bbox, n.region_concepts
          FROM pg_catalog.unnest(v_new) n
         WHERE n.region_id IS NOT NULL
        ON CONFLICT ON CONSTRAINT regions_pkey DO UPDATE
           SET id = excluded.id, bbox = excluded.bbox, concepts = excluded.concepts
         WHERE g.id <> excluded.id OR g.concepts <> excluded.concepts
            OR g.bbox OPERATOR(annotations.<>) excluded.bbox;
    END IF;
    IF v_del IS NOT NULL THEN
        DELETE FROM annotations.annotations a WHERE a.app_id = v_app AND a.id = ANY (v_del);
    END IF;
    RETURN QUERY SELECT * FROM pg_catalog.unnest(v_new) n ORDER BY n.seq;
END
$$;
COMMENT ON FUNCTION annotations.patch_annotations(text, text, jsonb, boolean) IS
  'Changes 1..128 annotations by merge, overwrite or remove; all or nothing; returns those not deleted';
