-- Tables. Every table is keyed by app_id first, and every primary
-- key, unique constraint and foreign key between them includes app_id, so a
-- Citus cluster can distribute them all by app_id.

CREATE TABLE annotations.apps (
    id          text        NOT NULL PRIMARY KEY,
    owner_id    text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT pg_catalog.now(),
    owner_oid   oid,
    closed_vocabulary boolean NOT NULL DEFAULT false,
    last_coco_id integer    NOT NULL DEFAULT 0
);
COMMENT ON TABLE annotations.apps IS 'Apps: tenants that own inputs and annotations';
COMMENT ON COLUMN annotations.apps.id IS 'App id';
COMMENT ON COLUMN annotations.apps.owner_id IS 'Role that owns the app';
COMMENT ON COLUMN annotations.apps.created_at IS 'When the app was created';
COMMENT ON COLUMN annotations.apps.owner_oid IS
  'The owning role itself: ownership holds while both its name and its oid match, so a role dropped and created again under the same name does not inherit the app';
COMMENT ON COLUMN annotations.apps.closed_vocabulary IS
  'When true, only concepts already in the app''s catalogue (annotations.concepts) may be used';
COMMENT ON COLUMN annotations.apps.last_coco_id IS
  'The highest coco_id handed out in the app''s concept catalogue; the next new concept gets the one after';

CREATE TABLE annotations.collaborators (
    app_id      text        NOT NULL,
    user_id     text        NOT NULL,
    owner_id    text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT pg_catalog.now(),
    user_oid    oid,
    PRIMARY KEY (app_id, user_id),
    -- no ON UPDATE CASCADE: Citus refuses it on a key that holds the
    -- distribution column; transfer_app rewrites the copied owner itself
    FOREIGN KEY (app_id) REFERENCES annotations.apps (id) ON DELETE CASCADE
);
COMMENT ON TABLE annotations.collaborators IS 'Roles other than the owner that work in an app';
COMMENT ON COLUMN annotations.collaborators.app_id IS 'App id';
COMMENT ON COLUMN annotations.collaborators.user_id IS 'Collaborating role';
COMMENT ON COLUMN annotations.collaborators.owner_id IS
  'The app''s owner, copied when the collaborator is added and rewritten by transfer_app';
COMMENT ON COLUMN annotations.collaborators.created_at IS 'When the collaborator was added';
COMMENT ON COLUMN annotations.collaborators.user_oid IS
  'The collaborating role itself: membership holds while both its name and its oid match';

CREATE TABLE annotations.inputs (
    app_id      text        NOT NULL REFERENCES annotations.apps (id) ON DELETE CASCADE,
    id          text        NOT NULL,
    data        jsonb       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT pg_catalog.now(),
    modified_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    PRIMARY KEY (app_id, id),
    CHECK (pg_catalog.jsonb_typeof(data) OPERATOR(pg_catalog.=) 'object')
);
COMMENT ON TABLE annotations.inputs IS 'Inputs: images, videos, texts and audio to be labeled';
COMMENT ON COLUMN annotations.inputs.app_id IS 'App id';
COMMENT ON COLUMN annotations.inputs.id IS 'Input id, unique in its app';
COMMENT ON COLUMN annotations.inputs.data IS
  'Clarifai input data: one of image, video, text, audio; concepts; metadata';
COMMENT ON COLUMN annotations.inputs.created_at IS 'When the input was posted';
COMMENT ON COLUMN annotations.inputs.modified_at IS 'When the input last changed';

-- list_inputs pages oldest first: (created_at, id) is its keyset
CREATE INDEX inputs_created_idx ON annotations.inputs (app_id, created_at, id);

-- seq orders an app's annotations oldest to newest; it is the keyset of
-- every list. The API takes its values from this sequence of the node that
-- runs the call, moved past the app's highest seq when rows came from
-- elsewhere (src/order.c), so on a Citus cluster it is node-local.
CREATE SEQUENCE annotations.annotation_seq;

