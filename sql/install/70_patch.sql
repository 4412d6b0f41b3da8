-- Patching annotations (SPEC §6): merge, overwrite, remove.

CREATE FUNCTION annotations._patch_apply(action text, stored annotations.annotation,
                                         patch annotations._request, delete_if_empty boolean)
    RETURNS annotations.annotation
    AS 'MODULE_PATHNAME', 'annotations_patch_apply'
    LANGUAGE C VOLATILE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION annotations._patch_apply(text, annotations.annotation, annotations._request, boolean) IS
  'Internal: the patch engine; the new state of an annotation, or NULL when it is to be deleted';

-- Raises the first refusal of a patch batch, in element order: an unknown
-- annotation or input (P0002), a model-written one or one the acting user
-- may not patch (42501), a changed author (22023). Runs only when the fast
-- path found something wrong, so it may read the table again.
CREATE FUNCTION annotations._patch_refuse(app_id text, role text, reqs annotations._request[])
    RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_bad record;
BEGIN
    FOR v_bad IN
        SELECT r.ord, r.id, r.input_id, r.user_id AS given_user, r.model_version_id AS given_model,
               a.id AS found, a.input_id AS stored_input, a.user_id, a.model_version_id
          FROM pg_catalog.unnest(reqs) r
          LEFT JOIN annotations.annotations a ON a.app_id = $1 AND a.id = r.id
         ORDER BY r.ord
    LOOP
        IF v_bad.found IS NULL OR v_bad.input_id <> v_bad.stored_input THEN
            RAISE EXCEPTION 'annotations[%]: annotation "%" not found%in app "%"', v_bad.ord, v_bad.id,
                CASE WHEN v_bad.input_id IS NULL THEN ' ' ELSE pg_catalog.format(' on input "%s" ', v_bad.input_id) END,
                $1
                USING ERRCODE = 'P0002';
        END IF;
        IF v_bad.model_version_id IS NOT NULL THEN
            RAISE EXCEPTION 'annotations[%]: annotation "%" was written by model "%" and cannot be patched',
                v_bad.ord, v_bad.id, v_bad.model_version_id
                USING ERRCODE = '42501',
                      HINT = 'Label its region in a new annotation instead (post_annotations with the region id).';
        END IF;
        IF role <> 'owner' AND v_bad.user_id IS DISTINCT FROM current_user::text THEN
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
    -- every element passed on a second look: a concurrent change in between
    RAISE EXCEPTION 'annotations: the annotations changed while they were being patched'
        USING ERRCODE = '40001', HINT = 'Retry the call.';
END
$$;
COMMENT ON FUNCTION annotations._patch_refuse(text, text, annotations._request[]) IS
  'Internal: raises the first reason a patch batch is refused, in element order';

CREATE FUNCTION annotations.patch_annotations(app_id text, action text, annotations jsonb,
                                              delete_if_empty_data boolean DEFAULT false)
    RETURNS SETOF annotations.annotation
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_app    text := $1;
    v_role   text;
    v_reqs   annotations._request[];
    v_locked annotations.annotations[];
    v_new    annotations.annotation[];
    v_del    text[];
    v_reg    text[];
    v_unreg  text[];
