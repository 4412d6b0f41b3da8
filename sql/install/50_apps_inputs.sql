-- Apps, collaborators and inputs (SPEC §6, §7).

CREATE FUNCTION annotations.create_app(id text, owner_id text DEFAULT current_user)
    RETURNS annotations.apps
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    v_app   annotations.apps;
    v_count bigint;
BEGIN
    PERFORM annotations._check_id($1, 'id');
    PERFORM annotations._check_id($2, 'owner_id');
    IF $2 <> current_user
       AND NOT COALESCE((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = current_user), false)
       AND NOT (EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = $2)
                AND pg_catalog.pg_has_role(current_user, $2, 'MEMBER')) THEN
        RAISE EXCEPTION 'permission denied to create app "%" for owner "%"', $1, $2
            USING ERRCODE = '42501',
                  DETAIL = 'Only members of a role (or superusers) may create apps owned by it.';
    END IF;
    -- no RETURNING: an app made for another role is not visible to its maker
    INSERT INTO annotations.apps AS a (id, owner_id) VALUES ($1, $2) ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    IF v_count = 0 THEN
        RAISE EXCEPTION 'app "%" already exists', $1 USING ERRCODE = '23505';
    END IF;
    v_app := ROW($1, $2, pg_catalog.now());
    RETURN v_app;
END
$$;
COMMENT ON FUNCTION annotations.create_app(text, text) IS
  'Creates an app owned by owner_id (default: the acting user)';

CREATE FUNCTION annotations.add_collaborator(app_id text, user_id text)
    RETURNS void
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_owner text;
BEGIN
    PERFORM annotations._check_id($2, 'user_id');
    PERFORM annotations._require_owner($1, 'add a collaborator to', 'Only the app owner manages collaborators.');
    SELECT a.owner_id INTO v_owner FROM annotations.apps a WHERE a.id = $1;
    IF v_owner = $2 THEN
        RAISE EXCEPTION 'user "%" owns app "%" and cannot also be a collaborator', $2, $1
            USING ERRCODE = '22023';
    END IF;
    INSERT INTO annotations.collaborators AS c (app_id, user_id, owner_id)
        VALUES ($1, $2, v_owner);
EXCEPTION WHEN unique_violation THEN
    RAISE EXCEPTION 'user "%" is already a collaborator of app "%"', $2, $1 USING ERRCODE = '23505';
END
$$;
COMMENT ON FUNCTION annotations.add_collaborator(text, text) IS
  'Adds a collaborator to an app (owner only)';

CREATE FUNCTION annotations.remove_collaborator(app_id text, user_id text)
    RETURNS void
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM annotations._check_id($2, 'user_id');
    PERFORM annotations._require_owner($1, 'remove a collaborator from', 'Only the app owner manages collaborators.');
    DELETE FROM annotations.collaborators c WHERE c.app_id = $1 AND c.user_id = $2;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'user "%" is not a collaborator of app "%"', $2, $1 USING ERRCODE = 'P0002';
    END IF;
END
$$;
COMMENT ON FUNCTION annotations.remove_collaborator(text, text) IS
  'Removes a collaborator from an app (owner only); they become a stranger to it';

CREATE FUNCTION annotations.post_inputs(app_id text, inputs jsonb)
    RETURNS SETOF annotations.inputs
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_app  text := $1;
    v_reqs annotations._input_request[];
    v_rows annotations.inputs[];
    v_bad  record;
BEGIN
    PERFORM annotations._app_role(v_app);
    v_reqs := ARRAY(SELECT r FROM annotations._parse_inputs($2) r);

    -- Insert what is new; a taken id shows as a missing row and fails the
    -- whole call below (the error rolls back everything written here).
    WITH ins AS (
        INSERT INTO annotations.inputs AS i (app_id, id, data)
        SELECT v_app, r.id, r.data FROM pg_catalog.unnest(v_reqs) r ORDER BY r.ord
        ON CONFLICT DO NOTHING
        RETURNING i.*
    ), lvl AS (
        -- each input gets its input-level annotation, written by the poster
        INSERT INTO annotations.annotations (app_id, id, input_id, user_id, input_level, concepts)
        SELECT v_app, annotations._new_id(), r.id, current_user, true, r.concepts
          FROM pg_catalog.unnest(v_reqs) r JOIN ins ON ins.id = r.id ORDER BY r.ord
    )
    SELECT pg_catalog.array_agg(ins ORDER BY r.ord) INTO v_rows
      FROM ins JOIN pg_catalog.unnest(v_reqs) r ON r.id = ins.id;

    IF COALESCE(pg_catalog.cardinality(v_rows), 0) < pg_catalog.cardinality(v_reqs) THEN
        SELECT r.ord, r.id INTO v_bad FROM pg_catalog.unnest(v_reqs) r
         WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.unnest(v_rows) w WHERE w.id = r.id)
         ORDER BY r.ord LIMIT 1;
        RAISE EXCEPTION 'inputs[%].id: input "%" already exists in app "%"', v_bad.ord, v_bad.id, v_app
            USING ERRCODE = '23505';
    END IF;
    RETURN QUERY SELECT * FROM pg_catalog.unnest(v_rows);
END
$$;
COMMENT ON FUNCTION annotations.post_inputs(text, jsonb) IS
  'Adds 1..128 inputs; each gets its input-level annotation carrying the concepts given with it';

CREATE FUNCTION annotations.delete_inputs(app_id text, ids text[])
    RETURNS bigint
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_missing text;
    v_count   bigint;
BEGIN
    PERFORM annotations._require_owner($1, 'delete inputs of', 'Only the app owner deletes inputs.');
    IF $2 IS NULL OR pg_catalog.cardinality($2) = 0 OR pg_catalog.array_position($2, NULL) IS NOT NULL THEN
        RAISE EXCEPTION 'ids must be a non-empty array of input ids without NULLs' USING ERRCODE = '22023';
    END IF;
    SELECT u.id INTO v_missing FROM pg_catalog.unnest($2) WITH ORDINALITY u(id, n)
     WHERE NOT EXISTS (SELECT 1 FROM annotations.inputs i WHERE i.app_id = $1 AND i.id = u.id)
     ORDER BY u.n LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'input "%" not found in app "%"', v_missing, $1 USING ERRCODE = 'P0002';
    END IF;
    DELETE FROM annotations.inputs i WHERE i.app_id = $1 AND i.id = ANY ($2);
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count;
END
$$;
COMMENT ON FUNCTION annotations.delete_inputs(text, text[]) IS
  'Deletes inputs with all their annotations (owner only); returns how many inputs were deleted';
