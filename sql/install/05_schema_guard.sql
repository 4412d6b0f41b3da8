
-- CREATE EXTENSION installs into schema annotations and creates it when it
-- is missing. A schema that was there before belongs to whoever made it:
-- its owner, or anyone allowed to create objects in it, could later slip in
-- look-alike objects that this extension's functions would run with the
-- caller's rights. So the schema must be new, or empty, owned by the
-- installing role or a superuser, and writable by its owner alone.
DO $guard$
DECLARE
    v_nsp      oid;
    v_owner    oid;
    v_acl      pg_catalog.aclitem[];
    v_problem  text;
BEGIN
    SELECT n.oid, n.nspowner, n.nspacl INTO v_nsp, v_owner, v_acl
      FROM pg_catalog.pg_namespace n WHERE n.nspname OPERATOR(pg_catalog.=) 'annotations';
    IF v_owner OPERATOR(pg_catalog.<>) (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) CURRENT_USER)
       AND NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.oid OPERATOR(pg_catalog.=) v_owner) THEN
        v_problem := pg_catalog.format('it is owned by role "%s"', pg_catalog.pg_get_userbyid(v_owner));
    ELSIF EXISTS (SELECT 1 FROM pg_catalog.aclexplode(v_acl) a
                   WHERE a.privilege_type OPERATOR(pg_catalog.=) 'CREATE'
                     AND a.grantee OPERATOR(pg_catalog.<>) v_owner) THEN
        v_problem := 'roles other than its owner may create objects in it';
    ELSIF EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.relnamespace OPERATOR(pg_catalog.=) v_nsp)
       OR EXISTS (SELECT 1 FROM pg_catalog.pg_proc p WHERE p.pronamespace OPERATOR(pg_catalog.=) v_nsp)
       OR EXISTS (SELECT 1 FROM pg_catalog.pg_type t WHERE t.typnamespace OPERATOR(pg_catalog.=) v_nsp)
       OR EXISTS (SELECT 1 FROM pg_catalog.pg_operator o WHERE o.oprnamespace OPERATOR(pg_catalog.=) v_nsp)
       OR EXISTS (SELECT 1 FROM pg_catalog.pg_opfamily f WHERE f.opfnamespace OPERATOR(pg_catalog.=) v_nsp)
       OR EXISTS (SELECT 1 FROM pg_catalog.pg_collation c WHERE c.collnamespace OPERATOR(pg_catalog.=) v_nsp)
       OR EXISTS (SELECT 1 FROM pg_catalog.pg_conversion c WHERE c.connamespace OPERATOR(pg_catalog.=) v_nsp)
       OR EXISTS (SELECT 1 FROM pg_catalog.pg_ts_config c WHERE c.cfgnamespace OPERATOR(pg_catalog.=) v_nsp)
       OR EXISTS (SELECT 1 FROM pg_catalog.pg_ts_dict d WHERE d.dictnamespace OPERATOR(pg_catalog.=) v_nsp)
       OR EXISTS (SELECT 1 FROM pg_catalog.pg_statistic_ext s WHERE s.stxnamespace OPERATOR(pg_catalog.=) v_nsp) THEN
        v_problem := 'it already holds objects';
    END IF;
    IF v_problem IS NOT NULL THEN
        RAISE EXCEPTION 'schema "annotations" already exists and %', v_problem
            USING ERRCODE = '42P06',
                  DETAIL = 'The extension installs into its own schema and trusts everything in it.',
                  HINT = 'Check what the schema holds, drop or rename it, then run CREATE EXTENSION annotations again.';
    END IF;
END
$guard$;
