-- Requests as Clarifai's protobuf tooling writes them (proto3 JSON): a
-- missing number is 0, "" and null mean "not given", fields this store does
-- not keep are accepted at their default only; the author as a worker;
-- status filters by label, name or code; per_page and page 0 as "not set".
-- Every default is checked to stay a default, never a wildcard.
SET search_path = annotations, public;
\set SHOW_CONTEXT never
SET client_min_messages = warning;

CREATE FUNCTION pg_temp.fingerprint() RETURNS text LANGUAGE sql AS $$
SELECT md5(string_agg(t, '|' ORDER BY t)) FROM (
  SELECT 'a' || a::text AS t FROM annotations.annotations a
  UNION ALL SELECT 'r' || r::text FROM annotations.regions r
  UNION ALL SELECT 'i' || i::text FROM annotations.inputs i) s
$$;

SELECT id FROM create_app('wire');
SELECT id FROM post_inputs('wire', '[{"id": "in-1", "data": {"image": {"url": "https://x/1.jpg"}}},
                                     {"id": "clip", "data": {"video": {"url": "https://x/c.mp4"}}}]');

-- a box touching the top and left edges, as proto3 writes it (zeros left out)
SELECT id, bbox FROM post_annotations('wire', '[{"id": "edge", "input_id": "in-1",
   "data": {"regions": [{"region_info": {"bounding_box": {"bottom_row": 0.5, "right_col": 0.5}}}]}}]');
-- a side given as null is 0 too
SELECT id, bbox FROM post_annotations('wire', '[{"id": "edge-null", "input_id": "in-1",
   "data": {"regions": [{"region_info": {"bounding_box": {"top_row": null, "left_col": 0.25, "bottom_row": 0.5, "right_col": 0.5}}}]}}]');
-- the first frame of a video, as proto3 writes it
SELECT id, frame_index, frame_time FROM post_annotations('wire', '[{"id": "first-frame", "input_id": "clip",
   "data": {"frames": [{"frame_info": {}, "data": {"concepts": [{"id": "dog"}]}}]}}]');
-- one of index and time given: the other stays unknown, as before
SELECT id, frame_index, frame_time FROM post_annotations('wire', '[{"id": "timed-frame", "input_id": "clip",
   "data": {"frames": [{"frame_info": {"time": 480}, "data": {"concepts": [{"id": "dog"}]}}]}}]');

-- "" is "not given": a generated id, the acting user, no task, no name
SELECT length(id) AS generated_id_length, user_id, model_version_id, task_id IS NULL AS no_task,
       embed_model_version_id IS NULL AS no_embed, length(region_id) AS generated_region_id_length,
       region_concepts
  FROM post_annotations('wire', '[{"id": "", "input_id": "in-1", "user_id": "", "model_version_id": "",
     "task_id": "", "embed_model_version_id": "",
     "data": {"regions": [{"id": "", "region_info": {"bounding_box": {"bottom_row": 1, "right_col": 1}},
                           "data": {"concepts": [{"id": "cat", "name": "", "value": 0.5}]}}]}}]');
-- a missing concept value is 1 (Clarifai's rule, not proto3's 0)
SELECT concepts FROM post_annotations('wire', '[{"id": "valueless", "input_id": "in-1", "data": {"concepts": [{"id": "cat"}]}}]');

-- every field a defaults-writing client adds, at its default, is accepted and ignored
SELECT id, user_id, bbox, frame_index, concepts, region_concepts, status FROM post_annotations('wire', '[{
   "id": "all-defaults", "input_id": "clip", "user_id": "", "model_version_id": "", "embed_model_version_id": "",
   "task_id": "", "trusted": false, "input_level": false, "consensus_info": null, "worker": null,
   "annotation_info": null, "created_at": null, "modified_at": null,
   "status": {"code": "ANNOTATION_SUCCESS", "description": "", "details": "", "percent_completed": 0,
              "time_remaining": 0, "req_id": "", "internal_details": "", "redirect_info": null, "developer_notes": ""},
   "data": {"concepts": [], "colors": [], "clusters": [], "embeddings": [], "regions": [], "tracks": [],
            "time_segments": [], "hits": [], "heatmaps": [], "parts": [], "image": null, "video": null,
            "metadata": null, "geo": null, "text": null, "audio": null, "ndarray": null, "int_value": "0",
            "float_value": 0, "bytes_value": "", "bool_value": false, "string_value": "", "struct_value": null,
     "frames": [{"id": "", "frame_info": {"index": 0, "time": 0, "number": 0},
       "data": {"concepts": [], "frames": [], "colors": [],
         "regions": [{"id": "", "value": 0, "track_id": "",
           "region_info": {"keypoint_locations": [], "bounding_box": {"top_row": 0, "left_col": 0, "bottom_row": 0.5, "right_col": 0.5},
                           "mask": null, "polygon": null, "point": null, "span": null, "token": null},
           "data": {"regions": [], "frames": [], "metadata": null, "int_value": "0",
             "concepts": [{"id": "c", "name": "", "value": 0, "created_at": null, "language": "", "app_id": "",
                           "definition": "", "vocab_id": "", "visibility": null, "user_id": "",
                           "keypoint_info": null, "extra_info": null, "metadata": null, "image": null}]}}]}}]}}]');

