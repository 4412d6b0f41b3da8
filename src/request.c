/*
 * request.c — parse and validate Clarifai annotation and input requests.
 *
 * The API's C functions call parse_annotation_batch and parse_input_batch
 * and work on the structs; the SQL-callable annotations_parse_annotations
 * and annotations_parse_inputs remain only for databases still on 1.0,
 * whose PL/pgSQL receives the structs as rows.
 */
#include "postgres.h"

#include "access/xact.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"

#include "bbox.h"
#include "json_read.h"
#include "proto_fields.h"
#include "request.h"

/* ---- annotations ---- */

enum
{
	AK_ID, AK_INPUT_ID, AK_USER_ID, AK_MODEL_VERSION_ID, AK_EMBED_MODEL_VERSION_ID,
	AK_TASK_ID, AK_STATUS, AK_ANNOTATION_INFO, AK_DATA, AK_WORKER,
	AK_CREATED_AT, AK_MODIFIED_AT,	/* kept by a post, ignored by a patch */
	AK_INPUT_LEVEL,				/* output only: ignored */
	AK_TRUSTED, AK_CONSENSUS_INFO,
	AK_COUNT
};
static const char *const annotation_keys[AK_COUNT] = {
	"id", "input_id", "user_id", "model_version_id", "embed_model_version_id",
	"task_id", "status", "annotation_info", "data", "worker",
	"created_at", "modified_at", "input_level", "trusted", "consensus_info"
};

enum
{
	DK_CONCEPTS, DK_REGIONS, DK_FRAMES, DK_COUNT
};
static const char *const data_keys[DK_COUNT] = {"concepts", "regions", "frames"};

/* Inside a frame, data holds concepts and regions only. */
static const char *const frame_data_keys[2] = {"concepts", "regions"};

enum
{
	RK_ID, RK_REGION_INFO, RK_DATA, RK_COUNT
};
static const char *const region_keys[RK_COUNT] = {"id", "region_info", "data"};
static const char *const region_data_keys[1] = {"concepts"};

enum
{
	FK_FRAME_INFO, FK_DATA, FK_COUNT
};
static const char *const frame_keys[FK_COUNT] = {"frame_info", "data"};

enum
{
	FIK_INDEX, FIK_TIME, FIK_COUNT
};
static const char *const frame_info_keys[FIK_COUNT] = {"index", "time"};

enum
{
	WK_USER, WK_MODEL, WK_COUNT
};
static const char *const worker_keys[WK_COUNT] = {"user", "model"};
static const char *const id_key[1] = {"id"};

enum
{
	MK_ID, MK_MODEL_VERSION, MK_COUNT
};
static const char *const model_keys[MK_COUNT] = {"id", "model_version"};

static pg_attribute_noreturn() void
request_error(const char *path, const char *msg)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s: %s", path, msg)));
}

/* An optional id field ("" is not given). */
static char *
optional_id(const JsonbValue *vals, const bool *has, int key, const char *path)
{
	/* the key's path is written only for a key that is there */
	if (!has[key])
		return NULL;
	return jr_optional_id(&vals[key], true, jr_key_path(path, annotation_keys[key]));
}

/* The id inside a {"id": …} object of a worker (user or model version). */
static char *
worker_id(const JsonbValue *v, const char *path, const JrKeys *unkept)
{
	JsonbValue	id;
	bool		has_id;

	jr_object_unkept(v, path, id_key, 1, unkept, &id, &has_id);
	return jr_optional_id(&id, has_id, jr_key_path(path, "id"));
}

/*
 * worker: the author as current Clarifai clients name it, a user or a model
 * version. Kept as user_id / model_version_id, which must agree when given too.
 */
