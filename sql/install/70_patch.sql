-- Patching annotations: merge, overwrite, remove.

-- In C (src/patch_api.c): one statement locks the batch's annotations in
-- id order and reads them, each element is checked in order, the engine
-- computes each new state, and one statement per table writes the changes.
CREATE FUNCTION annotations.patch_annotations(app_id text, action text, annotations jsonb,
                                              delete_if_empty_data boolean DEFAULT false)
    RETURNS SETOF annotations.annotation
    AS 'MODULE_PATHNAME', 'annotations_patch_annotations'
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.patch_annotations(text, text, jsonb, boolean) IS
  'Changes 1..128 annotations by merge, overwrite or remove; all or nothing; returns those not deleted';