CREATE TABLE annotations.annotations (
    app_id                 text        NOT NULL,
    id                     text        NOT NULL,
    input_id               text        NOT NULL,
    seq                    bigint      NOT NULL DEFAULT pg_catalog.nextval('annotations.annotation_seq'),
    user_id                text,
    model_version_id       text,
    embed_model_version_id text,
    task_id                text,
    status                 annotations.status NOT NULL DEFAULT 'success',
    input_level            boolean     NOT NULL DEFAULT false,
    concepts               jsonb       NOT NULL DEFAULT '[]',
    frame_index            integer     CHECK (frame_index OPERATOR(pg_catalog.>=) 0),
    frame_time             integer     CHECK (frame_time OPERATOR(pg_catalog.>=) 0),
    annotation_info        jsonb       NOT NULL DEFAULT '{}',
    created_at             timestamptz NOT NULL DEFAULT pg_catalog.now(),
    modified_at            timestamptz NOT NULL DEFAULT pg_catalog.now(),
    -- listed: what list_annotations shows without naming ids (an input-level
    -- annotation only when it carries concepts); the list indexes are partial on it.
    listed                 boolean     NOT NULL GENERATED ALWAYS AS
        (NOT input_level OR concepts OPERATOR(pg_catalog.<>) '[]'::jsonb) STORED,
    trusted                boolean     NOT NULL DEFAULT false,
    consensus_info         jsonb       NOT NULL DEFAULT '{}'
        CHECK (pg_catalog.jsonb_typeof(consensus_info) OPERATOR(pg_catalog.=) 'object'),
    PRIMARY KEY (app_id, id),
    UNIQUE (app_id, seq),
    FOREIGN KEY (app_id, input_id) REFERENCES annotations.inputs (app_id, id) ON DELETE CASCADE,
    CHECK ((user_id IS NULL) OPERATOR(pg_catalog.<>) (model_version_id IS NULL)),
    CHECK (NOT input_level OR model_version_id IS NULL),
    CHECK (pg_catalog.jsonb_typeof(concepts) OPERATOR(pg_catalog.=) 'array'),
    CHECK (pg_catalog.jsonb_typeof(annotation_info) OPERATOR(pg_catalog.=) 'object')
);
COMMENT ON TABLE annotations.annotations IS
  'Annotations: labels on inputs (whole-input concepts, at most one region, at most one video frame)';
COMMENT ON COLUMN annotations.annotations.app_id IS 'App id';
COMMENT ON COLUMN annotations.annotations.id IS 'Annotation id, unique in its app';
COMMENT ON COLUMN annotations.annotations.input_id IS 'The input labeled';
COMMENT ON COLUMN annotations.annotations.seq IS 'Creation order within the app, oldest first, unique in the app; the keyset for paging (after => seq)';
COMMENT ON COLUMN annotations.annotations.user_id IS 'User who wrote it (NULL when a model did)';
COMMENT ON COLUMN annotations.annotations.model_version_id IS 'Model version that wrote it (NULL when a user did)';
COMMENT ON COLUMN annotations.annotations.embed_model_version_id IS 'Embedding model version to index it with';
COMMENT ON COLUMN annotations.annotations.task_id IS 'Labeling task it belongs to';
COMMENT ON COLUMN annotations.annotations.status IS 'Review status';
COMMENT ON COLUMN annotations.annotations.input_level IS 'True for the annotation created with its input; deleted only with it';
COMMENT ON COLUMN annotations.annotations.concepts IS 'Whole-input concepts: [{"id", "name"?, "value"}]';
COMMENT ON COLUMN annotations.annotations.frame_index IS 'Video frame index, when the annotation sits in a frame';
COMMENT ON COLUMN annotations.annotations.frame_time IS 'Video frame time in milliseconds';
COMMENT ON COLUMN annotations.annotations.annotation_info IS 'Free-form JSON object';
COMMENT ON COLUMN annotations.annotations.created_at IS 'When it was posted';
COMMENT ON COLUMN annotations.annotations.modified_at IS 'When it last changed';
COMMENT ON COLUMN annotations.annotations.listed IS
  'Whether list_annotations shows it without naming it (false for an input-level annotation without concepts)';
COMMENT ON COLUMN annotations.annotations.trusted IS 'Clarifai''s trusted flag (deprecated there); set by the app owner only';
COMMENT ON COLUMN annotations.annotations.consensus_info IS
  'Consensus review information (a protobuf Struct: any JSON object), {} when not set';

-- One index per list filter, each in keyset (seq) order, partial on what is
-- listed so a page never walks past hidden rows.
CREATE INDEX annotations_user_list_idx ON annotations.annotations (app_id, seq)
    WHERE listed AND model_version_id IS NULL;
CREATE INDEX annotations_all_list_idx ON annotations.annotations (app_id, seq)
    WHERE listed;
CREATE INDEX annotations_input_idx ON annotations.annotations (app_id, input_id, seq);
CREATE INDEX annotations_user_idx ON annotations.annotations (app_id, user_id, seq)
    WHERE listed AND user_id IS NOT NULL;
CREATE INDEX annotations_model_idx ON annotations.annotations (app_id, model_version_id, seq)
    WHERE listed AND model_version_id IS NOT NULL;
