/*
 * evaluate.c — model evaluation and annotator agreement as SQL functions:
 *
 *   evaluate_detections  COCO's AP/AR per concept and over all of them
 *   match_detections     the greedy matching itself, one row per box
 *   annotator_agreement  box F1 and Cohen's kappa per pair of users
 *   disagreements        the inputs where users' labels differ
 *   _evaluate_boxes      the kernel on boxes given as arrays (tests)
 *
 * Each reads one app through an SPI cursor, with the store owner's rights
 * after checking that the caller is a member (acting.c). The agreement
 * functions read ordered by input, hold one input's rows at a time and
 * keep counters per pair of users and concept. evaluate_detections and
 * match_detections read their rows in no order and group them by input
 * here: memory holds 56 bytes per region concept read (plus both ids
 * for match_detections) until the last row is in, then one record per
 * detection kept (at most the largest maxDets per input and concept): 16
 * bytes and one byte per area range and IoU threshold, 56 bytes with the
 * defaults, since average precision ranks every detection of a concept
 * against all the others.
 *
 * Boxes are compared in pixels, [x, y, w, h] computed from the stored
 * fractions and the input's data.image.image_info size, as a COCO export
 * of the same rows would hold them (coco_eval.c does the evaluating).
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/hsearch.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

#include "acting.h"
#include "api.h"
#include "bbox.h"
#include "coco.h"
#include "coco_eval.h"
#include "eval_shapes.h"
#include "plans.h"
#include "region_info.h"

/* Rows fetched from a cursor at a time. */
#define EVAL_FETCH 1000
/* At most this many users in one agreement call. */
#define MAX_AGREEMENT_USERS 100
/* At most this many IoU thresholds. */
#define MAX_THRESHOLDS 100

/* ---------- arguments ---------- */

static void
bad_argument(const char *msg, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s", msg),
			 detail ? errdetail("%s", detail) : 0));
}

static char *
app_arg(FunctionCallInfo fcinfo)
{
	if (PG_ARGISNULL(0))
		bad_argument("app_id must not be NULL", NULL);
	return api_text_arg(fcinfo, 0);
}

/* IoU thresholds: NULL for COCO's ten; otherwise 1 to 100 numbers in (0, 1]. */
static int
thresholds_arg(FunctionCallInfo fcinfo, int argno, double *out)
{
	ArrayType  *arr;
	Datum	   *elems;
	bool	   *nulls;
	int			n;

	if (PG_ARGISNULL(argno))
	{
		coco_default_thresholds(out);
		return COCO_DEFAULT_THRESHOLDS;
	}
	arr = PG_GETARG_ARRAYTYPE_P(argno);
	deconstruct_array(arr, FLOAT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &elems, &nulls, &n);
	if (n == 0 || n > MAX_THRESHOLDS)
		bad_argument("iou_thresholds must hold from 1 to 100 numbers",
					 "Leave it NULL for COCO's 0.50, 0.55, ..., 0.95.");
	for (int i = 0; i < n; i++)
	{
		double		t = nulls[i] ? NAN : DatumGetFloat8(elems[i]);

		if (nulls[i] || !(t > 0 && t <= 1))
			bad_argument("iou_thresholds must be numbers greater than 0 and at most 1",
						 nulls[i] ? "iou_thresholds holds NULL." :
						 psprintf("iou_thresholds holds %s.", double_text(t)));
		out[i] = t;
	}
	return n;
}

static int
int_cmp(const void *a, const void *b)
{
	int			x = *(const int *) a;
	int			y = *(const int *) b;

	return (x > y) - (x < y);
}

/* max_detections: three positive numbers, sorted as COCO does. */
static void
maxdets_arg(FunctionCallInfo fcinfo, int argno, int *out)
{
	ArrayType  *arr;
	Datum	   *elems;
	bool	   *nulls;
	int			n;

	if (PG_ARGISNULL(argno))
		bad_argument("max_detections must hold three positive numbers", "The default is {1,10,100}.");
	arr = PG_GETARG_ARRAYTYPE_P(argno);
	deconstruct_array(arr, INT4OID, 4, true, TYPALIGN_INT, &elems, &nulls, &n);
	if (n != COCO_MAXDETS)
		bad_argument("max_detections must hold three positive numbers", "The default is {1,10,100}.");
	for (int i = 0; i < n; i++)
	{
		if (nulls[i] || DatumGetInt32(elems[i]) < 1)
			bad_argument("max_detections must hold three positive numbers", "The default is {1,10,100}.");
		out[i] = DatumGetInt32(elems[i]);
	}
	qsort(out, n, sizeof(int), int_cmp);
}

static double
iou_threshold_arg(FunctionCallInfo fcinfo, int argno)
{
	double		t;

	if (PG_ARGISNULL(argno))
		bad_argument("iou_threshold must not be NULL", NULL);
	t = PG_GETARG_FLOAT8(argno);
	if (!(t > 0 && t <= 1))
		bad_argument("iou_threshold must be greater than 0 and at most 1",
					 psprintf("iou_threshold is %s.", double_text(t)));
	return t;
}

/* iou_type: 'bbox' (the boxes around the regions) or 'segm' (their shapes). */
static bool
segm_arg(FunctionCallInfo fcinfo, int argno)
{
	char	   *type = PG_ARGISNULL(argno) ? NULL : api_text_arg(fcinfo, argno);

	if (type != NULL && strcmp(type, "bbox") == 0)
		return false;
	if (type != NULL && strcmp(type, "segm") == 0)
		return true;
	bad_argument(type ? psprintf("iou_type must be 'bbox' or 'segm', not \"%s\"", type)
				 : "iou_type must be 'bbox' or 'segm', not NULL",
				 "'bbox' compares the boxes around the regions, 'segm' their shapes at the image's size, as COCO's iouType does.");
	return false;
}

/* ---------- concepts ---------- */

typedef struct ConceptEntry
{
	char	   *id;				/* key */
	int			index;
} ConceptEntry;

typedef struct Concepts
{
	HTAB	   *table;
	char	  **names;
	int			n;
	int			cap;
	MemoryContext cxt;
} Concepts;

static void
concepts_init(Concepts *c, MemoryContext cxt)
{
	c->table = strptr_table("evaluation concepts", sizeof(ConceptEntry), cxt);
	c->cxt = cxt;
	c->n = 0;
	c->cap = 64;
	c->names = MemoryContextAlloc(cxt, sizeof(char *) * c->cap);
}

static int
concept_index(Concepts *c, const char *id, bool *created)
{
	bool		found;
	ConceptEntry *e = hash_search(c->table, &id, HASH_ENTER, &found);

	*created = !found;
	if (!found)
	{
		e->id = MemoryContextStrdup(c->cxt, id);
		e->index = c->n;
		if (c->n == c->cap)
		{
			c->cap *= 2;
			c->names = repalloc(c->names, sizeof(char *) * c->cap);
		}
		c->names[c->n++] = e->id;
	}
	return e->index;
}

static const char **sort_names;

static int
name_order_cmp(const void *a, const void *b)
{
	return strcmp(sort_names[*(const int *) a], sort_names[*(const int *) b]);
}

/* Indexes 0..n-1 ordered by name (byte order, as the results are sorted). */
static int *
by_name(char **names, int n)
{
	int		   *order = palloc(sizeof(int) * Max(n, 1));

	for (int i = 0; i < n; i++)
		order[i] = i;
	sort_names = (const char **) names;
	if (n > 1)
		qsort(order, n, sizeof(int), name_order_cmp);
	return order;
}

/* ---------- reading the boxes of an app ---------- */

#define SIZE_SQL(key) \
	"CASE WHEN jsonb_typeof(i.data #> '{image,image_info," key "}') = 'number'" \
	" THEN (i.data #>> '{image,image_info," key "}')::float8 END"

/* Column numbers of the detection query. */
enum
{
	DQ_INPUT = 1, DQ_SEQ, DQ_PRED, DQ_BBOX, DQ_CONCEPTS, DQ_CROWD, DQ_COCO, DQ_POLYGON, DQ_MASK,
	DQ_ANN, DQ_REGION
};

/*
 * Opens the cursor over the regions to evaluate: predictions of the model
 * versions, ground truth of users (all users when user_ids is NULL) with
 * one of the statuses (any when NULL), in no order: the rows are grouped
 * by input in C (read_inputs), which takes as much CPU as the query
 * sorting them did and writes no temporary file for it (at a million rows
 * that sort spilled to disk). Each region's
 * concepts are walked in C, in array order (the order ties keep); walking
 * them in the query (a lateral jsonb_array_elements per region) cost three
 * quarters of its time.
 */