static void
parse_worker(const JsonbValue *v, const char *path, AnnotationRequest *a)
{
	JsonbValue	vals[WK_COUNT];
	bool		has[WK_COUNT];
	char	   *user = NULL;
	char	   *version = NULL;

	jr_object_unkept(v, path, worker_keys, WK_COUNT, &proto_worker_unkept, vals, has);
	if (has[WK_USER])
		user = worker_id(&vals[WK_USER], jr_key_path(path, "user"), &proto_user_unkept);
	if (has[WK_MODEL])
	{
		const char *model_path = jr_key_path(path, "model");
		JsonbValue	mvals[MK_COUNT];
		bool		mhas[MK_COUNT];

		jr_object_unkept(&vals[WK_MODEL], model_path, model_keys, MK_COUNT,
						 &proto_model_unkept, mvals, mhas);
		/* the model's own id says nothing here: labels belong to a version */
		(void) jr_optional_id(&mvals[MK_ID], mhas[MK_ID], jr_key_path(model_path, "id"));
		if (mhas[MK_MODEL_VERSION])
			version = worker_id(&mvals[MK_MODEL_VERSION], jr_key_path(model_path, "model_version"),
								&proto_model_version_unkept);
		if (version == NULL)
			request_error(model_path, "a model worker needs model_version.id");
	}
	if (user && version)
		request_error(path, "a worker is a user or a model, not both");
	if (user && a->user_id && strcmp(user, a->user_id) != 0)
		request_error(path, psprintf("worker.user.id \"%s\" and user_id \"%s\" name different authors",
									 user, a->user_id));
	if (version && a->model_version_id && strcmp(version, a->model_version_id) != 0)
		request_error(path, psprintf("worker.model.model_version.id \"%s\" and model_version_id \"%s\" name different authors",
									 version, a->model_version_id));
	if (user)
		a->user_id = user;
	if (version)
		a->model_version_id = version;
}

static void
parse_region(const JsonbValue *v, const char *path, RegionRequest *r)
{
	JsonbValue	vals[RK_COUNT];
	bool		has[RK_COUNT];

	jr_object_unkept(v, path, region_keys, RK_COUNT, &proto_region_unkept, vals, has);
	r->present = true;
	r->id = jr_optional_id(&vals[RK_ID], has[RK_ID], jr_key_path(path, "id"));
	if (has[RK_REGION_INFO])
	{
		region_info_parse(&vals[RK_REGION_INFO], jr_key_path(path, "region_info"), &r->shape);
		r->has_shape = true;
	}
	if (has[RK_DATA])
	{
		const char *data_path = jr_key_path(path, "data");
		JsonbValue	concepts;

		r->has_data = true;
		jr_object_unkept(&vals[RK_DATA], data_path, region_data_keys, 1,
						 &proto_region_data_unkept, &concepts, &r->has_concepts);
		if (r->has_concepts)
			concepts_parse(&concepts, jr_key_path(data_path, "concepts"), &r->concepts);
	}
	if (!r->has_concepts)
		r->concepts.n = 0;
}

/* concepts and regions of a data object (top level or inside a frame) */
static void
parse_concepts_and_region(const JsonbValue *concepts, bool has_concepts,
						  const JsonbValue *regions, bool has_regions,
						  const char *path, AnnotationRequest *a)
{
	if (has_concepts)
	{
		concepts_parse(concepts, jr_key_path(path, "concepts"), &a->concepts);
		a->has_concepts = true;
	}
	if (has_regions)
	{
		const char *regions_path = jr_key_path(path, "regions");
		int			n = jr_array_length(regions, regions_path);

		if (n > 1)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: an annotation holds at most one region, got %d", regions_path, n),
					 errhint("Post one annotation per region.")));
		if (n == 1)
			parse_region(jr_array_element(regions, 0), jr_index_path(regions_path, 0), &a->region);
	}
}

