/*
 * patch.c — the patch engine: stored annotation + patch element → new state.
 *
 * A pure function on C structs (no table access): patch_annotations
 * (patch_api.c) locks and reads the stored rows, calls patch_apply once per
 * element, and writes the result. All merge / overwrite / remove rules
 * live here. _patch_apply, the SQL-callable engine of 1.0, is a thin
 * wrapper that takes its composite arguments apart into the same structs.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/typcache.h"

#include "bbox.h"
#include "concepts.h"
#include "json_read.h"
#include "jsonb_writer.h"
#include "patch.h"
#include "status.h"

static pg_attribute_noreturn() void
patch_error(const char *path, const char *msg)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s: %s", path, msg)));
}

/* ---- annotation_info: deep merge and removal of keys given as true ---- */


static bool
is_object(const JsonbValue *v)
{
	return v && v->type == jbvBinary && JsonContainerIsObject(v->val.binary.data);
}

/*
 * Pushes a's pairs overridden by b's, recursing where both hold an object.
 * Recursion follows b, whose depth the caller has bounded.
 */
static JsonbValue *
push_merged(JsonbParseState **st, JsonbContainer *a, JsonbContainer *b)
{
	JsonbIterator *it;
	JsonbValue	k;
	JsonbValue	v;
	JsonbValue	bv;

	check_stack_depth();
	pushJsonbValue(st, WJB_BEGIN_OBJECT, NULL);
	it = JsonbIteratorInit(a);
	while (jr_next_pair(&it, &k, &v))
	{
		bool		in_b;

		CHECK_FOR_INTERRUPTS();
		in_b = getKeyJsonValueFromContainer(b, k.val.string.val, k.val.string.len, &bv) != NULL;
		pushJsonbValue(st, WJB_KEY, &k);
		if (in_b && is_object(&bv) && is_object(&v))
			push_merged(st, v.val.binary.data, bv.val.binary.data);
		else
			pushJsonbValue(st, WJB_VALUE, in_b ? &bv : &v);
	}
	it = JsonbIteratorInit(b);
	while (jr_next_pair(&it, &k, &v))
	{
		CHECK_FOR_INTERRUPTS();
		if (getKeyJsonValueFromContainer(a, k.val.string.val, k.val.string.len, &bv) == NULL)
		{
			pushJsonbValue(st, WJB_KEY, &k);
			pushJsonbValue(st, WJB_VALUE, &v);
		}
	}
	return pushJsonbValue(st, WJB_END_OBJECT, NULL);
}

/*
 * The keys from the root of a remove request's annotation_info down to the
 * value being checked. The text of the path is made only for an error:
 * making it at every level would cost the square of the nesting depth.
 */
typedef struct KeyPath
{
	const char *root;
	int			depth;
	JsonbValue	keys[MAX_JSON_DEPTH + 1];
} KeyPath;

static char *
key_path_text(const KeyPath *kp)
{
	StringInfoData s;
	int			i;

	initStringInfo(&s);
	appendStringInfoString(&s, kp->root);
	for (i = 0; i < kp->depth; i++)
		appendStringInfo(&s, ".%s", jr_clip(kp->keys[i].val.string.val, kp->keys[i].val.string.len));
	return s.data;
}

/*
 * Checks a remove request's annotation_info, all of it and before anything
 * is applied: every value is true (remove this key) or an object (remove
 * keys inside it), whatever is stored. The caller has checked the depth.
 */
static void
check_remove_spec(JsonbContainer *b, KeyPath *kp)
{
	JsonbIterator *it = JsonbIteratorInit(b);
	JsonbValue	k;
	JsonbValue	v;

	check_stack_depth();
	if (kp->depth >= MAX_JSON_DEPTH)
		elog(ERROR, "annotation_info deeper than checked");
	while (jr_next_pair(&it, &k, &v))
	{
		CHECK_FOR_INTERRUPTS();
		kp->keys[kp->depth++] = k;
		if (is_object(&v))
			check_remove_spec(v.val.binary.data, kp);
		else if (!(v.type == jbvBool && v.val.boolean))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: expected true (remove this key) or an object (remove keys inside it), got %s",
							key_path_text(kp), jr_type_name(&v))));
		kp->depth--;
	}
}

