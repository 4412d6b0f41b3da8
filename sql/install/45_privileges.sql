-- Who may do what is decided in one place, by the API functions
-- (src/acting.c): each captures the acting user, checks the one rule (the
-- owner of an app may do anything in it, a collaborator may read it and
-- change the rows they wrote, to anyone else it does not exist) and does its
-- table work with the rights of the role that owns the tables. No other
-- role has any privilege on the tables or the sequence, so
--   - nothing can be written around the API: every row of every table was
--     checked by the same request rules;
--   - nothing can be read around it: reading with plain SQL goes through
--     the visible_* views, whose functions the planner cannot see into, so
--     no condition, plan, statistic or sequence value of a stranger's query
--     ever touches another app's rows;
--   - nobody can lock or truncate a table to stall other tenants.
-- Row-level security stays enabled with no policy: a role that is later
-- granted a table by hand still sees no row unless it has BYPASSRLS.

GRANT USAGE ON SCHEMA annotations TO PUBLIC;
REVOKE ALL ON annotations.apps, annotations.collaborators, annotations.inputs,
              annotations.annotations, annotations.regions FROM PUBLIC;
REVOKE ALL ON SEQUENCE annotations.annotation_seq FROM PUBLIC;

ALTER TABLE annotations.apps ENABLE ROW LEVEL SECURITY;
ALTER TABLE annotations.collaborators ENABLE ROW LEVEL SECURITY;
ALTER TABLE annotations.inputs ENABLE ROW LEVEL SECURITY;
ALTER TABLE annotations.annotations ENABLE ROW LEVEL SECURITY;
ALTER TABLE annotations.regions ENABLE ROW LEVEL SECURITY;
