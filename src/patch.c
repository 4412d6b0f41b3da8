/*
 * patch.c — the patch engine: stored annotation + patch element → new state.
 *
 * A pure function (no table access): the caller locks and reads the stored
 * row, calls _patch_apply once per element, and writes the result. All
 * merge / overwrite / remove rules of SPEC §6 live here.
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

/* Columns of annotations.annotation (the stored state and the result). */
enum
{
	AN_APP_ID, AN_ID, AN_INPUT_ID, AN_SEQ, AN_USER_ID, AN_MODEL_VERSION_ID,
	AN_EMBED_MODEL_VERSION_ID, AN_TASK_ID, AN_STATUS, AN_INPUT_LEVEL, AN_CONCEPTS,
	AN_REGION_ID, AN_BBOX, AN_REGION_CONCEPTS, AN_FRAME_INDEX, AN_FRAME_TIME,
	AN_ANNOTATION_INFO, AN_CREATED_AT, AN_MODIFIED_AT, AN_NATTS
};

/* Columns of annotations._request (the parsed patch element). */
enum
{
	RQ_ORD, RQ_ID, RQ_INPUT_ID, RQ_USER_ID, RQ_MODEL_VERSION_ID,
	RQ_EMBED_MODEL_VERSION_ID, RQ_TASK_ID, RQ_STATUS, RQ_ANNOTATION_INFO, RQ_HAS_DATA,
	RQ_CONCEPTS, RQ_REGION_PRESENT, RQ_REGION_ID, RQ_BBOX, RQ_REGION_CONCEPTS,
	RQ_REGION_HAS_DATA, RQ_HAS_FRAME, RQ_FRAME_INDEX, RQ_FRAME_TIME, RQ_NATTS
};

typedef enum PatchAction
{
	PATCH_MERGE, PATCH_OVERWRITE, PATCH_REMOVE
} PatchAction;

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
	if (row->desc->natts != natts)
		elog(ERROR, "unexpected row type with %d columns", row->desc->natts);
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

static Jsonb *
row_jsonb(const Row *row, int att)
{
	return row->nulls[att] ? NULL : DatumGetJsonbP(row->values[att]);
}

static bool
row_bool(const Row *row, int att)
{
	return !row->nulls[att] && DatumGetBool(row->values[att]);
}

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

/* A list to be filled anew (the stored one is not read). */
static ConceptList *
lazy_replace(LazyConcepts *lc)
{
	lc->loaded = lc->dirty = true;
	lc->list.n = 0;
	return &lc->list;
}

/* The jsonb to store. */
static Datum
lazy_datum(LazyConcepts *lc)
{
	if (lc->dirty || lc->stored == NULL)
		return JsonbPGetDatum(concepts_to_jsonb(lazy_read(lc)));
	return JsonbPGetDatum(lc->stored);
}

/* The state of an annotation a patch may change. */
typedef struct State
{
	LazyConcepts concepts;
	bool		has_region;
	char	   *region_id;
	BBox		box;
	LazyConcepts region_concepts;
	bool		has_frame_index;
	int32		frame_index;
	bool		has_frame_time;
	int32		frame_time;
} State;

static void
state_from_stored(const Row *s, State *st)
{
	const char *app_id = row_text(s, AN_APP_ID);
	const char *id = row_text(s, AN_ID);

	memset(st, 0, sizeof(State));
	st->concepts.stored = row_jsonb(s, AN_CONCEPTS);
	st->concepts.src.column = "annotations.annotations.concepts";
	st->concepts.src.what = "concepts";
	st->concepts.src.app_id = app_id;
	st->concepts.src.annotation_id = id;
	st->region_concepts.src.column = "annotations.regions.concepts";
	st->region_concepts.src.what = "region concepts";
	st->region_concepts.src.app_id = app_id;
	st->region_concepts.src.annotation_id = id;
	st->has_region = !s->nulls[AN_REGION_ID] && !s->nulls[AN_BBOX];
	st->region_id = row_text(s, AN_REGION_ID);
	if (st->has_region)
		st->box = *DatumGetBBoxP(s->values[AN_BBOX]);
	st->region_concepts.stored = row_jsonb(s, AN_REGION_CONCEPTS);
	st->has_frame_index = !s->nulls[AN_FRAME_INDEX];
	st->frame_index = st->has_frame_index ? DatumGetInt32(s->values[AN_FRAME_INDEX]) : 0;
	st->has_frame_time = !s->nulls[AN_FRAME_TIME];
	st->frame_time = st->has_frame_time ? DatumGetInt32(s->values[AN_FRAME_TIME]) : 0;
}