static Portal
open_detections(FunctionCallInfo fcinfo, const char *app_id, ArrayType *models,
				ArrayType *users, ArrayType *statuses, ArrayType *inputs, bool keep_ids,
				bool segm)
{
	/* ground truth's shapes give its area; with segm every shape is compared */
	const char *only_gt = segm ? "" : "CASE WHEN a.model_version_id IS NULL THEN ";
	const char *end = segm ? "" : " END";

	StringInfoData sql;
	Oid			types[5];
	Datum		values[5];
	char		nulls[5];

	initStringInfo(&sql);
	appendStringInfo(&sql,
					 "SELECT a.input_id, a.seq, a.model_version_id IS NOT NULL, r.bbox, r.concepts, r.iscrowd,"
	/* what ground truth's area is read from: what an import kept, else the shape */
					 " CASE WHEN a.model_version_id IS NULL THEN a.annotation_info -> 'coco' END,"
					 " %sr.polygon%s,"
					 " %sr.mask%s%s"
					 "  FROM annotations.annotations a"
					 "  JOIN annotations.regions r ON r.app_id = $1 AND r.annotation_id = a.id"
					 " WHERE a.app_id = $1 AND a.frame_index IS NULL"
					 "   AND r.point IS NULL"	/* a point has no extent to match */
					 "   AND (a.model_version_id = ANY ($2) OR (a.model_version_id IS NULL",
					 only_gt, end, only_gt, end, keep_ids ? ", a.id, r.id" : "");
	if (users)
		appendStringInfoString(&sql, " AND a.user_id = ANY ($3)");
	if (statuses)
		appendStringInfoString(&sql, " AND a.status = ANY ($4)");
	appendStringInfoString(&sql, "))");
	if (inputs)
		appendStringInfoString(&sql, " AND a.input_id = ANY ($5)");

	types[0] = TEXTOID;
	types[1] = TEXTARRAYOID;
	types[2] = TEXTARRAYOID;
	types[3] = get_fn_expr_argtype(fcinfo->flinfo, 3);
	types[4] = TEXTARRAYOID;
	if (!OidIsValid(types[3]))
		elog(ERROR, "could not determine the type of statuses");
	values[0] = CStringGetTextDatum(app_id);
	values[1] = PointerGetDatum(models);
	values[2] = PointerGetDatum(users);
	values[3] = PointerGetDatum(statuses);
	values[4] = PointerGetDatum(inputs);
	nulls[0] = ' ';
	nulls[1] = ' ';
	nulls[2] = users ? ' ' : 'n';
	nulls[3] = statuses ? ' ' : 'n';
	nulls[4] = inputs ? ' ' : 'n';
	return SPI_cursor_open_with_args(NULL, sql.data, 5, types, values, nulls, true, 0);
}

/* One region concept of the current input. */
typedef struct Obj
{
	CocoBox		box;
	int			cat;
	bool		gt;
	char	   *ann_id;
	char	   *region_id;
} Obj;

/* The boxes of one input, in creation order, ready for the evaluator. */
typedef struct InputRows
{
	char	   *input_id;
	bool		sized;			/* image_info gives width and height */
	double		width;			/* 1 when not sized: boxes stay fractions */
	double		height;
	Obj		   *objs;
	int			n;
	int			cap;
	bool		segm;			/* compared by their shapes, in raster */
	ShapeRaster raster;
} InputRows;

static int
obj_cat_cmp(const void *a, const void *b)
{
	const Obj  *x = a;
	const Obj  *y = b;

	if (x->cat != y->cat)
		return x->cat < y->cat ? -1 : 1;
	return (x->box.order > y->box.order) - (x->box.order < y->box.order);
}

typedef void (*InputFn) (InputRows *in, void *arg);

/* An input's image size (width and height NaN when image_info has none). */
typedef struct InputSize
{
	char	   *input_id;		/* key */
	double		width;
	double		height;
} InputSize;

static KeptPlan image_sizes = {
	.sql = "SELECT i.id, " SIZE_SQL("width") ", " SIZE_SQL("height")
	"  FROM annotations.inputs i WHERE i.app_id = $1",
	.nargs = 1,
	.argtypes = {TEXTOID}
};

/*
 * Every input's image size, read once (a join in the detection query would
 * carry them through its sort on every row).
 */
static HTAB *
read_image_sizes(const char *app_id, MemoryContext cxt)
{
	HTAB	   *sizes = strptr_table("evaluation image sizes", sizeof(InputSize), cxt);
	Datum		arg = CStringGetTextDatum(app_id);
	Portal		portal = SPI_cursor_open(NULL, kept_plan(&image_sizes), &arg, NULL, true);

	for (;;)
	{
		SPI_cursor_fetch(portal, true, EVAL_FETCH);
		if (SPI_processed == 0)
			break;
		for (uint64 r = 0; r < SPI_processed; r++)
		{
			HeapTuple	tup = SPI_tuptable->vals[r];
			TupleDesc	desc = SPI_tuptable->tupdesc;
			MemoryContext old = MemoryContextSwitchTo(cxt);
			bool		isnull;
			char	   *id = TextDatumGetCString(SPI_getbinval(tup, desc, 1, &isnull));
			InputSize  *e = hash_search(sizes, &id, HASH_ENTER, NULL);
			Datum		w = SPI_getbinval(tup, desc, 2, &isnull);

			e->width = isnull ? get_float8_nan() : DatumGetFloat8(w);
			w = SPI_getbinval(tup, desc, 3, &isnull);
			e->height = isnull ? get_float8_nan() : DatumGetFloat8(w);
			MemoryContextSwitchTo(old);
		}
		SPI_freetuptable(SPI_tuptable);
		CHECK_FOR_INTERRUPTS();
	}
	SPI_cursor_close(portal);
	return sizes;
}

/* Starts an input: its image size, no box yet. */
static void
input_start(InputRows *in, HTAB *sizes, char *input_id, int cap)
{
	InputSize  *size = hash_search(sizes, &input_id, HASH_FIND, NULL);

	in->input_id = input_id;
	in->width = size ? size->width : 0;
	in->height = size ? size->height : 0;
	in->sized = size != NULL && in->width > 0 && in->height > 0 &&
		isfinite(in->width) && isfinite(in->height);
	if (!in->sized)
		in->width = in->height = 1.0;
	in->n = 0;
	in->cap = Max(cap, 1);
	in->objs = palloc(sizeof(Obj) * in->cap);
}

/*
 * A concept's id as ->> gives it: a string as it is, any other value as its
 * JSON text, NULL for JSON null.
 */
static char *
concept_id_text(const JsonbValue *v)
{
	switch (v->type)
	{
		case jbvNull:
			return NULL;
		case jbvString:
			return pnstrdup(v->val.string.val, v->val.string.len);
		case jbvNumeric:
			return DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(v->val.numeric)));
		case jbvBool:
			return pstrdup(v->val.boolean ? "true" : "false");
		case jbvBinary:
			return JsonbToCString(NULL, v->val.binary.data, v->val.binary.len);
		default:
			elog(ERROR, "unexpected jsonb value type %d in a stored concept id", (int) v->type);
	}
}

/*
 * A concept's value: 1 when absent (as the API writes it), false when it is
 * not a number; a number goes through its text, as a cast from ->> would.
 */
static bool
concept_value(JsonbContainer *concept, double *value)
{
	JsonbValue	v;
	char	   *text;
	bool		out_of_range = false;

	if (getKeyJsonValueFromContainer(concept, "value", 5, &v) == NULL)
	{
		*value = 1;
		return true;
	}
	if (v.type != jbvNumeric)
		return false;
	text = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(v.val.numeric)));
	*value = float8in_internal_opt_error(text, NULL, "double precision", text, &out_of_range);
	/* the API stores values in [0, 1]; anything else came around it */
	if (out_of_range)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("stored concept value is malformed"),
				 errdetail("A concept value of an annotation or a region is outside the range of double precision."),
				 errhint("The API never stores such a value. Correct it with UPDATE or delete the annotation.")));
	return true;
}

/* Called with each concept of a stored list that the walk keeps. */
typedef void (*ConceptVisit) (char *id, double value, void *arg);

/*
 * The one rule for a stored concept list, for evaluation and agreement
 * alike: each element that is an object with an id (not JSON null) and a
 * positive value counts, in array order; a list that is no array has none.
 * A value out of double precision's range is refused by concept_value.
 */
static void
walk_concepts(Datum list_datum, bool isnull, ConceptVisit visit, void *arg)
{
	Jsonb	   *list;
	int			n;

	if (isnull)
		return;
	list = DatumGetJsonbP(list_datum);
	if (!JB_ROOT_IS_ARRAY(list) || JB_ROOT_IS_SCALAR(list))
		return;
	n = JsonContainerSize(&list->root);
	for (int i = 0; i < n; i++)
	{
		JsonbValue *item = getIthJsonbValueFromContainer(&list->root, i);
		JsonbValue	id;
		double		value;
		char	   *concept;

		CHECK_FOR_INTERRUPTS();
		if (item == NULL || item->type != jbvBinary || !JsonContainerIsObject(item->val.binary.data))
			continue;
		if (!concept_value(item->val.binary.data, &value) || !(value > 0))
			continue;
		if (getKeyJsonValueFromContainer(item->val.binary.data, "id", 2, &id) == NULL ||
			(concept = concept_id_text(&id)) == NULL)
			continue;
		visit(concept, value, arg);
	}
}

/*
 * One concept of one region, as read: what the evaluator needs of it, kept
 * small since every region concept of the evaluated rows is held until the
 * last row is read.
 */
typedef struct Kept
{
	int64		seq;			/* the annotation's: creation order */
	double		score;			/* the concept's value */
	double		area;			/* ground truth's area in pixels; NaN: the box's */
	BBox		box;			/* fractions, as stored */
	int32		cat;
	int32		ids;			/* index into the id pairs (match_detections), else -1 */
	int32		pos;			/* place in its input's list as read */
	bool		gt;
	bool		crowd;
} Kept;

StaticAssertDecl(sizeof(Kept) == 56, "a kept region concept takes 56 bytes, as documented");

/* The region concepts of one input, in the order they were read. */
typedef struct InputKept
{
	char	   *input_id;		/* key */
	Kept	   *kept;
	int32		n;
	int32		cap;
} InputKept;

