-- A hostile search_path cannot hijack the extension (in the spirit of
-- contrib/seg's sql/security.sql). An attacker creates schema "evil" with
-- look-alikes of the built-ins the extension uses — functions, aggregates
-- and operators, each of which records that it was called (in a table and
-- in a sequence, which no rollback undoes) and some of which also lie. A
-- victim puts evil first on its search_path, ahead of pg_catalog, and runs
-- every API function; nothing may call a look-alike. The victim is an
-- ordinary app owner, then a collaborator and a stranger (refusals), then a
-- superuser, whose rights a hijack would steal. The catalog checks at the
-- end keep it so for functions added later.
BEGIN;
SET LOCAL client_min_messages = warning;
SET LOCAL search_path = public, pg_catalog;
SELECT plan(27);

CREATE ROLE regress_sec_attacker;
CREATE ROLE regress_sec_owner;
CREATE ROLE regress_sec_collab;
CREATE ROLE regress_sec_stranger;
SELECT current_database() AS datname \gset
GRANT CREATE ON DATABASE :"datname" TO regress_sec_attacker;

---------------------------------------------------------------------------
-- The attacker's schema
---------------------------------------------------------------------------
SET ROLE regress_sec_attacker;
CREATE SCHEMA evil;
GRANT USAGE ON SCHEMA evil TO PUBLIC;
CREATE TABLE evil.calls (n bigint, fn text, by_role text);
GRANT SELECT, INSERT ON evil.calls TO PUBLIC;
CREATE SEQUENCE evil.calls_seq;
GRANT USAGE ON SEQUENCE evil.calls_seq TO PUBLIC;

CREATE FUNCTION evil.spy(fn text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO evil.calls VALUES (pg_catalog.nextval('evil.calls_seq'), fn, CURRENT_USER);
END $$;

-- functions named like the built-ins the extension calls
CREATE FUNCTION evil.jsonb_array_length(jsonb) RETURNS integer LANGUAGE plpgsql AS
  $$BEGIN PERFORM evil.spy('jsonb_array_length'); RETURN 0; END$$;
CREATE FUNCTION evil.jsonb_array_elements(jsonb) RETURNS SETOF jsonb LANGUAGE plpgsql AS
  $$BEGIN PERFORM evil.spy('jsonb_array_elements'); RETURN QUERY SELECT * FROM pg_catalog.jsonb_array_elements($1); END$$;
CREATE FUNCTION evil.jsonb_typeof(jsonb) RETURNS text LANGUAGE plpgsql AS
  $$BEGIN PERFORM evil.spy('jsonb_typeof'); RETURN pg_catalog.jsonb_typeof($1); END$$;
CREATE FUNCTION evil.jsonb_build_object(text, jsonb) RETURNS jsonb LANGUAGE plpgsql AS
  $$BEGIN PERFORM evil.spy('jsonb_build_object(text,jsonb)'); RETURN '{"hijacked": true}'; END$$;
CREATE FUNCTION evil.jsonb_build_object(text, text) RETURNS jsonb LANGUAGE plpgsql AS
  $$BEGIN PERFORM evil.spy('jsonb_build_object(text,text)'); RETURN '{"hijacked": true}'; END$$;
CREATE FUNCTION evil.jsonb_build_array(jsonb) RETURNS jsonb LANGUAGE plpgsql AS
  $$BEGIN PERFORM evil.spy('jsonb_build_array'); RETURN pg_catalog.jsonb_build_array($1); END$$;
CREATE FUNCTION evil.jsonb_strip_nulls(jsonb) RETURNS jsonb LANGUAGE plpgsql AS
  $$BEGIN PERFORM evil.spy('jsonb_strip_nulls'); RETURN pg_catalog.jsonb_strip_nulls($1); END$$;
CREATE FUNCTION evil.lower(text) RETURNS text LANGUAGE plpgsql AS
  $$BEGIN PERFORM evil.spy('lower'); RETURN pg_catalog.lower($1); END$$;
CREATE FUNCTION evil.array_position(anycompatiblearray, anycompatible) RETURNS integer LANGUAGE plpgsql AS
  $$BEGIN PERFORM evil.spy('array_position'); RETURN NULL; END$$;
CREATE FUNCTION evil.cardinality(anyarray) RETURNS integer LANGUAGE plpgsql AS
  $$BEGIN PERFORM evil.spy('cardinality'); RETURN 0; END$$;
CREATE FUNCTION evil.unnest(anyarray) RETURNS SETOF anyelement LANGUAGE plpgsql AS
  $$BEGIN PERFORM evil.spy('unnest'); RETURN QUERY SELECT * FROM pg_catalog.unnest($1); END$$;
CREATE FUNCTION evil.array_to_string(anyarray, text) RETURNS text LANGUAGE plpgsql AS
  $$BEGIN PERFORM evil.spy('array_to_string'); RETURN pg_catalog.array_to_string($1, $2); END$$;
CREATE FUNCTION evil.format(text) RETURNS text LANGUAGE plpgsql AS
  $$BEGIN PERFORM evil.spy('format(text)'); RETURN pg_catalog.format($1); END$$;
CREATE FUNCTION evil.format(text, VARIADIC text[]) RETURNS text LANGUAGE plpgsql AS
  $$BEGIN PERFORM evil.spy('format(text,text[])'); RETURN pg_catalog.format($1, VARIADIC $2); END$$;
CREATE FUNCTION evil.now() RETURNS timestamptz LANGUAGE plpgsql AS
  $$BEGIN PERFORM evil.spy('now'); RETURN '1999-12-31 23:59:59+00'; END$$;
CREATE FUNCTION evil.to_char(timestamp, text) RETURNS text LANGUAGE plpgsql AS
  $$BEGIN PERFORM evil.spy('to_char'); RETURN pg_catalog.to_char($1, $2); END$$;
CREATE FUNCTION evil.nextval(regclass) RETURNS bigint LANGUAGE plpgsql AS
  $$BEGIN PERFORM evil.spy('nextval'); RETURN 1; END$$;
CREATE FUNCTION evil.pg_has_role(name, text, text) RETURNS boolean LANGUAGE plpgsql AS
  $$BEGIN PERFORM evil.spy('pg_has_role(name,text,text)'); RETURN true; END$$;
CREATE FUNCTION evil.pg_has_role(name, oid, text) RETURNS boolean LANGUAGE plpgsql AS
  $$BEGIN PERFORM evil.spy('pg_has_role(name,oid,text)'); RETURN true; END$$;
-- ... and like the extension's own functions, for any unqualified call
CREATE FUNCTION evil._app_role(text) RETURNS text LANGUAGE plpgsql AS
  $$BEGIN PERFORM evil.spy('_app_role'); RETURN 'owner'; END$$;
CREATE FUNCTION evil._check_id(text, text) RETURNS void LANGUAGE plpgsql AS
  $$BEGIN PERFORM evil.spy('_check_id'); END$$;
CREATE FUNCTION evil.status_code(annotations.status) RETURNS integer LANGUAGE plpgsql AS
  $$BEGIN PERFORM evil.spy('status_code'); RETURN 0; END$$;

-- aggregates
CREATE FUNCTION evil.count_step(bigint) RETURNS bigint LANGUAGE plpgsql AS
  $$BEGIN PERFORM evil.spy('count'); RETURN $1 OPERATOR(pg_catalog.+) 1; END$$;
CREATE AGGREGATE evil.count(*) (SFUNC = evil.count_step, STYPE = bigint, INITCOND = '0');
CREATE FUNCTION evil.array_agg_step(anyarray, anynonarray) RETURNS anyarray LANGUAGE plpgsql AS
  $$BEGIN PERFORM evil.spy('array_agg'); RETURN pg_catalog.array_append($1, $2); END$$;
CREATE AGGREGATE evil.array_agg(anynonarray) (SFUNC = evil.array_agg_step, STYPE = anyarray);
CREATE FUNCTION evil.string_agg_step(text, text, text) RETURNS text LANGUAGE plpgsql AS
  $$BEGIN PERFORM evil.spy('string_agg'); RETURN pg_catalog.concat($1, $3, $2); END$$;
CREATE AGGREGATE evil.string_agg(text, text) (SFUNC = evil.string_agg_step, STYPE = text);

-- operators: = that says yes to everything, and spies on the rest
CREATE FUNCTION evil.eq_text(text, text) RETURNS boolean LANGUAGE plpgsql AS
  $$BEGIN PERFORM evil.spy('=(text,text)'); RETURN true; END$$;
CREATE OPERATOR evil.= (LEFTARG = text, RIGHTARG = text, FUNCTION = evil.eq_text);
CREATE FUNCTION evil.eq_text_name(text, name) RETURNS boolean LANGUAGE plpgsql AS
  $$BEGIN PERFORM evil.spy('=(text,name)'); RETURN true; END$$;
CREATE OPERATOR evil.= (LEFTARG = text, RIGHTARG = name, FUNCTION = evil.eq_text_name);
CREATE FUNCTION evil.ne_text(text, text) RETURNS boolean LANGUAGE plpgsql AS
  $$BEGIN PERFORM evil.spy('<>(text,text)'); RETURN false; END$$;
CREATE OPERATOR evil.<> (LEFTARG = text, RIGHTARG = text, FUNCTION = evil.ne_text);
CREATE FUNCTION evil.cat_text(text, text) RETURNS text LANGUAGE plpgsql AS
  $$BEGIN PERFORM evil.spy('||(text,text)'); RETURN pg_catalog.textcat($1, $2); END$$;
CREATE OPERATOR evil.|| (LEFTARG = text, RIGHTARG = text, FUNCTION = evil.cat_text);
CREATE FUNCTION evil.get_text(jsonb, text) RETURNS text LANGUAGE plpgsql AS
  $$BEGIN PERFORM evil.spy('->>(jsonb,text)'); RETURN pg_catalog.jsonb_object_field_text($1, $2); END$$;
CREATE OPERATOR evil.->> (LEFTARG = jsonb, RIGHTARG = text, FUNCTION = evil.get_text);
CREATE FUNCTION evil.lt_int(integer, integer) RETURNS boolean LANGUAGE plpgsql AS
  $$BEGIN PERFORM evil.spy('<(int,int)'); RETURN false; END$$;
CREATE OPERATOR evil.< (LEFTARG = integer, RIGHTARG = integer, FUNCTION = evil.lt_int);
CREATE FUNCTION evil.eq_int(integer, integer) RETURNS boolean LANGUAGE plpgsql AS
  $$BEGIN PERFORM evil.spy('=(int,int)'); RETURN true; END$$;
CREATE OPERATOR evil.= (LEFTARG = integer, RIGHTARG = integer, FUNCTION = evil.eq_int);
RESET ROLE;

SELECT is((SELECT count(*) FROM pg_proc WHERE pronamespace = 'evil'::regnamespace AND proname NOT LIKE '%\_step' AND proname <> 'spy'
            AND proname NOT IN ('eq_text', 'eq_text_name', 'ne_text', 'cat_text', 'get_text', 'lt_int', 'eq_int')),
          25::bigint, 'the attacker made 25 look-alike functions and aggregates');
SELECT is((SELECT count(*) FROM pg_operator WHERE oprnamespace = 'evil'::regnamespace), 7::bigint,
          'and 7 look-alike operators');

---------------------------------------------------------------------------
-- Helpers. Their bodies are parsed under the hostile search_path, so they
-- qualify everything themselves: a look-alike they called would be blamed
-- on the extension.
---------------------------------------------------------------------------

-- calls every look-alike the unqualified way (the positive control)
CREATE FUNCTION pg_temp.naive() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    x text;
BEGIN
    SELECT jsonb_array_length('[1]') || lower('X') || array_position(ARRAY[1], 1) || cardinality(ARRAY[1])
           || (SELECT count(*) FROM unnest(ARRAY[1])) || format('x') || format('%s', 'a'::text) || ('a'::text || 'b'::text) || now()::date
           || jsonb_build_object('a', '{}'::jsonb) || jsonb_build_object('a', 'b'::text)
           || jsonb_build_array('{}'::jsonb) || jsonb_strip_nulls('{}') || jsonb_typeof('{}')
           || (SELECT count(*) FROM jsonb_array_elements('[1]')) || to_char(now()::timestamp, 'YYYY')
           || array_to_string(ARRAY[1], ',') || nextval('evil.calls_seq') || pg_has_role(current_user, 'public'::text, 'MEMBER')
           || pg_has_role(current_user, 0::oid, 'MEMBER') || _app_role('x') || status_code('success')
           || (SELECT array_agg(1)::text || string_agg('a', ',') FROM (SELECT 1) s)
           || ('a'::text = 'b'::text) || ('a'::text = current_user) || ('a'::text <> 'b'::text)
           || ('{}'::jsonb ->> 'a') || (1 < 2) || (1 = 2)
      INTO x;
    PERFORM _check_id('x', 'y');
END $$;

-- an ordinary owner's session: every API function, results as (step, result)
CREATE FUNCTION pg_temp.workload(app text, OUT step text, OUT result text) RETURNS SETOF record LANGUAGE plpgsql AS $$
DECLARE
    last_seq bigint;
BEGIN
    step := 'create_app';
    result := (annotations.create_app(app)).created_at OPERATOR(pg_catalog.=) pg_catalog.now();
    RETURN NEXT;
    step := 'add_collaborator';
    PERFORM annotations.add_collaborator(app, 'regress_sec_collab');
    result := 'ok';
    RETURN NEXT;
    step := 'post_inputs';
    result := (SELECT pg_catalog.string_agg(i.id, ',' ORDER BY i.id COLLATE "C") FROM annotations.post_inputs(app, '[
        {"id": "img", "data": {"image": {"url": "https://x/img.jpg", "image_info": {"width": 640, "height": 480}},
                               "concepts": [{"id": "outdoor"}]}},
        {"id": "vid", "data": {"video": {"url": "https://x/v.mp4"}}}]') i);
    RETURN NEXT;
    step := 'post_annotations';
    result := (SELECT pg_catalog.string_agg(pg_catalog.concat(a.id, ':', a.user_id, a.model_version_id, ':', a.bbox), ','
                                            ORDER BY a.seq)
                 FROM annotations.post_annotations(app, '[
        {"id": "det", "input_id": "img", "model_version_id": "detector", "data": {"regions": [{"id": "r1",
            "region_info": {"bounding_box": {"top_row": 0.1, "left_col": 0.2, "bottom_row": 0.5, "right_col": 0.6}},
            "data": {"concepts": [{"id": "dog", "value": 0.9}]}}]}},
        {"id": "frm", "input_id": "vid", "status": {"code": "ANNOTATION_PENDING"}, "task_id": "t1",
         "data": {"frames": [{"frame_info": {"index": 3, "time": 120}, "data": {"concepts": [{"id": "cat", "value": 0}]}}]}},
        {"id": "for-collab", "input_id": "img", "user_id": "regress_sec_collab", "data": {"concepts": [{"id": "tree"}]}},
        {"id": "gone", "input_id": "img", "data": {"concepts": [{"id": "tmp"}]}}]') a);
    RETURN NEXT;
    step := 'post_annotations labeling a region by id';
    result := (SELECT pg_catalog.concat(a.id, ':', a.user_id, ':', a.bbox, ':', a.region_concepts)
                 FROM annotations.post_annotations(app, '[
        {"id": "lab", "input_id": "img", "data": {"regions": [{"id": "r1", "data": {"concepts": [{"id": "dog"}]}}]}}]') a);
    RETURN NEXT;
    step := 'get_annotation + to_json';
    result := (annotations.to_json(annotations.get_annotation(app, 'vid', 'frm'))
               OPERATOR(pg_catalog.-) 'created_at'::text OPERATOR(pg_catalog.-) 'modified_at'::text)::text;
    RETURN NEXT;
    step := 'to_json created_at';
    result := (SELECT annotations.to_json(a) OPERATOR(pg_catalog.->>) 'created_at'
                 FROM annotations.get_annotation(app, 'img', 'lab') a)
              OPERATOR(pg_catalog.=) pg_catalog.to_char(pg_catalog.now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
    RETURN NEXT;
    step := 'list_annotations';
    result := (SELECT pg_catalog.string_agg(CASE WHEN a.input_level THEN 'img-level' ELSE a.id END, ',' ORDER BY a.seq) FROM annotations.list_annotations(app) a);
    RETURN NEXT;
    step := 'list_annotations all, by input';
    result := (SELECT pg_catalog.string_agg(CASE WHEN a.input_level THEN 'img-level' ELSE a.id END, ',' ORDER BY a.seq)
                 FROM annotations.list_annotations(app, input_ids => ARRAY['img'], list_all_annotations => true) a);
    RETURN NEXT;
    step := 'list_annotations by worker';
    result := (SELECT pg_catalog.string_agg(CASE WHEN a.input_level THEN 'img-level' ELSE a.id END, ',' ORDER BY a.seq)
                 FROM annotations.list_annotations(app, user_ids => ARRAY['regress_sec_collab'], model_version_ids => ARRAY['detector']) a);
    RETURN NEXT;
    step := 'list_annotations by status and task';
    result := (SELECT pg_catalog.string_agg(CASE WHEN a.input_level THEN 'img-level' ELSE a.id END, ',' ORDER BY a.seq)
                 FROM annotations.list_annotations(app, statuses => ARRAY['pending']::annotations.status[], task_id => 't1') a);
    RETURN NEXT;
    step := 'list_annotations by ids';
    result := (SELECT pg_catalog.string_agg(CASE WHEN a.input_level THEN 'img-level' ELSE a.id END, ',' ORDER BY a.seq)
                 FROM annotations.list_annotations(app, ids => ARRAY['frm', 'det'], input_ids => ARRAY['vid', 'img']) a);
    RETURN NEXT;
    step := 'list_annotations paged';
    last_seq := (SELECT a.seq FROM annotations.list_annotations(app, per_page => 1) a);
    result := pg_catalog.concat(
        (SELECT pg_catalog.string_agg(CASE WHEN a.input_level THEN 'img-level' ELSE a.id END, ',' ORDER BY a.seq) FROM annotations.list_annotations(app, per_page => 2, after => last_seq) a),
        ' / ',
        (SELECT pg_catalog.string_agg(CASE WHEN a.input_level THEN 'img-level' ELSE a.id END, ',' ORDER BY a.seq) FROM annotations.list_annotations(app, per_page => 2, page => 2) a));
    RETURN NEXT;
    step := 'count_annotations';
    result := pg_catalog.concat(annotations.count_annotations(app), ' ',
                                annotations.count_annotations(app, list_all_annotations => true), ' ',
                                annotations.count_annotations(app, input_ids => ARRAY['img', 'vid']));
    RETURN NEXT;
    step := 'patch_annotations merge';
    result := (SELECT pg_catalog.concat(p.concepts, ' ', p.region_concepts, ' ', p.annotation_info)
                 FROM annotations.patch_annotations(app, 'merge', '[{"id": "lab", "annotation_info": {"k": 1},
                      "data": {"concepts": [{"id": "grass"}], "regions": [{"id": "r1", "data": {"concepts": [{"id": "puppy"}]}}]}}]') p);
    RETURN NEXT;
    step := 'patch_annotations overwrite';
    result := (SELECT pg_catalog.concat(p.concepts, ' ', p.frame_index)
                 FROM annotations.patch_annotations(app, 'overwrite', '[{"id": "frm", "data": {"concepts": [{"id": "bird"}]}}]') p);
    RETURN NEXT;
    step := 'patch_annotations remove';
    result := (SELECT pg_catalog.count(*) FROM annotations.patch_annotations(app, 'remove',
                    '[{"id": "gone", "data": {"concepts": [{"id": "tmp"}]}}]', delete_if_empty_data => true));
    RETURN NEXT;
    step := 'patch_annotations remove emptied it: deleted';
    result := NOT EXISTS (SELECT FROM annotations.visible_annotations a WHERE a.app_id OPERATOR(pg_catalog.=) app
                                                                  AND a.id OPERATOR(pg_catalog.=) 'gone');
    RETURN NEXT;
    step := 'concept_labels';
    result := (SELECT pg_catalog.string_agg(l.label, ',' ORDER BY l.label COLLATE "C")
                 FROM (SELECT pg_catalog.concat(pg_catalog.regexp_replace(c.annotation_id, '^[0-9a-f]{32}$', 'img-level'),
                                                '/', c.region_id, '/', c.concept_id, '=', c.value) AS label
                         FROM annotations.concept_labels c WHERE c.app_id OPERATOR(pg_catalog.=) app) l);
    RETURN NEXT;
    step := 'delete_annotation';
    PERFORM annotations.delete_annotation(app, 'img', 'det');
    result := 'ok';
    RETURN NEXT;
    step := 'delete_annotations by ids';
    result := annotations.delete_annotations(app, ARRAY['img'], ARRAY['lab']);
    RETURN NEXT;
    step := 'delete_annotations by input';
    result := annotations.delete_annotations(app, ARRAY['img', 'vid']);
    RETURN NEXT;
    step := 'remove_collaborator';
    PERFORM annotations.remove_collaborator(app, 'regress_sec_collab');
    result := 'ok';
    RETURN NEXT;
    step := 'import_coco';
    result := (SELECT pg_catalog.concat(c.inputs_created, ' ', c.inputs_existing, ' ', c.annotations_created, ' ', c.annotations_existing)
                 FROM annotations.import_coco(app, '{"images": [{"id": 1, "file_name": "coco.jpg", "width": 100, "height": 50}],
                          "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "bbox": [10, 5, 20, 10]}],
                          "categories": [{"id": 1, "name": "ball"}]}') c);
    RETURN NEXT;
    step := 'export_coco';
    result := (SELECT pg_catalog.concat(d OPERATOR(pg_catalog.->) 'images', ' ', d OPERATOR(pg_catalog.->) 'categories', ' ',
                                        (d OPERATOR(pg_catalog.->) 'annotations' OPERATOR(pg_catalog.->) 0) OPERATOR(pg_catalog.->) 'bbox')
                 FROM annotations.export_coco(app) d);
    RETURN NEXT;
    step := 'delete_inputs';
    result := annotations.delete_inputs(app, ARRAY['img', 'vid', 'coco.jpg']);
    RETURN NEXT;
END $$;

-- runs q; 'ok' or the error as 'SQLSTATE: message'
CREATE FUNCTION pg_temp.try(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE q;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    RETURN pg_catalog.concat(SQLSTATE, ': ', SQLERRM);
END $$;

CREATE TEMP TABLE out_owner (n serial, step text, result text);
CREATE TEMP TABLE out_super (n serial, step text, result text);
CREATE TEMP TABLE out_other (n serial, who text, result text);
GRANT ALL ON out_owner, out_super, out_other TO PUBLIC;
GRANT ALL ON SEQUENCE out_owner_n_seq, out_super_n_seq, out_other_n_seq TO PUBLIC;

---------------------------------------------------------------------------
-- The control: unqualified calls do reach the look-alikes
---------------------------------------------------------------------------
SET ROLE regress_sec_owner;
SET search_path = evil, pg_catalog, public;
DO $$BEGIN PERFORM pg_temp.naive(); END$$;
SET search_path = public, pg_catalog;
RESET ROLE;
SELECT is((SELECT count(DISTINCT fn) FROM evil.calls), 32::bigint,
          'control: unqualified calls under the hostile search_path reach every one of the 32 look-alikes');
SELECT pg_catalog.nextval('evil.calls_seq') AS calls_before \gset
SELECT ok(:calls_before > 32, 'control: the call counter counts them');

---------------------------------------------------------------------------
-- The victims
---------------------------------------------------------------------------
SET ROLE regress_sec_owner;
SET search_path = evil, pg_catalog, public;
INSERT INTO pg_temp.out_owner (step, result)
SELECT w.step, pg_catalog.replace(w.result, CURRENT_USER::text, '<me>') FROM pg_temp.workload('sec-owned') w;
SET search_path = public, pg_catalog;

-- the collaborator and a stranger meet refusals through the same path
SET ROLE regress_sec_owner;
SELECT lives_ok($$SELECT annotations.create_app('sec-shared')$$, 'setup: an app to share');
SELECT lives_ok($$SELECT annotations.add_collaborator('sec-shared', 'regress_sec_collab')$$, 'setup: shared with the collaborator');
SELECT lives_ok($$SELECT annotations.post_inputs('sec-shared', '[{"id": "img", "data": {"image": {"url": "u"}}}]')$$,
                'setup: an input');
SELECT lives_ok($$SELECT annotations.post_annotations('sec-shared', '[{"id": "own", "input_id": "img"}]')$$,
                'setup: the owner''s annotation');
-- one statement per call: run outside a transaction block (as on a Citus
-- cluster) each call is a transaction of its own, since Citus refuses a
-- transaction in which an app's shard is reached as two users (a delegated
-- call reaches it as the caller, one made from PL/pgSQL as the store's owner)
SET ROLE regress_sec_collab;
SET search_path = evil, pg_catalog, public;
INSERT INTO pg_temp.out_other (who, result) VALUES ('collab', pg_temp.try($$SELECT annotations.post_annotations('sec-shared', '[{"id": "mine", "input_id": "img", "data": {"concepts": [{"id": "a"}]}}]')$$));
INSERT INTO pg_temp.out_other (who, result) VALUES ('collab', pg_temp.try($$SELECT annotations.patch_annotations('sec-shared', 'merge', '[{"id": "mine", "data": {"concepts": [{"id": "b"}]}}]')$$));
INSERT INTO pg_temp.out_other (who, result) VALUES ('collab', pg_temp.try($$SELECT annotations.post_annotations('sec-shared', '[{"input_id": "img", "user_id": "regress_sec_owner"}]')$$));
INSERT INTO pg_temp.out_other (who, result) VALUES ('collab', pg_temp.try($$SELECT annotations.patch_annotations('sec-shared', 'merge', '[{"id": "own", "data": {"concepts": [{"id": "x"}]}}]')$$));
INSERT INTO pg_temp.out_other (who, result) VALUES ('collab', pg_temp.try($$SELECT annotations.delete_annotation('sec-shared', 'img', 'own')$$));
INSERT INTO pg_temp.out_other (who, result) VALUES ('collab', pg_temp.try($$SELECT annotations.delete_annotations('sec-shared', ARRAY['img'], ARRAY['own'])$$));
INSERT INTO pg_temp.out_other (who, result) VALUES ('collab', pg_temp.try($$SELECT annotations.delete_inputs('sec-shared', ARRAY['img'])$$));
INSERT INTO pg_temp.out_other (who, result) VALUES ('collab', pg_temp.try($$SELECT annotations.add_collaborator('sec-shared', 'regress_sec_stranger')$$));
INSERT INTO pg_temp.out_other (who, result) VALUES ('collab', pg_temp.try($$SELECT annotations.create_app('sec-stolen', 'regress_sec_owner')$$));
INSERT INTO pg_temp.out_other (who, result) VALUES ('collab', pg_temp.try($$INSERT INTO annotations.annotations (app_id, id, input_id, user_id) VALUES ('sec-shared', 'x', 'img', 'regress_sec_owner')$$));
INSERT INTO pg_temp.out_other (who, result) VALUES ('collab', pg_temp.try($$SELECT annotations.delete_annotations('sec-shared', ARRAY['img'])$$));
SET ROLE regress_sec_stranger;
INSERT INTO pg_temp.out_other (who, result) VALUES ('stranger', pg_temp.try($$SELECT annotations.get_annotation('sec-shared', 'img', 'own')$$));
INSERT INTO pg_temp.out_other (who, result) VALUES ('stranger', pg_temp.try($$SELECT annotations.list_annotations('sec-shared')$$));
INSERT INTO pg_temp.out_other (who, result) VALUES ('stranger', pg_temp.try($$SELECT annotations.count_annotations('sec-shared')$$));
INSERT INTO pg_temp.out_other (who, result) VALUES ('stranger', pg_temp.try($$SELECT annotations.post_inputs('sec-shared', '[{"id": "x", "data": {"text": {"raw": "x"}}}]')$$));
INSERT INTO pg_temp.out_other (who, result) VALUES ('stranger', pg_temp.try($$SELECT annotations.remove_collaborator('sec-shared', 'regress_sec_collab')$$));
INSERT INTO pg_temp.out_other (who, result) VALUES ('stranger', pg_temp.try($$SELECT annotations.get_annotation('sec-shared', 'img', NULL)$$));
INSERT INTO pg_temp.out_other (who, result) VALUES ('stranger', pg_temp.try($$SELECT annotations.export_coco('sec-shared')$$));
INSERT INTO pg_temp.out_other (who, result) VALUES ('stranger', pg_temp.try($$SELECT annotations.import_coco('sec-shared', '{"images": [], "annotations": [], "categories": []}')$$));
INSERT INTO pg_temp.out_other (who, result) VALUES ('stranger', pg_temp.try($$SELECT pg_catalog.count(*) FROM annotations.concept_labels$$));
SET search_path = public, pg_catalog;

-- a superuser, whose rights a hijack would be worth most
RESET ROLE;
SET search_path = evil, pg_catalog, public;
INSERT INTO pg_temp.out_super (step, result)
SELECT w.step, pg_catalog.replace(w.result, CURRENT_USER::text, '<me>') FROM pg_temp.workload('sec-super') w;
SET search_path = public, pg_catalog;

---------------------------------------------------------------------------
-- Nothing reached a look-alike, and everything worked
---------------------------------------------------------------------------
SELECT is(pg_catalog.nextval('evil.calls_seq'), (:calls_before + 1)::bigint,
          'no look-alike was called by any API function, by any victim (the sequence survives rollbacks)');
SELECT is((SELECT count(*) FROM evil.calls WHERE n > :calls_before), 0::bigint, 'no call was recorded either');
SELECT results_eq($$SELECT step, result FROM out_owner ORDER BY n$$, $$VALUES
    ('create_app', 'true'),
    ('add_collaborator', 'ok'),
    ('post_inputs', 'img,vid'),
    ('post_annotations', 'det:detector:(0.1,0.2,0.5,0.6),frm:<me>:,for-collab:regress_sec_collab:,gone:<me>:'),
    ('post_annotations labeling a region by id', 'lab:<me>:(0.1,0.2,0.5,0.6):[{"id": "dog", "value": 1}]'),
    ('get_annotation + to_json', '{"id": "frm", "data": {"frames": [{"data": {"concepts": [{"id": "cat", "value": 0}]}, "frame_info": {"time": 120, "index": 3}}]}, "status": {"code": 24151, "description": "Annotation pending"}, "worker": {"user": {"id": "<me>"}}, "task_id": "t1", "user_id": "<me>", "input_id": "vid", "input_level": false, "annotation_info": {}}'),
    ('to_json created_at', 'true'),
    ('list_annotations', 'img-level,frm,for-collab,gone,lab'),
    ('list_annotations all, by input', 'img-level,det,for-collab,gone,lab'),
    ('list_annotations by worker', 'det,for-collab'),
    ('list_annotations by status and task', 'frm'),
    ('list_annotations by ids', 'det,frm'),
    ('list_annotations paged', 'frm,for-collab / for-collab,gone'),
    ('count_annotations', '5 6 5'),
    ('patch_annotations merge', '[{"id": "grass", "value": 1}] [{"id": "dog", "value": 1}, {"id": "puppy", "value": 1}] {"k": 1}'),
    ('patch_annotations overwrite', '[{"id": "bird", "value": 1}] '),
    ('patch_annotations remove', '0'),
    ('patch_annotations remove emptied it: deleted', 'true'),
    ('concept_labels', 'det/r1/dog=0.9,for-collab//tree=1,frm//bird=1,img-level//outdoor=1,lab//grass=1,lab/r1/dog=1,lab/r1/puppy=1'),
    ('delete_annotation', 'ok'),
    ('delete_annotations by ids', '1'),
    ('delete_annotations by input', '2'),
    ('remove_collaborator', 'ok'),
    ('import_coco', '1 0 1 0'),
    ('export_coco', '[{"id": 1, "width": 100, "height": 50, "file_name": "coco.jpg"}, {"id": 2, "width": 640, "height": 480, "file_name": "img.jpg"}] [{"id": 1, "name": "outdoor"}, {"id": 2, "name": "dog"}, {"id": 3, "name": "cat"}, {"id": 4, "name": "tree"}, {"id": 5, "name": "tmp"}, {"id": 6, "name": "grass"}, {"id": 7, "name": "puppy"}, {"id": 8, "name": "bird"}, {"id": 9, "name": "ball"}] [10, 5, 20, 10]'),
    ('delete_inputs', '3')$$,
    'an owner with evil first on search_path: every API function gives the right answer');
SELECT results_eq($$SELECT step, result FROM out_super ORDER BY n$$, $$SELECT step, result FROM out_owner ORDER BY n$$,
    'a superuser with evil first on search_path: the same answers');
SELECT results_eq($$SELECT who, result FROM out_other ORDER BY n$$, $$VALUES
    ('collab', 'ok'),
    ('collab', 'ok'),
    ('collab', '42501: annotations[0]: only the owner of app "sec-shared" may post annotations written by another user ("regress_sec_owner")'),
    ('collab', '42501: annotations[0]: permission denied to patch annotation "own" of user "regress_sec_owner"'),
    ('collab', '42501: permission denied to delete annotation "own" of app "sec-shared"'),
    ('collab', '42501: ids[0]: permission denied to delete annotation "own" of app "sec-shared"'),
    ('collab', '42501: permission denied to delete inputs of app "sec-shared"'),
    ('collab', '42501: permission denied to add a collaborator to app "sec-shared"'),
    ('collab', '42501: permission denied to create app "sec-stolen" for owner "regress_sec_owner"'),
    ('collab', '42501: permission denied for table annotations'),
    ('collab', 'ok'),
    ('stranger', 'P0002: app "sec-shared" not found'),
    ('stranger', 'P0002: app "sec-shared" not found'),
    ('stranger', 'P0002: app "sec-shared" not found'),
    ('stranger', 'P0002: app "sec-shared" not found'),
    ('stranger', 'P0002: app "sec-shared" not found'),
    ('stranger', 'P0002: app "sec-shared" not found'),
    ('stranger', 'P0002: app "sec-shared" not found'),
    ('stranger', 'P0002: app "sec-shared" not found'),
    ('stranger', 'ok')$$,
    'a collaborator and a stranger with evil first on search_path: the same refusals, word for word');
SET ROLE regress_sec_owner;
SELECT results_eq($$SELECT id, user_id FROM annotations.visible_annotations WHERE app_id = 'sec-shared' AND NOT input_level ORDER BY seq$$,
    $$VALUES ('own', 'regress_sec_owner')$$,
    'the collaborator''s bulk delete took only their own annotation; the owner''s is intact');
RESET ROLE;

---------------------------------------------------------------------------
-- The catalog keeps it so
---------------------------------------------------------------------------
CREATE TEMP VIEW ext_functions AS
SELECT p.oid, p.oid::regprocedure::text AS sig, l.lanname, p.prosecdef, p.proconfig
  FROM pg_proc p
  JOIN pg_language l ON l.oid = p.prolang
  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'annotations';

SELECT ok((SELECT count(*) FROM ext_functions WHERE lanname IN ('plpgsql', 'c')) >= 40
          AND (SELECT count(*) FROM ext_functions
                WHERE sig IN ('annotations.post_annotations(text,jsonb)', 'annotations.create_app(text,text)',
                              'annotations.to_json(annotations.annotation)')) = 3,
          'the catalog query finds the extension''s functions, the API among them');
SELECT is_empty($$SELECT sig FROM ext_functions
                   WHERE prosecdef AND NOT coalesce(proconfig::text[] && ARRAY['search_path=pg_catalog, pg_temp'], false)$$,
    'no extension function is SECURITY DEFINER without search_path pinned to pg_catalog, pg_temp');
SELECT is_empty($$SELECT sig FROM ext_functions WHERE prosecdef$$,
    'no extension function is SECURITY DEFINER: each API function captures the caller itself before it uses the store owner''s rights');
SELECT is_empty($$SELECT sig FROM ext_functions
                   WHERE lanname NOT IN ('c', 'internal')
                     AND NOT coalesce(proconfig::text[] && ARRAY['search_path=pg_catalog, pg_temp'], false)$$,
    'every PL/pgSQL or SQL function of the extension has search_path = pg_catalog, pg_temp in proconfig');
SELECT is_empty($$SELECT c.relname FROM pg_class c
                   JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
                   JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'annotations'
                  WHERE c.relkind = 'r' AND NOT c.relrowsecurity$$,
    'row-level security is on for every table of the extension');
SELECT is_empty($$SELECT c.relname FROM pg_class c
                   JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
                   JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'annotations'
                  WHERE c.relkind = 'v' AND NOT coalesce(c.reloptions && ARRAY['security_invoker=true'], false)$$,
    'every view of the extension is security_invoker (else it would read as its owner, past row-level security)');
SELECT ok(NOT has_schema_privilege('regress_sec_attacker', 'annotations', 'CREATE'),
    'nobody but its owner creates objects in schema annotations');
SELECT is_empty($$SELECT c.relname FROM pg_class c
                   JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
                   JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'annotations'
                  WHERE c.relkind = 'r' AND (has_table_privilege('regress_sec_attacker', c.oid, 'TRUNCATE')
                                             OR has_table_privilege('regress_sec_attacker', c.oid, 'TRIGGER')
                                             OR has_table_privilege('regress_sec_attacker', c.oid, 'REFERENCES'))$$,
    'no role may TRUNCATE (which row-level security does not filter), add triggers to, or reference the tables');
SELECT is_empty($$SELECT p.sig FROM ext_functions p
                  WHERE NOT has_function_privilege('regress_sec_attacker', p.oid, 'EXECUTE')
                    AND p.sig LIKE 'annotations.%' AND p.sig NOT LIKE 'annotations.\_%'
                    AND p.sig <> 'annotations.distribute()'$$,
    'every API function is callable by any role (the rows decide, not the grants)');
SELECT ok(NOT has_function_privilege('regress_sec_attacker', 'annotations.distribute()', 'EXECUTE'),
    'distribute(), which reshapes the whole store, is for its owner alone');

SELECT is_empty($$SELECT p.sig FROM ext_functions p
                  WHERE has_function_privilege('regress_sec_attacker', p.oid, 'EXECUTE')
                    AND p.sig LIKE 'annotations.\_%'$$,
    'no internal (underscore) function of the extension is executable by other roles');
SELECT is_empty($$SELECT c.relname FROM pg_class c
                   JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
                   JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'annotations'
                  WHERE c.relkind IN ('r', 'S')
                    AND (has_table_privilege('regress_sec_attacker', c.oid, 'SELECT')
                         OR has_table_privilege('regress_sec_attacker', c.oid, 'INSERT')
                         OR has_table_privilege('regress_sec_attacker', c.oid, 'UPDATE')
                         OR has_table_privilege('regress_sec_attacker', c.oid, 'DELETE'))$$,
    'no other role may read or write the tables or the sequence: the API is the only way in');
SELECT is_empty($$SELECT pol.polname FROM pg_policy pol
                   JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = pol.polrelid AND d.deptype = 'e'
                   JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'annotations'$$,
    'no row-level security policy is needed (or left)');

SELECT * FROM finish();
ROLLBACK;