static void
patch_concepts(const Row *p, int att, ConceptList *out)
{
	ConceptSource src = {0};

	src.column = att == RQ_CONCEPTS ? "patch.concepts" : "patch.region_concepts";
	if (p->nulls[att])
		out->n = 0;
	else
		concepts_from_jsonb(DatumGetJsonbP(p->values[att]), &src, out);
}

/* The region path of an element, for messages. */
static const char *
region_path(const char *path, const Row *p)
{
	return psprintf("%s.data.%sregions[0]", path, row_bool(p, RQ_HAS_FRAME) ? "frames[0].data." : "");
}

/* A patch region that is not the current one: a new region replacing it. */
static void
replace_region(const Row *p, const char *path, State *st)
{
	if (p->nulls[RQ_BBOX])
		patch_error(region_path(path, p),
					"a new region needs region_info.bounding_box (to change the current region, give its id)");
	st->has_region = true;
	st->region_id = p->nulls[RQ_REGION_ID] ? jr_new_id() : row_text(p, RQ_REGION_ID);
	st->box = *DatumGetBBoxP(p->values[RQ_BBOX]);
	patch_concepts(p, RQ_REGION_CONCEPTS, lazy_replace(&st->region_concepts));
}

static bool
is_current_region(const Row *p, const State *st)
{
	return st->has_region && !p->nulls[RQ_REGION_ID] &&
		strcmp(TextDatumGetCString(p->values[RQ_REGION_ID]), st->region_id) == 0;
}

