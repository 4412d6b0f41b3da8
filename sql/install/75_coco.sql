-- COCO object detection documents: export_coco, import_coco.
-- Both are C (src/coco_export.c, src/coco_import.c); import stores through
-- the code behind post_inputs and post_annotations, so the request rules and
-- permissions are exactly those of any other post.

CREATE FUNCTION annotations.export_coco(
        app_id text,
        input_ids text[] DEFAULT NULL,
        user_ids text[] DEFAULT NULL,
        model_version_ids text[] DEFAULT NULL,
        statuses annotations.status[] DEFAULT NULL,
        task_id text DEFAULT NULL,
        list_all_annotations boolean DEFAULT false,
        concept_ids text[] DEFAULT NULL)
    RETURNS jsonb
    AS 'MODULE_PATHNAME', 'annotations_coco_export'
    LANGUAGE C STABLE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.export_coco(text, text[], text[], text[], annotations.status[], text, boolean, text[]) IS
  'The app''s image inputs and region labels as a COCO object detection document: categories are the app''s concept catalogue (or concept_ids) with coco_id as id, one box per positive region concept, pixels from data.image.image_info; filters as in list_annotations';

-- Creates what is new, in batches of 128; what exists is left alone. An
-- annotation id taken by anything but this document's own box, written by
-- the acting user, is 23505. A dry run does it all and undoes it.
CREATE FUNCTION annotations.import_coco(app_id text, coco jsonb, dry_run boolean DEFAULT false,
        OUT images bigint, OUT annotations bigint, OUT skipped bigint, OUT skipped_reasons jsonb,
        OUT clipped bigint, OUT concepts_created bigint, OUT category_clashes jsonb,
        OUT inputs_created bigint, OUT inputs_existing bigint,
        OUT annotations_created bigint, OUT annotations_existing bigint)
    AS 'MODULE_PATHNAME', 'annotations_import_coco'
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.import_coco(text, jsonb, boolean) IS
  'Adds a COCO object detection document to an app as the acting user: an image input per image (id and url = file_name), categories into the concept catalogue, an annotation with one region per box (concept = category name; id, area and iscrowd kept); idempotent, never deletes; returns what it did, or with dry_run what it would do';