SELECT pg_temp.fingerprint() AS before \gset

-- a default is not a wildcard: wrong types, unknown keys and real values stay errors
SELECT post_annotations('wire', '[{"input_id": "in-1", "data": {"regions": [{"region_info": {"bounding_box": {"top_row": "0", "bottom_row": 1, "right_col": 1}}}]}}]');
SELECT post_annotations('wire', '[{"input_id": "in-1", "data": {"regions": [{"region_info": {"bounding_box": {"top": 0, "bottom_row": 1, "right_col": 1}}}]}}]');
SELECT post_annotations('wire', '[{"input_id": "in-1", "data": {"regions": [{"region_info": {"bounding_box": {}}}]}}]');
SELECT post_annotations('wire', '[{"input_id": "in-1", "data": {"regions": [{"region_info": {"bounding_box": null}}]}}]');
SELECT post_annotations('wire', '[{"input_id": "in-1", "data": {"concepts": [{"id": "a", "valeu": 0}]}}]');
SELECT post_annotations('wire', '[{"input_id": "in-1", "data": {"colours": []}}]');
SELECT post_annotations('wire', '[{"input_id": "in-1", "truste": false}]');
SELECT post_annotations('wire', '[{"input_id": "in-1", "trusted": "false"}]');
SELECT post_annotations('wire', '[{"input_id": "in-1", "trusted": 0}]');
SELECT post_annotations('wire', '[{"input_id": "in-1", "consensus_info": []}]');
SELECT post_annotations('wire', '[{"input_id": "in-1", "consensus_info": "agreed"}]');
-- {} is a message with every field at its default: accepted and ignored
BEGIN;
SELECT count(*) FROM post_annotations('wire', '[{"input_id": "in-1", "consensus_info": {}, "data": {"regions": [{"region_info": {"bounding_box": {"bottom_row": 1, "right_col": 1}, "mask": {}}}]}}]');
ROLLBACK;
-- an enum field kept nowhere here is accepted at its zero value, by name too
BEGIN;
SELECT count(*) FROM post_annotations('wire', '[{"input_id": "in-1", "worker": {"model": {"source": "UNKNOWN_SOURCE", "license_type": 0, "model_version": {"id": "v9"}}}}]');
ROLLBACK;
SELECT post_annotations('wire', '[{"input_id": "in-1", "worker": {"model": {"source": "HOSTED", "model_version": {"id": "v9"}}}}]');
SELECT post_annotations('wire', '[{"input_id": "clip", "data": {"concepts": {}, "frames": [{"frame_info": {}}]}}]');
SELECT post_annotations('wire', '[{"input_id": "in-1", "data": {"colors": [{"hex": "#ffffff"}]}}]');
SELECT post_annotations('wire', '[{"input_id": "in-1", "data": {"int_value": "5"}}]');
SELECT post_annotations('wire', '[{"input_id": "in-1", "data": {"regions": [{"value": 0.5, "region_info": {"bounding_box": {"bottom_row": 1, "right_col": 1}}}]}}]');
SELECT post_annotations('wire', '[{"input_id": "clip", "data": {"frames": [{"frame_info": {"number": 3}}]}}]');
SELECT post_annotations('wire', '[{"input_id": "clip", "data": {"frames": [{"id": "f1", "frame_info": {}}]}}]');
SELECT post_annotations('wire', '[{"input_id": "clip", "data": {"frames": [{"data": {"concepts": [{"id": "a"}]}}]}}]');
SELECT post_annotations('wire', '[{"input_id": "in-1", "data": {"concepts": [{"id": "a", "language": "en"}]}}]');
SELECT post_annotations('wire', '[{"input_id": "in-1", "data": {"concepts": [{"id": ""}]}}]');
SELECT post_annotations('wire', '[{"input_id": "in-1", "data": {"concepts": [{"id": "a", "name": 0}]}}]');
SELECT post_annotations('wire', '[{"input_id": ""}]');
SELECT post_annotations('wire', '[{"input_id": "in-1", "user_id": 0}]');
SELECT post_annotations('wire', '[{"input_id": "in-1", "task_id": false}]');
SELECT post_annotations('wire', '[{"input_id": "in-1", "status": {"code": "ANNOTATION_PENDING", "req_id": "r-1"}}]');
SELECT patch_annotations('wire', 'merge', '[{"id": ""}]');