static void
parse_frame(const JsonbValue *v, const char *path, AnnotationRequest *a)
{
	JsonbValue	vals[FK_COUNT];
	bool		has[FK_COUNT];

	jr_object_unkept(v, path, frame_keys, FK_COUNT, &proto_frame_unkept, vals, has);
	a->has_frame = true;
	if (has[FK_FRAME_INFO])
	{
		const char *info_path = jr_key_path(path, "frame_info");
		JsonbValue	ivals[FIK_COUNT];
		bool		ihas[FIK_COUNT];

		jr_object_unkept(&vals[FK_FRAME_INFO], info_path, frame_info_keys, FIK_COUNT,
						 &proto_frame_info_unkept, ivals, ihas);
		if (ihas[FIK_INDEX])
		{
			a->has_frame_index = true;
			a->frame_index = (int32) jr_integer(&ivals[FIK_INDEX], jr_key_path(info_path, "index"),
												0, PG_INT32_MAX);
		}
		if (ihas[FIK_TIME])
		{
			a->has_frame_time = true;
			a->frame_time = (int32) jr_integer(&ivals[FIK_TIME], jr_key_path(info_path, "time"),
											   0, PG_INT32_MAX);
		}
		/* proto3 writes the first frame (index 0, time 0) as {} */
		if (!ihas[FIK_INDEX] && !ihas[FIK_TIME])
		{
			a->has_frame_index = a->has_frame_time = true;
			a->frame_index = a->frame_time = 0;
		}
	}
	if (!a->has_frame_index && !a->has_frame_time)
		request_error(path, "a frame needs frame_info with an \"index\" or a \"time\"");
	if (has[FK_DATA])
	{
		const char *data_path = jr_key_path(path, "data");
		JsonbValue	dvals[2];
		bool		dhas[2];

		jr_object_unkept(&vals[FK_DATA], data_path, frame_data_keys, 2,
						 &proto_frame_data_unkept, dvals, dhas);
		parse_concepts_and_region(&dvals[0], dhas[0], &dvals[1], dhas[1], data_path, a);
	}
}

static void
parse_data(const JsonbValue *v, const char *path, AnnotationRequest *a)
{
	JsonbValue	vals[DK_COUNT];
	bool		has[DK_COUNT];

	jr_object_unkept(v, path, data_keys, DK_COUNT, &proto_data_unkept, vals, has);
	a->has_data = true;
	if (has[DK_FRAMES])
	{
		const char *frames_path = jr_key_path(path, "frames");
		int			n = jr_array_length(&vals[DK_FRAMES], frames_path);

		if (n > 1)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: an annotation holds at most one frame, got %d", frames_path, n),
					 errhint("Post one annotation per frame.")));
		if (n == 1)
		{
			/* [] is proto3's "not set" */
			if ((has[DK_CONCEPTS] && jr_array_length(&vals[DK_CONCEPTS], jr_key_path(path, "concepts")) > 0) ||
				(has[DK_REGIONS] && jr_array_length(&vals[DK_REGIONS], jr_key_path(path, "regions")) > 0))
				request_error(path, "with a frame, concepts and regions go inside the frame's data");
			parse_frame(jr_array_element(&vals[DK_FRAMES], 0), jr_index_path(frames_path, 0), a);
			return;
		}
	}
	parse_concepts_and_region(&vals[DK_CONCEPTS], has[DK_CONCEPTS],
							  &vals[DK_REGIONS], has[DK_REGIONS], path, a);
}

/* The dates a post may carry, as read from its created_at and modified_at. */
typedef struct PostedTimes
{
	bool	   *has_created_at;
	TimestampTz *created_at;
	bool	   *has_modified_at;
	TimestampTz *modified_at;
} PostedTimes;

/*
 * created_at and modified_at of a post ("" is not given): the dates of
 * labels and inputs brought from elsewhere. A time left out is the time of
 * the call. created and modified are the two keys' values (has: present).
 */