/* Every evaluated row, grouped by input. */
typedef struct ReadState
{
	HTAB	   *inputs;			/* input id -> InputKept */
	HTAB	   *sizes;			/* input id -> InputSize */
	Concepts   *concepts;
	bool		keep_ids;
	bool		segm;
	char	  **ids;			/* annotation id, region id, per region read */
	EvalShape **shapes;			/* with segm: per region read (ids / 2) */
	int32		nids;
	int32		capids;
	int32		capshapes;		/* capids when shapes was last sized */
	MemoryContext cxt;
	/* the row being walked */
	InputKept  *in;
	Kept		row;
} ReadState;

/* Keeps one concept of the row being walked. */
static void
keep_concept(char *concept, double value, void *arg)
{
	ReadState  *rs = arg;
	InputKept  *in = rs->in;
	bool		created;
	Kept	   *k;

	if (in->n == in->cap)
	{
		in->cap = in->cap == 0 ? 8 : in->cap * 2;
		in->kept = in->kept ? repalloc_huge(in->kept, sizeof(Kept) * in->cap)
			: MemoryContextAllocHuge(rs->cxt, sizeof(Kept) * in->cap);
	}
	k = &in->kept[in->n];
	*k = rs->row;
	k->pos = in->n++;
	k->score = value;
	k->cat = concept_index(rs->concepts, concept, &created);
}

/*
 * The area COCO's area ranges look at for a ground-truth region, as
 * export_coco writes it: the area an import kept, else for a polygon or a
 * mask its area in pixels on the input's image (the stored shape checked
 * as every reader checks it), else NaN (the box's w * h).
 */
static double
gt_area(ReadState *rs, char *input_id, const Datum *v, const bool *n)
{
	Numeric		kept = n[DQ_COCO - 1] ? NULL : coco_kept_area(&DatumGetJsonbP(v[DQ_COCO - 1])->root);
	InputSize  *size;
	ShapeDatums d;
	RegionShape shape;

	/* a kept area beyond double precision is infinite: a large object, as in Python */
	if (kept)
		return DatumGetFloat8(DirectFunctionCall1(numeric_float8_no_overflow, NumericGetDatum(kept)));
	if (n[DQ_POLYGON - 1] && n[DQ_MASK - 1])
		return get_float8_nan();
	size = hash_search(rs->sizes, &input_id, HASH_FIND, NULL);
	/* without an image size the input is left out: no area needed */
	if (size == NULL || !(size->width > 0 && size->height > 0 && size->width <= PG_INT32_MAX &&
						  size->height <= PG_INT32_MAX))
		return get_float8_nan();
	d.values[SC_BBOX] = v[DQ_BBOX - 1];
	d.nulls[SC_BBOX] = false;
	d.values[SC_POLYGON] = v[DQ_POLYGON - 1];
	d.nulls[SC_POLYGON] = n[DQ_POLYGON - 1];
	d.values[SC_POINT] = (Datum) 0;
	d.nulls[SC_POINT] = true;
	d.values[SC_MASK] = v[DQ_MASK - 1];
	d.nulls[SC_MASK] = n[DQ_MASK - 1];
	region_shape_from_datums(&d, &shape, "region of an annotation on input \"%s\"", input_id);
	return DatumGetFloat8(DirectFunctionCall1(numeric_float8_no_overflow,
											  NumericGetDatum(coco_shape_area(shape.kind == SHAPE_POLYGON ? shape.polygon : NULL,
																			  shape.kind == SHAPE_MASK ? shape.mask : NULL,
																			  (int32) size->width, (int32) size->height))));
}

/* One row of the detection query: its region's concepts kept under its input. */
static void
read_row(ReadState *rs, HeapTuple tup, TupleDesc desc)
{
	Datum		v[DQ_REGION];
	bool		n[DQ_REGION];
	char	   *input_id;
	bool		found;

	if (desc->natts != (rs->keep_ids ? DQ_REGION : DQ_MASK))
		elog(ERROR, "detection query has %d columns", desc->natts);
	/* one pass over the row: its columns after the first text are not at fixed offsets */
	heap_deform_tuple(tup, desc, v, n);
	if (n[DQ_INPUT - 1])
		return;
	input_id = TextDatumGetCString(v[DQ_INPUT - 1]);
	rs->in = hash_search(rs->inputs, &input_id, HASH_ENTER, &found);
	if (!found)
	{
		rs->in->input_id = MemoryContextStrdup(rs->cxt, input_id);
		rs->in->kept = NULL;
		rs->in->n = rs->in->cap = 0;
	}
	if (n[DQ_CONCEPTS - 1] || n[DQ_BBOX - 1] || n[DQ_PRED - 1])
		return;
	rs->row.seq = n[DQ_SEQ - 1] ? 0 : DatumGetInt64(v[DQ_SEQ - 1]);
	rs->row.box = *DatumGetBBoxP(v[DQ_BBOX - 1]);
	rs->row.gt = !DatumGetBool(v[DQ_PRED - 1]);
	/* COCO marks only ground truth as crowd; a prediction is never one */
	rs->row.crowd = rs->row.gt && !n[DQ_CROWD - 1] && DatumGetBool(v[DQ_CROWD - 1]);
	rs->row.area = rs->row.gt ? gt_area(rs, input_id, v, n) : get_float8_nan();
	rs->row.ids = -1;
	if (rs->keep_ids)
	{
		if (rs->nids + 2 > rs->capids)
		{
			rs->capids = Max(rs->capids * 2, 1024);
			rs->ids = rs->ids ? repalloc_huge(rs->ids, sizeof(char *) * rs->capids)
				: MemoryContextAllocHuge(rs->cxt, sizeof(char *) * rs->capids);
		}
		rs->row.ids = rs->nids;
		rs->ids[rs->nids++] = n[DQ_ANN - 1] ? "" : MemoryContextStrdup(rs->cxt, TextDatumGetCString(v[DQ_ANN - 1]));
		rs->ids[rs->nids++] = n[DQ_REGION - 1] ? "" : MemoryContextStrdup(rs->cxt, TextDatumGetCString(v[DQ_REGION - 1]));
		if (rs->segm)
		{
			if (rs->shapes == NULL || rs->capids != rs->capshapes)
			{
				rs->shapes = rs->shapes ? repalloc_huge(rs->shapes, sizeof(EvalShape *) * rs->capids / 2)
					: MemoryContextAllocHuge(rs->cxt, sizeof(EvalShape *) * rs->capids / 2);
				rs->capshapes = rs->capids;
			}
			rs->shapes[rs->row.ids / 2] =
				eval_shape_keep(v[DQ_BBOX - 1], v[DQ_POLYGON - 1], n[DQ_POLYGON - 1],
								v[DQ_MASK - 1], n[DQ_MASK - 1], rs->ids[rs->row.ids],
								rs->ids[rs->row.ids + 1], input_id, rs->cxt);
		}
	}
	walk_concepts(v[DQ_CONCEPTS - 1], false, keep_concept, rs);
}

/* Creation order; a region's concepts, which share the seq, in list order. */
static int
kept_cmp(const void *a, const void *b)
{
	const Kept *x = a;
	const Kept *y = b;

	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	return (x->pos > y->pos) - (x->pos < y->pos);
}

static int
input_kept_cmp(const void *a, const void *b)
{
	return strcmp((*(InputKept *const *) a)->input_id, (*(InputKept *const *) b)->input_id);
}

/*
 * With segm, numbers the input's regions (a region's concepts are adjacent
 * once sorted) so that each is rasterized once however many concepts it
 * has, and prepares their rasterization; an input whose size gives no
 * whole pixels is left as not sized.
 */
static void
input_shapes(InputRows *in, const InputKept *ik, EvalShape *const *shapes)
{
	const EvalShape **mine = palloc(sizeof(EvalShape *) * Max(ik->n, 1));
	int			nshapes = 0;
	int32		w;
	int32		h;

	in->segm = true;
	if (!in->sized || !eval_raster_size(in->width, in->height, &w, &h))
	{
		in->sized = false;
		return;
	}
	for (int32 i = 0; i < ik->n; i++)
	{
		if (i == 0 || ik->kept[i].ids != ik->kept[i - 1].ids)
			mine[nshapes++] = shapes[ik->kept[i].ids / 2];
		in->objs[i].box.shape = nshapes - 1;
	}
	shape_raster_init(&in->raster, mine, nshapes, h, w, ik->input_id);
	/* a prediction's area is its mask's, as COCO's loadRes takes it for segm */
	for (int32 i = 0; i < ik->n; i++)
		if (!in->objs[i].gt)
			in->objs[i].box.area = (double) shape_raster_area(&in->raster, in->objs[i].box.shape);
}

/* One input's kept concepts as boxes in pixels, in creation order. */
static void
input_fill(InputRows *in, HTAB *sizes, InputKept *ik, char **ids, EvalShape *const *shapes)
{
	input_start(in, sizes, ik->input_id, ik->n);
	in->segm = false;
	if (ik->n > 1)
		qsort(ik->kept, ik->n, sizeof(Kept), kept_cmp);
	for (int32 i = 0; i < ik->n; i++)
	{
		const Kept *k = &ik->kept[i];
		const BBox *b = &k->box;
		Obj		   *o = &in->objs[i];

		o->cat = k->cat;
		o->gt = k->gt;
		o->box.order = i;
		o->box.crowd = k->crowd;
		o->box.score = k->score;
		/* COCO's [x, y, w, h] in pixels, and its area w * h */
		o->box.x = (double) b->left_col * in->width;
		o->box.y = (double) b->top_row * in->height;
		o->box.w = ((double) b->right_col - (double) b->left_col) * in->width;
		o->box.h = ((double) b->bottom_row - (double) b->top_row) * in->height;
		o->box.area = isnan(k->area) ? o->box.w * o->box.h : k->area;
		o->box.shape = -1;
		o->ann_id = k->ids >= 0 ? ids[k->ids] : NULL;
		o->region_id = k->ids >= 0 ? ids[k->ids + 1] : NULL;
	}
	in->n = ik->n;
	if (shapes != NULL)
		input_shapes(in, ik, shapes);
}