-- worker: the author as current clients name it
SELECT post_annotations('wire', '[{"input_id": "in-1", "worker": {"user": {"id": "someone-else"}}, "user_id": "postgres"}]');
SELECT post_annotations('wire', '[{"input_id": "in-1", "worker": {"model": {"id": "general", "model_version": {"id": "v1"}}}, "model_version_id": "v2"}]');
SELECT post_annotations('wire', '[{"input_id": "in-1", "worker": {"user": {"id": "postgres"}, "model": {"model_version": {"id": "v1"}}}}]');
SELECT post_annotations('wire', '[{"input_id": "in-1", "worker": {"user": {"id": "postgres"}}, "model_version_id": "v1"}]');
SELECT post_annotations('wire', '[{"input_id": "in-1", "worker": {"model": {"id": "general"}}}]');
SELECT post_annotations('wire', '[{"input_id": "in-1", "worker": {"user": {"name": "x"}}}]');
SELECT post_annotations('wire', '[{"input_id": "in-1", "worker": {"user": {"id": "postgres", "first_name": "Ann"}}}]');
SELECT post_annotations('wire', '[{"input_id": "in-1", "worker": {"workflow": {"id": "w"}}}]');
SELECT post_annotations('wire', '[{"input_id": "in-1", "worker": "postgres"}]');
-- status filters: unknown statuses and NULLs are errors
SELECT list_annotations('wire', statuses => '{ANNOTATION_BOGUS}');
SELECT list_annotations('wire', statuses => '{pending,99999}');
SELECT count_annotations('wire', statuses => '{" 24151"}');
SELECT count_annotations('wire', statuses => '{NULL}');

SELECT pg_temp.fingerprint() = :'before' AS unchanged;

SELECT id, user_id, model_version_id FROM post_annotations('wire', '[
  {"id": "by-worker", "input_id": "in-1", "worker": {"user": {"id": "postgres", "first_name": "", "email_addresses": []}},
   "data": {"concepts": [{"id": "cat"}]}},
  {"id": "by-both", "input_id": "in-1", "user_id": "postgres", "worker": {"user": {"id": "postgres"}}},
  {"id": "by-model", "input_id": "in-1", "status": {"code": 24151},
   "worker": {"model": {"id": "general", "name": "", "model_version": {"id": "v1", "metrics": null}}},
   "data": {"regions": [{"region_info": {"bounding_box": {"top_row": 0.1, "left_col": 0.1, "bottom_row": 0.5, "right_col": 0.5}},
                         "data": {"concepts": [{"id": "car", "value": 0.9}]}}]}},
  {"id": "by-nobody", "input_id": "in-1", "worker": {"user": {"id": ""}}}]');
-- to_json names the author both ways; what it writes posts back
SELECT to_json(a) -> 'worker' AS worker, to_json(a) ->> 'user_id' AS user_id, to_json(a) ->> 'model_version_id' AS model_version_id
  FROM list_annotations('wire', ids => '{by-worker,by-model}', input_ids => '{in-1,in-1}') a;
SELECT id, user_id, model_version_id, bbox, region_concepts FROM post_annotations('wire',
  (SELECT jsonb_agg(to_json(a) || jsonb_build_object('id', a.id || '-copy') ORDER BY a.seq)
     FROM list_annotations('wire', ids => '{by-worker,by-model}', input_ids => '{in-1,in-1}') a));
-- a patch may name the stored author as a worker
SELECT id, concepts FROM patch_annotations('wire', 'merge', '[{"id": "by-worker", "worker": {"user": {"id": "postgres"}},
   "data": {"concepts": [{"id": "dog", "name": ""}]}}]');
SELECT patch_annotations('wire', 'merge', '[{"id": "by-worker", "worker": {"user": {"id": "someone-else"}}}]');