/* Pushes a without the keys b gives as true; an object in b reaches into a. */
static JsonbValue *
push_removed(JsonbParseState **st, JsonbContainer *a, JsonbContainer *b)
{
	JsonbIterator *it;
	JsonbValue	k;
	JsonbValue	v;
	JsonbValue	bv;

	check_stack_depth();
	pushJsonbValue(st, WJB_BEGIN_OBJECT, NULL);
	it = JsonbIteratorInit(a);
	while (jr_next_pair(&it, &k, &v))
	{
		bool		in_b;

		CHECK_FOR_INTERRUPTS();
		in_b = getKeyJsonValueFromContainer(b, k.val.string.val, k.val.string.len, &bv) != NULL;
		if (in_b && bv.type == jbvBool)
			continue;			/* given as true: removed */
		pushJsonbValue(st, WJB_KEY, &k);
		if (in_b && is_object(&bv) && is_object(&v))
			push_removed(st, v.val.binary.data, bv.val.binary.data);
		else
			pushJsonbValue(st, WJB_VALUE, &v);
	}
	return pushJsonbValue(st, WJB_END_OBJECT, NULL);
}

static Jsonb *
info_merge(Jsonb *stored, Jsonb *patch)
{
	JsonbParseState *st = NULL;

	return JsonbValueToJsonb(push_merged(&st, &stored->root, &patch->root));
}

static Jsonb *
info_remove(Jsonb *stored, Jsonb *patch, const char *path)
{
	JsonbParseState *st = NULL;
	KeyPath    *kp = palloc(sizeof(KeyPath));

	kp->root = path;
	kp->depth = 0;
	check_remove_spec(&patch->root, kp);
	return JsonbValueToJsonb(push_removed(&st, &stored->root, &patch->root));
}

/* ---- the engine ---- */

/*
 * A concept list read from storage only when a patch touches it, and written
 * back only when it changed: most merges touch one of the two lists.
 */
typedef struct LazyConcepts
{
	Jsonb	   *stored;			/* as stored; NULL for none */
	ConceptSource src;			/* where stored comes from, for errors */
	bool		loaded;
	bool		dirty;
	ConceptList list;
} LazyConcepts;

/* The list, for reading. */
static ConceptList *
lazy_read(LazyConcepts *lc)
{
	if (!lc->loaded)
	{
		concepts_from_jsonb(lc->stored, &lc->src, &lc->list);
		lc->loaded = true;
	}
	return &lc->list;
}

/* The list, to be changed in place. */
static ConceptList *
lazy_edit(LazyConcepts *lc)
{
	lc->dirty = true;
	return lazy_read(lc);
}

/*
 * The list replaced by a copy of a request's (the stored one is not read);
 * a copy, since a later merge may grow it in place.
 */
static void
lazy_replace(LazyConcepts *lc, const ConceptList *with)
{
	lc->loaded = lc->dirty = true;
	lc->list.n = with ? with->n : 0;
	lc->list.items = palloc(sizeof(Concept) * Max(lc->list.n, 1));
	if (lc->list.n > 0)
		memcpy(lc->list.items, with->items, sizeof(Concept) * lc->list.n);
}

/* The jsonb to store. */
static Jsonb *
lazy_jsonb(LazyConcepts *lc)
{
	if (lc->dirty || lc->stored == NULL)
		return concepts_to_jsonb(lazy_read(lc));
	return lc->stored;
}

/* The state of an annotation a patch may change. */
typedef struct State
{
	LazyConcepts concepts;
	bool		has_region;
	char	   *region_id;
	RegionShape shape;
	LazyConcepts region_concepts;
	bool		has_frame_index;
	int32		frame_index;
	bool		has_frame_time;
	int32		frame_time;
} State;