/* The IoU a detection and a ground-truth object of one input are matched by. */
static double
input_iou(InputRows *in, const CocoBox *dt, const CocoBox *gt)
{
	return in->segm ? shape_raster_iou(&in->raster, dt->shape, gt->shape, gt->crowd)
		: coco_iou(dt, gt);
}

/* The kernel's IoU callback for segm. */
static double
raster_iou(const CocoBox *dt, const CocoBox *gt, void *arg)
{
	return input_iou((InputRows *) arg, dt, gt);
}

/*
 * Reads every row of the cursor, grouped by input (kept in cxt), then
 * calls each_input with every input's boxes, inputs in byte order of their
 * ids (scratch in rowcxt, reset after each input). Memory holds about 40
 * bytes per region concept read.
 */
static void
read_inputs(Portal portal, HTAB *sizes, Concepts *concepts, MemoryContext cxt, MemoryContext rowcxt,
			bool keep_ids, bool segm, InputFn each_input, void *arg)
{
	ReadState	rs = {0};
	InputKept **all;
	InputKept  *ik;
	HASH_SEQ_STATUS scan;
	long		n = 0;

	rs.inputs = strptr_table("evaluated inputs", sizeof(InputKept), cxt);
	rs.concepts = concepts;
	rs.sizes = sizes;
	/* with segm every region's ids are kept: a refused mask is named by them */
	rs.keep_ids = keep_ids || segm;
	rs.segm = segm;
	rs.cxt = cxt;
	for (;;)
	{
		SPI_cursor_fetch(portal, true, EVAL_FETCH);
		if (SPI_processed == 0)
			break;
		for (uint64 r = 0; r < SPI_processed; r++)
		{
			MemoryContext old = MemoryContextSwitchTo(rowcxt);

			read_row(&rs, SPI_tuptable->vals[r], SPI_tuptable->tupdesc);
			MemoryContextSwitchTo(old);
		}
		SPI_freetuptable(SPI_tuptable);
		MemoryContextReset(rowcxt);
		CHECK_FOR_INTERRUPTS();
	}

	all = MemoryContextAllocHuge(cxt, sizeof(InputKept *) * Max(hash_get_num_entries(rs.inputs), 1));
	hash_seq_init(&scan, rs.inputs);
	while ((ik = hash_seq_search(&scan)) != NULL)
		all[n++] = ik;
	if (n > 1)
		qsort(all, n, sizeof(InputKept *), input_kept_cmp);
	for (long i = 0; i < n; i++)
	{
		MemoryContext old = MemoryContextSwitchTo(rowcxt);
		InputRows	in;

		input_fill(&in, sizes, all[i], rs.ids, segm ? rs.shapes : NULL);
		each_input(&in, arg);
		MemoryContextSwitchTo(old);
		MemoryContextReset(rowcxt);
		CHECK_FOR_INTERRUPTS();
	}
}

/* ---------- evaluate_detections ---------- */

typedef struct EvalState
{
	CocoEval	ev;
	Concepts	concepts;
	char	  **images;			/* evaluated inputs, in arrival order */
	int32		nimages;
	int32		capimages;
	int64		unsized;		/* inputs left out: no image size */
	MemoryContext cxt;
} EvalState;

static void
eval_state_init(EvalState *st, const double *thr, int nthr, const int *maxdets)
{
	st->cxt = CurrentMemoryContext;
	coco_eval_init(&st->ev, thr, nthr, maxdets);
	concepts_init(&st->concepts, st->cxt);
	st->nimages = 0;
	st->capimages = 256;
	st->images = palloc(sizeof(char *) * st->capimages);
	st->unsized = 0;
}

/* Adds an image and returns its number. */
static int32
eval_add_image(EvalState *st, const char *name)
{
	if (st->nimages == st->capimages)
	{
		st->capimages *= 2;
		st->images = repalloc_huge(st->images, sizeof(char *) * st->capimages);
	}
	st->images[st->nimages] = MemoryContextStrdup(st->cxt, name);
	return st->nimages++;
}

/*
 * evaluateImg for every concept of one image. objs are sorted by concept,
 * each concept's boxes staying in input order.
 */
static void
eval_image_objs(EvalState *st, int32 image, Obj *objs, int n)
{
	CocoBox    *gts = palloc(sizeof(CocoBox) * Max(n, 1));
	CocoBox    *dts = palloc(sizeof(CocoBox) * Max(n, 1));

	while (st->ev.ncat < st->concepts.n)
	{
		MemoryContext old = MemoryContextSwitchTo(st->cxt);

		coco_eval_add_category(&st->ev);
		MemoryContextSwitchTo(old);
	}
	qsort(objs, n, sizeof(Obj), obj_cat_cmp);
	for (int i = 0; i < n;)
	{
		int			j = i;
		int			ng = 0;
		int			nd = 0;

		while (j < n && objs[j].cat == objs[i].cat)
		{
			if (objs[j].gt)
				gts[ng++] = objs[j].box;
			else
				dts[nd++] = objs[j].box;
			j++;
		}
		coco_eval_image(&st->ev, image, objs[i].cat, gts, ng, dts, nd);
		i = j;
		CHECK_FOR_INTERRUPTS();
	}
}

static void
eval_input(InputRows *in, void *arg)
{
	EvalState  *st = arg;

	/* without a size there are no areas in pixels: the input is left out */
	if (!in->sized)
	{
		st->unsized++;
		return;
	}
	st->ev.iou = in->segm ? raster_iou : NULL;
	st->ev.iou_arg = in;
	eval_image_objs(st, eval_add_image(st, in->input_id), in->objs, in->n);
}

static void
note_unsized(int64 unsized)
{
	if (unsized > 0)
		ereport(NOTICE,
				(errmsg_plural("%lld input without an image size was left out of the evaluation",
							   "%lld inputs without an image size were left out of the evaluation",
							   unsized, (long long) unsized),
				 errdetail("Areas in pixels need data.image.image_info.width and height.")));
}

static Datum
num_or_null(double v, bool *isnull)
{
	*isnull = isnan(v);
	return Float8GetDatum(*isnull ? 0 : v);
}

static Datum
count_or_null(int64 v, bool *isnull)
{
	*isnull = v < 0;
	return Int64GetDatum(v);
}

/* One result row: concept (NULL for all) and COCO's figures. */
static void
put_summary(ReturnSetInfo *rsinfo, const char *concept, const CocoSummary *s)
{
	TupleDesc	desc = rsinfo->setDesc;
	Datum		values[18];
	bool		nulls[18];
	int			k = 0;

	if (desc->natts != 18)
		elog(ERROR, "evaluation result has %d columns, expected 18", desc->natts);
	nulls[k] = concept == NULL;
	values[k++] = concept ? CStringGetTextDatum(concept) : (Datum) 0;
	values[k] = num_or_null(s->ap, &nulls[k]), k++;
	values[k] = num_or_null(s->ap50, &nulls[k]), k++;
	values[k] = num_or_null(s->ap75, &nulls[k]), k++;
	for (int a = 0; a < 3; a++)
		values[k] = num_or_null(s->ap_area[a], &nulls[k]), k++;
	for (int m = 0; m < COCO_MAXDETS; m++)
		values[k] = num_or_null(s->ar[m], &nulls[k]), k++;
	for (int a = 0; a < 3; a++)
		values[k] = num_or_null(s->ar_area[a], &nulls[k]), k++;
	values[k] = count_or_null(s->gt_count, &nulls[k]), k++;
	values[k] = count_or_null(s->dt_count, &nulls[k]), k++;
	values[k] = count_or_null(s->tp50, &nulls[k]), k++;
	values[k] = count_or_null(s->fp50, &nulls[k]), k++;
	values[k] = count_or_null(s->fn50, &nulls[k]), k++;
	tuplestore_putvalues(rsinfo->setResult, desc, values, nulls);
}

static const char **rank_names;

static int
image_name_cmp(const void *a, const void *b)
{
	return strcmp(rank_names[*(const int32 *) a], rank_names[*(const int32 *) b]);
}

/*
 * The result: the line for all concepts first, then one per concept that
 * has a box, by concept id.
 */
