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

-- Internal (src/patch_value.c): a patched row's new value of one column,
-- picked out of the batch's arrays (ids sorted) by the row's id, or the
-- old value where the batch leaves it as it is. On a Citus cluster a
-- patch's UPDATE then names one table only, which Citus plans on the app's
-- local shard.
CREATE FUNCTION annotations._patch_value(ids text[], id text, vals anyarray, old anyelement)
    RETURNS anyelement
    AS 'MODULE_PATHNAME', 'annotations_patch_value'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION annotations._patch_value(text[], text, anyarray, anyelement) IS
  'Internal: the value at id''s position among the sorted ids, or old where it is NULL';
CREATE FUNCTION annotations._patch_enum(ids text[], id text, vals oid[], old anyenum)
    RETURNS anyenum
    AS 'MODULE_PATHNAME', 'annotations_patch_enum'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION annotations._patch_enum(text[], text, oid[], anyenum) IS
  'Internal: like _patch_value, for an enum column whose new values are given as the oids of its labels';