static void
parse_times(const JsonbValue *created_v, bool has_created, const JsonbValue *modified_v,
			bool has_modified, const char *path, const PostedTimes *out)
{
	TimestampTz created;

	*out->has_created_at = has_created && !jr_is_default(created_v);
	if (*out->has_created_at)
		*out->created_at = jr_timestamp(created_v, jr_key_path(path, "created_at"));
	*out->has_modified_at = has_modified && !jr_is_default(modified_v);
	if (*out->has_modified_at)
		*out->modified_at = jr_timestamp(modified_v, jr_key_path(path, "modified_at"));
	created = *out->has_created_at ? *out->created_at : GetCurrentTransactionStartTimestamp();
	if (*out->has_modified_at && *out->modified_at < created)
		request_error(jr_key_path(path, "modified_at"),
					  psprintf("modified_at (%.*s) must not be before %s",
							   modified_v->val.string.len, modified_v->val.string.val,
							   *out->has_created_at
							   ? psprintf("created_at (%.*s)", created_v->val.string.len,
										  created_v->val.string.val)
							   : "created_at, the time of the call when it is not given"));
}

static void
parse_annotation(const JsonbValue *v, const char *path, RequestMode mode, AnnotationRequest *a)
{
	JsonbValue	vals[AK_COUNT];
	bool		has[AK_COUNT];

	jr_object(v, path, annotation_keys, AK_COUNT, vals, has);
	a->path = (char *) path;
	a->id = optional_id(vals, has, AK_ID, path);
	a->input_id = optional_id(vals, has, AK_INPUT_ID, path);
	a->user_id = optional_id(vals, has, AK_USER_ID, path);
	a->model_version_id = optional_id(vals, has, AK_MODEL_VERSION_ID, path);
	a->embed_model_version_id = optional_id(vals, has, AK_EMBED_MODEL_VERSION_ID, path);
	a->task_id = optional_id(vals, has, AK_TASK_ID, path);
	if (has[AK_STATUS])
		a->status = status_parse(&vals[AK_STATUS], jr_key_path(path, "status"));
	if (has[AK_ANNOTATION_INFO])
		a->annotation_info = jr_free_object(&vals[AK_ANNOTATION_INFO],
											jr_key_path(path, "annotation_info"));
	if (has[AK_TRUSTED])
		a->trusted = jr_bool(&vals[AK_TRUSTED], jr_key_path(path, "trusted"));
	if (has[AK_CONSENSUS_INFO])
	{
		/* a protobuf Struct: any object; an empty one is proto3's "not set" */
		a->consensus_info = jr_free_object(&vals[AK_CONSENSUS_INFO],
										   jr_key_path(path, "consensus_info"));
		if (JB_ROOT_COUNT(a->consensus_info) == 0)
			a->consensus_info = NULL;
	}
	if (has[AK_DATA])
		parse_data(&vals[AK_DATA], jr_key_path(path, "data"), a);
	if (has[AK_WORKER])
		parse_worker(&vals[AK_WORKER], jr_key_path(path, "worker"), a);

	if (a->user_id && a->model_version_id)
		request_error(path, "an annotation is written by a user or by a model, not both: give user_id or model_version_id");

	if (mode == REQUEST_POST)
	{
		PostedTimes times = {&a->has_created_at, &a->created_at, &a->has_modified_at, &a->modified_at};

		parse_times(&vals[AK_CREATED_AT], has[AK_CREATED_AT], &vals[AK_MODIFIED_AT],
					has[AK_MODIFIED_AT], path, &times);
		if (a->input_id == NULL)
			request_error(path, "annotation needs an \"input_id\"");
		if (a->id == NULL)
			a->id = jr_new_id();
		if (a->region.present && !a->region.has_shape && a->region.id == NULL)
			request_error(a->has_frame ? jr_key_path(path, "data.frames[0].data.regions[0]")
						  : jr_key_path(path, "data.regions[0]"),
						  "a region needs region_info (a bounding_box, polygon, point or mask), or the id of an existing region to label");
		if (a->region.present && a->region.id == NULL)
			a->region.id = jr_new_id();
	}
	else
	{
		if (a->id == NULL)
			request_error(path, "annotation needs an \"id\" to be patched");
	}
}