static char *
field_text(const AnnotationValues *s, AnnotationField f)
{
	return s->nulls[f] ? NULL : TextDatumGetCString(s->values[f]);
}

static Jsonb *
field_jsonb(const AnnotationValues *s, AnnotationField f)
{
	return s->nulls[f] ? NULL : DatumGetJsonbP(s->values[f]);
}

static void
state_from_stored(const AnnotationValues *s, State *st)
{
	const char *app_id = field_text(s, AF_APP_ID);
	const char *id = field_text(s, AF_ID);

	memset(st, 0, sizeof(State));
	st->concepts.stored = field_jsonb(s, AF_CONCEPTS);
	st->concepts.src.column = "annotations.annotations.concepts";
	st->concepts.src.what = "concepts";
	st->concepts.src.app_id = app_id;
	st->concepts.src.annotation_id = id;
	st->region_concepts.src.column = "annotations.regions.concepts";
	st->region_concepts.src.what = "region concepts";
	st->region_concepts.src.app_id = app_id;
	st->region_concepts.src.annotation_id = id;
	st->has_region = !s->nulls[AF_REGION_ID] && !s->nulls[AF_BBOX];
	st->region_id = field_text(s, AF_REGION_ID);
	if (st->has_region)
	{
		ShapeDatums stored;

		annotation_shape_datums(s, &stored);
		region_shape_from_datums(&stored, &st->shape, "region of annotation \"%s\" in app \"%s\"",
								 id, app_id);
	}
	st->region_concepts.stored = field_jsonb(s, AF_REGION_CONCEPTS);
	st->has_frame_index = !s->nulls[AF_FRAME_INDEX];
	st->frame_index = st->has_frame_index ? DatumGetInt32(s->values[AF_FRAME_INDEX]) : 0;
	st->has_frame_time = !s->nulls[AF_FRAME_TIME];
	st->frame_time = st->has_frame_time ? DatumGetInt32(s->values[AF_FRAME_TIME]) : 0;
}

/* The region path of an element, for messages. */
static const char *
region_path(const AnnotationRequest *req)
{
	return psprintf("%s.data.%sregions[0]", req->path, req->has_frame ? "frames[0].data." : "");
}

/* A patch region that is not the current one: a new region replacing it. */
static void
replace_region(const AnnotationRequest *req, State *st)
{
	if (!req->region.has_shape)
		patch_error(region_path(req),
					"a new region needs region_info (to change the current region, give its id)");
	st->has_region = true;
	st->region_id = req->region.id ? req->region.id : jr_new_id();
	st->shape = req->region.shape;
	lazy_replace(&st->region_concepts, req->region.has_concepts ? &req->region.concepts : NULL);
}

static bool
is_current_region(const AnnotationRequest *req, const State *st)
{
	return st->has_region && req->region.id != NULL && strcmp(req->region.id, st->region_id) == 0;
}

static void
apply_frame(const AnnotationRequest *req, State *st)
{
	st->has_frame_index = req->has_frame_index;
	st->frame_index = req->has_frame_index ? req->frame_index : 0;
	st->has_frame_time = req->has_frame_time;
	st->frame_time = req->has_frame_time ? req->frame_time : 0;
}

/* A merge may grow a list past what a request may hold. */
static void
check_concept_count(const ConceptList *list, const char *path)
{
	if (list->n > MAX_CONCEPTS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: the merge would leave %d concepts in one list, at most %d are allowed",
						path, list->n, MAX_CONCEPTS)));
}

static void
apply_merge(const AnnotationRequest *req, State *st)
{
	if (req->has_concepts)
	{
		concepts_merge(lazy_edit(&st->concepts), &req->concepts);
		check_concept_count(lazy_read(&st->concepts), req->path);
	}
	if (req->region.present)
	{
		if (is_current_region(req, st))
		{
			if (req->region.has_concepts)
			{
				concepts_merge(lazy_edit(&st->region_concepts), &req->region.concepts);
				check_concept_count(lazy_read(&st->region_concepts), region_path(req));
			}
			if (req->region.has_shape)
				st->shape = req->region.shape;
		}
		else
			replace_region(req, st);
	}
	if (req->has_frame)
		apply_frame(req, st);
}

