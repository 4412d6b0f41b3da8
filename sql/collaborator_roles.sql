-- A collaborator is a PostgreSQL role. add_collaborator refuses a name that
-- is no role (a role created later under that name would get the app), with
-- PostgreSQL's own SQLSTATE and wording for an unknown role, and after the
-- checks that come first; remove_collaborator still removes a name whose
-- role has been dropped since.
SET search_path = annotations, public;
\set SHOW_CONTEXT never
SET client_min_messages = warning;

CREATE ROLE regress_collab_real;
CREATE ROLE regress_collab_gone;
-- a role name of the longest length a role name can have (63 bytes)
SELECT 'regress_collab_' || repeat('l', 48) AS long_role \gset
CREATE ROLE :"long_role";

SELECT id, owner_id = current_user AS mine FROM create_app('collab-roles');

-- no such role
SELECT add_collaborator('collab-roles', 'regress_collab_nobody');
-- a name longer than any role name, whose first 63 bytes name a role
SELECT format('SELECT add_collaborator(%L, %L)', 'collab-roles', :'long_role' || 'x') \gexec
-- the public pseudo-role is no role either
SELECT add_collaborator('collab-roles', 'public');
-- the checks that come first still win
SELECT add_collaborator('collab-roles', NULL);
SELECT add_collaborator('collab-roles-nope', 'regress_collab_nobody');
SELECT count(*) AS collaborators FROM annotations.collaborators WHERE app_id = 'collab-roles';

-- real roles are added, once
SELECT add_collaborator('collab-roles', 'regress_collab_real');
SELECT format('SELECT add_collaborator(%L, %L)', 'collab-roles', :'long_role') \gexec
SELECT add_collaborator('collab-roles', 'regress_collab_gone');
SELECT add_collaborator('collab-roles', 'regress_collab_real');

-- a collaborator whose role is dropped is still removed by name
DROP ROLE regress_collab_gone;
SELECT remove_collaborator('collab-roles', 'regress_collab_gone');
SELECT remove_collaborator('collab-roles', 'regress_collab_gone');
SELECT user_id FROM annotations.collaborators WHERE app_id = 'collab-roles' ORDER BY user_id COLLATE "C";

DELETE FROM annotations.apps WHERE id = 'collab-roles';
DROP ROLE regress_collab_real;
DROP ROLE :"long_role";