/* Orders element numbers by their ids (bytewise), then by position. */
static int
by_id_then_element(const void *a, const void *b, void *arg)
{
	const AnnotationRequest *reqs = arg;
	int			x = *(const int *) a;
	int			y = *(const int *) b;
	int			c = strcmp(reqs[x].id, reqs[y].id);

	return c != 0 ? c : (x > y) - (x < y);
}

/*
 * Finds, in order (element numbers sorted by id, then position), the first
 * element (in request order) whose id an earlier element has, and the
 * first element with that id; false when every id is used once. The sort
 * puts each id's elements side by side, in request order.
 */
static bool
first_repeat(const AnnotationRequest *reqs, const int *order, int n, int *repeat, int *first)
{
	int			group = 0;

	*repeat = -1;
	for (int k = 1; k < n; k++)
	{
		if (strcmp(reqs[order[k]].id, reqs[order[group]].id) != 0)
			group = k;
		else if (k == group + 1 && (*repeat < 0 || order[k] < *repeat))
		{
			*repeat = order[k];
			*first = order[group];
		}
	}
	return *repeat >= 0;
}

AnnotationRequest *
parse_annotation_batch(Jsonb *batch, RequestMode mode, int *count, int **id_order)
{
	JsonbValue	root;
	int			n = jr_batch_length(batch, "annotations", &root);
	AnnotationRequest *reqs = palloc0(sizeof(AnnotationRequest) * n);
	int		   *order = palloc(sizeof(int) * Max(n, 1));
	int			i;
	int			j;

	for (i = 0; i < n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		parse_annotation(jr_array_element(&root, i), jr_index_path("annotations", i), mode, &reqs[i]);
	}

	/* an id twice in one call can only be a mistake */
	for (i = 0; i < n; i++)
		order[i] = i;
	qsort_arg(order, n, sizeof(int), by_id_then_element, (void *) reqs);
	if (first_repeat(reqs, order, n, &i, &j))
		ereport(ERROR,
				(errcode(mode == REQUEST_POST ? ERRCODE_UNIQUE_VIOLATION
						 : ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s.id: annotation id \"%s\" is also used by %s",
						reqs[i].path, reqs[i].id, reqs[j].path)));
	*count = n;
	if (id_order != NULL)
		*id_order = order;
	else
		pfree(order);
	return reqs;
}

/* ---- inputs ---- */

enum
{
	IK_ID, IK_DATA, IK_CREATED_AT, IK_MODIFIED_AT, IK_STATUS, IK_COUNT
};
static const char *const input_keys[IK_COUNT] = {"id", "data", "created_at", "modified_at", "status"};

enum
{
	IDK_IMAGE, IDK_VIDEO, IDK_TEXT, IDK_AUDIO, IDK_CONCEPTS, IDK_METADATA, IDK_COUNT
};
static const char *const input_data_keys[IDK_COUNT] = {
	"image", "video", "text", "audio", "concepts", "metadata"
};

static const char *const image_keys[3] = {"url", "base64", "image_info"};
static const char *const image_info_keys[3] = {"width", "height", "format"};
static const char *const video_keys[2] = {"url", "base64"};
static const char *const text_keys[2] = {"raw", "url"};
static const char *const audio_keys[2] = {"url", "base64"};

/* Checks a media object: known keys, string values, at least one given. */
static void
parse_media(const JsonbValue *v, const char *path, const char *const *keys, int nkeys,
			int info_key, const JrKeys *unkept)
{
	JsonbValue	vals[3];
	bool		has[3];
	bool		any = false;
	int			i;

	jr_object_unkept(v, path, keys, nkeys, unkept, vals, has);
	for (i = 0; i < nkeys; i++)
	{
		const char *p;

		if (!has[i])
			continue;
		p = jr_key_path(path, keys[i]);
		if (i == info_key)
		{
			JsonbValue	ivals[3];
			bool		ihas[3];

			jr_object_unkept(&vals[i], p, image_info_keys, 3, &proto_image_info_unkept, ivals, ihas);
			/* a size of 0 is proto3's "not set": stored without it (size unknown) */
			if (ihas[0])
				(void) jr_integer(&ivals[0], jr_key_path(p, "width"), 0, PG_INT32_MAX);
			if (ihas[1])
				(void) jr_integer(&ivals[1], jr_key_path(p, "height"), 0, PG_INT32_MAX);
			if (ihas[2])
				(void) jr_string(&ivals[2], jr_key_path(p, "format"));
			continue;
		}
		/* "" is proto3's "not set" */
		any |= (strlen(jr_string(&vals[i], p)) > 0);
	}
	/* the first two keys are the content itself (url/base64, raw/url) */
	if (!any)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: expected \"%s\" or \"%s\"", path, keys[0], keys[1])));
}