static void
apply_frame(const Row *p, State *st)
{
	st->has_frame_index = !p->nulls[RQ_FRAME_INDEX];
	st->frame_index = st->has_frame_index ? DatumGetInt32(p->values[RQ_FRAME_INDEX]) : 0;
	st->has_frame_time = !p->nulls[RQ_FRAME_TIME];
	st->frame_time = st->has_frame_time ? DatumGetInt32(p->values[RQ_FRAME_TIME]) : 0;
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
apply_merge(const Row *p, const char *path, State *st)
{
	ConceptList pc;

	if (!p->nulls[RQ_CONCEPTS])
	{
		patch_concepts(p, RQ_CONCEPTS, &pc);
		concepts_merge(lazy_edit(&st->concepts), &pc);
		check_concept_count(lazy_read(&st->concepts), path);
	}
	if (row_bool(p, RQ_REGION_PRESENT))
	{
		if (is_current_region(p, st))
		{
			if (!p->nulls[RQ_REGION_CONCEPTS])
			{
				patch_concepts(p, RQ_REGION_CONCEPTS, &pc);
				concepts_merge(lazy_edit(&st->region_concepts), &pc);
				check_concept_count(lazy_read(&st->region_concepts), region_path(path, p));
			}
			if (!p->nulls[RQ_BBOX])
				st->box = *DatumGetBBoxP(p->values[RQ_BBOX]);
		}
		else
			replace_region(p, path, st);
	}
	if (row_bool(p, RQ_HAS_FRAME))
		apply_frame(p, st);
}

static void
apply_overwrite(const Row *p, const char *path, State *st)
{
	State		old = *st;

	if (!row_bool(p, RQ_HAS_DATA))
		return;					/* data not given: kept */
	patch_concepts(p, RQ_CONCEPTS, lazy_replace(&st->concepts));
	st->has_region = false;
	st->region_id = NULL;
	(void) lazy_replace(&st->region_concepts);
	if (row_bool(p, RQ_REGION_PRESENT))
	{
		if (p->nulls[RQ_BBOX] && is_current_region(p, &old))
		{
			/* the current region by id, without geometry: keep its box */
			st->has_region = true;
			st->region_id = old.region_id;
			st->box = old.box;
			patch_concepts(p, RQ_REGION_CONCEPTS, lazy_replace(&st->region_concepts));
		}
		else
			replace_region(p, path, st);
	}
	st->has_frame_index = st->has_frame_time = false;
	if (row_bool(p, RQ_HAS_FRAME))
		apply_frame(p, st);
}

static void
apply_remove(const Row *p, const char *path, State *st)
{
	ConceptList pc;

	if (!p->nulls[RQ_STATUS])
		patch_error(jr_key_path(path, "status"), "a status cannot be removed; use merge or overwrite to change it");
	if (!p->nulls[RQ_CONCEPTS])
	{
		patch_concepts(p, RQ_CONCEPTS, &pc);
		concepts_remove(lazy_edit(&st->concepts), &pc);
	}
	if (row_bool(p, RQ_REGION_PRESENT))
	{
		if (!is_current_region(p, st))
			patch_error(region_path(path, p),
						st->has_region
						? psprintf("region id must be the annotation's region id \"%s\" to remove from it", st->region_id)
						: "the annotation has no region to remove from");
		if (!row_bool(p, RQ_REGION_HAS_DATA))
		{
			st->has_region = false;	/* given by id with no data: removed */
			st->region_id = NULL;
			(void) lazy_replace(&st->region_concepts);
		}
		else if (!p->nulls[RQ_REGION_CONCEPTS])
		{
			patch_concepts(p, RQ_REGION_CONCEPTS, &pc);
			concepts_remove(lazy_edit(&st->region_concepts), &pc);
		}
	}
}

/* ---- arguments ---- */

/* A stored value the engine cannot work on: XX001 naming the annotation. */
static pg_attribute_noreturn() void
stored_malformed(const Row *s, const char *what, const char *detail)
{
	const char *id = row_text(s, AN_ID);
	const char *app_id = row_text(s, AN_APP_ID);

	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("stored %s of annotation \"%s\" in app \"%s\" is malformed", what,
					id ? id : "(null)", app_id ? app_id : "(null)"),
			 errdetail_internal("%s", detail),
			 errhint("The API never stores such a value. Correct it with UPDATE or delete the annotation.")));
}

/*
 * The patch row as patch_annotations builds it from a parsed request; any
 * other caller gets the same checks, so garbage is an error here.
 */