CREATE INDEX annotations_status_idx ON annotations.annotations (app_id, status, seq)
    WHERE listed;
-- one input-level annotation per input (post_inputs makes it, delete_inputs
-- takes it away); the index also closes a race in the insert policy
CREATE UNIQUE INDEX annotations_input_level_idx ON annotations.annotations (app_id, input_id)
    WHERE input_level;
CREATE INDEX annotations_task_idx ON annotations.annotations (app_id, task_id, seq)
    WHERE listed AND task_id IS NOT NULL;

CREATE TABLE annotations.regions (
    app_id        text   NOT NULL,
    annotation_id text   NOT NULL,
    id            text   NOT NULL,
    input_id      text   NOT NULL,
    bbox          annotations.bbox NOT NULL,
    concepts      jsonb  NOT NULL DEFAULT '[]',
    iscrowd       boolean NOT NULL DEFAULT false,
    polygon       annotations.polygon,
    point         annotations.keypoint,
    mask          annotations.mask,
    PRIMARY KEY (app_id, annotation_id),
    FOREIGN KEY (app_id, annotation_id) REFERENCES annotations.annotations (app_id, id) ON DELETE CASCADE,
    CHECK (pg_catalog.jsonb_typeof(concepts) OPERATOR(pg_catalog.=) 'array'),
    CONSTRAINT regions_one_shape CHECK (pg_catalog.num_nonnulls(polygon, point, mask) OPERATOR(pg_catalog.<=) 1)
);
COMMENT ON TABLE annotations.regions IS
  'The region of an annotation (at most one each): a bounding box, polygon, point or mask with its own concepts';
COMMENT ON COLUMN annotations.regions.app_id IS 'App id';
COMMENT ON COLUMN annotations.regions.annotation_id IS 'The annotation this region belongs to';
COMMENT ON COLUMN annotations.regions.id IS
  'Region id; annotations that label the same region share it';
COMMENT ON COLUMN annotations.regions.input_id IS 'The input (copied from the annotation, to find regions by id on an input)';
COMMENT ON COLUMN annotations.regions.bbox IS
  'Bounding box, normalized to [0,1]: the region itself, or the box enclosing its polygon, point or mask (what the geometry index searches)';
COMMENT ON COLUMN annotations.regions.concepts IS 'Concepts of the region: [{"id", "name"?, "value"}]';
COMMENT ON COLUMN annotations.regions.polygon IS 'The region''s polygon, when it is one (NULL otherwise)';
COMMENT ON COLUMN annotations.regions.point IS 'The region''s point, when it is one (NULL otherwise)';
COMMENT ON COLUMN annotations.regions.mask IS 'The region''s mask, when it is one (NULL otherwise)';
COMMENT ON COLUMN annotations.regions.iscrowd IS
  'A COCO crowd region (iscrowd 1 in an imported document): one box around a group of objects';

CREATE INDEX regions_by_id_idx ON annotations.regions (app_id, input_id, id);
-- geometry search within one app: the tree is split by app first, so a
-- search costs the same however many other apps share the table
CREATE INDEX regions_bbox_idx ON annotations.regions
    USING gist (app_id annotations.app_id_gist_ops, bbox);

-- pg_dump keeps the data of these tables (they belong to the extension).
SELECT pg_catalog.pg_extension_config_dump('annotations.apps', '');
SELECT pg_catalog.pg_extension_config_dump('annotations.collaborators', '');
SELECT pg_catalog.pg_extension_config_dump('annotations.inputs', '');
SELECT pg_catalog.pg_extension_config_dump('annotations.annotations', '');
SELECT pg_catalog.pg_extension_config_dump('annotations.regions', '');
SELECT pg_catalog.pg_extension_config_dump('annotations.annotation_seq', '');

-- The row every API function returns.
CREATE TYPE annotations.annotation AS (
    app_id                 text,
    id                     text,
    input_id               text,
    seq                    bigint,
    user_id                text,
    model_version_id       text,
    embed_model_version_id text,
    task_id                text,
    status                 annotations.status,
    input_level            boolean,
    concepts               jsonb,
    region_id              text,
    bbox                   annotations.bbox,
    region_concepts        jsonb,
    frame_index            integer,
    frame_time             integer,
    annotation_info        jsonb,
    created_at             timestamptz,
    modified_at            timestamptz,
    polygon                annotations.polygon,
    point                  annotations.keypoint,
    mask                   annotations.mask,
    trusted                boolean,
    consensus_info         jsonb
);
COMMENT ON TYPE annotations.annotation IS
  'An annotation with its region, as returned by the API functions; render with annotations.to_json';