/* Pushes an object (a media object of an input) without its default values. */
static void
push_without_defaults(JsonbParseState **st, const JsonbValue *obj)
{
	JsonbIterator *it = JsonbIteratorInit(obj->val.binary.data);
	JsonbValue	key;
	JsonbValue	val;

	pushJsonbValue(st, WJB_BEGIN_OBJECT, NULL);
	while (jr_next_pair(&it, &key, &val))
	{
		if (jr_is_default(&val))
			continue;
		pushJsonbValue(st, WJB_KEY, &key);
		if (val.type == jbvBinary && JsonContainerIsObject(val.val.binary.data))
			push_without_defaults(st, &val);
		else
			pushJsonbValue(st, WJB_VALUE, &val);
	}
	pushJsonbValue(st, WJB_END_OBJECT, NULL);
}

/*
 * The data object of an input as it is stored: the media object without the
 * defaults proto3 writers add, the concepts normalized (left out when there
 * are none), metadata as given, the unkept fields (all at their default by
 * now) and nulls left out. Written one way whichever way a client
 * serialized it.
 */
static Jsonb *
input_data_stored(const JsonbValue *data, const ConceptList *concepts)
{
	JsonbParseState *st = NULL;
	JsonbIterator *it = JsonbIteratorInit(data->val.binary.data);
	JsonbValue	key;
	JsonbValue	val;
	JsonbValue *res;

	pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
	while (jr_next_pair(&it, &key, &val))
	{
		int			k;

		if (val.type == jbvNull)
			continue;
		for (k = 0; k < IDK_COUNT; k++)
			if (strlen(input_data_keys[k]) == (size_t) key.val.string.len &&
				memcmp(input_data_keys[k], key.val.string.val, key.val.string.len) == 0)
				break;
		if (k == IDK_COUNT || (k == IDK_CONCEPTS && concepts->n == 0))
			continue;
		pushJsonbValue(&st, WJB_KEY, &key);
		if (k == IDK_CONCEPTS)
		{
			JsonbValue	c;

			jr_root(concepts_to_jsonb(concepts), &c);
			pushJsonbValue(&st, WJB_VALUE, &c);
		}
		else if (k == IDK_METADATA)
			pushJsonbValue(&st, WJB_VALUE, &val);
		else
			push_without_defaults(&st, &val);
	}
	res = pushJsonbValue(&st, WJB_END_OBJECT, NULL);
	return JsonbValueToJsonb(res);
}

