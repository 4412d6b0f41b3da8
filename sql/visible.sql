--
-- Reading for reporting tools: the visible_* views and the app_* functions
-- give each role the rows of its own apps and nothing of anyone else's, and
-- a condition on app_id reads only that app.
--
SET search_path = annotations, public;
CREATE ROLE regress_vis_owner;
CREATE ROLE regress_vis_collab;
CREATE ROLE regress_vis_stranger;
SELECT id FROM create_app('vis-a', 'regress_vis_owner');
SELECT id FROM create_app('vis-b', 'regress_vis_owner');
SELECT add_collaborator('vis-a', 'regress_vis_collab');
SET ROLE regress_vis_owner;
SELECT add_collaborator('vis-b', 'regress_vis_stranger');
SELECT remove_collaborator('vis-b', 'regress_vis_stranger');
SELECT id FROM post_inputs('vis-a', '[{"id": "i1", "data": {"image": {"url": "https://x/1.jpg"}, "concepts": [{"id": "cat"}]}}]');
SELECT id FROM post_inputs('vis-b', '[{"id": "i1", "data": {"text": {"raw": "b"}}}]');
SELECT id FROM post_annotations('vis-a', '[{"id": "a1", "input_id": "i1", "data": {"regions": [{"id": "r1",
  "region_info": {"bounding_box": {"top_row": 0.1, "left_col": 0.1, "bottom_row": 0.2, "right_col": 0.2}},
  "data": {"concepts": [{"id": "dog", "value": 0.5}]}}]}}]');
RESET ROLE;

-- the owner sees both apps, a collaborator one, a stranger none
SET ROLE regress_vis_owner;
SELECT id, owner_id FROM visible_apps WHERE id LIKE 'vis-%' ORDER BY id;
SELECT app_id, id, data FROM visible_inputs WHERE app_id LIKE 'vis-%' ORDER BY 1, 2;
SELECT app_id, user_id FROM visible_collaborators WHERE app_id LIKE 'vis-%';
RESET ROLE;
SET ROLE regress_vis_collab;
SELECT id, owner_id FROM visible_apps WHERE id LIKE 'vis-%' ORDER BY id;
SELECT app_id, CASE WHEN input_level THEN '(generated)' ELSE id END AS id, input_id, input_level, concepts
  FROM visible_annotations WHERE app_id LIKE 'vis-%' ORDER BY seq;
SELECT app_id, annotation_id, id, bbox, concepts FROM visible_regions WHERE app_id LIKE 'vis-%';
SELECT app_id, user_id FROM visible_collaborators WHERE app_id LIKE 'vis-%';
SELECT count(*) FROM app_inputs('vis-b');
RESET ROLE;
SET ROLE regress_vis_stranger;
SELECT count(*) AS apps FROM visible_apps WHERE id LIKE 'vis-%';
SELECT count(*) AS inputs FROM visible_inputs WHERE app_id LIKE 'vis-%';
SELECT count(*) AS annotations FROM visible_annotations WHERE app_id LIKE 'vis-%';
SELECT count(*) FROM app_annotations('vis-a');
SELECT count(*) FROM app_regions('vis-a');
SELECT count(*) FROM app_collaborators('vis-a');
SELECT count(*) FROM app_annotations(NULL);
-- nothing of another app reaches a stranger's plan: the views are opaque
-- function scans, whatever the conditions
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF)
SELECT * FROM visible_annotations WHERE app_id = 'vis-a' AND id > 'a';
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF)
SELECT * FROM visible_regions WHERE app_id = 'vis-a' AND bbox OPERATOR(annotations.&&) '(0,0,1,1)';
RESET ROLE;

-- a condition on app_id reaches member_apps() before any app is read
SET ROLE regress_vis_owner;
EXPLAIN (COSTS OFF) SELECT * FROM visible_inputs WHERE app_id = 'vis-a';
RESET ROLE;

SET ROLE regress_vis_owner;
SELECT delete_inputs('vis-a', ARRAY['i1']);
SELECT delete_inputs('vis-b', ARRAY['i1']);
RESET ROLE;
DELETE FROM annotations.apps WHERE id IN ('vis-a', 'vis-b');
DROP ROLE regress_vis_owner;
DROP ROLE regress_vis_collab;
DROP ROLE regress_vis_stranger;
