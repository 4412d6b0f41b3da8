-- Who may do what, proved with real non-superuser roles: through the API
-- functions (exact SQLSTATE and message), through the visible_* views that
-- are the way to read with plain SQL, and against the tables themselves,
-- which no role but the store's owner may read or write: a rule the
-- functions keep but the tables do not would be no rule at all.
--
-- Cast: an owner, two collaborators, a stranger, a group role, a BYPASSRLS
-- role and a gateway login that acts for end users with SET ROLE. Everything
-- is rolled back at the end, roles included.
BEGIN;
SET LOCAL client_min_messages = warning;
SET LOCAL search_path = annotations, public;
SELECT plan(138);

CREATE ROLE regress_perm_owner;
CREATE ROLE regress_perm_c1;
CREATE ROLE regress_perm_c2;
CREATE ROLE regress_perm_stranger;
CREATE ROLE regress_perm_team;                  -- a group; c1 is a member
CREATE ROLE regress_perm_bypass BYPASSRLS;
CREATE ROLE regress_perm_gateway LOGIN NOINHERIT;
GRANT regress_perm_team TO regress_perm_c1;
GRANT regress_perm_c1, regress_perm_c2 TO regress_perm_gateway;

-- the annotations of app perm the acting user sees, as "id:author"
CREATE FUNCTION pg_temp.seen() RETURNS text[] LANGUAGE sql AS $$
SELECT coalesce(array_agg(a.id || ':' || coalesce(a.user_id, a.model_version_id) ORDER BY a.id COLLATE "C"), '{}')
  FROM annotations.visible_annotations a WHERE a.app_id = 'perm' AND NOT a.input_level
$$;

---------------------------------------------------------------------------
-- Fixture, built through the API by the roles themselves
---------------------------------------------------------------------------
SET ROLE regress_perm_owner;
SELECT is((create_app('perm')).owner_id, 'regress_perm_owner', 'the acting user owns the app it creates');
SELECT lives_ok($$SELECT add_collaborator('perm', 'regress_perm_c1')$$, 'owner adds collaborator c1');
SELECT lives_ok($$SELECT add_collaborator('perm', 'regress_perm_c2')$$, 'owner adds collaborator c2');
SELECT results_eq(
    $$SELECT id FROM post_inputs('perm', '[{"id": "in-o", "data": {"image": {"url": "https://x/o.jpg"}}},
                                          {"id": "in-bulk", "data": {"image": {"url": "https://x/b.jpg"}}}]')$$,
    ARRAY['in-o', 'in-bulk'], 'owner posts inputs');
SELECT results_eq(
    $$SELECT id, user_id, model_version_id FROM post_annotations('perm', '[
        {"id": "o-1", "input_id": "in-o", "data": {"regions": [{"id": "r-o",
           "region_info": {"bounding_box": {"top_row": 0.1, "left_col": 0.1, "bottom_row": 0.5, "right_col": 0.5}}}]}},
        {"id": "m-1", "input_id": "in-o", "model_version_id": "mv-1", "data": {"regions": [{"id": "det-1",
           "region_info": {"bounding_box": {"top_row": 0.2, "left_col": 0.2, "bottom_row": 0.6, "right_col": 0.6}},
           "data": {"concepts": [{"id": "dog", "value": 0.9}]}}]}},
        {"id": "m-2", "input_id": "in-o", "model_version_id": "mv-1", "data": {"concepts": [{"id": "cat", "value": 0.4}]}},
        {"id": "o-for-c2", "input_id": "in-o", "user_id": "regress_perm_c2", "data": {"concepts": [{"id": "tree"}]}}]')$$,
    $$VALUES ('o-1', 'regress_perm_owner', NULL::text), ('m-1', NULL, 'mv-1'),
             ('m-2', NULL, 'mv-1'), ('o-for-c2', 'regress_perm_c2', NULL)$$,
    'the owner posts as themselves, as a model and for another user');

---------------------------------------------------------------------------
-- 2. Posting: the acting user is the author
---------------------------------------------------------------------------
SET ROLE regress_perm_c1;
SELECT results_eq(
    $$SELECT id FROM post_inputs('perm', '[{"id": "in-c1", "data": {"text": {"raw": "hello"}}}]')$$,
    ARRAY['in-c1'], 'a collaborator posts inputs');