static void
eval_finish(EvalState *st, ReturnSetInfo *rsinfo, bool has50, bool has75)
{
	int32	   *byname = palloc(sizeof(int32) * Max(st->nimages, 1));
	int32	   *rank = palloc(sizeof(int32) * Max(st->nimages, 1));
	int		   *order;
	CocoSummary *rows;
	CocoSummary all;
	int			n = 0;

	while (st->ev.ncat < st->concepts.n)
		coco_eval_add_category(&st->ev);
	/* COCO takes images in the order of their ids */
	for (int32 i = 0; i < st->nimages; i++)
		byname[i] = i;
	rank_names = (const char **) st->images;
	if (st->nimages > 1)
		qsort(byname, st->nimages, sizeof(int32), image_name_cmp);
	for (int32 i = 0; i < st->nimages; i++)
		rank[byname[i]] = i;

	order = by_name(st->concepts.names, st->concepts.n);
	rows = palloc(sizeof(CocoSummary) * Max(st->concepts.n, 1));
	for (int i = 0; i < st->concepts.n; i++)
	{
		int			c = order[i];

		if (st->ev.cats[c].gt_count == 0 && st->ev.cats[c].dt_count == 0)
			continue;
		coco_eval_summarize(&st->ev, c, rank, &rows[n]);
		order[n++] = c;
		CHECK_FOR_INTERRUPTS();
	}
	coco_eval_mean(rows, n, &all);
	if (!has50)
		all.ap50 = NAN;
	if (!has75)
		all.ap75 = NAN;
	put_summary(rsinfo, NULL, &all);
	for (int i = 0; i < n; i++)
		put_summary(rsinfo, st->concepts.names[order[i]], &rows[i]);
	note_unsized(st->unsized);
}

static bool
has_threshold(const double *thr, int n, double want)
{
	for (int i = 0; i < n; i++)
		if (thr[i] == want)
			return true;
	return false;
}

static ArrayType *
models_arg(FunctionCallInfo fcinfo, int argno)
{
	ArrayType  *models = api_filter_array_arg(fcinfo, argno, "model_version_ids");

	if (models == NULL)
		bad_argument("model_version_ids must name at least one model version",
					 "The predictions to evaluate are the region concepts those model versions wrote.");
	return models;
}

PG_FUNCTION_INFO_V1(annotations_evaluate_detections);

/*
 * evaluate_detections(app_id, model_version_ids, user_ids, statuses,
 * iou_thresholds, max_detections, input_ids, iou_type): COCO's summary
 * per concept and over all concepts.
 */