BEGIN
    v_role := annotations._app_role(v_app);
    IF $2 IS NULL OR $2 NOT IN ('merge', 'overwrite', 'remove') THEN
        RAISE EXCEPTION 'unknown patch action "%"', COALESCE($2, 'NULL')
            USING ERRCODE = '22023', HINT = 'The actions are merge, overwrite and remove.';
    END IF;
    v_reqs := ARRAY(SELECT r FROM annotations._parse_annotations($3, true) r);

    -- Fast path: a merge that touches no region (new concepts, a status,
    -- annotation_info) is one UPDATE that computes each new state from the
    -- row it updates. Under concurrency PostgreSQL re-evaluates that on the
    -- latest committed version of the row (EvalPlanQual), so concurrent
    -- merges still never lose each other's changes; rows are visited in id
    -- order, so two batches never deadlock.
    IF $2 = 'merge' AND NOT EXISTS (SELECT 1 FROM pg_catalog.unnest(v_reqs) q WHERE q.region_present) THEN
        v_reqs := ARRAY(SELECT q FROM pg_catalog.unnest(v_reqs) q ORDER BY q.id);
        WITH upd AS (
            UPDATE annotations.annotations a
               SET (concepts, status, frame_index, frame_time, annotation_info,
                    embed_model_version_id, task_id, modified_at) =
                   (SELECT n.concepts, n.status, n.frame_index, n.frame_time, n.annotation_info,
                           n.embed_model_version_id, n.task_id, n.modified_at
                      FROM annotations._patch_apply('merge',
                               ROW(a.app_id, a.id, a.input_id, a.seq, a.user_id, a.model_version_id,
                                   a.embed_model_version_id, a.task_id, a.status, a.input_level,
                                   a.concepts, NULL, NULL, NULL, a.frame_index, a.frame_time,
                                   a.annotation_info, a.created_at, pg_catalog.now())::annotations.annotation,
                               r, false) n)
              FROM pg_catalog.unnest(v_reqs) r
             WHERE a.app_id = v_app AND a.id = r.id
               AND (r.input_id IS NULL OR a.input_id = r.input_id)
               AND a.model_version_id IS NULL
               AND (v_role = 'owner' OR a.user_id = current_user::text)
               AND r.model_version_id IS NULL
               AND (r.user_id IS NULL OR r.user_id = a.user_id)
            RETURNING a.*
        )
        SELECT pg_catalog.array_agg(ROW(u.app_id, u.id, u.input_id, u.seq, u.user_id,
                   u.model_version_id, u.embed_model_version_id, u.task_id, u.status,
                   u.input_level, u.concepts, g.id, g.bbox, g.concepts, u.frame_index,
                   u.frame_time, u.annotation_info, u.created_at, u.modified_at
               )::annotations.annotation ORDER BY u.seq)
          INTO v_new
          FROM upd u
          LEFT JOIN annotations.regions g ON g.app_id = u.app_id AND g.annotation_id = u.id;
        IF COALESCE(pg_catalog.cardinality(v_new), 0) < pg_catalog.cardinality(v_reqs) THEN
            PERFORM annotations._patch_refuse(v_app, v_role, v_reqs);
        END IF;
        RETURN QUERY SELECT * FROM pg_catalog.unnest(v_new);
        RETURN;
    END IF;

    -- Lock in id order (two batches never deadlock) with the statement that
    -- reads the stored rows: once it holds a lock it returns the row as the
    -- previous holder committed it, so concurrent patches of one annotation
    -- apply one after the other and none is lost. (Aggregate the whole-row
    -- value: a row of a subquery's own record type would go through text.)
    SELECT pg_catalog.array_agg(l.a) INTO v_locked
      FROM (SELECT a FROM annotations.annotations a
             WHERE a.app_id = v_app AND a.id IN (SELECT r.id FROM pg_catalog.unnest(v_reqs) r)
             ORDER BY a.id
               FOR UPDATE OF a) l;

    -- A row lock needs the UPDATE policy, which hides model-written rows (and
    -- other users' rows from a collaborator): a missing row, a wrong input,
    -- a collaborator's foreign row or a changed author sends us to the
    -- precise error.
    IF COALESCE(pg_catalog.cardinality(v_locked), 0) < pg_catalog.cardinality(v_reqs)
       OR EXISTS (SELECT 1 FROM pg_catalog.unnest(v_reqs) r
                    JOIN pg_catalog.unnest(v_locked) a ON a.id = r.id
                   WHERE r.input_id <> a.input_id
                      OR a.model_version_id IS NOT NULL
                      OR (v_role <> 'owner' AND a.user_id IS DISTINCT FROM current_user::text)
                      OR r.model_version_id IS NOT NULL
                      OR (r.user_id IS NOT NULL AND r.user_id IS DISTINCT FROM a.user_id)) THEN
        PERFORM annotations._patch_refuse(v_app, v_role, v_reqs);
    END IF;

    -- Apply the engine to each locked row and its region (read now, after
    -- the locks) and write the annotations in the same statement; note
    -- which regions change and which go.
    WITH x AS MATERIALIZED (
        SELECT r.ord, r.id, g.id AS g_id, g.concepts AS g_concepts, g.bbox AS g_bbox,
               annotations._patch_apply($2,
                   ROW(a.app_id, a.id, a.input_id, a.seq, a.user_id, a.model_version_id,
                       a.embed_model_version_id, a.task_id, a.status, a.input_level, a.concepts,
                       g.id, g.bbox, g.concepts, a.frame_index, a.frame_time, a.annotation_info,
                       a.created_at, pg_catalog.now())::annotations.annotation,
                   r, COALESCE($4, false)) AS res
          FROM pg_catalog.unnest(v_reqs) r
          JOIN pg_catalog.unnest(v_locked) a ON a.id = r.id
          LEFT JOIN annotations.regions g ON g.app_id = v_app AND g.annotation_id = a.id
    ), upd AS (
        UPDATE annotations.annotations a
           SET concepts = (x.res).concepts, status = (x.res).status,
               frame_index = (x.res).frame_index, frame_time = (x.res).frame_time,
               annotation_info = (x.res).annotation_info,
               embed_model_version_id = (x.res).embed_model_version_id,
               task_id = (x.res).task_id, modified_at = (x.res).modified_at
          FROM x
         WHERE a.app_id = v_app AND a.id = x.id AND (x.res).id IS NOT NULL
    )
    SELECT pg_catalog.array_agg(x.res ORDER BY x.ord) FILTER (WHERE (x.res).id IS NOT NULL),
           pg_catalog.array_agg(x.id) FILTER (WHERE (x.res).id IS NULL),
           pg_catalog.array_agg(x.id) FILTER (WHERE (x.res).region_id IS NOT NULL
                 AND (x.g_id IS NULL OR (x.res).region_id <> x.g_id
                      OR (x.res).region_concepts <> x.g_concepts
                      OR (x.res).bbox OPERATOR(annotations.<>) x.g_bbox)),
           pg_catalog.array_agg(x.id) FILTER (WHERE (x.res).id IS NOT NULL
                 AND (x.res).region_id IS NULL AND x.g_id IS NOT NULL)
      INTO v_new, v_del, v_reg, v_unreg
      FROM x;

    -- regions are written only where the patch changed them
    IF v_unreg IS NOT NULL THEN
        DELETE FROM annotations.regions g WHERE g.app_id = v_app AND g.annotation_id = ANY (v_unreg);
    END IF;
    IF v_reg IS NOT NULL THEN
        INSERT INTO annotations.regions AS g (app_id, annotation_id, id, input_id, bbox, concepts)
        SELECT v_app, n.id, n.region_id, n.input_id, n.bbox, n.region_concepts
          FROM pg_catalog.unnest(v_new) n
         WHERE n.id = ANY (v_reg)
        ON CONFLICT ON CONSTRAINT regions_pkey DO UPDATE
           SET id = excluded.id, bbox = excluded.bbox, concepts = excluded.concepts;
    END IF;
    IF v_del IS NOT NULL THEN
        DELETE FROM annotations.annotations a WHERE a.app_id = v_app AND a.id = ANY (v_del);
    END IF;
    RETURN QUERY SELECT * FROM pg_catalog.unnest(v_new) n ORDER BY n.seq;
END
$$;
COMMENT ON FUNCTION annotations.patch_annotations(text, text, jsonb, boolean) IS
  'Changes 1..128 annotations by merge, overwrite or remove; all or nothing; returns those not deleted';