SELECT is((SELECT user_id FROM annotations.visible_annotations WHERE app_id = 'perm' AND input_id = 'in-c1' AND input_level),
          'regress_perm_c1', 'the input-level annotation is written by the collaborator who posted the input');
SELECT results_eq(
    $$SELECT id, user_id FROM post_annotations('perm', '[
        {"id": "c1-1", "input_id": "in-o", "data": {"regions": [{"id": "r-c1",
           "region_info": {"bounding_box": {"top_row": 0, "left_col": 0, "bottom_row": 0.3, "right_col": 0.3}}}]}},
        {"id": "c1-2", "input_id": "in-c1", "user_id": "regress_perm_c1", "data": {"concepts": [{"id": "greeting"}]}},
        {"id": "c1-3", "input_id": "in-o", "data": {"regions": [{"id": "det-1", "data": {"concepts": [{"id": "dog"}]}}]}}]')$$,
    $$VALUES ('c1-1', 'regress_perm_c1'), ('c1-2', 'regress_perm_c1'), ('c1-3', 'regress_perm_c1')$$,
    'a collaborator posts as themselves (user_id absent or their own), regions included');
SELECT is((get_annotation('perm', 'in-o', 'c1-3')).bbox::text, '(0.2,0.2,0.6,0.6)',
          'a collaborator labels the region a model found');
SELECT throws_ok(
    $$SELECT post_annotations('perm', '[{"input_id": "in-o", "user_id": "regress_perm_c2"}]')$$,
    '42501', 'annotations[0]: only the owner of app "perm" may post annotations written by another user ("regress_perm_c2")',
    'a collaborator cannot post in another user''s name');
SELECT throws_ok(
    $$SELECT post_annotations('perm', '[{"input_id": "in-o"}, {"input_id": "in-o", "model_version_id": "mv-9"}]')$$,
    '42501', 'annotations[1]: only the owner of app "perm" may post annotations written by model version "mv-9"',
    'a collaborator cannot post as a model');
SELECT throws_ok(
    $$SELECT post_annotations('perm', '[{"input_id": "in-o", "trusted": true}]')$$,
    '42501', 'annotations[0].trusted: only the owner of app "perm" may mark annotations trusted',
    'a collaborator cannot mark a label trusted');
SELECT throws_ok(
    $$SELECT post_inputs('perm', '[{"id": "in-dated", "created_at": "2019-03-04T05:06:07Z", "data": {"text": {"raw": "x"}}}]')$$,
    '42501', 'inputs[0].created_at: only the owner of app "perm" may post inputs with their own dates',
    'a collaborator cannot date an input');
SELECT is(pg_temp.seen(), ARRAY['c1-1:regress_perm_c1', 'c1-2:regress_perm_c1', 'c1-3:regress_perm_c1',
                                'm-1:mv-1', 'm-2:mv-1', 'o-1:regress_perm_owner', 'o-for-c2:regress_perm_c2'],
          'refused posts wrote nothing; a collaborator sees every annotation of the app');
SET ROLE regress_perm_c2;
SELECT results_eq(
    $$SELECT id, user_id FROM post_annotations('perm', '[{"id": "c2-1", "input_id": "in-o", "data": {"concepts": [{"id": "sky"}]}}]')$$,
    $$VALUES ('c2-1', 'regress_perm_c2')$$, 'the second collaborator posts');

---------------------------------------------------------------------------
-- 1. Only members see anything; to a stranger the app does not exist
---------------------------------------------------------------------------
SET ROLE regress_perm_stranger;
SELECT is((create_app('strange')).id, 'strange', 'the stranger has an app of their own');
SELECT throws_ok($$SELECT get_annotation('perm', 'in-o', 'o-1')$$, 'P0002', 'app "perm" not found',
                 'stranger: get_annotation');
SELECT throws_ok($$SELECT list_annotations('perm')$$, 'P0002', 'app "perm" not found', 'stranger: list_annotations');
SELECT throws_ok($$SELECT count_annotations('perm')$$, 'P0002', 'app "perm" not found', 'stranger: count_annotations');
SELECT throws_ok($$SELECT post_inputs('perm', '[{"id": "x", "data": {"text": {"raw": "x"}}}]')$$,
                 'P0002', 'app "perm" not found', 'stranger: post_inputs');
SELECT throws_ok($$SELECT post_annotations('perm', '[{"input_id": "in-o"}]')$$,
                 'P0002', 'app "perm" not found', 'stranger: post_annotations');