Datum
annotations_evaluate_detections(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	char	   *app_id = app_arg(fcinfo);
	ArrayType  *models = models_arg(fcinfo, 1);
	ArrayType  *users = api_filter_array_arg(fcinfo, 2, "user_ids");
	ArrayType  *statuses = api_filter_array_arg(fcinfo, 3, "statuses");
	ArrayType  *inputs = api_filter_array_arg(fcinfo, 6, "input_ids");
	bool		segm = segm_arg(fcinfo, 7);
	double		thr[MAX_THRESHOLDS];
	int			nthr = thresholds_arg(fcinfo, 4, thr);
	int			maxdets[COCO_MAXDETS];
	Acting		acting;
	AppAccess	access;
	EvalState	st;
	MemoryContext cxt;
	MemoryContext rowcxt;
	MemoryContext old;
	Portal		portal;
	HTAB	   *sizes;

	maxdets_arg(fcinfo, 5, maxdets);
	InitMaterializedSRF(fcinfo, 0);
	cxt = AllocSetContextCreate(CurrentMemoryContext, "evaluate_detections", ALLOCSET_DEFAULT_SIZES);
	rowcxt = AllocSetContextCreate(cxt, "evaluate_detections input", ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(cxt);
	eval_state_init(&st, thr, nthr, maxdets);
	MemoryContextSwitchTo(old);

	acting_enter(&acting, app_id, &access);
	sizes = read_image_sizes(app_id, CurrentMemoryContext);
	portal = open_detections(fcinfo, app_id, models, users, statuses, inputs, segm, segm);
	read_inputs(portal, sizes, &st.concepts, CurrentMemoryContext, rowcxt, false, segm, eval_input, &st);
	SPI_cursor_close(portal);
	acting_leave(&acting);

	old = MemoryContextSwitchTo(cxt);
	eval_finish(&st, rsinfo, has_threshold(thr, nthr, 0.5), has_threshold(thr, nthr, 0.75));
	MemoryContextSwitchTo(old);
	MemoryContextDelete(cxt);
	return (Datum) 0;
}

/* ---------- _evaluate_boxes ---------- */

static Datum *
array_elems(FunctionCallInfo fcinfo, int argno, Oid type, const char *name, bool **nulls, int *n)
{
	ArrayType  *arr;
	Datum	   *elems;
	int16		len;
	bool		byval;
	char		align;

	if (PG_ARGISNULL(argno))
		bad_argument(psprintf("%s must not be NULL", name), NULL);
	arr = PG_GETARG_ARRAYTYPE_P(argno);
	if (ARR_ELEMTYPE(arr) != type)
		elog(ERROR, "%s has the wrong element type", name);
	get_typlenbyvalalign(type, &len, &byval, &align);
	deconstruct_array(arr, type, len, byval, align, &elems, nulls, n);
	return elems;
}

typedef struct BoxInput
{
	char	   *image;
	Obj			obj;
} BoxInput;

static int
box_input_cmp(const void *a, const void *b)
{
	const BoxInput *x = a;
	const BoxInput *y = b;
	int			c = strcmp(x->image, y->image);

	if (c != 0)
		return c;
	return (x->obj.box.order > y->obj.box.order) - (x->obj.box.order < y->obj.box.order);
}

PG_FUNCTION_INFO_V1(annotations_evaluate_boxes);

/*
 * _evaluate_boxes(images, concepts, scores, crowd, boxes, areas,
 * iou_thresholds, max_detections): the kernel on boxes given in pixels,
 * one array element per box (boxes: n x 4, [x, y, w, h]); a NULL score
 * makes a ground-truth object. Boxes keep the order of the arrays for ties.
 */
Datum
annotations_evaluate_boxes(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	bool	   *inull;
	bool	   *cnull;
	bool	   *snull;
	bool	   *crnull;
	bool	   *bnull;
	bool	   *anull;
	int			n;
	int			nc;
	int			ns;
	int			ncr;
	int			nb;
	int			na;
	Datum	   *images = array_elems(fcinfo, 0, TEXTOID, "images", &inull, &n);
	Datum	   *concepts = array_elems(fcinfo, 1, TEXTOID, "concepts", &cnull, &nc);
	Datum	   *scores = array_elems(fcinfo, 2, FLOAT8OID, "scores", &snull, &ns);
	Datum	   *crowd = array_elems(fcinfo, 3, BOOLOID, "crowd", &crnull, &ncr);
	Datum	   *boxes = array_elems(fcinfo, 4, FLOAT8OID, "boxes", &bnull, &nb);
	Datum	   *areas = array_elems(fcinfo, 5, FLOAT8OID, "areas", &anull, &na);
	double		thr[MAX_THRESHOLDS];
	int			nthr = thresholds_arg(fcinfo, 6, thr);
	int			maxdets[COCO_MAXDETS];
	BoxInput   *in;
	EvalState	st;

	maxdets_arg(fcinfo, 7, maxdets);
	if (nc != n || ns != n || ncr != n || na != n || nb != 4 * n)
		bad_argument("images, concepts, scores, crowd and areas must have one element per box, boxes four",
					 NULL);
	InitMaterializedSRF(fcinfo, 0);
	eval_state_init(&st, thr, nthr, maxdets);
	in = palloc(sizeof(BoxInput) * Max(n, 1));
	for (int i = 0; i < n; i++)
	{
		bool		created;

		if (inull[i] || cnull[i] || crnull[i] || anull[i] ||
			bnull[4 * i] || bnull[4 * i + 1] || bnull[4 * i + 2] || bnull[4 * i + 3])
			bad_argument(psprintf("box %d has a NULL image, concept, crowd flag, area or coordinate", i + 1), NULL);
		in[i].image = TextDatumGetCString(images[i]);
		in[i].obj.cat = concept_index(&st.concepts, TextDatumGetCString(concepts[i]), &created);
		in[i].obj.gt = snull[i];
		in[i].obj.box.score = snull[i] ? 0 : DatumGetFloat8(scores[i]);
		in[i].obj.box.crowd = snull[i] && DatumGetBool(crowd[i]);
		in[i].obj.box.x = DatumGetFloat8(boxes[4 * i]);
		in[i].obj.box.y = DatumGetFloat8(boxes[4 * i + 1]);
		in[i].obj.box.w = DatumGetFloat8(boxes[4 * i + 2]);
		in[i].obj.box.h = DatumGetFloat8(boxes[4 * i + 3]);
		in[i].obj.box.area = DatumGetFloat8(areas[i]);
		in[i].obj.box.order = i;
		in[i].obj.box.shape = -1;
	}
	if (n > 1)
		qsort(in, n, sizeof(BoxInput), box_input_cmp);
	for (int i = 0; i < n;)
	{
		int			j = i;
		Obj		   *objs = palloc(sizeof(Obj) * n);
		int			k = 0;

		while (j < n && strcmp(in[j].image, in[i].image) == 0)
		{
			objs[k] = in[j].obj;
			objs[k].box.order = k;
			k++;
			j++;
		}
		eval_image_objs(&st, eval_add_image(&st, in[i].image), objs, k);
		pfree(objs);
		i = j;
	}
	eval_finish(&st, rsinfo, has_threshold(thr, nthr, 0.5), has_threshold(thr, nthr, 0.75));
	return (Datum) 0;
}

/* ---------- match_detections ---------- */

typedef struct MatchState
{
	ReturnSetInfo *rsinfo;
	Concepts	concepts;
	double		thr;
	bool		segm;
	int64		unsized;		/* segm: inputs left out, no image size */
} MatchState;

static void
put_match(MatchState *ms, const InputRows *in, const Obj *dt, const Obj *gt, double iou)
{
	Datum		values[9];
	bool		nulls[9] = {0};
	const Obj  *any = dt ? dt : gt;	/* every row has one or the other */

	Assert(any != NULL);
	if (ms->rsinfo->setDesc->natts != 9)
		elog(ERROR, "match result has %d columns, expected 9", ms->rsinfo->setDesc->natts);
	values[0] = CStringGetTextDatum(in->input_id);
	values[1] = CStringGetTextDatum(ms->concepts.names[any->cat]);
	if (dt)
	{
		values[2] = CStringGetTextDatum(dt->ann_id);
		values[3] = CStringGetTextDatum(dt->region_id);
		values[4] = Float8GetDatum(dt->box.score);
	}
	else
		nulls[2] = nulls[3] = nulls[4] = true;
	if (gt)
	{
		values[5] = CStringGetTextDatum(gt->ann_id);
		values[6] = CStringGetTextDatum(gt->region_id);
	}
	else
		nulls[5] = nulls[6] = true;
	if (dt && gt)
		values[7] = Float8GetDatum(iou);
	else
		nulls[7] = true;
	/* a prediction inside a crowd region is neither a true nor a false positive */
	nulls[8] = dt && gt && gt->box.crowd;
	values[8] = BoolGetDatum(dt && gt);
	tuplestore_putvalues(ms->rsinfo->setResult, ms->rsinfo->setDesc, values, nulls);
}

/*
 * One input: per concept, predictions by descending score matched
 * greedily to ground truth as evaluateImg does at one threshold, every
 * prediction kept (no maxDets cut), every object regular but the crowd
 * regions, which are walked last. A crowd region no prediction fell into
 * was not missed: it gets no row.
 */
static void
match_input(InputRows *in, void *arg)
{
	MatchState *ms = arg;
	Obj		   *objs = in->objs;
	int			n = in->n;
	CocoBox    *gts = palloc(sizeof(CocoBox) * Max(n, 1));
	CocoBox    *dts = palloc(sizeof(CocoBox) * Max(n, 1));
	int		   *gobj = palloc(sizeof(int) * Max(n, 1));
	bool	   *gig = palloc(sizeof(bool) * Max(n, 1));
	bool	   *taken = palloc(sizeof(bool) * Max(n, 1));
	int		   *match = palloc(sizeof(int) * Max(n, 1));
	int		   *order;

	/* shapes cannot be rasterized without the image's size: left out */
	if (ms->segm && !in->sized)
	{
		ms->unsized++;
		return;
	}
	/* concepts by id, so rows come out in that order */
	qsort(objs, n, sizeof(Obj), obj_cat_cmp);
	order = by_name(ms->concepts.names, ms->concepts.n);
	for (int oi = 0; oi < ms->concepts.n; oi++)
	{
		int			cat = order[oi];
		int			ng = 0;
		int			nd = 0;
		double	   *ious;

		/* regular objects first, then crowd regions, each in input order */
		for (int pass = 0; pass < 2; pass++)
			for (int i = 0; i < n; i++)
			{
				if (objs[i].cat != cat || !objs[i].gt || objs[i].box.crowd != (pass == 1))
					continue;
				gobj[ng] = i;
				gig[ng] = objs[i].box.crowd;
				gts[ng++] = objs[i].box;
			}
		for (int i = 0; i < n; i++)
		{
			if (objs[i].cat != cat || objs[i].gt)
				continue;
			dts[nd] = objs[i].box;
			dts[nd++].order = i;	/* ties: input order, which i keeps */
		}
		if (ng == 0 && nd == 0)
			continue;
		coco_sort_detections(dts, nd);
		ious = palloc(sizeof(double) * Max((Size) nd * ng, 1));
		for (int d = 0; d < nd; d++)
			for (int g = 0; g < ng; g++)
				ious[(Size) d * ng + g] = input_iou(in, &dts[d], &gts[g]);
		coco_match(dts, nd, gts, ng, ious, gig, ms->thr, match);
		memset(taken, 0, sizeof(bool) * Max(ng, 1));
		for (int d = 0; d < nd; d++)
		{
			int			m = match[d];

			put_match(ms, in, &objs[dts[d].order], m >= 0 ? &objs[gobj[m]] : NULL,
					  m >= 0 ? ious[(Size) d * ng + m] : 0);
			if (m >= 0)
				taken[m] = true;
		}
		for (int g = 0; g < ng; g++)
			if (!taken[g] && !gig[g])
				put_match(ms, in, NULL, &objs[gobj[g]], 0);
		pfree(ious);
		CHECK_FOR_INTERRUPTS();
	}
}

PG_FUNCTION_INFO_V1(annotations_match_detections);

/*
 * match_detections(app_id, model_version_ids, user_ids, statuses,
 * input_ids, iou_threshold, iou_type): true and false positives and
 * missed objects.
 */
Datum
annotations_match_detections(PG_FUNCTION_ARGS)
{
	char	   *app_id = app_arg(fcinfo);
	ArrayType  *models = models_arg(fcinfo, 1);
	ArrayType  *users = api_filter_array_arg(fcinfo, 2, "user_ids");
	ArrayType  *statuses = api_filter_array_arg(fcinfo, 3, "statuses");
	ArrayType  *inputs = api_filter_array_arg(fcinfo, 4, "input_ids");
	MatchState	ms = {0};
	Acting		acting;
	AppAccess	access;
	MemoryContext rowcxt;
	Portal		portal;
	HTAB	   *sizes;

	ms.thr = iou_threshold_arg(fcinfo, 5);
	ms.segm = segm_arg(fcinfo, 6);
	InitMaterializedSRF(fcinfo, 0);
	ms.rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	concepts_init(&ms.concepts, CurrentMemoryContext);
	rowcxt = AllocSetContextCreate(CurrentMemoryContext, "match_detections input", ALLOCSET_DEFAULT_SIZES);

	acting_enter(&acting, app_id, &access);
	/* the statuses' type is looked up at argument 3, as for evaluate_detections */
	sizes = read_image_sizes(app_id, CurrentMemoryContext);
	portal = open_detections(fcinfo, app_id, models, users, statuses, inputs, true, ms.segm);
	read_inputs(portal, sizes, &ms.concepts, CurrentMemoryContext, rowcxt, true, ms.segm, match_input, &ms);
	SPI_cursor_close(portal);
	acting_leave(&acting);
	MemoryContextDelete(rowcxt);
	note_unsized(ms.unsized);
	return (Datum) 0;
}

/* ---------- annotator_agreement and disagreements ---------- */

/* One label of one user on the current input. */
typedef struct ALabel
{
	int			user;
	int			cat;
	bool		box;			/* a region concept; else a whole-input concept */
	CocoBox		bb;				/* fractions of the image: IoU needs no size */
} ALabel;

typedef struct AgreeCounts
{
	int32		pair;			/* key: pair, concept */
	int32		cat;
	int64		matched;
	int64		only_a;
	int64		only_b;
	int64		n11;			/* inputs where a / b said the concept is present */
	int64		n10;
	int64		n01;
} AgreeCounts;

typedef struct AgreeState
{
	ReturnSetInfo *rsinfo;
	bool		disagreements;	/* which of the two functions */
	int			nusers;
	char	  **users;
	double		thr;
	Concepts	concepts;
	HTAB	   *counts;
	int64	   *inputs;			/* per pair: inputs both labelled */
	/* the current input */
	char	   *input_id;
	bool	   *labelled;
	ALabel	   *labels;
	int			n;
	int			cap;
} AgreeState;

#define PAIR(st, i, j) ((i) * (st)->nusers + (j))

/*
 * Boxes of two users matched one to one, greedily by descending IoU (ties
 * in input order); pairs below the threshold never match. Marks what
 * matched, returns how many pairs did.
 */
static int
match_boxes(const CocoBox *a, int na, const CocoBox *b, int nb, double thr, bool *ma, bool *mb)
{
	typedef struct Cand
	{
		double		iou;
		int			i;
		int			j;
	} Cand;
	Cand	   *cand = palloc(sizeof(Cand) * Max((Size) na * nb, 1));
	int			nc = 0;
	int			matched = 0;

	memset(ma, 0, sizeof(bool) * na);
	memset(mb, 0, sizeof(bool) * nb);
	for (int i = 0; i < na; i++)
		for (int j = 0; j < nb; j++)
		{
			double		iou = coco_iou(&a[i], &b[j]);

			if (iou >= thr)
			{
				cand[nc].iou = iou;
				cand[nc].i = i;
				cand[nc++].j = j;
			}
		}
	/* insertion sort keeps ties in (i, j) order; the lists are one input's */
	for (int k = 1; k < nc; k++)
	{
		Cand		c = cand[k];
		int			m = k - 1;

		while (m >= 0 && cand[m].iou < c.iou)
		{
			cand[m + 1] = cand[m];
			m--;
		}
		cand[m + 1] = c;
	}
	for (int k = 0; k < nc; k++)
		if (!ma[cand[k].i] && !mb[cand[k].j])
		{
			ma[cand[k].i] = mb[cand[k].j] = true;
			matched++;
		}
	pfree(cand);
	return matched;
}

/* One user's boxes of one concept on the current input. */
static int
user_boxes(const AgreeState *st, int user, int cat, CocoBox *out)
{
	int			n = 0;

	for (int k = 0; k < st->n; k++)
		if (st->labels[k].user == user && st->labels[k].cat == cat && st->labels[k].box)
			out[n++] = st->labels[k].bb;
	return n;
}

static bool
user_present(const AgreeState *st, int user, int cat)
{
	for (int k = 0; k < st->n; k++)
		if (st->labels[k].user == user && st->labels[k].cat == cat && !st->labels[k].box)
			return true;
	return false;
}

/* The concepts labelled on the current input by the given users, by id. */
static int
input_concepts(AgreeState *st, const bool *which, int *out)
{
	bool	   *seen = palloc0(sizeof(bool) * Max(st->concepts.n, 1));
	int		   *order = by_name(st->concepts.names, st->concepts.n);
	int			n = 0;

	for (int k = 0; k < st->n; k++)
		if (which[st->labels[k].user])
			seen[st->labels[k].cat] = true;
	for (int i = 0; i < st->concepts.n; i++)
		if (seen[order[i]])
			out[n++] = order[i];
	return n;
}

static void
agree_input(AgreeState *st)
{
	CocoBox    *a = palloc(sizeof(CocoBox) * Max(st->n, 1));
	CocoBox    *b = palloc(sizeof(CocoBox) * Max(st->n, 1));
	bool	   *ma = palloc(sizeof(bool) * Max(st->n, 1));
	bool	   *mb = palloc(sizeof(bool) * Max(st->n, 1));
	int		   *cats = palloc(sizeof(int) * Max(st->concepts.n, 1));
	bool	   *which = palloc0(sizeof(bool) * st->nusers);

	for (int i = 0; i < st->nusers; i++)
		for (int j = i + 1; j < st->nusers; j++)
		{
			int			nc;

			if (!st->labelled[i] || !st->labelled[j])
				continue;
			st->inputs[PAIR(st, i, j)]++;
			memset(which, 0, sizeof(bool) * st->nusers);
			which[i] = which[j] = true;
			nc = input_concepts(st, which, cats);
			for (int c = 0; c < nc; c++)
			{
				int32		key[2] = {PAIR(st, i, j), cats[c]};
				AgreeCounts *e;
				bool		found;
				bool		pa = user_present(st, i, cats[c]);
				bool		pb = user_present(st, j, cats[c]);
				int			na = user_boxes(st, i, cats[c], a);
				int			nb = user_boxes(st, j, cats[c], b);
				int			m = match_boxes(a, na, b, nb, st->thr, ma, mb);

				e = hash_search(st->counts, key, HASH_ENTER, &found);
				if (!found)
				{
					e->matched = e->only_a = e->only_b = 0;
					e->n11 = e->n10 = e->n01 = 0;
				}
				e->matched += m;
				e->only_a += na - m;
				e->only_b += nb - m;
				e->n11 += pa && pb;
				e->n10 += pa && !pb;
				e->n01 += !pa && pb;
			}
		}
}

/* "alice, bob" */
static char *
user_list(const AgreeState *st, const bool *which)
{
	StringInfoData s;

	initStringInfo(&s);
	for (int u = 0; u < st->nusers; u++)
		if (which[u])
			appendStringInfo(&s, "%s%s", s.len > 0 ? ", " : "", st->users[u]);
	return s.data;
}

static void
put_disagreement(AgreeState *st, int cat, const bool *labelled, const char *detail)
{
	Datum		values[4];
	bool		nulls[4] = {0};
	Datum	   *names = palloc(sizeof(Datum) * st->nusers);
	int			n = 0;

	if (st->rsinfo->setDesc->natts != 4)
		elog(ERROR, "disagreements result has %d columns, expected 4", st->rsinfo->setDesc->natts);
	for (int u = 0; u < st->nusers; u++)
		if (labelled[u])
			names[n++] = CStringGetTextDatum(st->users[u]);
	values[0] = CStringGetTextDatum(st->input_id);
	values[1] = CStringGetTextDatum(st->concepts.names[cat]);
	values[2] = PointerGetDatum(construct_array(names, n, TEXTOID, -1, false, TYPALIGN_INT));
	values[3] = CStringGetTextDatum(detail);
	tuplestore_putvalues(st->rsinfo->setResult, st->rsinfo->setDesc, values, nulls);
}

/*
 * The concepts of one input where the users who labelled it differ: a
 * whole-input concept some of them gave and others did not, or boxes
 * without a match in another user's boxes of that concept.
 */
static void
disagree_input(AgreeState *st)
{
	int			nl = 0;
	int		   *cats = palloc(sizeof(int) * Max(st->concepts.n, 1));
	int			nc;
	bool	   *present = palloc(sizeof(bool) * st->nusers);
	bool	   *absent = palloc(sizeof(bool) * st->nusers);
	int		   *nbox = palloc(sizeof(int) * st->nusers);
	int		   *unmatched = palloc(sizeof(int) * st->nusers);
	CocoBox   **boxes = palloc(sizeof(CocoBox *) * st->nusers);
	bool	  **flags = palloc(sizeof(bool *) * st->nusers);
	bool	   *ma = palloc(sizeof(bool) * Max(st->n, 1));
	bool	   *mb = palloc(sizeof(bool) * Max(st->n, 1));

	for (int u = 0; u < st->nusers; u++)
	{
		nl += st->labelled[u];
		boxes[u] = palloc(sizeof(CocoBox) * Max(st->n, 1));
		flags[u] = palloc(sizeof(bool) * Max(st->n, 1));
	}
	if (nl < 2)
		return;
	nc = input_concepts(st, st->labelled, cats);
	for (int c = 0; c < nc; c++)
	{
		int			cat = cats[c];
		bool		any_present = false;
		bool		any_absent = false;
		bool		any_unmatched = false;
		StringInfoData s;

		for (int u = 0; u < st->nusers; u++)
		{
			present[u] = st->labelled[u] && user_present(st, u, cat);
			absent[u] = st->labelled[u] && !present[u];
			any_present |= present[u];
			any_absent |= absent[u];
			nbox[u] = st->labelled[u] ? user_boxes(st, u, cat, boxes[u]) : 0;
			memset(flags[u], 0, sizeof(bool) * Max(nbox[u], 1));
		}
		if (any_present && any_absent)
			put_disagreement(st, cat, st->labelled,
							 psprintf("present for %s; absent for %s",
									  user_list(st, present), user_list(st, absent)));

		/* a box is unmatched when some other user has no box of it */
		for (int i = 0; i < st->nusers; i++)
			for (int j = i + 1; j < st->nusers; j++)
			{
				if (!st->labelled[i] || !st->labelled[j])
					continue;
				match_boxes(boxes[i], nbox[i], boxes[j], nbox[j], st->thr, ma, mb);
				for (int k = 0; k < nbox[i]; k++)
					flags[i][k] |= !ma[k];
				for (int k = 0; k < nbox[j]; k++)
					flags[j][k] |= !mb[k];
			}
		for (int u = 0; u < st->nusers; u++)
		{
			unmatched[u] = 0;
			for (int k = 0; k < nbox[u]; k++)
				unmatched[u] += flags[u][k];
			any_unmatched |= unmatched[u] > 0;
		}
		if (!any_unmatched)
			continue;
		initStringInfo(&s);
		appendStringInfoString(&s, "boxes:");
		for (int u = 0, k = 0; u < st->nusers; u++)
			if (st->labelled[u])
				appendStringInfo(&s, "%s %s %d", k++ ? "," : "", st->users[u], nbox[u]);
		appendStringInfo(&s, "; without a match at IoU %s:", double_text(st->thr));
		for (int u = 0, k = 0; u < st->nusers; u++)
			if (unmatched[u] > 0)
				appendStringInfo(&s, "%s %s %d", k++ ? "," : "", st->users[u], unmatched[u]);
		put_disagreement(st, cat, st->labelled, s.data);
	}
}

static void
agree_flush(AgreeState *st)
{
	if (st->disagreements)
		disagree_input(st);
	else
		agree_input(st);
	CHECK_FOR_INTERRUPTS();
}

/* Cohen's kappa from a 2x2 table; NaN where it is undefined. */
static double
kappa(int64 n11, int64 n10, int64 n01, int64 n)
{
	double		po;
	double		pa;
	double		pb;
	double		pe;

	if (n <= 0)
		return NAN;
	po = (double) (n - n10 - n01) / n;
	pa = (double) (n11 + n10) / n;
	pb = (double) (n11 + n01) / n;
	pe = pa * pb + (1 - pa) * (1 - pb);
	if (pe >= 1)
		return NAN;
	return (po - pe) / (1 - pe);
}

static void
put_agreement(AgreeState *st, int i, int j, const char *concept, int64 matched,
			  int64 only_a, int64 only_b, double k)
{
	Datum		values[9];
	bool		nulls[9] = {0};
	int64		denom = 2 * matched + only_a + only_b;

	if (st->rsinfo->setDesc->natts != 9)
		elog(ERROR, "agreement result has %d columns, expected 9", st->rsinfo->setDesc->natts);
	values[0] = CStringGetTextDatum(st->users[i]);
	values[1] = CStringGetTextDatum(st->users[j]);
	nulls[2] = concept == NULL;
	values[2] = concept ? CStringGetTextDatum(concept) : (Datum) 0;
	values[3] = Int64GetDatum(st->inputs[PAIR(st, i, j)]);
	values[4] = Int64GetDatum(matched);
	values[5] = Int64GetDatum(only_a);
	values[6] = Int64GetDatum(only_b);
	nulls[7] = denom == 0;
	values[7] = Float8GetDatum(denom == 0 ? 0 : 2.0 * matched / denom);
	values[8] = num_or_null(k, &nulls[8]);
	tuplestore_putvalues(st->rsinfo->setResult, st->rsinfo->setDesc, values, nulls);
}

/*
 * Per pair: first the line over every concept (concept NULL; boxes
 * pooled, no kappa), then one line per concept either user labelled on an
 * input both labelled.
 */
static void
agree_finish(AgreeState *st)
{
	int		   *order = by_name(st->concepts.names, st->concepts.n);

	for (int i = 0; i < st->nusers; i++)
		for (int j = i + 1; j < st->nusers; j++)
		{
			int64		m = 0;
			int64		oa = 0;
			int64		ob = 0;
			int64		n = st->inputs[PAIR(st, i, j)];

			for (int c = 0; c < st->concepts.n; c++)
			{
				int32		key[2] = {PAIR(st, i, j), c};
				AgreeCounts *e = hash_search(st->counts, key, HASH_FIND, NULL);

				if (e)
				{
					m += e->matched;
					oa += e->only_a;
					ob += e->only_b;
				}
			}
			put_agreement(st, i, j, NULL, m, oa, ob, NAN);
			for (int c = 0; c < st->concepts.n; c++)
			{
				int32		key[2] = {PAIR(st, i, j), order[c]};
				AgreeCounts *e = hash_search(st->counts, key, HASH_FIND, NULL);

				if (e)
					put_agreement(st, i, j, st->concepts.names[order[c]], e->matched, e->only_a,
								  e->only_b, kappa(e->n11, e->n10, e->n01, n));
			}
		}
}

/* One annotation or region of a user on the current input. */
typedef struct LabelRow
{
	AgreeState *st;
	int			user;
	const BBox *box;			/* NULL for the annotation's whole-input list */
} LabelRow;

static void
agree_push(char *concept, double value, void *arg)
{
	LabelRow   *row = arg;
	AgreeState *st = row->st;
	ALabel	   *l;
	bool		created;

	if (st->n == st->cap)
	{
		st->cap *= 2;
		st->labels = repalloc_huge(st->labels, sizeof(ALabel) * st->cap);
	}
	l = &st->labels[st->n++];
	l->user = row->user;
	l->cat = concept_index(&st->concepts, concept, &created);
	l->box = row->box != NULL;
	if (row->box)
	{
		l->bb.x = (double) row->box->left_col;
		l->bb.y = (double) row->box->top_row;
		l->bb.w = (double) row->box->right_col - (double) row->box->left_col;
		l->bb.h = (double) row->box->bottom_row - (double) row->box->top_row;
		l->bb.crowd = false;
	}
}

/*
 * One row of the agreement query: its user labelled the input; the
 * concepts its list counts are that user's labels.
 */
static void
agree_add(AgreeState *st, HeapTuple tup, TupleDesc desc)
{
	bool		isnull;
	char	   *user = TextDatumGetCString(SPI_getbinval(tup, desc, 2, &isnull));
	Datum		box = SPI_getbinval(tup, desc, 3, &isnull);
	LabelRow	row;
	Datum		list;

	row.st = st;
	row.box = isnull ? NULL : DatumGetBBoxP(box);
	row.user = 0;
	while (row.user < st->nusers && strcmp(st->users[row.user], user) != 0)
		row.user++;
	if (row.user == st->nusers)
		return;
	st->labelled[row.user] = true;
	list = SPI_getbinval(tup, desc, 4, &isnull);
	walk_concepts(list, isnull, agree_push, &row);
}

static Datum
agreement(FunctionCallInfo fcinfo, bool disagreements)
{
	char	   *app_id = app_arg(fcinfo);
	ArrayType  *users = api_filter_array_arg(fcinfo, 1, "user_ids");
	ArrayType  *statuses = api_filter_array_arg(fcinfo, 3, "statuses");
	AgreeState	st = {0};
	Datum	   *elems;
	int			nelems;
	Acting		acting;
	AppAccess	access;
	MemoryContext rowcxt;
	StringInfoData sql;
	Oid			types[3];
	Datum		values[3];
	char		nulls[3];
	Portal		portal;
	HASHCTL		ctl;
	bool		started = false;

	st.thr = iou_threshold_arg(fcinfo, 2);
	if (users == NULL)
		bad_argument("user_ids must name at least two users", NULL);
	deconstruct_array(users, TEXTOID, -1, false, TYPALIGN_INT, &elems, NULL, &nelems);
	st.users = palloc(sizeof(char *) * nelems);
	for (int i = 0; i < nelems; i++)
	{
		char	   *u = TextDatumGetCString(elems[i]);
		bool		dup = false;

		for (int k = 0; k < st.nusers; k++)
			dup |= strcmp(st.users[k], u) == 0;
		if (!dup)
			st.users[st.nusers++] = u;
	}
	if (st.nusers < 2)
		bad_argument("user_ids must name at least two users", NULL);
	if (st.nusers > MAX_AGREEMENT_USERS)
		bad_argument("user_ids must name at most 100 users", NULL);

	InitMaterializedSRF(fcinfo, 0);
	st.rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	st.disagreements = disagreements;
	concepts_init(&st.concepts, CurrentMemoryContext);
	st.inputs = palloc0(sizeof(int64) * st.nusers * st.nusers);
	st.labelled = palloc0(sizeof(bool) * st.nusers);
	ctl.keysize = sizeof(int32) * 2;
	ctl.entrysize = sizeof(AgreeCounts);
	ctl.hcxt = CurrentMemoryContext;
	st.counts = hash_create("annotator agreement", 256, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	rowcxt = AllocSetContextCreate(CurrentMemoryContext, "agreement input", ALLOCSET_DEFAULT_SIZES);

	acting_enter(&acting, app_id, &access);

	/*
	 * Every listed annotation of the users marks its input as labelled by
	 * them; the concepts of its list (whole-input) and of its regions' lists
	 * (boxes) are their labels, walked in C by the rule evaluation uses.
	 * Video frames are left out.
	 */
#define AGREE_WHERE " WHERE a.app_id = $1 AND a.user_id = ANY ($2) AND a.listed AND a.frame_index IS NULL"
	initStringInfo(&sql);
	appendStringInfoString(&sql, "SELECT * FROM (SELECT a.input_id AS input_id, a.user_id, NULL::annotations.bbox, a.concepts"
						   "  FROM annotations.annotations a" AGREE_WHERE);
	if (statuses)
		appendStringInfoString(&sql, " AND a.status = ANY ($3)");
	appendStringInfoString(&sql, " UNION ALL SELECT a.input_id, a.user_id, r.bbox, r.concepts"
						   "  FROM annotations.annotations a"
						   "  JOIN annotations.regions r ON r.app_id = $1 AND r.annotation_id = a.id"
						   AGREE_WHERE " AND r.point IS NULL");
	if (statuses)
		appendStringInfoString(&sql, " AND a.status = ANY ($3)");
	appendStringInfoString(&sql, ") labels ORDER BY labels.input_id COLLATE \"C\"");
	types[0] = TEXTOID;
	types[1] = TEXTARRAYOID;
	types[2] = get_fn_expr_argtype(fcinfo->flinfo, 3);
	if (!OidIsValid(types[2]))
		elog(ERROR, "could not determine the type of statuses");
	values[0] = CStringGetTextDatum(app_id);
	values[1] = PointerGetDatum(users);
	values[2] = PointerGetDatum(statuses);
	nulls[0] = nulls[1] = ' ';
	nulls[2] = statuses ? ' ' : 'n';
	portal = SPI_cursor_open_with_args(NULL, sql.data, 3, types, values, nulls, true, 0);

	for (;;)
	{
		SPI_cursor_fetch(portal, true, EVAL_FETCH);
		if (SPI_processed == 0)
			break;
		for (uint64 r = 0; r < SPI_processed; r++)
		{
			HeapTuple	tup = SPI_tuptable->vals[r];
			TupleDesc	desc = SPI_tuptable->tupdesc;
			MemoryContext old = MemoryContextSwitchTo(rowcxt);
			bool		isnull;
			char	   *input_id = TextDatumGetCString(SPI_getbinval(tup, desc, 1, &isnull));

			if (!started || strcmp(st.input_id, input_id) != 0)
			{
				if (started)
				{
					agree_flush(&st);
					MemoryContextReset(rowcxt);
					input_id = TextDatumGetCString(SPI_getbinval(tup, desc, 1, &isnull));
				}
				started = true;
				st.input_id = input_id;
				memset(st.labelled, 0, sizeof(bool) * st.nusers);
				st.n = 0;
				st.cap = 64;
				st.labels = palloc(sizeof(ALabel) * st.cap);
			}
			agree_add(&st, tup, desc);
			MemoryContextSwitchTo(old);
		}
		SPI_freetuptable(SPI_tuptable);
		CHECK_FOR_INTERRUPTS();
	}
	if (started)
	{
		MemoryContext old = MemoryContextSwitchTo(rowcxt);

		agree_flush(&st);
		MemoryContextSwitchTo(old);
	}
	SPI_cursor_close(portal);
	acting_leave(&acting);
	MemoryContextDelete(rowcxt);
	if (!disagreements)
		agree_finish(&st);
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(annotations_annotator_agreement);

/* annotator_agreement(app_id, user_ids, iou_threshold, statuses) */
Datum
annotations_annotator_agreement(PG_FUNCTION_ARGS)
{
	return agreement(fcinfo, false);
}

PG_FUNCTION_INFO_V1(annotations_disagreements);

/* disagreements(app_id, user_ids, iou_threshold, statuses) */
Datum
annotations_disagreements(PG_FUNCTION_ARGS)
{
	return agreement(fcinfo, true);
}