static void
apply_overwrite(const AnnotationRequest *req, State *st)
{
	State		old = *st;

	if (!req->has_data)
		return;					/* data not given: kept */
	lazy_replace(&st->concepts, req->has_concepts ? &req->concepts : NULL);
	st->has_region = false;
	st->region_id = NULL;
	lazy_replace(&st->region_concepts, NULL);
	if (req->region.present)
	{
		if (!req->region.has_shape && is_current_region(req, &old))
		{
			/* the current region by id, without geometry: keep its shape */
			st->has_region = true;
			st->region_id = old.region_id;
			st->shape = old.shape;
			lazy_replace(&st->region_concepts, req->region.has_concepts ? &req->region.concepts : NULL);
		}
		else
			replace_region(req, st);
	}
	st->has_frame_index = st->has_frame_time = false;
	if (req->has_frame)
		apply_frame(req, st);
}

static void
apply_remove(const AnnotationRequest *req, State *st)
{
	if (req->status != NULL)
		patch_error(jr_key_path(req->path, "status"), "a status cannot be removed; use merge or overwrite to change it");
	if (req->has_concepts)
		concepts_remove(lazy_edit(&st->concepts), &req->concepts);
	if (req->region.present)
	{
		if (!is_current_region(req, st))
			patch_error(region_path(req),
						st->has_region
						? psprintf("region id must be the annotation's region id \"%s\" to remove from it", st->region_id)
						: "the annotation has no region to remove from");
		if (!req->region.has_data)
		{
			st->has_region = false; /* given by id with no data: removed */
			st->region_id = NULL;
			lazy_replace(&st->region_concepts, NULL);
		}
		else if (req->region.has_concepts)
			concepts_remove(lazy_edit(&st->region_concepts), &req->region.concepts);
	}
}

/* A stored value the engine cannot work on: XX001 naming the annotation. */
static pg_attribute_noreturn() void
stored_malformed(const AnnotationValues *s, const char *what, const char *detail)
{
	const char *id = field_text(s, AF_ID);
	const char *app_id = field_text(s, AF_APP_ID);

	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("stored %s of annotation \"%s\" in app \"%s\" is malformed", what,
					id ? id : "(null)", app_id ? app_id : "(null)"),
			 errdetail_internal("%s", detail),
			 errhint("The API never stores such a value. Correct it with UPDATE or delete the annotation.")));
}

/*
 * What a patch leaves of a free-form object field (annotation_info,
 * consensus_info) that it gives: overwrite replaces it, merge merges into
 * it, remove takes out the keys given as true.
 */
static Jsonb *
patched_object(PatchAction action, const AnnotationValues *s, AnnotationField field,
			   const char *name, const AnnotationRequest *req, Jsonb *given)
{
	Jsonb	   *stored;

	if (action == PATCH_OVERWRITE)
		return given;
	stored = s->nulls[field]
		? DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum("{}")))
		: DatumGetJsonbP(s->values[field]);
	if (!JB_ROOT_IS_OBJECT(stored) || JB_ROOT_IS_SCALAR(stored))
		stored_malformed(s, name,
						 psprintf("annotations.annotations.%s is %s, expected an object.",
								  name, jr_container_type_name(&stored->root)));
	if (action == PATCH_MERGE)
		return info_merge(stored, given);
	return info_remove(stored, given, jr_key_path(req->path, name));
}

/*
 * An import keeps the document's segmentation, area and bbox in
 * annotation_info.coco for export to give back.  Once a patch changes the
 * region's geometry they describe an outline the region no longer has, so
 * they go (the COCO id stays) and export writes the new shape and its own
 * area.
 */