SELECT throws_ok($$SELECT patch_annotations('perm', 'merge', '[{"id": "o-1", "data": {"concepts": [{"id": "x"}]}}]')$$,
                 'P0002', 'app "perm" not found', 'stranger: patch_annotations');
SELECT throws_ok($$SELECT delete_annotation('perm', 'in-o', 'o-1')$$, 'P0002', 'app "perm" not found',
                 'stranger: delete_annotation');
SELECT throws_ok($$SELECT delete_annotations('perm', ARRAY['in-o'])$$, 'P0002', 'app "perm" not found',
                 'stranger: delete_annotations');
SELECT throws_ok($$SELECT delete_inputs('perm', ARRAY['in-o'])$$, 'P0002', 'app "perm" not found',
                 'stranger: delete_inputs');
SELECT throws_ok($$SELECT add_collaborator('perm', 'regress_perm_stranger')$$, 'P0002', 'app "perm" not found',
                 'stranger: add_collaborator');
SELECT throws_ok($$SELECT remove_collaborator('perm', 'regress_perm_c1')$$, 'P0002', 'app "perm" not found',
                 'stranger: remove_collaborator');
SELECT throws_ok($$SELECT export_coco('perm')$$, 'P0002', 'app "perm" not found', 'stranger: export_coco');
SELECT throws_ok($$SELECT import_coco('perm', '{"images": [], "annotations": [], "categories": []}')$$,
                 'P0002', 'app "perm" not found', 'stranger: import_coco');
SELECT throws_ok($$SELECT get_annotation('no-such-app', 'in-o', 'o-1')$$, 'P0002', 'app "no-such-app" not found',
                 'an invisible app and a missing app give the same answer');
SELECT is_empty($$SELECT * FROM annotations.visible_apps WHERE id = 'perm'$$, 'stranger: no row of apps');
SELECT is_empty($$SELECT * FROM annotations.visible_collaborators WHERE app_id = 'perm'$$, 'stranger: no row of collaborators');
SELECT is_empty($$SELECT * FROM annotations.visible_inputs WHERE app_id = 'perm'$$, 'stranger: no row of inputs');
SELECT is_empty($$SELECT * FROM annotations.visible_annotations WHERE app_id = 'perm'$$, 'stranger: no row of annotations');
SELECT is_empty($$SELECT * FROM annotations.visible_regions WHERE app_id = 'perm'$$, 'stranger: no row of regions');
SELECT is_empty($$SELECT * FROM annotations.concept_labels WHERE app_id = 'perm'$$, 'stranger: no row of concept_labels');
SELECT results_eq($$SELECT id FROM annotations.visible_apps$$, ARRAY['strange'], 'stranger: sees only their own app');

SET ROLE regress_perm_c1;
SELECT is(count_annotations('perm', list_all_annotations => true), 8::bigint, 'a collaborator counts every annotation');
SELECT is((SELECT count(*) FROM annotations.visible_inputs WHERE app_id = 'perm'), 3::bigint, 'a collaborator sees every input');
SELECT is((SELECT count(*) FROM annotations.visible_regions WHERE app_id = 'perm'), 4::bigint, 'a collaborator sees every region');
SELECT ok((SELECT count(*) FROM annotations.concept_labels WHERE app_id = 'perm') > 0, 'a collaborator reads concept_labels');
SELECT results_eq($$SELECT user_id FROM annotations.visible_collaborators$$, ARRAY['regress_perm_c1'::text],
                  'a collaborator sees their own membership only');
SELECT is_empty($$SELECT * FROM annotations.visible_apps WHERE id = 'strange'$$, 'a collaborator does not see other apps');

---------------------------------------------------------------------------
-- 3. Patching and deleting annotations
---------------------------------------------------------------------------
SET ROLE regress_perm_c1;
SELECT is((SELECT concepts FROM patch_annotations('perm', 'merge', '[{"id": "c1-1", "data": {"concepts": [{"id": "mine"}]}}]')),
          '[{"id": "mine", "value": 1}]'::jsonb, 'a collaborator patches their own annotation');
SELECT throws_ok($$SELECT patch_annotations('perm', 'merge', '[{"id": "c1-1", "trusted": true}]')$$,
    '42501', 'annotations[0].trusted: only the owner of app "perm" may mark annotations trusted',
    'a collaborator cannot trust even their own annotation');
