-- Apps, collaborators and inputs, in C (src/apps.c, src/inputs.c): each
-- call captures the acting user and writes with the store owner's rights,
-- deciding who may do what itself (src/acting.c).

CREATE FUNCTION annotations.create_app(id text, owner_id text DEFAULT current_user)
    RETURNS annotations.apps
    AS 'MODULE_PATHNAME', 'annotations_create_app'
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.create_app(text, text) IS
  'Creates an app owned by owner_id (default: the acting user)';

CREATE FUNCTION annotations.transfer_app(app_id text, owner_id text)
    RETURNS annotations.apps
    AS 'MODULE_PATHNAME', 'annotations_transfer_app'
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.transfer_app(text, text) IS
  'Gives an app to another role (owner or superuser); also hands an app whose owning role is gone to its role';

CREATE FUNCTION annotations.delete_app(app_id text)
    RETURNS void
    AS 'MODULE_PATHNAME', 'annotations_delete_app'
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.delete_app(text) IS
  'Deletes an app with its collaborators, inputs and annotations (owner only)';

CREATE FUNCTION annotations.add_collaborator(app_id text, user_id text)
    RETURNS void
    AS 'MODULE_PATHNAME', 'annotations_add_collaborator'
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.add_collaborator(text, text) IS
  'Adds a collaborator to an app (owner only)';

CREATE FUNCTION annotations.remove_collaborator(app_id text, user_id text)
    RETURNS void
    AS 'MODULE_PATHNAME', 'annotations_remove_collaborator'
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.remove_collaborator(text, text) IS
  'Removes a collaborator from an app (owner only); they become a stranger to it';

CREATE FUNCTION annotations.post_inputs(app_id text, inputs jsonb)
    RETURNS SETOF annotations.inputs
    AS 'MODULE_PATHNAME', 'annotations_post_inputs'
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.post_inputs(text, jsonb) IS
  'Adds 1..128 inputs; each gets its input-level annotation carrying the concepts given with it';

CREATE FUNCTION annotations.delete_inputs(app_id text, ids text[])
    RETURNS bigint
    AS 'MODULE_PATHNAME', 'annotations_delete_inputs'
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.delete_inputs(text, text[]) IS
  'Deletes inputs with all their annotations (owner only); returns how many inputs were deleted';

CREATE FUNCTION annotations.get_input(app_id text, input_id text)
    RETURNS annotations.inputs
    AS 'MODULE_PATHNAME', 'annotations_get_input'
    LANGUAGE C STABLE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.get_input(text, text) IS
  'One input; P0002 when it does not exist';

CREATE FUNCTION annotations.list_inputs(
        app_id text,
        ids text[] DEFAULT NULL,
        per_page integer DEFAULT 20,
        page integer DEFAULT NULL,
        after text DEFAULT NULL)
    RETURNS SETOF annotations.inputs
    AS 'MODULE_PATHNAME', 'annotations_list_inputs'
    LANGUAGE C STABLE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION annotations.list_inputs(text, text[], integer, integer, text) IS
  'Lists inputs oldest first, one page at a time (keyset paging with after => the id of the last input seen)';

CREATE FUNCTION annotations.to_json(input annotations.inputs)
    RETURNS jsonb
    LANGUAGE sql STABLE STRICT
    SET search_path = pg_catalog, pg_temp
AS $$
SELECT pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
           'id', ($1).id,
           'created_at', pg_catalog.to_char(($1).created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
           'modified_at', pg_catalog.to_char(($1).modified_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')))
       || pg_catalog.jsonb_build_object('data', COALESCE(($1).data, '{}'::jsonb))
$$;
COMMENT ON FUNCTION annotations.to_json(annotations.inputs) IS
  'The input in Clarifai REST JSON (an Input message)';