static void
drop_kept_geometry(AnnotationValues *row, const AnnotationValues *stored, PatchResult *result)
{
	static const char *const kept[] = {"segmentation", "area", "bbox"};
	JsonbParseState *st = NULL;
	Jsonb	   *info;
	JsonbValue	coco;
	bool		any = false;

	if (row->nulls[AF_ANNOTATION_INFO])
		return;
	info = DatumGetJsonbP(row->values[AF_ANNOTATION_INFO]);
	if (!JB_ROOT_IS_OBJECT(info) || JB_ROOT_IS_SCALAR(info))
		stored_malformed(stored, "annotation_info",
						 psprintf("annotations.annotations.annotation_info is %s, expected an object.",
								  jr_container_type_name(&info->root)));
	if (getKeyJsonValueFromContainer(&info->root, "coco", 4, &coco) == NULL || !is_object(&coco))
		return;
	for (int i = 0; i < (int) lengthof(kept) && !any; i++)
	{
		JsonbValue	v;

		any = getKeyJsonValueFromContainer(coco.val.binary.data, kept[i], strlen(kept[i]), &v) != NULL;
	}
	if (!any)
		return;
	pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
	push_key(&st, "coco");
	pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
	for (int i = 0; i < (int) lengthof(kept); i++)
	{
		JsonbValue	yes = {.type = jbvBool,.val.boolean = true};

		push_key(&st, kept[i]);
		pushJsonbValue(&st, WJB_VALUE, &yes);
	}
	pushJsonbValue(&st, WJB_END_OBJECT, NULL);
	row->values[AF_ANNOTATION_INFO] =
		JsonbPGetDatum(info_remove(info, JsonbValueToJsonb(pushJsonbValue(&st, WJB_END_OBJECT, NULL)),
								   "annotation_info"));
	result->info_changed = true;
}

PatchAction
patch_action(const char *name)
{
	if (name != NULL && strcmp(name, "merge") == 0)
		return PATCH_MERGE;
	if (name != NULL && strcmp(name, "overwrite") == 0)
		return PATCH_OVERWRITE;
	if (name != NULL && strcmp(name, "remove") == 0)
		return PATCH_REMOVE;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown patch action \"%s\"", name ? name : "NULL"),
			 errhint("The actions are merge, overwrite and remove.")));
	return PATCH_MERGE;			/* keep compiler quiet */
}

