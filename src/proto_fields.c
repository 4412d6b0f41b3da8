/*
 * proto_fields.c — the field lists of proto_fields.h, taken from Clarifai's
 * resources.proto (clarifai-nodejs-grpc 11.11.0); the conformance test
 * (test/drivers/proto_conformance.sh) checks them against that schema.
 * "name=ZERO" is an enum field, whose zero value clients may write by name.
 */
#include "postgres.h"

#include "proto_fields.h"

#define KEYS(name, ...) \
	static const char *const name##_keys[] = {__VA_ARGS__}; \
	const JrKeys name = {name##_keys, lengthof(name##_keys)}

/* Data's fields other than concepts, regions, frames and an input's media */
#define DATA_OTHER \
	"geo", "colors", "clusters", "embeddings", "tracks", "time_segments", "hits", \
	"heatmaps", "parts", "ndarray", "int_value", "float_value", "bytes_value", \
	"bool_value", "string_value", "struct_value"
#define DATA_MEDIA "image", "video", "text", "audio", "metadata"

KEYS(proto_data_unkept, DATA_MEDIA, DATA_OTHER);
KEYS(proto_frame_data_unkept, DATA_MEDIA, DATA_OTHER, "frames");
KEYS(proto_region_data_unkept, DATA_MEDIA, DATA_OTHER, "regions", "frames");
KEYS(proto_input_data_unkept, DATA_OTHER, "regions", "frames");
KEYS(proto_region_unkept, "value", "track_id");
KEYS(proto_region_info_unkept, "span", "token", "keypoint_locations");
KEYS(proto_frame_unkept, "id");
KEYS(proto_frame_info_unkept, "number");
KEYS(proto_concept_unkept, "created_at", "language", "app_id", "definition", "vocab_id",
	 "visibility", "user_id", "keypoint_info", "extra_info", "metadata", "image");
KEYS(proto_status_unkept, "stack_trace", "percent_completed", "time_remaining", "req_id",
	 "internal_details", "redirect_info", "developer_notes");
KEYS(proto_worker_unkept, "workflow");
KEYS(proto_user_unkept, "primary_email", "first_name", "last_name", "company_name",
	 "job_title", "job_role", "intention", "referral_source", "bill_type", "created_at",
	 "date_gdpr_consent", "date_tos_consent", "date_marketing_consent", "date_pii_consent",
	 "metadata", "email_addresses", "two_factor_auth_enabled", "teams_count", "is_starred",
	 "star_count", "visibility", "user_detail", "image");
KEYS(proto_model_unkept, "name", "created_at", "modified_at", "app_id", "output_info",
	 "display_name", "user_id", "default_eval_info", "model_type_id", "task", "visibility",
	 "description", "metadata", "presets", "notes", "toolkits", "use_cases", "languages",
	 "languages_full", "check_consents", "is_starred", "star_count", "workflow_recommended",
	 "bookmark_origin", "image", "license_type=UNKNOWN_LICENSE_TYPE", "source=UNKNOWN_SOURCE", "creator", "version_count",
	 "billing_type=Unknown", "featured_order", "deploy_restriction=USAGE_RESTRICTION_NOT_SET", "replica_count", "open_router_info");
KEYS(proto_model_version_unkept, "created_at", "status", "active_concept_count", "metrics",
	 "total_input_count", "pretrained_model_config", "completed_at", "description",
	 "visibility", "app_id", "user_id", "modified_at", "metadata", "license", "output_info",
	 "input_info", "train_info", "import_info", "train_log", "inference_compute_info",
	 "build_info", "method_signatures", "special_handling");
KEYS(proto_input_unkept, "dataset_ids", "settings");
KEYS(proto_image_unkept, "allow_duplicate_url", "hosted", "hosted_image_info", "decoded_bytes");
KEYS(proto_image_info_unkept, "color_mode", "mode");
KEYS(proto_video_unkept, "allow_duplicate_url", "thumbnail_url", "hosted", "hosted_thumbnail",
	 "video_info");
KEYS(proto_text_unkept, "allow_duplicate_url", "hosted", "text_info");
KEYS(proto_audio_unkept, "allow_duplicate_url", "hosted", "audio_info");