static void
check_patch(const Row *p)
{
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
	char	   *action_name = text_to_cstring(PG_GETARG_TEXT_PP(0));
	bool		delete_if_empty = PG_GETARG_BOOL(3);
	PatchAction action = PATCH_MERGE;
	Row			s;
	Row			p;
	State		st;
	const char *path;
	HeapTuple	result;
	Datum	   *values;
	bool	   *nulls;

	if (strcmp(action_name, "merge") == 0)
		action = PATCH_MERGE;
	else if (strcmp(action_name, "overwrite") == 0)
		action = PATCH_OVERWRITE;
	else if (strcmp(action_name, "remove") == 0)
		action = PATCH_REMOVE;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown patch action \"%s\"", action_name),
				 errhint("The actions are merge, overwrite and remove.")));

	row_deform(PG_GETARG_HEAPTUPLEHEADER(1), AN_NATTS, &s);
	row_deform(PG_GETARG_HEAPTUPLEHEADER(2), RQ_NATTS, &p);
	check_patch(&p);
	path = psprintf("annotations[%d]", DatumGetInt32(p.values[RQ_ORD]));
	state_from_stored(&s, &st);

	switch (action)
	{
		case PATCH_MERGE:
			apply_merge(&p, path, &st);
			break;
		case PATCH_OVERWRITE:
			apply_overwrite(&p, path, &st);
			break;
		case PATCH_REMOVE:
			apply_remove(&p, path, &st);
			break;
	}

	if (action == PATCH_REMOVE && delete_if_empty && !row_bool(&s, AN_INPUT_LEVEL) &&
		lazy_read(&st.concepts)->n == 0 && !st.has_region)
	{
		ReleaseTupleDesc(s.desc);
		ReleaseTupleDesc(p.desc);
		PG_RETURN_NULL();
	}

	values = s.values;
	nulls = s.nulls;
	values[AN_CONCEPTS] = lazy_datum(&st.concepts);
	nulls[AN_CONCEPTS] = false;
	nulls[AN_REGION_ID] = nulls[AN_BBOX] = nulls[AN_REGION_CONCEPTS] = !st.has_region;
	if (st.has_region)
	{
		BBox	   *box = palloc(sizeof(BBox));

		*box = st.box;
		values[AN_REGION_ID] = CStringGetTextDatum(st.region_id);
		values[AN_BBOX] = BBoxPGetDatum(box);
		values[AN_REGION_CONCEPTS] = lazy_datum(&st.region_concepts);
	}
	nulls[AN_FRAME_INDEX] = !st.has_frame_index;
	values[AN_FRAME_INDEX] = Int32GetDatum(st.frame_index);
	nulls[AN_FRAME_TIME] = !st.has_frame_time;
	values[AN_FRAME_TIME] = Int32GetDatum(st.frame_time);

	/* status, ids and info: replaced when given (info merged / pruned) */
	if (!p.nulls[RQ_STATUS])
	{
		Oid			enumtype = TupleDescAttr(s.desc, AN_STATUS)->atttypid;

		values[AN_STATUS] = DirectFunctionCall2(enum_in,
												CStringGetDatum(TextDatumGetCString(p.values[RQ_STATUS])),
												ObjectIdGetDatum(enumtype));
	}
	if (!p.nulls[RQ_EMBED_MODEL_VERSION_ID])
	{
		values[AN_EMBED_MODEL_VERSION_ID] = p.values[RQ_EMBED_MODEL_VERSION_ID];
		nulls[AN_EMBED_MODEL_VERSION_ID] = false;
	}
	if (!p.nulls[RQ_TASK_ID])
	{
		values[AN_TASK_ID] = p.values[RQ_TASK_ID];
		nulls[AN_TASK_ID] = false;
	}
	if (!p.nulls[RQ_ANNOTATION_INFO])
	{
		const char *info_path = jr_key_path(path, "annotation_info");
		Jsonb	   *given = DatumGetJsonbP(p.values[RQ_ANNOTATION_INFO]);
		Jsonb	   *stored = s.nulls[AN_ANNOTATION_INFO]
			? DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum("{}")))
			: DatumGetJsonbP(s.values[AN_ANNOTATION_INFO]);

		/* the request parser checked this already; a direct caller did not */
		if (!JB_ROOT_IS_OBJECT(given) || JB_ROOT_IS_SCALAR(given))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: expected an object, got %s", info_path,
							jr_container_type_name(&given->root))));
		jr_check_limits(&given->root, info_path);
		if (action != PATCH_OVERWRITE && (!JB_ROOT_IS_OBJECT(stored) || JB_ROOT_IS_SCALAR(stored)))
			stored_malformed(&s, "annotation_info",
							 psprintf("annotations.annotations.annotation_info is %s, expected an object.",
									  jr_container_type_name(&stored->root)));

		if (action == PATCH_MERGE)
			values[AN_ANNOTATION_INFO] = JsonbPGetDatum(info_merge(stored, given));
		else if (action == PATCH_REMOVE)
			values[AN_ANNOTATION_INFO] =
				JsonbPGetDatum(info_remove(stored, given, info_path));
		else
			values[AN_ANNOTATION_INFO] = PointerGetDatum(given);
		nulls[AN_ANNOTATION_INFO] = false;
	}

	result = heap_form_tuple(s.desc, values, nulls);
	ReleaseTupleDesc(s.desc);
	ReleaseTupleDesc(p.desc);
	PG_RETURN_DATUM(HeapTupleGetDatum(result));
}