void
patch_apply(PatchAction action, const AnnotationValues *stored, Oid status_type,
			const AnnotationRequest *req, bool delete_if_empty, PatchResult *result)
{
	State		st;
	bool		had_region;
	RegionShape stored_shape;
	AnnotationValues *row = &result->row;

	memset(result, 0, sizeof(PatchResult));
	state_from_stored(stored, &st);
	had_region = st.has_region;
	stored_shape = st.shape;

	switch (action)
	{
		case PATCH_MERGE:
			apply_merge(req, &st);
			break;
		case PATCH_OVERWRITE:
			apply_overwrite(req, &st);
			break;
		case PATCH_REMOVE:
			apply_remove(req, &st);
			break;
	}

	if (action == PATCH_REMOVE && delete_if_empty &&
		!(!stored->nulls[AF_INPUT_LEVEL] && DatumGetBool(stored->values[AF_INPUT_LEVEL])) &&
		lazy_read(&st.concepts)->n == 0 && !st.has_region)
	{
		result->deleted = true;
		return;
	}

	*row = *stored;
	result->concepts_changed = st.concepts.dirty || st.concepts.stored == NULL;
	row->values[AF_CONCEPTS] = JsonbPGetDatum(lazy_jsonb(&st.concepts));
	row->nulls[AF_CONCEPTS] = false;
	row->nulls[AF_REGION_ID] = row->nulls[AF_BBOX] = row->nulls[AF_REGION_CONCEPTS] = !st.has_region;
	row->nulls[AF_POLYGON] = row->nulls[AF_POINT] = row->nulls[AF_MASK] = true;
	if (st.has_region)
	{
		Jsonb	   *concepts = lazy_jsonb(&st.region_concepts);
		Jsonb	   *old = st.region_concepts.stored;
		ShapeDatums geometry;

		result->region_shape = st.shape;
		region_shape_datums(&st.shape, &geometry);
		annotation_set_shape(row, &geometry);
		row->values[AF_REGION_ID] = CStringGetTextDatum(st.region_id);
		row->values[AF_REGION_CONCEPTS] = JsonbPGetDatum(concepts);
		/* written only where it changed, as the stored row compares */
		result->region_written =
			!had_region ||
			strcmp(st.region_id, TextDatumGetCString(stored->values[AF_REGION_ID])) != 0 ||
			!region_shape_equal(&st.shape, &stored_shape) ||
			old == NULL ||
			(concepts != old && compareJsonbContainers(&concepts->root, &old->root) != 0);
	}
	else
		result->region_removed = had_region;
	row->nulls[AF_FRAME_INDEX] = !st.has_frame_index;
	row->values[AF_FRAME_INDEX] = Int32GetDatum(st.frame_index);
	row->nulls[AF_FRAME_TIME] = !st.has_frame_time;
	row->values[AF_FRAME_TIME] = Int32GetDatum(st.frame_time);
	result->frame_changed =
		row->nulls[AF_FRAME_INDEX] != stored->nulls[AF_FRAME_INDEX] ||
		(st.has_frame_index && DatumGetInt32(stored->values[AF_FRAME_INDEX]) != st.frame_index) ||
		row->nulls[AF_FRAME_TIME] != stored->nulls[AF_FRAME_TIME] ||
		(st.has_frame_time && DatumGetInt32(stored->values[AF_FRAME_TIME]) != st.frame_time);

	/* status, ids and info: replaced when given (info merged / pruned) */
	if (req->status != NULL)
	{
		row->values[AF_STATUS] = DirectFunctionCall2(enum_in, CStringGetDatum(req->status->label),
													 ObjectIdGetDatum(status_type));
		row->nulls[AF_STATUS] = false;
	}
	if (req->embed_model_version_id != NULL)
	{
		row->values[AF_EMBED_MODEL_VERSION_ID] = CStringGetTextDatum(req->embed_model_version_id);
		row->nulls[AF_EMBED_MODEL_VERSION_ID] = false;
	}
	if (req->task_id != NULL)
	{
		row->values[AF_TASK_ID] = CStringGetTextDatum(req->task_id);
		row->nulls[AF_TASK_ID] = false;
	}
	if (req->annotation_info != NULL)
	{
		row->values[AF_ANNOTATION_INFO] =
			JsonbPGetDatum(patched_object(action, stored, AF_ANNOTATION_INFO, "annotation_info",
										  req, req->annotation_info));
		row->nulls[AF_ANNOTATION_INFO] = false;
		result->info_changed = true;
	}
	if (had_region && (!st.has_region || !region_shape_equal(&st.shape, &stored_shape)))
		drop_kept_geometry(row, stored, result);
	if (req->consensus_info != NULL)
	{
		row->values[AF_CONSENSUS_INFO] =
			JsonbPGetDatum(patched_object(action, stored, AF_CONSENSUS_INFO, "consensus_info",
										  req, req->consensus_info));
		row->nulls[AF_CONSENSUS_INFO] = false;
	}
	/* trusted: true sets it, and a remove given trusted: true clears it */
	if (req->trusted)
	{
		row->values[AF_TRUSTED] = BoolGetDatum(action != PATCH_REMOVE);
		row->nulls[AF_TRUSTED] = false;
	}
}

/* ---- _patch_apply: the engine of 1.0, called with composites ---- */

/* Columns of annotations._request (the parsed patch element). */
enum
{
	RQ_ORD, RQ_ID, RQ_INPUT_ID, RQ_USER_ID, RQ_MODEL_VERSION_ID,
	RQ_EMBED_MODEL_VERSION_ID, RQ_TASK_ID, RQ_STATUS, RQ_ANNOTATION_INFO, RQ_HAS_DATA,
	RQ_CONCEPTS, RQ_REGION_PRESENT, RQ_REGION_ID, RQ_BBOX, RQ_REGION_CONCEPTS,
	RQ_REGION_HAS_DATA, RQ_HAS_FRAME, RQ_FRAME_INDEX, RQ_FRAME_TIME, RQ_NATTS
};

