-- COCO object detection documents (SPEC §6 COCO): export_coco, import_coco.
-- The computational parts are C (src/coco.c); import posts through
-- post_inputs and post_annotations, so the request rules and row-level
-- security are exactly those of any other post.

CREATE FUNCTION annotations.export_coco(
        app_id text,
        input_ids text[] DEFAULT NULL,
        user_ids text[] DEFAULT NULL,
        model_version_ids text[] DEFAULT NULL,
        statuses annotations.status[] DEFAULT NULL,
        task_id text DEFAULT NULL,
        list_all_annotations boolean DEFAULT false)
    RETURNS jsonb
    AS 'MODULE_PATHNAME', 'annotations_coco_export'
    LANGUAGE C STABLE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.export_coco(text, text[], text[], text[], annotations.status[], text, boolean) IS
  'The app''s image inputs and region labels as a COCO object detection document: one box per positive region concept, pixels from data.image.image_info; filters as in list_annotations';

CREATE FUNCTION annotations._coco_items(coco jsonb, what text,
        OUT kind text, OUT ord integer, OUT id text, OUT input_id text,
        OUT width integer, OUT height integer, OUT item jsonb)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'annotations_coco_items'
    LANGUAGE C IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations._coco_items(jsonb, text) IS
  'Internal: validates a COCO document and returns its images (kind ''image'') or boxes (kind ''annotation'') as Clarifai request items';

-- Creates what is new, in batches of 128; what exists is left alone.
CREATE FUNCTION annotations.import_coco(app_id text, coco jsonb,
        OUT inputs_created bigint, OUT inputs_existing bigint,
        OUT annotations_created bigint, OUT annotations_existing bigint)
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_app   text := $1;
    v_batch jsonb[] := '{}';
    r       record;
BEGIN
    PERFORM annotations._app_role(v_app);
    inputs_created := 0;
    inputs_existing := 0;
    annotations_created := 0;
    annotations_existing := 0;

    -- images: an input with the same id must be the same image (same size)
    FOR r IN
        SELECT c.ord, c.id, c.width, c.height, c.item, i.data AS stored
          FROM annotations._coco_items($2, 'image') c
          LEFT JOIN annotations.inputs i ON i.app_id = v_app AND i.id = c.id
         ORDER BY c.ord
    LOOP
        IF r.stored IS NOT NULL THEN
            IF (r.stored #> '{image,image_info,width}') IS DISTINCT FROM pg_catalog.to_jsonb(r.width)
               OR (r.stored #> '{image,image_info,height}') IS DISTINCT FROM pg_catalog.to_jsonb(r.height) THEN
                RAISE EXCEPTION 'coco.images[%].file_name: input "%" already exists in app "%" and is not a %x% image',
                    r.ord, r.id, v_app, r.width, r.height
                    USING ERRCODE = '23505',
                          DETAIL = pg_catalog.format('The stored input has data.image.image_info %s.',
                                       COALESCE((r.stored #> '{image,image_info}')::text, 'missing')),
                          HINT = 'An image''s file_name is its input id; rename the file or delete the input.';
            END IF;
            inputs_existing := inputs_existing + 1;
            CONTINUE;
        END IF;
        v_batch := v_batch || r.item;
        IF pg_catalog.cardinality(v_batch) = 128 THEN
            PERFORM annotations.post_inputs(v_app, pg_catalog.to_jsonb(v_batch));
            inputs_created := inputs_created + 128;
            v_batch := '{}';
        END IF;
    END LOOP;
    IF pg_catalog.cardinality(v_batch) > 0 THEN
        PERFORM annotations.post_inputs(v_app, pg_catalog.to_jsonb(v_batch));
        inputs_created := inputs_created + pg_catalog.cardinality(v_batch);
        v_batch := '{}';
    END IF;

    -- boxes: ids derive from the document, so a second import finds them all
    FOR r IN
        SELECT c.item, a.id AS found
          FROM annotations._coco_items($2, 'annotation') c
          LEFT JOIN annotations.annotations a ON a.app_id = v_app AND a.id = c.id
         ORDER BY c.ord
    LOOP
        IF r.found IS NOT NULL THEN
            annotations_existing := annotations_existing + 1;
            CONTINUE;
        END IF;
        v_batch := v_batch || r.item;
        IF pg_catalog.cardinality(v_batch) = 128 THEN
            PERFORM annotations.post_annotations(v_app, pg_catalog.to_jsonb(v_batch));
            annotations_created := annotations_created + 128;
            v_batch := '{}';
        END IF;
    END LOOP;
    IF pg_catalog.cardinality(v_batch) > 0 THEN
        PERFORM annotations.post_annotations(v_app, pg_catalog.to_jsonb(v_batch));
        annotations_created := annotations_created + pg_catalog.cardinality(v_batch);
    END IF;
END
$$;
COMMENT ON FUNCTION annotations.import_coco(text, jsonb) IS
  'Adds a COCO object detection document to an app as the acting user: an image input per image (id and url = file_name), an annotation with one region per box (concept = category name); idempotent, never deletes; returns what was created and what already existed';