SELECT throws_ok($$SELECT patch_annotations('perm', 'remove', '[{"id": "c1-1", "trusted": true}]')$$,
    '42501', 'annotations[0].trusted: only the owner of app "perm" may mark annotations trusted',
    'a collaborator cannot take the trusted mark away either');
SELECT throws_ok($$SELECT patch_annotations('perm', 'merge', '[{"id": "c2-1", "data": {"concepts": [{"id": "x"}]}}]')$$,
    '42501', 'annotations[0]: permission denied to patch annotation "c2-1" of user "regress_perm_c2"',
    'a collaborator cannot patch another collaborator''s annotation');
SELECT throws_ok($$SELECT patch_annotations('perm', 'remove', '[{"id": "c1-1", "data": {"concepts": [{"id": "mine"}]}},
                                                               {"id": "o-1", "data": {"regions": [{"id": "r-o"}]}}]')$$,
    '42501', 'annotations[1]: permission denied to patch annotation "o-1" of user "regress_perm_owner"',
    'a collaborator cannot patch the owner''s annotation, and the batch fails whole');
SELECT is((SELECT concepts FROM annotations.visible_annotations WHERE app_id = 'perm' AND id = 'c1-1'),
          '[{"id": "mine", "value": 1}]'::jsonb, 'the refused batch changed nothing');
SELECT throws_ok($$SELECT patch_annotations('perm', 'merge', '[{"id": "m-1", "data": {"concepts": [{"id": "x"}]}}]')$$,
    '42501', 'annotations[0]: annotation "m-1" was written by model "mv-1" and cannot be patched',
    'a collaborator cannot patch a model-written annotation');
SELECT throws_ok($$SELECT delete_annotation('perm', 'in-o', 'c2-1')$$,
    '42501', 'permission denied to delete annotation "c2-1" of app "perm"',
    'a collaborator cannot delete another collaborator''s annotation');
SELECT throws_ok($$SELECT delete_annotation('perm', 'in-o', 'm-2')$$,
    '42501', 'permission denied to delete annotation "m-2" of app "perm"',
    'a collaborator cannot delete a model-written annotation');
SELECT lives_ok($$SELECT delete_annotation('perm', 'in-c1', 'c1-2')$$, 'a collaborator deletes their own annotation');

SET ROLE regress_perm_owner;
SELECT is((SELECT region_concepts FROM patch_annotations('perm', 'merge',
              '[{"id": "c1-1", "data": {"regions": [{"id": "r-c1", "data": {"concepts": [{"id": "checked"}]}}]}}]')),
          '[{"id": "checked", "value": 1}]'::jsonb, 'the owner patches a collaborator''s annotation and its region');
SELECT is((SELECT concepts FROM patch_annotations('perm', 'overwrite', '[{"id": "o-for-c2", "data": {"concepts": [{"id": "oak"}]}}]')),
          '[{"id": "oak", "value": 1}]'::jsonb, 'the owner patches an annotation written for another user');
SELECT throws_ok($$SELECT patch_annotations('perm', 'merge', '[{"id": "m-1", "status": {"code": "ANNOTATION_PENDING"}}]')$$,
    '42501', 'annotations[0]: annotation "m-1" was written by model "mv-1" and cannot be patched',
    'not even the owner patches a model-written annotation');
SELECT lives_ok($$SELECT delete_annotation('perm', 'in-o', 'm-2')$$, 'the owner deletes a model-written annotation');

SET ROLE regress_perm_c2;
SELECT throws_ok($$SELECT patch_annotations('perm', 'merge', '[{"id": "o-1", "data": {"concepts": [{"id": "x"}]}}]')$$,
    '42501', 'annotations[0]: permission denied to patch annotation "o-1" of user "regress_perm_owner"',
    'c2 cannot patch the owner''s annotation');
SELECT is((SELECT concepts FROM patch_annotations('perm', 'merge', '[{"id": "o-for-c2", "data": {"concepts": [{"id": "elm"}]}}]')),
          '[{"id": "oak", "value": 1}, {"id": "elm", "value": 1}]'::jsonb,
          'c2 patches the annotation the owner wrote in their name: it is theirs');
SELECT throws_ok($$SELECT delete_annotation('perm', 'in-o', 'c1-1')$$,
    '42501', 'permission denied to delete annotation "c1-1" of app "perm"', 'c2 cannot delete c1''s annotation');