/* A composite value taken apart. */
typedef struct Row
{
	TupleDesc	desc;
	Datum	   *values;
	bool	   *nulls;
} Row;

static void
row_deform(HeapTupleHeader th, int natts, Row *row)
{
	HeapTupleData tuple;

	row->desc = lookup_rowtype_tupdesc(HeapTupleHeaderGetTypeId(th), HeapTupleHeaderGetTypMod(th));
	if (natts >= 0 && row->desc->natts != natts)
		elog(ERROR, "unexpected row type with %d columns", row->desc->natts);
	natts = row->desc->natts;
	tuple.t_len = HeapTupleHeaderGetDatumLength(th);
	ItemPointerSetInvalid(&tuple.t_self);
	tuple.t_tableOid = InvalidOid;
	tuple.t_data = th;
	row->values = palloc(sizeof(Datum) * natts);
	row->nulls = palloc(sizeof(bool) * natts);
	heap_deform_tuple(&tuple, row->desc, row->values, row->nulls);
}

static char *
row_text(const Row *row, int att)
{
	return row->nulls[att] ? NULL : TextDatumGetCString(row->values[att]);
}

static bool
row_bool(const Row *row, int att)
{
	return !row->nulls[att] && DatumGetBool(row->values[att]);
}

/* A concept list argument, checked as a stored one is (22023 naming it). */
static bool
row_concepts(const Row *p, int att, ConceptList *out)
{
	ConceptSource src = {0};

	src.column = att == RQ_CONCEPTS ? "patch.concepts" : "patch.region_concepts";
	out->n = 0;
	if (p->nulls[att])
		return false;
	concepts_from_jsonb(DatumGetJsonbP(p->values[att]), &src, out);
	return true;
}

/*
 * The patch row as patch_annotations of 1.0 builds it from a parsed
 * request; any other caller gets the same checks, so garbage is an error.
 */