static void
parse_input(const JsonbValue *v, const char *path, InputRequest *in)
{
	JsonbValue	vals[IK_COUNT];
	bool		has[IK_COUNT];
	JsonbValue	dvals[IDK_COUNT];
	bool		dhas[IDK_COUNT];
	const char *data_path = jr_key_path(path, "data");
	int			kinds = 0;
	int			i;
	PostedTimes times = {&in->has_created_at, &in->created_at, &in->has_modified_at, &in->modified_at};

	jr_object_unkept(v, path, input_keys, IK_COUNT, &proto_input_unkept, vals, has);
	in->path = (char *) path;
	in->id = jr_optional_id(&vals[IK_ID], has[IK_ID], jr_key_path(path, "id"));
	if (in->id == NULL)
		in->id = jr_new_id();
	parse_times(&vals[IK_CREATED_AT], has[IK_CREATED_AT], &vals[IK_MODIFIED_AT],
				has[IK_MODIFIED_AT], path, &times);
	if (has[IK_STATUS])
		(void) jr_any_object(&vals[IK_STATUS], jr_key_path(path, "status"));
	if (!has[IK_DATA])
		request_error(path, "input needs \"data\" with one of \"image\", \"video\", \"text\" or \"audio\"");
	jr_object_unkept(&vals[IK_DATA], data_path, input_data_keys, IDK_COUNT,
					 &proto_input_data_unkept, dvals, dhas);
	for (i = IDK_IMAGE; i <= IDK_AUDIO; i++)
		kinds += dhas[i] ? 1 : 0;
	if (kinds != 1)
		request_error(data_path, kinds == 0
					  ? "input data needs one of \"image\", \"video\", \"text\" or \"audio\""
					  : "input data holds exactly one of \"image\", \"video\", \"text\" or \"audio\"");
	if (dhas[IDK_IMAGE])
		parse_media(&dvals[IDK_IMAGE], jr_key_path(data_path, "image"), image_keys, 3, 2, &proto_image_unkept);
	if (dhas[IDK_VIDEO])
		parse_media(&dvals[IDK_VIDEO], jr_key_path(data_path, "video"), video_keys, 2, -1, &proto_video_unkept);
	if (dhas[IDK_TEXT])
		parse_media(&dvals[IDK_TEXT], jr_key_path(data_path, "text"), text_keys, 2, -1, &proto_text_unkept);
	if (dhas[IDK_AUDIO])
		parse_media(&dvals[IDK_AUDIO], jr_key_path(data_path, "audio"), audio_keys, 2, -1, &proto_audio_unkept);
	if (dhas[IDK_METADATA])
		(void) jr_free_object(&dvals[IDK_METADATA], jr_key_path(data_path, "metadata"));
	in->concepts.n = 0;
	if (dhas[IDK_CONCEPTS])
		concepts_parse(&dvals[IDK_CONCEPTS], jr_key_path(data_path, "concepts"), &in->concepts);
	in->data = input_data_stored(&vals[IK_DATA], &in->concepts);
}

InputRequest *
parse_input_batch(Jsonb *batch, int *count)
{
	JsonbValue	root;
	int			n = jr_batch_length(batch, "inputs", &root);
	InputRequest *reqs = palloc0(sizeof(InputRequest) * n);
	int			i;
	int			j;

	for (i = 0; i < n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		parse_input(jr_array_element(&root, i), jr_index_path("inputs", i), &reqs[i]);
	}
	for (i = 1; i < n; i++)
		for (j = 0; j < i; j++)
			if (strcmp(reqs[i].id, reqs[j].id) == 0)
				ereport(ERROR,
						(errcode(ERRCODE_UNIQUE_VIOLATION),
						 errmsg("%s.id: input id \"%s\" is also used by %s",
								reqs[i].path, reqs[i].id, reqs[j].path)));
	*count = n;
	return reqs;
}

/* ---- SQL entry points ---- */

#define PARSED_ANNOTATION_COLS 19

static Datum
text_or_null(const char *s, bool *isnull)
{
	*isnull = (s == NULL);
	return s ? CStringGetTextDatum(s) : (Datum) 0;
}

PG_FUNCTION_INFO_V1(annotations_parse_annotations);
/*
 * _parse_annotations(batch jsonb, patch boolean) → SETOF rows, one per item,
 * in request order. NULL columns mean "not given".
 */
