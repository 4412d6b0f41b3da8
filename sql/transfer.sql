--
-- Handing an app to another role (transfer_app): only its owner or a
-- superuser gives it away, only to a role that exists, and the new owner
-- stops being a collaborator; a renamed owner keeps nothing by its old name
-- and gets nothing by its new one. (What a role dropped and created again
-- under the same name gets is in identity.sql, one server only.)
--
SET search_path = annotations, public;
CREATE ROLE regress_tr_owner;
CREATE ROLE regress_tr_collab;
CREATE ROLE regress_tr_other;
SELECT id, owner_id FROM create_app('tr-app', 'regress_tr_owner');
-- an app's owner must be a role
SELECT id FROM create_app('tr-ghost', 'regress_tr_nobody');
SET ROLE regress_tr_owner;
SELECT add_collaborator('tr-app', 'regress_tr_collab');
SELECT id FROM post_inputs('tr-app', '[{"id": "i1", "data": {"text": {"raw": "x"}}}]');
RESET ROLE;

-- a stranger does not take the app, nor does a collaborator give it away
SET ROLE regress_tr_other;
SELECT id FROM transfer_app('tr-app', 'regress_tr_other');
RESET ROLE;
SET ROLE regress_tr_collab;
SELECT id FROM transfer_app('tr-app', 'regress_tr_collab');
RESET ROLE;
-- a superuser hands it to another role, which reads it at once
SELECT id, owner_id FROM transfer_app('tr-app', 'regress_tr_other');
SET ROLE regress_tr_other;
SELECT count(*) FROM list_annotations('tr-app', list_all_annotations => true);
RESET ROLE;
-- the old owner has nothing left
SET ROLE regress_tr_owner;
SELECT count(*) FROM list_annotations('tr-app');
RESET ROLE;
-- the owner may give it to the collaborator, who stops being one
SET ROLE regress_tr_other;
SELECT id, owner_id FROM transfer_app('tr-app', 'regress_tr_collab');
SELECT count(*) FROM list_annotations('tr-app');
RESET ROLE;
SET ROLE regress_tr_collab;
SELECT user_id FROM visible_collaborators WHERE app_id = 'tr-app';
SELECT id, owner_id FROM visible_apps WHERE id = 'tr-app';
-- to a role that does not exist, nobody gives an app
SELECT id FROM transfer_app('tr-app', 'regress_tr_nobody');
SELECT id FROM transfer_app('tr-app', NULL);
RESET ROLE;

-- a renamed owner keeps nothing by its old name, nor gets it by its new one
ALTER ROLE regress_tr_collab RENAME TO regress_tr_renamed;
SET ROLE regress_tr_renamed;
SELECT count(*) FROM list_annotations('tr-app');
RESET ROLE;
SELECT id, owner_id FROM transfer_app('tr-app', 'regress_tr_renamed');
SET ROLE regress_tr_renamed;
SELECT count(*) FROM list_annotations('tr-app', list_all_annotations => true);
RESET ROLE;

SELECT delete_inputs('tr-app', ARRAY['i1']);
SELECT delete_app('tr-app');
DROP ROLE regress_tr_owner;
DROP ROLE regress_tr_renamed;
DROP ROLE regress_tr_other;