static void
request_from_row(const Row *p, Oid status_type, AnnotationRequest *req)
{
	memset(req, 0, sizeof(AnnotationRequest));
	if (p->nulls[RQ_ORD] || DatumGetInt32(p->values[RQ_ORD]) < 0 ||
		DatumGetInt32(p->values[RQ_ORD]) >= MAX_BATCH)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("patch.ord must be a position from 0 to %d", MAX_BATCH - 1)));
	if (!p->nulls[RQ_REGION_ID])
		jr_check_id(row_text(p, RQ_REGION_ID), "patch.region_id");
	if (!p->nulls[RQ_FRAME_INDEX] && DatumGetInt32(p->values[RQ_FRAME_INDEX]) < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("patch.frame_index must be 0 or more, got %d", DatumGetInt32(p->values[RQ_FRAME_INDEX]))));
	if (!p->nulls[RQ_FRAME_TIME] && DatumGetInt32(p->values[RQ_FRAME_TIME]) < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("patch.frame_time must be 0 or more, got %d", DatumGetInt32(p->values[RQ_FRAME_TIME]))));
	if (row_bool(p, RQ_HAS_FRAME) && p->nulls[RQ_FRAME_INDEX] && p->nulls[RQ_FRAME_TIME])
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("patch.has_frame needs a frame_index or a frame_time")));

	req->path = psprintf("annotations[%d]", DatumGetInt32(p->values[RQ_ORD]));
	req->id = row_text(p, RQ_ID);
	req->input_id = row_text(p, RQ_INPUT_ID);
	req->user_id = row_text(p, RQ_USER_ID);
	req->model_version_id = row_text(p, RQ_MODEL_VERSION_ID);
	req->embed_model_version_id = row_text(p, RQ_EMBED_MODEL_VERSION_ID);
	req->task_id = row_text(p, RQ_TASK_ID);
	req->has_data = row_bool(p, RQ_HAS_DATA);
	req->has_concepts = row_concepts(p, RQ_CONCEPTS, &req->concepts);
	req->region.present = row_bool(p, RQ_REGION_PRESENT);
	req->region.id = row_text(p, RQ_REGION_ID);
	req->region.has_shape = !p->nulls[RQ_BBOX];
	if (req->region.has_shape)
		region_shape_box(DatumGetBBoxP(p->values[RQ_BBOX]), &req->region.shape);
	req->region.has_concepts = row_concepts(p, RQ_REGION_CONCEPTS, &req->region.concepts);
	req->region.has_data = row_bool(p, RQ_REGION_HAS_DATA);
	req->has_frame = row_bool(p, RQ_HAS_FRAME);
	req->has_frame_index = !p->nulls[RQ_FRAME_INDEX];
	req->frame_index = req->has_frame_index ? DatumGetInt32(p->values[RQ_FRAME_INDEX]) : 0;
	req->has_frame_time = !p->nulls[RQ_FRAME_TIME];
	req->frame_time = req->has_frame_time ? DatumGetInt32(p->values[RQ_FRAME_TIME]) : 0;
	if (!p->nulls[RQ_ANNOTATION_INFO])
	{
		const char *info_path = jr_key_path(req->path, "annotation_info");
		Jsonb	   *given = DatumGetJsonbP(p->values[RQ_ANNOTATION_INFO]);

		/* the request parser checks this; a direct caller did not */
		if (!JB_ROOT_IS_OBJECT(given) || JB_ROOT_IS_SCALAR(given))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: expected an object, got %s", info_path,
							jr_container_type_name(&given->root))));
		jr_check_limits(&given->root, info_path);
		req->annotation_info = given;
	}
	if (!p->nulls[RQ_STATUS])
	{
		char	   *label = row_text(p, RQ_STATUS);

		/* a label the enum does not have fails as the enum's input does */
		(void) DirectFunctionCall2(enum_in, CStringGetDatum(label), ObjectIdGetDatum(status_type));
		req->status = status_by_label(label);
	}
}

PG_FUNCTION_INFO_V1(annotations_patch_apply);
/*
 * _patch_apply(action text, stored annotations.annotation,
 *              patch annotations._request, delete_if_empty boolean)
 *   → annotations.annotation, or NULL when the annotation is to be deleted.
 */
Datum
annotations_patch_apply(PG_FUNCTION_ARGS)
{
	PatchAction action = patch_action(text_to_cstring(PG_GETARG_TEXT_PP(0)));
	bool		delete_if_empty = PG_GETARG_BOOL(3);
	Row			s;
	Row			p;
	AnnotationShape shape;
	AnnotationValues stored;
	AnnotationRequest req;
	PatchResult result;
	HeapTuple	tuple;

	row_deform(PG_GETARG_HEAPTUPLEHEADER(1), -1, &s);
	row_deform(PG_GETARG_HEAPTUPLEHEADER(2), RQ_NATTS, &p);
	annotation_shape(s.desc, &shape);
	for (int f = 0; f < AF_NFIELDS; f++)
	{
		if (shape.attno[f] < 0)
		{
			annotation_field_default((AnnotationField) f, &stored);
			continue;
		}
		stored.values[f] = s.values[shape.attno[f]];
		stored.nulls[f] = s.nulls[shape.attno[f]];
	}
	request_from_row(&p, TupleDescAttr(s.desc, shape.attno[AF_STATUS])->atttypid, &req);
	patch_apply(action, &stored, TupleDescAttr(s.desc, shape.attno[AF_STATUS])->atttypid, &req,
				delete_if_empty, &result);
	if (result.deleted)
	{
		ReleaseTupleDesc(s.desc);
		ReleaseTupleDesc(p.desc);
		PG_RETURN_NULL();
	}
	tuple = annotation_tuple(&shape, &result.row);
	ReleaseTupleDesc(s.desc);
	ReleaseTupleDesc(p.desc);
	PG_RETURN_DATUM(HeapTupleGetDatum(tuple));
}