-- the app owner keeps the dates of labels brought from elsewhere; seq stays this store's order
SET TIME ZONE 'UTC';
SELECT id, created_at, modified_at FROM post_annotations('wire', '[
  {"id": "dated", "input_id": "in-1", "created_at": "2019-03-04T05:06:07.123456Z", "modified_at": "2020-01-01T00:00:00+01:00"},
  {"id": "dated-once", "input_id": "in-1", "created_at": "2019-03-04T05:06:07Z"},
  {"id": "dated-fraction", "input_id": "in-1", "created_at": "2016-02-29T23:59:59.123456789Z", "modified_at": ""}]');
SELECT id, created_at = now() AS created_now, modified_at = now() AS modified_now
  FROM post_annotations('wire', '[{"id": "undated", "input_id": "in-1", "created_at": "", "modified_at": null}]');
SELECT string_agg(id, ' ' ORDER BY seq) FROM list_annotations('wire', ids => '{undated,dated,dated-once}', input_ids => '{in-1,in-1,in-1}');
SELECT to_json(a) ->> 'created_at', to_json(a) ->> 'modified_at' FROM get_annotation('wire', 'in-1', 'dated') a;
-- a patch keeps created_at; what it is given there is ignored, so a listed annotation patches back
SELECT id, created_at FROM patch_annotations('wire', 'merge', '[{"id": "dated", "created_at": "2001-01-01T00:00:00Z"}]');
RESET TIME ZONE;
SELECT post_annotations('wire', '[{"input_id": "in-1", "created_at": "2019-03-04 05:06:07"}]');
SELECT post_annotations('wire', '[{"input_id": "in-1", "created_at": "2019-02-29T05:06:07Z"}]');
SELECT post_annotations('wire', '[{"input_id": "in-1", "created_at": "2019-03-04T24:06:07Z"}]');
SELECT post_annotations('wire', '[{"input_id": "in-1", "created_at": "2019-03-04T05:06:07.1234567890Z"}]');
SELECT post_annotations('wire', '[{"input_id": "in-1", "created_at": "2019-03-04T05:06:07+1:00"}]');
SELECT post_annotations('wire', '[{"input_id": "in-1", "created_at": 1551675967}]');
SELECT post_annotations('wire', '[{"input_id": "in-1", "created_at": "2019-03-04T05:06:07Z", "modified_at": "2019-03-04T05:06:06Z"}]');
SELECT post_annotations('wire', '[{"input_id": "in-1", "modified_at": "2019-03-04T05:06:06Z"}]');
-- others may not date their labels
CREATE ROLE regress_wire_collab;
SELECT add_collaborator('wire', 'regress_wire_collab');
SET ROLE regress_wire_collab;
SELECT post_annotations('wire', '[{"input_id": "in-1", "created_at": "2019-03-04T05:06:07Z"}]');
SELECT post_annotations('wire', '[{"input_id": "in-1", "modified_at": "2029-03-04T05:06:07Z"}]');
SELECT id, user_id FROM post_annotations('wire', '[{"id": "by-collab", "input_id": "in-1", "created_at": "", "modified_at": null}]');
RESET ROLE;

-- inputs too: the owner may post them with their dates, which their
-- input-level annotation takes; list_inputs lists by created_at
SET TIME ZONE 'UTC';
SELECT id, created_at, modified_at FROM post_inputs('wire', '[
  {"id": "old-1", "created_at": "2018-05-06T07:08:09Z", "modified_at": "2019-01-01T00:00:00+01:00", "data": {"text": {"raw": "a"}}},
  {"id": "old-2", "created_at": "2018-05-06T07:08:09.5Z", "data": {"text": {"raw": "b"}}}]');
SELECT id, created_at = now() AS created_now, modified_at = now() AS modified_now
  FROM post_inputs('wire', '[{"id": "undated-input", "created_at": "", "modified_at": null, "data": {"text": {"raw": "c"}}}]');
SELECT input_id, created_at, modified_at FROM annotations.annotations
 WHERE app_id = 'wire' AND input_level AND input_id IN ('old-1', 'old-2') ORDER BY input_id;
