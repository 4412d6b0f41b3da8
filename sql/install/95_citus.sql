-- Scaling out on Citus. distribute() turns the store of a database where
-- Citus runs (coordinator with its workers added) into an app-sharded one:
-- every table distributed by app id in one co-location group, and every
-- API function that names an app registered for delegation, so a call is
-- sent whole to the worker that holds the app and runs there as
-- single-shard work. Written in PL/pgSQL because it only orders Citus's
-- own functions, which do not exist where Citus is absent.
CREATE FUNCTION annotations.distribute() RETURNS void
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $distribute$
DECLARE
    t record;
    f record;
    n record;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_extension e WHERE e.extname OPERATOR(pg_catalog.=) 'citus') THEN
        RAISE EXCEPTION 'Citus is not installed in this database'
            USING ERRCODE = '55000',
                  DETAIL = 'annotations.distribute() distributes the store over a Citus cluster.',
                  HINT = 'Load citus (shared_preload_libraries), CREATE EXTENSION citus, add the workers, then call it again.';
    END IF;
    -- the library's planner hook keeps calls with a NULL app id away from
    -- Citus's delegation, which crashes on them: it must run on every node
    FOR n IN SELECT 'this node' AS node, pg_catalog.current_setting('shared_preload_libraries') AS libs
             UNION ALL
             SELECT pg_catalog.format('worker %s:%s', w.nodename, w.nodeport), w.result
               FROM pg_catalog.run_command_on_workers('SHOW shared_preload_libraries') w
    LOOP
        IF NOT 'annotations' OPERATOR(pg_catalog.=) ANY (pg_catalog.string_to_array(
                   pg_catalog.replace(n.libs, ' ', ''), ',')) THEN
            RAISE EXCEPTION 'annotations is not in shared_preload_libraries on %', n.node
                USING ERRCODE = '55000',
                      DETAIL = pg_catalog.format('shared_preload_libraries is ''%s''.', n.libs),
                      HINT = 'Set shared_preload_libraries = ''citus,annotations'' on the coordinator and every worker and restart them.';
        END IF;
    END LOOP;
    -- apps first: the others refer to it and join its co-location group
    FOR t IN SELECT u.tab, u.col, u.n
               FROM ROWS FROM (pg_catalog.unnest(ARRAY['apps', 'collaborators', 'inputs', 'annotations', 'regions', 'concepts']),
                               pg_catalog.unnest(ARRAY['id', 'app_id', 'app_id', 'app_id', 'app_id', 'app_id']))
                    WITH ORDINALITY AS u(tab, col, n)
              ORDER BY u.n
    LOOP
        CONTINUE WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_dist_partition p
                               WHERE p.logicalrelid OPERATOR(pg_catalog.=)
                                     pg_catalog.format('annotations.%I', t.tab)::pg_catalog.regclass);
        PERFORM pg_catalog.create_distributed_table(pg_catalog.format('annotations.%I', t.tab)::pg_catalog.regclass,
                                                    t.col,
                                                    colocate_with => CASE WHEN t.tab OPERATOR(pg_catalog.=) 'apps'
                                                                          THEN 'none' ELSE 'annotations.apps' END);
    END LOOP;
    -- every API function whose first argument is the app: delegated to the
    -- app's worker, inside transactions too
    FOR f IN SELECT p.oid::pg_catalog.regprocedure AS fn, p.proargnames[1] AS arg
               FROM pg_catalog.pg_proc p
              WHERE p.pronamespace OPERATOR(pg_catalog.=) 'annotations'::pg_catalog.regnamespace
                AND p.proname OPERATOR(pg_catalog.!~~) '\_%'
                AND p.pronargs OPERATOR(pg_catalog.>) 0
                AND p.proargtypes[0] OPERATOR(pg_catalog.=) 'pg_catalog.text'::pg_catalog.regtype
                AND (p.proargnames[1] OPERATOR(pg_catalog.=) 'app_id'
                     OR p.oid OPERATOR(pg_catalog.=) 'annotations.create_app(text, text)'::pg_catalog.regprocedure)
              ORDER BY 1
    LOOP
        PERFORM pg_catalog.create_distributed_function(f.fn, f.arg,
                                                       colocate_with => 'annotations.apps',
                                                       force_delegation => true);
    END LOOP;
END
$distribute$;
COMMENT ON FUNCTION annotations.distribute() IS
  'Distributes the store by app over a Citus cluster and registers the API functions for delegation to the app''s worker; idempotent';
REVOKE EXECUTE ON FUNCTION annotations.distribute() FROM PUBLIC;