Datum
annotations_parse_annotations(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Jsonb	   *batch = PG_ARGISNULL(0) ? NULL : PG_GETARG_JSONB_P(0);
	RequestMode mode;
	AnnotationRequest *reqs;
	int			n;
	int			i;

	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("patch must not be NULL"),
				 errhint("Pass true to parse a patch request, false to parse a post request.")));
	mode = PG_GETARG_BOOL(1) ? REQUEST_PATCH : REQUEST_POST;
	InitMaterializedSRF(fcinfo, 0);
	reqs = parse_annotation_batch(batch, mode, &n, NULL);
	for (i = 0; i < n; i++)
	{
		AnnotationRequest *a = &reqs[i];
		Datum		values[PARSED_ANNOTATION_COLS];
		bool		nulls[PARSED_ANNOTATION_COLS];

		memset(nulls, 0, sizeof(nulls));
		values[0] = Int32GetDatum(i);
		values[1] = text_or_null(a->id, &nulls[1]);
		values[2] = text_or_null(a->input_id, &nulls[2]);
		values[3] = text_or_null(a->user_id, &nulls[3]);
		values[4] = text_or_null(a->model_version_id, &nulls[4]);
		values[5] = text_or_null(a->embed_model_version_id, &nulls[5]);
		values[6] = text_or_null(a->task_id, &nulls[6]);
		values[7] = text_or_null(a->status ? a->status->label : NULL, &nulls[7]);
		values[8] = JsonbPGetDatum(a->annotation_info);
		nulls[8] = (a->annotation_info == NULL);
		values[9] = BoolGetDatum(a->has_data);
		nulls[10] = !a->has_concepts;
		if (a->has_concepts)
			values[10] = JsonbPGetDatum(concepts_to_jsonb(&a->concepts));
		values[11] = BoolGetDatum(a->region.present);
		values[12] = text_or_null(a->region.id, &nulls[12]);
		/* 1.0 stores boxes only: a shape is refused, never cut down to its box */
		if (a->region.has_shape && a->region.shape.kind != SHAPE_BOX)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("%s: %s regions need version 1.1 of extension \"annotations\"", a->path,
							region_shape_kind_name(a->region.shape.kind)),
					 errhint("Update it with ALTER EXTENSION annotations UPDATE.")));
		nulls[13] = !a->region.has_shape;
		if (a->region.has_shape)
			values[13] = BBoxPGetDatum(&a->region.shape.box);
		nulls[14] = !a->region.has_concepts;
		if (a->region.has_concepts)
			values[14] = JsonbPGetDatum(concepts_to_jsonb(&a->region.concepts));
		values[15] = BoolGetDatum(a->region.has_data);
		values[16] = BoolGetDatum(a->has_frame);
		values[17] = Int32GetDatum(a->frame_index);
		nulls[17] = !a->has_frame_index;
		values[18] = Int32GetDatum(a->frame_time);
		nulls[18] = !a->has_frame_time;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(annotations_parse_inputs);
/* _parse_inputs(batch jsonb) → SETOF (ord, id, data, concepts) in request order. */
Datum
annotations_parse_inputs(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Jsonb	   *batch = PG_ARGISNULL(0) ? NULL : PG_GETARG_JSONB_P(0);
	InputRequest *reqs;
	int			n;
	int			i;

	InitMaterializedSRF(fcinfo, 0);
	reqs = parse_input_batch(batch, &n);
	for (i = 0; i < n; i++)
	{
		Datum		values[4];
		bool		nulls[4] = {false, false, false, false};

		values[0] = Int32GetDatum(i);
		values[1] = CStringGetTextDatum(reqs[i].id);
		values[2] = JsonbPGetDatum(reqs[i].data);
		values[3] = JsonbPGetDatum(concepts_to_jsonb(&reqs[i].concepts));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(annotations_check_id);
/* _check_id(id text, what text): the id rule for SQL arguments. */
Datum
annotations_check_id(PG_FUNCTION_ARGS)
{
	char	   *what = PG_ARGISNULL(1) ? "id" : text_to_cstring(PG_GETARG_TEXT_PP(1));

	jr_check_id(PG_ARGISNULL(0) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(0)), what);
	PG_RETURN_VOID();
}

PG_FUNCTION_INFO_V1(annotations_new_id);
/* _new_id(): a fresh random id for an annotation, region or input. */
Datum
annotations_new_id(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(jr_new_id()));
}
