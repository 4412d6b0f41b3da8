-- Who may do what (SPEC §7), enforced by row-level security so it holds for
-- direct SQL on the tables as much as for the API functions (which run with
-- the caller's rights). Any role may use the tables; the policies decide
-- which rows it sees and may change. Superusers and BYPASSRLS roles skip the
-- policies: they act as owner of every app. Foreign-key cascades (deleting
-- an input deletes its annotations) run as the table owner, unfiltered.
--
-- Column privileges keep what identifies a row fixed, since a policy cannot
-- compare a row's old and new values: an UPDATE may change the content of
-- an annotation or region, never its app, id, input, author, creation order
-- or input-level flag (a collaborator could otherwise un-flag their
-- input-level annotation and delete it, or re-point a row elsewhere). seq
-- and created_at are not insertable either: a forged, early seq would break
-- keyset paging and make a region the "earliest" one that new labels copy
-- geometry from; created_at is what the regions policy trusts below.
--
-- No policy of collaborators looks at apps, so the apps policies may look at
-- collaborators without recursion; the other tables look at apps, whose
-- visibility is itself "owner or collaborator".

GRANT USAGE ON SCHEMA annotations TO PUBLIC;
GRANT SELECT, INSERT, DELETE ON annotations.apps, annotations.collaborators,
      annotations.inputs, annotations.regions TO PUBLIC;
GRANT SELECT, DELETE ON annotations.annotations TO PUBLIC;
GRANT INSERT (app_id, id, input_id, user_id, model_version_id, embed_model_version_id,
              task_id, status, input_level, concepts, frame_index, frame_time,
              annotation_info, modified_at)
      ON annotations.annotations TO PUBLIC;
GRANT UPDATE (embed_model_version_id, task_id, status, concepts, frame_index, frame_time,
              annotation_info, modified_at)
      ON annotations.annotations TO PUBLIC;
GRANT UPDATE (data, modified_at) ON annotations.inputs TO PUBLIC;
GRANT UPDATE (id, bbox, concepts) ON annotations.regions TO PUBLIC;
GRANT USAGE ON SEQUENCE annotations.annotation_seq TO PUBLIC;

ALTER TABLE annotations.apps ENABLE ROW LEVEL SECURITY;
ALTER TABLE annotations.collaborators ENABLE ROW LEVEL SECURITY;
ALTER TABLE annotations.inputs ENABLE ROW LEVEL SECURITY;
ALTER TABLE annotations.annotations ENABLE ROW LEVEL SECURITY;
ALTER TABLE annotations.regions ENABLE ROW LEVEL SECURITY;

-- apps: seen by owner and collaborators; created for oneself or for a role
-- one is a member of; deleted by the owner. Nobody but a superuser updates
-- them (no UPDATE privilege); the policy stays as a second lock.
-- The collaborator test does not depend on the row, so it runs once per
-- query (a hashed subplan), not once per row of apps: every other table's
-- policy reads apps.
CREATE POLICY apps_select ON annotations.apps FOR SELECT
    USING (owner_id OPERATOR(pg_catalog.=) CURRENT_USER
           OR id IN (SELECT c.app_id FROM annotations.collaborators c
                      WHERE c.user_id OPERATOR(pg_catalog.=) CURRENT_USER));
CREATE POLICY apps_insert ON annotations.apps FOR INSERT
    WITH CHECK (owner_id OPERATOR(pg_catalog.=) CURRENT_USER
                OR EXISTS (SELECT 1 FROM pg_catalog.pg_roles r
                            WHERE r.rolname OPERATOR(pg_catalog.=) apps.owner_id
                              AND pg_catalog.pg_has_role(CURRENT_USER, r.oid, 'MEMBER')));
CREATE POLICY apps_update ON annotations.apps FOR UPDATE
    USING (owner_id OPERATOR(pg_catalog.=) CURRENT_USER)
    WITH CHECK (owner_id OPERATOR(pg_catalog.=) CURRENT_USER);
CREATE POLICY apps_delete ON annotations.apps FOR DELETE
    USING (owner_id OPERATOR(pg_catalog.=) CURRENT_USER);

-- collaborators: seen by the owner and by the collaborator themselves;
-- added and removed by the owner (owner_id is tied to the app's real owner
-- by a foreign key, so it cannot be forged); never the owner themselves.
CREATE POLICY collaborators_select ON annotations.collaborators FOR SELECT
    USING (owner_id OPERATOR(pg_catalog.=) CURRENT_USER
           OR user_id OPERATOR(pg_catalog.=) CURRENT_USER);
CREATE POLICY collaborators_insert ON annotations.collaborators FOR INSERT
    WITH CHECK (owner_id OPERATOR(pg_catalog.=) CURRENT_USER
                AND user_id OPERATOR(pg_catalog.<>) owner_id);
CREATE POLICY collaborators_update ON annotations.collaborators FOR UPDATE
    USING (owner_id OPERATOR(pg_catalog.=) CURRENT_USER)
    WITH CHECK (owner_id OPERATOR(pg_catalog.=) CURRENT_USER
                AND user_id OPERATOR(pg_catalog.<>) owner_id);
CREATE POLICY collaborators_delete ON annotations.collaborators FOR DELETE
    USING (owner_id OPERATOR(pg_catalog.=) CURRENT_USER);

-- inputs: members see and post them; only the owner changes or deletes them.
CREATE POLICY inputs_select ON annotations.inputs FOR SELECT
    USING (EXISTS (SELECT 1 FROM annotations.apps p WHERE p.id OPERATOR(pg_catalog.=) inputs.app_id));
CREATE POLICY inputs_insert ON annotations.inputs FOR INSERT
    WITH CHECK (EXISTS (SELECT 1 FROM annotations.apps p WHERE p.id OPERATOR(pg_catalog.=) inputs.app_id));
CREATE POLICY inputs_update ON annotations.inputs FOR UPDATE
    USING (EXISTS (SELECT 1 FROM annotations.apps p WHERE p.id OPERATOR(pg_catalog.=) inputs.app_id
                     AND p.owner_id OPERATOR(pg_catalog.=) CURRENT_USER));
CREATE POLICY inputs_delete ON annotations.inputs FOR DELETE
    USING (EXISTS (SELECT 1 FROM annotations.apps p WHERE p.id OPERATOR(pg_catalog.=) inputs.app_id
                     AND p.owner_id OPERATOR(pg_catalog.=) CURRENT_USER));

-- annotations: members see them; the author is the acting user unless the
-- owner says otherwise; nobody patches model-written ones; a collaborator
-- patches and deletes only their own; input-level ones go with their input
-- and come with it: one is written only in the statement that writes its
-- input (as post_inputs does), where the policy cannot see that input yet.
-- (A policy here cannot look at annotations itself: that would recurse.)
CREATE POLICY annotations_select ON annotations.annotations FOR SELECT
    USING (EXISTS (SELECT 1 FROM annotations.apps p WHERE p.id OPERATOR(pg_catalog.=) annotations.app_id));
CREATE POLICY annotations_insert ON annotations.annotations FOR INSERT
    WITH CHECK (EXISTS (SELECT 1 FROM annotations.apps p
                         WHERE p.id OPERATOR(pg_catalog.=) annotations.app_id
                           AND (p.owner_id OPERATOR(pg_catalog.=) CURRENT_USER
                                OR (annotations.user_id OPERATOR(pg_catalog.=) CURRENT_USER
                                    AND annotations.model_version_id IS NULL)))
                AND (NOT input_level
                     OR NOT EXISTS (SELECT 1 FROM annotations.inputs i
                                     WHERE i.app_id OPERATOR(pg_catalog.=) annotations.app_id
                                       AND i.id OPERATOR(pg_catalog.=) annotations.input_id)));
CREATE POLICY annotations_update ON annotations.annotations FOR UPDATE
    USING (model_version_id IS NULL
           AND EXISTS (SELECT 1 FROM annotations.apps p
                        WHERE p.id OPERATOR(pg_catalog.=) annotations.app_id
                          AND (p.owner_id OPERATOR(pg_catalog.=) CURRENT_USER
                               OR annotations.user_id OPERATOR(pg_catalog.=) CURRENT_USER)))
    WITH CHECK (model_version_id IS NULL
           AND EXISTS (SELECT 1 FROM annotations.apps p
                        WHERE p.id OPERATOR(pg_catalog.=) annotations.app_id
                          AND (p.owner_id OPERATOR(pg_catalog.=) CURRENT_USER
                               OR annotations.user_id OPERATOR(pg_catalog.=) CURRENT_USER)));
CREATE POLICY annotations_delete ON annotations.annotations FOR DELETE
    USING (NOT input_level
           AND EXISTS (SELECT 1 FROM annotations.apps p
                        WHERE p.id OPERATOR(pg_catalog.=) annotations.app_id
                          AND (p.owner_id OPERATOR(pg_catalog.=) CURRENT_USER
                               OR annotations.user_id OPERATOR(pg_catalog.=) CURRENT_USER)));

-- regions follow their annotation: whoever may patch the annotation may
-- write its region, and the region sits on the annotation's input. A
-- model-written annotation gets its region only in the transaction that
-- posts it (created_at is the transaction's start and cannot be updated);
-- afterwards its region is as fixed as the rest of it.
CREATE POLICY regions_select ON annotations.regions FOR SELECT
    USING (EXISTS (SELECT 1 FROM annotations.apps p WHERE p.id OPERATOR(pg_catalog.=) regions.app_id));
CREATE POLICY regions_insert ON annotations.regions FOR INSERT
    WITH CHECK (EXISTS (SELECT 1 FROM annotations.annotations a
                         JOIN annotations.apps p ON p.id OPERATOR(pg_catalog.=) a.app_id
                         WHERE a.app_id OPERATOR(pg_catalog.=) regions.app_id
                           AND a.id OPERATOR(pg_catalog.=) regions.annotation_id
                           AND a.input_id OPERATOR(pg_catalog.=) regions.input_id
                           AND (a.model_version_id IS NULL
                                OR a.created_at OPERATOR(pg_catalog.=) pg_catalog.now())
                           AND (p.owner_id OPERATOR(pg_catalog.=) CURRENT_USER
                                OR a.user_id OPERATOR(pg_catalog.=) CURRENT_USER)));
CREATE POLICY regions_update ON annotations.regions FOR UPDATE
    USING (EXISTS (SELECT 1 FROM annotations.annotations a
                    JOIN annotations.apps p ON p.id OPERATOR(pg_catalog.=) a.app_id
                    WHERE a.app_id OPERATOR(pg_catalog.=) regions.app_id
                      AND a.id OPERATOR(pg_catalog.=) regions.annotation_id
                      AND a.model_version_id IS NULL
                      AND (p.owner_id OPERATOR(pg_catalog.=) CURRENT_USER
                           OR a.user_id OPERATOR(pg_catalog.=) CURRENT_USER)));
CREATE POLICY regions_delete ON annotations.regions FOR DELETE
    USING (EXISTS (SELECT 1 FROM annotations.annotations a
                    JOIN annotations.apps p ON p.id OPERATOR(pg_catalog.=) a.app_id
                    WHERE a.app_id OPERATOR(pg_catalog.=) regions.app_id
                      AND a.id OPERATOR(pg_catalog.=) regions.annotation_id
                      AND a.model_version_id IS NULL
                      AND (p.owner_id OPERATOR(pg_catalog.=) CURRENT_USER
                           OR a.user_id OPERATOR(pg_catalog.=) CURRENT_USER)));
