--
-- Owners and collaborators are bound to the role itself: a role dropped and
-- created again under the same name is somebody else, and only a superuser
-- hands an orphaned app to the role that now carries the name. (On a Citus
-- cluster roles are known by name, so this file runs on one server only;
-- transfer_app's rules, on both, are in transfer.sql.)
--
SET search_path = annotations, public;
CREATE ROLE regress_id_owner;
CREATE ROLE regress_id_collab;
CREATE ROLE regress_id_other;
SELECT id, owner_id FROM create_app('id-app', 'regress_id_owner');
SET ROLE regress_id_owner;
SELECT add_collaborator('id-app', 'regress_id_collab');
SELECT id FROM post_inputs('id-app', '[{"id": "i1", "data": {"text": {"raw": "x"}}}]');
RESET ROLE;

-- the collaborator is dropped and a new role takes the name: not a collaborator
DROP ROLE regress_id_collab;
CREATE ROLE regress_id_collab;
SET ROLE regress_id_collab;
SELECT count(*) FROM list_annotations('id-app');
SELECT count(*) FROM visible_apps WHERE id = 'id-app';
RESET ROLE;
-- the owner removes the stale membership and adds the new role
SET ROLE regress_id_owner;
SELECT remove_collaborator('id-app', 'regress_id_collab');
SELECT add_collaborator('id-app', 'regress_id_collab');
RESET ROLE;
SET ROLE regress_id_collab;
SELECT count(*) FROM list_annotations('id-app', list_all_annotations => true);
RESET ROLE;

-- the owner is dropped (after its objects) and the name is taken again:
-- the newcomer does not inherit the app; it is left to superusers
DROP ROLE regress_id_owner;
CREATE ROLE regress_id_owner;
SET ROLE regress_id_owner;
SELECT count(*) FROM list_annotations('id-app');
SELECT id FROM transfer_app('id-app', 'regress_id_owner');
RESET ROLE;
-- a superuser hands it to the role that now carries the name
SELECT id, owner_id FROM transfer_app('id-app', 'regress_id_owner');
SET ROLE regress_id_owner;
SELECT count(*) FROM list_annotations('id-app', list_all_annotations => true);
RESET ROLE;

SELECT delete_inputs('id-app', ARRAY['i1']);
DELETE FROM annotations.apps WHERE id = 'id-app';
DROP ROLE regress_id_owner;
DROP ROLE regress_id_collab;
DROP ROLE regress_id_other;