SELECT string_agg(id, ' ') FROM list_inputs('wire', per_page => 3);
SELECT to_json(i) ->> 'created_at', to_json(i) ->> 'modified_at' FROM get_input('wire', 'old-1') i;
RESET TIME ZONE;
SELECT pg_temp.fingerprint() AS before \gset
SELECT post_inputs('wire', '[{"created_at": "2018-05-06", "data": {"text": {"raw": "d"}}}]');
SELECT post_inputs('wire', '[{"created_at": 1525590489, "data": {"text": {"raw": "d"}}}]');
SELECT post_inputs('wire', '[{"created_at": "2018-05-06T07:08:09Z", "modified_at": "2018-05-06T07:08:08Z", "data": {"text": {"raw": "d"}}}]');
SELECT post_inputs('wire', '[{"modified_at": "2018-05-06T07:08:08Z", "data": {"text": {"raw": "d"}}}]');
SET ROLE regress_wire_collab;
SELECT post_inputs('wire', '[{"data": {"text": {"raw": "d"}}}, {"created_at": "2018-05-06T07:08:09Z", "data": {"text": {"raw": "d"}}}]');
SELECT post_inputs('wire', '[{"modified_at": "2029-05-06T07:08:09Z", "data": {"text": {"raw": "d"}}}]');
RESET ROLE;
SELECT pg_temp.fingerprint() = :'before' AS unchanged;
SET ROLE regress_wire_collab;
SELECT id FROM post_inputs('wire', '[{"id": "collab-input", "created_at": "", "modified_at": null, "data": {"text": {"raw": "d"}}}]');
RESET ROLE;

-- status filters take labels, Clarifai names and codes, mixed
SELECT count_annotations('wire', statuses => '{pending}', list_all_annotations => true),
       count_annotations('wire', statuses => '{ANNOTATION_PENDING}', list_all_annotations => true),
       count_annotations('wire', statuses => '{24151}', list_all_annotations => true),
       count_annotations('wire', statuses => '{24151,ANNOTATION_PENDING,pending}', list_all_annotations => true),
       count_annotations('wire', statuses => ARRAY['pending']::annotations.status[], list_all_annotations => true),
       count_annotations('wire', statuses => '{success,24151}', list_all_annotations => true),
       count_annotations('wire', list_all_annotations => true);
SELECT string_agg(id, ' ' ORDER BY seq) FROM list_annotations('wire', statuses => '{ANNOTATION_PENDING}', list_all_annotations => true);
SELECT string_agg(id, ' ' ORDER BY seq) FROM list_annotations('wire', statuses => ARRAY['24151'], per_page => 0, page => 0, list_all_annotations => true);

-- inputs: "" is "not given", unkept fields at their default are ignored; the data is
-- stored without the defaults, as if they had been left out
SELECT length(id) AS generated_id_length, data FROM post_inputs('wire', '[{"id": "", "dataset_ids": [], "settings": null, "status": null,
   "data": {"image": {"url": "https://x/2.jpg", "base64": "", "allow_duplicate_url": false, "hosted": null,
                      "image_info": {"width": 640, "height": 480, "format": "", "color_mode": "", "mode": ""}},
            "concepts": [], "regions": [], "frames": [], "colors": [], "int_value": "0"}}]');
-- an image size of 0 is "not set": stored without it, so the size is unknown,
-- and export_coco leaves that image's boxes out, saying so
SELECT id, data FROM post_inputs('wire', '[{"id": "sizeless", "data": {"image": {"url": "https://x/s.jpg",
   "image_info": {"width": 0, "height": 0, "format": "jpeg"}}}},
  {"id": "half-sized", "data": {"image": {"url": "https://x/h.jpg", "image_info": {"width": 640, "height": 0}}}}]');
SELECT count(*) FROM post_annotations('wire', '[
  {"input_id": "sizeless", "data": {"regions": [{"region_info": {"bounding_box": {"bottom_row": 0.5, "right_col": 0.5}},
                                                 "data": {"concepts": [{"id": "cat"}]}}]}},
  {"input_id": "half-sized", "data": {"regions": [{"region_info": {"bounding_box": {"bottom_row": 0.5, "right_col": 0.5}},
                                                   "data": {"concepts": [{"id": "cat"}]}}]}}]');
SET client_min_messages = notice;
SELECT jsonb_array_length(c -> 'images') AS images, jsonb_array_length(c -> 'annotations') AS boxes
  FROM export_coco('wire', input_ids => '{sizeless,half-sized}') c;
SET client_min_messages = warning;
SELECT post_inputs('wire', '[{"id": "d", "dataset_ids": ["ds-1"], "data": {"image": {"url": "https://x/3.jpg"}}}]');
SELECT post_inputs('wire', '[{"id": "d", "data": {"image": {"url": "", "base64": ""}}}]');
SELECT post_inputs('wire', '[{"id": "d", "data": {"video": {"url": "https://x/d.mp4", "thumbnail_url": "https://x/t.jpg"}}}]');

SELECT delete_inputs('wire', (SELECT array_agg(id) FROM annotations.inputs WHERE app_id = 'wire'));
DELETE FROM annotations.apps WHERE id = 'wire';
DROP ROLE regress_wire_collab;
