-- Describes everything the annotations extension puts in a database, one
-- line per fact, without OIDs, so two databases can be compared with diff:
-- every member object (functions with their full definitions, types, enum
-- labels, operators, operator classes and families, casts, tables with
-- columns, defaults, constraints, indexes, policies, triggers, views,
-- sequences, event triggers), every grant and initial privilege, every
-- comment, and what pg_dump keeps (config_dump registrations).
\pset format unaligned
\pset tuples_only on
\pset footer off
WITH ext AS (
    SELECT e.oid, e.extconfig, e.extcondition FROM pg_catalog.pg_extension e WHERE e.extname = 'annotations'
), member AS (
    SELECT d.classid, d.objid, d.objsubid
      FROM pg_catalog.pg_depend d, ext
     WHERE d.refclassid = 'pg_catalog.pg_extension'::regclass AND d.refobjid = ext.oid AND d.deptype = 'e'
), named AS (
    SELECT m.*, i.type AS kind, i.identity
      FROM member m, LATERAL pg_catalog.pg_identify_object(m.classid, m.objid, m.objsubid) i
), facts(line) AS (
    -- every member, by kind and name
    SELECT 'member|' || n.kind || '|' || n.identity FROM named n
    -- functions: the whole definition (body, volatility, strictness, security, settings, cost)
    UNION ALL
    SELECT 'function|' || n.identity || '|' ||
           CASE WHEN p.prokind = 'a' THEN 'aggregate' ELSE pg_catalog.pg_get_functiondef(p.oid) END
      FROM named n JOIN pg_catalog.pg_proc p ON n.classid = 'pg_catalog.pg_proc'::regclass AND p.oid = n.objid
    UNION ALL
    SELECT 'function-acl|' || n.identity || '|' || COALESCE(p.proacl::text, 'default')
      FROM named n JOIN pg_catalog.pg_proc p ON n.classid = 'pg_catalog.pg_proc'::regclass AND p.oid = n.objid
    -- types
    UNION ALL
    SELECT 'type|' || n.identity || '|' || pg_catalog.concat_ws(',', t.typtype, t.typlen, t.typbyval, t.typalign,
           t.typstorage, t.typcategory, t.typispreferred, t.typinput::text, t.typoutput::text, t.typreceive::text,
           t.typsend::text, t.typmodin::text, t.typmodout::text, t.typanalyze::text, t.typsubscript::text,
           t.typdefault, pg_catalog.format_type(t.typbasetype, t.typtypmod), t.typnotnull,
           COALESCE(t.typacl::text, 'default'))
      FROM named n JOIN pg_catalog.pg_type t ON n.classid = 'pg_catalog.pg_type'::regclass AND t.oid = n.objid
    UNION ALL
    SELECT 'enum|' || n.identity || '|' || e.enumsortorder || '|' || e.enumlabel
      FROM named n JOIN pg_catalog.pg_enum e ON n.classid = 'pg_catalog.pg_type'::regclass AND e.enumtypid = n.objid
    UNION ALL
    SELECT 'domain-check|' || n.identity || '|' || c.conname || '|' || pg_catalog.pg_get_constraintdef(c.oid)
      FROM named n JOIN pg_catalog.pg_constraint c ON n.classid = 'pg_catalog.pg_type'::regclass AND c.contypid = n.objid
    -- operators
    UNION ALL
    SELECT 'operator|' || n.identity || '|' || pg_catalog.concat_ws(',', o.oprkind, o.oprcanmerge, o.oprcanhash,
           o.oprresult::regtype, o.oprcom::regoperator, o.oprnegate::regoperator, o.oprcode::text,
           o.oprrest::text, o.oprjoin::text)
      FROM named n JOIN pg_catalog.pg_operator o ON n.classid = 'pg_catalog.pg_operator'::regclass AND o.oid = n.objid
    -- operator classes and families with their members
    UNION ALL
    SELECT 'opclass|' || n.identity || '|' || pg_catalog.concat_ws(',', c.opcdefault, c.opcintype::regtype,
           c.opckeytype::regtype, f.opfname)
      FROM named n JOIN pg_catalog.pg_opclass c ON n.classid = 'pg_catalog.pg_opclass'::regclass AND c.oid = n.objid
      JOIN pg_catalog.pg_opfamily f ON f.oid = c.opcfamily
    UNION ALL
    SELECT 'opfamily-op|' || n.identity || '|' || pg_catalog.concat_ws(',', a.amopstrategy, a.amoplefttype::regtype,
           a.amoprighttype::regtype, a.amopopr::regoperator, a.amoppurpose, a.amopsortfamily)
      FROM named n JOIN pg_catalog.pg_amop a ON n.classid = 'pg_catalog.pg_opfamily'::regclass AND a.amopfamily = n.objid
    UNION ALL
    SELECT 'opfamily-proc|' || n.identity || '|' || pg_catalog.concat_ws(',', a.amprocnum, a.amproclefttype::regtype,
           a.amprocrighttype::regtype, a.amproc::regprocedure)
      FROM named n JOIN pg_catalog.pg_amproc a ON n.classid = 'pg_catalog.pg_opfamily'::regclass AND a.amprocfamily = n.objid
    -- casts
    UNION ALL
    SELECT 'cast|' || n.identity || '|' || pg_catalog.concat_ws(',', c.castfunc::regprocedure, c.castcontext, c.castmethod)
      FROM named n JOIN pg_catalog.pg_cast c ON n.classid = 'pg_catalog.pg_cast'::regclass AND c.oid = n.objid
    -- relations: kind, options, row security, grants, view definitions
    UNION ALL
    SELECT 'relation|' || n.identity || '|' || pg_catalog.concat_ws(',', c.relkind, c.relpersistence,
           c.relrowsecurity, c.relforcerowsecurity, COALESCE(c.reloptions::text, 'no options'),
           COALESCE(c.relacl::text, 'default'), c.relreplident)
      FROM named n JOIN pg_catalog.pg_class c ON n.classid = 'pg_catalog.pg_class'::regclass AND c.oid = n.objid
    UNION ALL
    SELECT 'view|' || n.identity || '|' || pg_catalog.pg_get_viewdef(c.oid)
      FROM named n JOIN pg_catalog.pg_class c ON n.classid = 'pg_catalog.pg_class'::regclass AND c.oid = n.objid
     WHERE c.relkind IN ('v', 'm')
    UNION ALL
    SELECT 'column|' || n.identity || '|' || a.attnum || '|' || pg_catalog.concat_ws(',', a.attname,
           pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attgenerated, a.attidentity,
           a.attstorage, COALESCE(a.attcollation::regcollation::text, '-'), COALESCE(a.attacl::text, 'default'),
           COALESCE(pg_catalog.pg_get_expr(d.adbin, d.adrelid), 'no default'),
           COALESCE(pg_catalog.col_description(c.oid, a.attnum), 'no comment'))
      FROM named n JOIN pg_catalog.pg_class c ON n.classid = 'pg_catalog.pg_class'::regclass AND c.oid = n.objid
      JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
    UNION ALL
    SELECT 'constraint|' || n.identity || '|' || k.conname || '|' || pg_catalog.pg_get_constraintdef(k.oid)
           || '|' || COALESCE(pg_catalog.obj_description(k.oid, 'pg_constraint'), 'no comment')
      FROM named n JOIN pg_catalog.pg_constraint k ON n.classid = 'pg_catalog.pg_class'::regclass AND k.conrelid = n.objid
    UNION ALL
    SELECT 'index|' || n.identity || '|' || pg_catalog.pg_get_indexdef(x.indexrelid)
           || '|' || COALESCE(pg_catalog.obj_description(x.indexrelid, 'pg_class'), 'no comment')
      FROM named n JOIN pg_catalog.pg_index x ON n.classid = 'pg_catalog.pg_class'::regclass AND x.indrelid = n.objid
    UNION ALL
    SELECT 'policy|' || n.identity || '|' || pg_catalog.concat_ws('|', p.polname, p.polcmd, p.polpermissive,
           (SELECT pg_catalog.string_agg(CASE WHEN r = 0 THEN 'public' ELSE pg_catalog.pg_get_userbyid(r) END, ',' ORDER BY 1)
              FROM pg_catalog.unnest(p.polroles) r),
           COALESCE(pg_catalog.pg_get_expr(p.polqual, p.polrelid), 'no using'),
           COALESCE(pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid), 'no check'))
      FROM named n JOIN pg_catalog.pg_policy p ON n.classid = 'pg_catalog.pg_class'::regclass AND p.polrelid = n.objid
    UNION ALL
    SELECT 'trigger|' || n.identity || '|' || pg_catalog.pg_get_triggerdef(t.oid)
      FROM named n JOIN pg_catalog.pg_trigger t ON n.classid = 'pg_catalog.pg_class'::regclass AND t.tgrelid = n.objid
     WHERE NOT t.tgisinternal
    UNION ALL
    SELECT 'sequence|' || n.identity || '|' || pg_catalog.concat_ws(',', s.seqtypid::regtype, s.seqstart,
           s.seqincrement, s.seqmax, s.seqmin, s.seqcache, s.seqcycle)
      FROM named n JOIN pg_catalog.pg_sequence s ON n.classid = 'pg_catalog.pg_class'::regclass AND s.seqrelid = n.objid
    -- event triggers
    UNION ALL
    SELECT 'event-trigger|' || n.identity || '|' || pg_catalog.concat_ws(',', t.evtevent, t.evtfoid::regprocedure,
           t.evtenabled, t.evttags::text)
      FROM named n JOIN pg_catalog.pg_event_trigger t ON n.classid = 'pg_catalog.pg_event_trigger'::regclass AND t.oid = n.objid
    -- comments on every member
    UNION ALL
    SELECT 'comment|' || n.identity || '|' || COALESCE(pg_catalog.obj_description(n.objid, c.relname), 'no comment')
      FROM named n JOIN pg_catalog.pg_class c ON c.oid = n.classid
     WHERE n.objsubid = 0
    -- what pg_dump keeps and which privileges it treats as the extension's own
    UNION ALL
    SELECT 'config-dump|' || c.relid::regclass::text || '|' || COALESCE(c.cond, '')
      FROM ext, LATERAL ROWS FROM (pg_catalog.unnest(ext.extconfig), pg_catalog.unnest(ext.extcondition)) c(relid, cond)
    UNION ALL
    SELECT 'init-privs|' || i.type || '|' || i.identity || '|' || ip.privtype::text || '|' || ip.initprivs::text
      FROM pg_catalog.pg_init_privs ip
      JOIN member m ON m.classid = ip.classoid AND m.objid = ip.objoid
      , LATERAL pg_catalog.pg_identify_object(ip.classoid, ip.objoid, ip.objsubid) i
    -- the schema itself: owner aside, who may use it
    UNION ALL
    SELECT 'schema|annotations|' || COALESCE(n.nspacl::text, 'default')
      FROM pg_catalog.pg_namespace n WHERE n.nspname = 'annotations'
)
SELECT line FROM facts ORDER BY line COLLATE "C";
