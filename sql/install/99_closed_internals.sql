
-- Functions whose names start with an underscore are internal: the API
-- calls them in C, or tests call them as a superuser. None may be called by
-- other roles, since none was written to be called with arguments a caller
-- crafted. Runs last, so every internal function of the script is closed.
DO $closed$
DECLARE
    f pg_catalog.regprocedure;
BEGIN
    FOR f IN SELECT p.oid::pg_catalog.regprocedure FROM pg_catalog.pg_proc p
              WHERE p.pronamespace OPERATOR(pg_catalog.=) 'annotations'::pg_catalog.regnamespace
                AND p.proname OPERATOR(pg_catalog.~~) '\_%'
              ORDER BY 1
    LOOP
        EXECUTE pg_catalog.format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
    END LOOP;
END
$closed$;
