-- Internal C functions used by the API functions (not for direct use).

CREATE FUNCTION annotations._parse_annotations(batch jsonb, patch boolean)
    RETURNS SETOF annotations._request
    AS 'MODULE_PATHNAME', 'annotations_parse_annotations'
    LANGUAGE C VOLATILE PARALLEL SAFE;
COMMENT ON FUNCTION annotations._parse_annotations(jsonb, boolean) IS
  'Internal: validates a batch of 1..128 Clarifai annotations and returns one row per item';

CREATE FUNCTION annotations._parse_inputs(batch jsonb)
    RETURNS SETOF annotations._input_request
    AS 'MODULE_PATHNAME', 'annotations_parse_inputs'
    LANGUAGE C VOLATILE PARALLEL SAFE;
COMMENT ON FUNCTION annotations._parse_inputs(jsonb) IS
  'Internal: validates a batch of 1..128 Clarifai inputs and returns one row per item';

CREATE FUNCTION annotations._check_id(id text, what text) RETURNS void
    AS 'MODULE_PATHNAME', 'annotations_check_id'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION annotations._check_id(text, text) IS
  'Internal: raises 22023 unless id is 1 to 255 characters without control characters';

-- The acting user's standing in an app: 'owner' or 'collaborator'. An app
-- the user may not see does not exist to them: P0002, as for a missing one.
CREATE FUNCTION annotations._app_role(app_id text) RETURNS text
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_owner text;
BEGIN
    PERFORM annotations._check_id($1, 'app_id');
    SELECT a.owner_id INTO v_owner FROM annotations.apps a WHERE a.id = $1;
    IF FOUND THEN
        IF v_owner = current_user
           OR (SELECT r.rolsuper OR r.rolbypassrls FROM pg_catalog.pg_roles r
               WHERE r.rolname = current_user) THEN
            RETURN 'owner';
        END IF;
        IF EXISTS (SELECT 1 FROM annotations.collaborators c
                   WHERE c.app_id = $1 AND c.user_id = current_user) THEN
            RETURN 'collaborator';
        END IF;
    END IF;
    RAISE EXCEPTION 'app "%" not found', $1
        USING ERRCODE = 'P0002',
              HINT = 'An app exists only for its owner and its collaborators.';
END
$$;
COMMENT ON FUNCTION annotations._app_role(text) IS
  'Internal: ''owner'' or ''collaborator'' for the acting user, P0002 when the app is not visible';