---------------------------------------------------------------------------
-- 4. Bulk delete removes only what the acting user may delete
---------------------------------------------------------------------------
SET ROLE regress_perm_owner;
SELECT is((SELECT count(*) FROM post_annotations('perm', '[
        {"id": "b-o1", "input_id": "in-bulk"}, {"id": "b-o2", "input_id": "in-bulk"},
        {"id": "b-m1", "input_id": "in-bulk", "model_version_id": "mv-1"}]')), 3::bigint,
    'bulk fixture: two owner annotations and a model one');
SET ROLE regress_perm_c2;
SELECT is((SELECT count(*) FROM post_annotations('perm', '[{"id": "b-c2", "input_id": "in-bulk"}]')), 1::bigint,
    'bulk fixture: one c2 annotation');
SET ROLE regress_perm_c1;
SELECT is((SELECT count(*) FROM post_annotations('perm', '[{"id": "b-c1a", "input_id": "in-bulk"},
                                                           {"id": "b-c1b", "input_id": "in-bulk"}]')), 2::bigint,
    'bulk fixture: two c1 annotations');
SELECT throws_ok($$SELECT delete_annotations('perm', ARRAY['in-bulk', 'in-bulk'], ARRAY['b-c1a', 'b-c2'])$$,
    '42501', 'ids[1]: permission denied to delete annotation "b-c2" of app "perm"',
    'naming an annotation one may not delete refuses the whole call');
SELECT is((SELECT count(*) FROM annotations.visible_annotations WHERE app_id = 'perm' AND input_id = 'in-bulk'), 7::bigint,
    '... and deletes nothing (6 annotations and the input-level one remain)');
SELECT is(delete_annotations('perm', ARRAY['in-bulk']), 2::bigint,
    'a collaborator''s bulk delete by input removes only their own two');
SELECT results_eq($$SELECT id FROM annotations.visible_annotations WHERE app_id = 'perm' AND input_id = 'in-bulk' AND NOT input_level ORDER BY id COLLATE "C"$$,
    ARRAY['b-c2', 'b-m1', 'b-o1', 'b-o2'], '... leaving the owner''s, c2''s and the model''s');
SET ROLE regress_perm_owner;
SELECT is(delete_annotations('perm', ARRAY['in-bulk']), 4::bigint,
    'the owner''s bulk delete removes every annotation but the input-level one');
SELECT is((SELECT count(*) FROM annotations.visible_annotations WHERE app_id = 'perm' AND input_id = 'in-bulk' AND input_level), 1::bigint,
    '... which stays with its input');

---------------------------------------------------------------------------
-- 5. Inputs and collaborators are the owner's
---------------------------------------------------------------------------
SET ROLE regress_perm_c1;
SELECT throws_ok($$SELECT delete_inputs('perm', ARRAY['in-c1'])$$, '42501',
    'permission denied to delete inputs of app "perm"', 'a collaborator cannot delete inputs, not even their own');
SELECT throws_ok($$SELECT add_collaborator('perm', 'regress_perm_stranger')$$, '42501',
    'permission denied to add a collaborator to app "perm"', 'a collaborator cannot add collaborators');
SELECT throws_ok($$SELECT remove_collaborator('perm', 'regress_perm_c2')$$, '42501',
    'permission denied to remove a collaborator from app "perm"', 'a collaborator cannot remove collaborators');
SET ROLE regress_perm_owner;
SELECT is(delete_inputs('perm', ARRAY['in-c1']), 1::bigint, 'the owner deletes a collaborator''s input');
SELECT is_empty($$SELECT * FROM annotations.visible_annotations WHERE app_id = 'perm' AND input_id = 'in-c1'$$,
    '... with the annotations on it, whoever wrote them');
SELECT lives_ok($$SELECT remove_collaborator('perm', 'regress_perm_c2')$$, 'the owner removes c2');
SET ROLE regress_perm_c2;
SELECT throws_ok($$SELECT get_annotation('perm', 'in-o', 'c2-1')$$, 'P0002', 'app "perm" not found',
    'a removed collaborator is a stranger: P0002, even for their own annotation');
SELECT throws_ok($$SELECT delete_annotation('perm', 'in-o', 'c2-1')$$, 'P0002', 'app "perm" not found',
    'a removed collaborator cannot delete what they wrote');
SELECT is_empty($$SELECT * FROM annotations.visible_annotations WHERE app_id = 'perm'$$, 'a removed collaborator sees no annotation');
SELECT is_empty($$SELECT * FROM annotations.visible_collaborators$$, 'a removed collaborator sees no membership');
SELECT throws_ok($$DELETE FROM annotations.annotations WHERE user_id = 'regress_perm_c2'$$, '42501',
    'permission denied for table annotations', 'a removed collaborator deletes nothing directly');
SET ROLE regress_perm_owner;
SELECT ok('c2-1:regress_perm_c2' = ANY (pg_temp.seen()), 'what a removed collaborator wrote stays in the app');

---------------------------------------------------------------------------
-- 6. create_app for another role; superusers and BYPASSRLS act as owner
---------------------------------------------------------------------------
SET ROLE regress_perm_c1;
SELECT is((create_app('team-app', 'regress_perm_team')).owner_id, 'regress_perm_team',
    'a member of a role creates an app owned by it');
SELECT throws_ok($$SELECT get_annotation('team-app', 'x', 'y')$$, 'P0002', 'app "team-app" not found',
    'membership is not ownership: the acting user is current_user');
SET ROLE regress_perm_team;
SELECT results_eq($$SELECT id, owner_id FROM annotations.visible_apps$$, $$VALUES ('team-app', 'regress_perm_team')$$,
    'the role owns the app');
SET ROLE regress_perm_stranger;
SELECT throws_ok($$SELECT create_app('stolen', 'regress_perm_team')$$, '42501',
    'permission denied to create app "stolen" for owner "regress_perm_team"',
    'a non-member cannot create an app for a role');
SELECT throws_ok($$SELECT create_app('stolen', 'regress_perm_owner')$$, '42501',
    'permission denied to create app "stolen" for owner "regress_perm_owner"',
    'a stranger cannot create an app in a user''s name');
SELECT throws_ok($$SELECT create_app('stolen', 'no_such_role')$$, '42501',
    'permission denied to create app "stolen" for owner "no_such_role"',
    'nor in the name of a role that does not exist');
SET ROLE regress_perm_bypass;
SELECT throws_ok($$SELECT create_app('stolen', 'regress_perm_owner')$$, '42501',
    'permission denied to create app "stolen" for owner "regress_perm_owner"',
    'BYPASSRLS does not make one a member of other roles');
SELECT is((SELECT concepts FROM patch_annotations('perm', 'merge', '[{"id": "c1-1", "data": {"concepts": [{"id": "audit"}]}}]')),
          '[{"id": "mine", "value": 1}, {"id": "audit", "value": 1}]'::jsonb,
          'a BYPASSRLS role patches any user''s annotation, as the owner would');
SELECT lives_ok($$SELECT add_collaborator('perm', 'regress_perm_c2')$$, 'a BYPASSRLS role manages collaborators');
SELECT is(count_annotations('perm', list_all_annotations => true), 6::bigint, 'a BYPASSRLS role sees the whole app');
RESET ROLE;
SELECT is((create_app('gift', 'regress_perm_stranger')).owner_id, 'regress_perm_stranger',
    'a superuser creates an app for any role');
SELECT lives_ok($$SELECT delete_annotation('perm', 'in-o', 'c2-1')$$, 'a superuser deletes any annotation');
SELECT is((SELECT user_id FROM post_annotations('perm', '[{"id": "su-1", "input_id": "in-o", "user_id": "regress_perm_c1"}]')),
          'regress_perm_c1', 'a superuser posts in another user''s name');

---------------------------------------------------------------------------
-- 7. The tables themselves: no role but the store's owner (and superusers)
--    reads or writes them, so no rule can be gone around by direct SQL and
--    no plan, statistic or sequence tells anything about another app
---------------------------------------------------------------------------
CREATE TEMP TABLE perm_tables (t text);
INSERT INTO perm_tables VALUES ('apps'), ('collaborators'), ('inputs'), ('annotations'), ('regions');
GRANT SELECT ON perm_tables TO PUBLIC;
SET ROLE regress_perm_owner;
SELECT throws_ok(format('SELECT * FROM annotations.%I', t), '42501', format('permission denied for table %s', t),
                 format('the owner cannot read table %s directly (the visible_%s view is the way)', t, t))
  FROM perm_tables;
SELECT throws_ok(format('DELETE FROM annotations.%I', t), '42501', format('permission denied for table %s', t),
                 format('the owner cannot delete from table %s directly', t))
  FROM perm_tables;
SELECT throws_ok($$UPDATE annotations.annotations SET concepts = '[]' WHERE app_id = 'perm'$$,
    '42501', 'permission denied for table annotations', 'the owner cannot update annotations directly');
SELECT throws_ok($$INSERT INTO annotations.inputs (app_id, id, data) VALUES ('perm', 'd-in', '{"text": {"raw": "x"}}')$$,
    '42501', 'permission denied for table inputs', 'the owner cannot insert inputs directly');
SET ROLE regress_perm_c1;
SELECT throws_ok($$INSERT INTO annotations.annotations (app_id, id, input_id, user_id) VALUES ('perm', 'd-c1', 'in-o', 'regress_perm_c1')$$,
    '42501', 'permission denied for table annotations', 'a collaborator cannot insert an annotation directly');
SELECT throws_ok($$UPDATE annotations.regions SET bbox = '(0,0,1,1)' WHERE app_id = 'perm'$$,
    '42501', 'permission denied for table regions', 'a collaborator cannot update a region directly');
SELECT throws_ok($$INSERT INTO annotations.collaborators (app_id, user_id, owner_id) VALUES ('perm', 'regress_perm_stranger', 'regress_perm_owner')$$,
    '42501', 'permission denied for table collaborators', 'a collaborator cannot add collaborators directly');
SET ROLE regress_perm_stranger;
SELECT throws_ok(format('SELECT count(*) FROM annotations.%I', t), '42501', format('permission denied for table %s', t),
                 format('a stranger cannot read table %s', t))
  FROM perm_tables;
SELECT throws_ok(format('EXPLAIN (ANALYZE) SELECT * FROM annotations.%I', t), '42501',
                 format('permission denied for table %s', t),
                 format('a stranger cannot plan a query on table %s, so EXPLAIN tells nothing', t))
  FROM perm_tables;
SELECT throws_ok(format('LOCK TABLE annotations.%I IN ACCESS EXCLUSIVE MODE', t), '42501',
                 format('permission denied for table %s', t),
                 format('a stranger cannot lock table %s (and so cannot freeze every tenant)', t))
  FROM perm_tables;
SELECT throws_ok(format('TRUNCATE annotations.%I', t), '42501', format('permission denied for table %s', t),
                 format('a stranger cannot truncate table %s', t))
  FROM perm_tables;
SELECT throws_ok($$INSERT INTO annotations.apps (id, owner_id) VALUES ('stolen', 'regress_perm_owner')$$,
    '42501', 'permission denied for table apps', 'a stranger cannot insert an app directly');
SELECT throws_ok($$SELECT nextval('annotations.annotation_seq')$$, '42501',
    'permission denied for sequence annotation_seq', 'a stranger cannot draw from the sequence (how busy others are)');
SELECT throws_ok($$SELECT last_value FROM annotations.annotation_seq$$, '42501',
    'permission denied for sequence annotation_seq', 'a stranger cannot read the sequence');
SELECT is((SELECT count(*) FROM pg_stats WHERE schemaname = 'annotations'), 0::bigint,
    'the planner''s statistics of the tables are not shown to a stranger');
SET ROLE regress_perm_owner;
SELECT is(pg_temp.seen(), ARRAY['c1-1:regress_perm_c1', 'c1-3:regress_perm_c1',
                                'm-1:mv-1', 'o-1:regress_perm_owner', 'o-for-c2:regress_perm_c2',
                                'su-1:regress_perm_c1'],
    'after all of the above the app holds exactly what the allowed calls left');

---------------------------------------------------------------------------
-- An application acting for its end users (the README recipe)
---------------------------------------------------------------------------
RESET ROLE;
SET SESSION AUTHORIZATION regress_perm_gateway;
SELECT throws_ok($$SELECT get_annotation('perm', 'in-o', 'o-1')$$, 'P0002', 'app "perm" not found',
    'the gateway itself (NOINHERIT) sees nothing');
SET ROLE regress_perm_c1;
SELECT is((SELECT user_id FROM post_annotations('perm', '[{"id": "gw-1", "input_id": "in-o"}]')), 'regress_perm_c1',
    'after SET ROLE the gateway acts as the end user, who is the author');
RESET ROLE;
SELECT throws_ok($$SET ROLE regress_perm_owner$$, '42501', 'permission denied to set role "regress_perm_owner"',
    'the gateway can act only for the roles granted to it');
RESET SESSION AUTHORIZATION;
SELECT ok((SELECT rolsuper FROM pg_roles WHERE rolname = current_user), 'back to the superuser');

SELECT * FROM finish();
ROLLBACK;
