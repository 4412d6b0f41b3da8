/*
 * list.c — list_annotations and count_annotations, and the list planner
 * they share.
 *
 * Each filter has a partial B-tree index in seq order. The planner writes
 * one query over annotations.annotations in which a many-valued filter
 * becomes one ordered, limited index scan per value under UNION ALL, so the
 * executor merges them on seq (Merge Append) and stops at the page's last
 * row: nothing sorts the filtered set, nothing walks past hidden rows. Past
 * LIST_MAX_BRANCHES values a filter falls back to = ANY.
 *
 * The query depends only on the shape of a request (which filters are
 * present, and how many values those that branch have), never on the
 * values, which are passed as array parameters and read by position in
 * each branch. So each shape is prepared once per backend, as a generic
 * plan, and kept: a page costs its execution, not its planning. A backend
 * keeps at most LIST_MAX_KEPT shapes, forgetting the least recently used.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/plancache.h"

#include "acting.h"
#include "api.h"
#include "citus_route.h"
#include "plans.h"
#include "rows.h"
#include "status.h"

#define LIST_MAX_BRANCHES 64
#define LIST_MAX_KEPT 256
#define LIST_NARGS 10

/*
 * What a query looks like, decided from which filters a request has and how
 * many values each has; the values never matter. Every field is set from
 * scratch (the struct is zeroed first), so it can key a hash table as bytes.
 */
typedef struct ListShape
{
	bool		for_count;
	bool		by_ids;			/* (input_id, id) pairs */
	bool		listed;			/* a.listed */
	bool		users_only;		/* a.model_version_id IS NULL (default listing) */
	bool		has_after;
	bool		has_task;
	bool		inputs_any;		/* input_id = ANY */
	bool		worker_any;		/* user_id = ANY OR model_version_id = ANY */
	bool		statuses_any;	/* status = ANY */
	int16		input_branches;
	int16		user_branches;
	int16		model_branches;
	int16		status_branches;
	int64		shard_group;	/* the shards the query names (citus_route.c), or 0 */
} ListShape;

/* The kept plan of each shape used lately. */
static KeptTable kept_shapes = {
	.name = "annotations list plans",
	.keysize = sizeof(ListShape),
	.max = LIST_MAX_KEPT
};

/* A request's filters after checking, as the query's parameters take them. */
typedef struct ListFilters
{
	ArrayType  *ids;			/* NULL: no filter */
	ArrayType  *input_ids;
	ArrayType  *user_ids;
	ArrayType  *model_version_ids;
	ArrayType  *statuses;		/* text[] of status labels */
	int			n_ids,
				n_inputs,
				n_users,
				n_models,
				n_statuses;
	char	   *task_id;
	bool		list_all;
	bool		has_after;
} ListFilters;

/* ---- checking the filters ---- */

static int
array_count(ArrayType *arr)
{
	return ArrayGetNItems(ARR_NDIM(arr), ARR_DIMS(arr));
}

/* The elements of a text[] (or any array, as their output text). */
static char **
array_strings(ArrayType *arr, int *n, bool *has_null)
{
	Oid			elem = ARR_ELEMTYPE(arr);
	int16		typlen;
	bool		typbyval;
	char		typalign;
	Datum	   *values;
	bool	   *nulls;
	char	  **out;
	Oid			outfunc;
	bool		isvarlena;

	get_typlenbyvalalign(elem, &typlen, &typbyval, &typalign);
	deconstruct_array(arr, elem, typlen, typbyval, typalign, &values, &nulls, n);
	getTypeOutputInfo(elem, &outfunc, &isvarlena);
	out = palloc(sizeof(char *) * Max(*n, 1));
	*has_null = false;
	for (int i = 0; i < *n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (nulls[i])
		{
			*has_null = true;
			out[i] = NULL;
		}
		else if (elem == TEXTOID)
			out[i] = TextDatumGetCString(values[i]);
		else
			out[i] = OidOutputFunctionCall(outfunc, values[i]);
	}
	return out;
}

static ArrayType *
strings_array(char **s, int n)
{
	Datum	   *d = palloc(sizeof(Datum) * Max(n, 1));

	for (int i = 0; i < n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		d[i] = CStringGetTextDatum(s[i]);
	}
	return construct_array(d, n, TEXTOID, -1, false, TYPALIGN_INT);
}

static int
cmp_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

/*
 * A filter array: NULL for none or an empty one ("no filter", as in
 * Clarifai's API); 22023 for NULL elements; else a text[] of its distinct
 * elements, statuses (given as labels, Clarifai names or codes) as labels.
 */
static ArrayType *
distinct_ids(FunctionCallInfo fcinfo, int argno, const char *what, bool statuses, int *count)
{
	ArrayType  *arr;
	char	  **s;
	int			n;
	int			kept = 0;
	bool		has_null;

	*count = 0;
	if (PG_ARGISNULL(argno))
		return NULL;
	arr = PG_GETARG_ARRAYTYPE_P(argno);
	if (array_count(arr) == 0)
		return NULL;
	s = array_strings(arr, &n, &has_null);
	if (has_null)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not contain NULL", what)));
	if (statuses)
		for (int i = 0; i < n; i++)
			s[i] = (char *) status_from_text(s[i], psprintf("statuses[%d]", i + 1))->label;
	qsort(s, n, sizeof(char *), cmp_strings);
	for (int i = 0; i < n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (kept == 0 || strcmp(s[kept - 1], s[i]) != 0)
			s[kept++] = s[i];
	}
	*count = kept;
	return strings_array(s, kept);
}

/*
 * Checks the filter arguments shared by list_annotations and
 * count_annotations (app_id, ids, input_ids, user_ids, model_version_ids,
 * statuses, task_id, list_all_annotations: arguments 0..7), in the order
 * the API has always checked them, after the app.
 */
static void
check_filters(FunctionCallInfo fcinfo, ListFilters *f)
{
	memset(f, 0, sizeof(*f));
	if (!PG_ARGISNULL(1) && array_count(PG_GETARG_ARRAYTYPE_P(1)) > 0)
	{
		ArrayType  *ids = PG_GETARG_ARRAYTYPE_P(1);
		ArrayType  *inputs = PG_ARGISNULL(2) ? NULL : PG_GETARG_ARRAYTYPE_P(2);
		int			n_inputs = inputs ? array_count(inputs) : 0;
		char	  **s;
		bool		has_null;
		int			n;

		f->n_ids = array_count(ids);
		if (inputs == NULL || f->n_ids != n_inputs)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("ids and input_ids must have the same length (%d ids, %d input_ids)",
							f->n_ids, n_inputs),
					 errdetail("Annotations are looked up by (input_ids[i], ids[i]) pairs.")));
		if (array_contains_nulls(ids) || array_contains_nulls(inputs))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("ids and input_ids must not contain NULL")));
		/* pairs are kept as given: duplicates are harmless in a semi-join */
		s = array_strings(ids, &n, &has_null);
		f->ids = strings_array(s, n);
		s = array_strings(inputs, &n, &has_null);
		f->input_ids = strings_array(s, n);
		f->n_inputs = n;
	}
	else
		f->input_ids = distinct_ids(fcinfo, 2, "input_ids", false, &f->n_inputs);
	f->user_ids = distinct_ids(fcinfo, 3, "user_ids", false, &f->n_users);
	f->model_version_ids = distinct_ids(fcinfo, 4, "model_version_ids", false, &f->n_models);
	f->statuses = distinct_ids(fcinfo, 5, "statuses", true, &f->n_statuses);
	f->task_id = api_text_arg(fcinfo, 6);
	f->list_all = !PG_ARGISNULL(7) && PG_GETARG_BOOL(7);
}

/* ---- the planner ---- */

/* The shape of the query for a set of filters. */
static void
list_shape(const ListFilters *f, bool for_count, ListShape *s)
{
	bool		worker = f->n_users > 0 || f->n_models > 0;

	memset(s, 0, sizeof(*s));
	s->shard_group = route_group();
	s->for_count = for_count;
	s->has_after = f->has_after;
	s->has_task = f->task_id != NULL;
	if (f->n_ids > 0)
		s->by_ids = true;		/* primary-key look-ups; at most n_ids rows */
	else
	{
		s->listed = true;
		s->users_only = !worker && !f->list_all;
	}

	/* the driving filter: the one whose index scans are merged */
	if (f->n_ids > 0)
		;
	else if (f->n_inputs > 0)
	{
		if (f->n_inputs <= LIST_MAX_BRANCHES)
			s->input_branches = f->n_inputs;
		else
			s->inputs_any = true;
	}
	else if (worker && f->n_users + f->n_models <= LIST_MAX_BRANCHES)
	{
		s->user_branches = f->n_users;
		s->model_branches = f->n_models;
		worker = false;			/* the branches are the worker filter */
	}
	else if (f->n_statuses > 0 && !s->has_task)
		s->status_branches = f->n_statuses;

	s->worker_any = worker;
	s->statuses_any = f->n_statuses > 0 && s->status_branches == 0;
}

/*
 * The query of a shape, parameterized as $1 app_id, $2 ids, $3 input_ids,
 * $4 user_ids, $5 model_version_ids, $6 statuses (text[]), $7 task_id,
 * $8 after, $9 per_page, $10 offset. A page reads the annotations alone,
 * their regions come after (region_rows.c); without branches it is a
 * statement on one table.
 */
static char *
list_sql(const ListShape *s)
{
	StringInfoData base;
	StringInfoData q;
	int			nbranches = s->input_branches + s->user_branches + s->model_branches + s->status_branches;

	initStringInfo(&base);
	appendStringInfoString(&base, " WHERE a.app_id = $1");
	if (s->by_ids)
		appendStringInfoString(&base, " AND (a.input_id, a.id) IN (SELECT p.i, p.a FROM ROWS FROM "
							   "(pg_catalog.unnest($3), pg_catalog.unnest($2)) p(i, a))");
	if (s->listed)
		appendStringInfoString(&base, " AND a.listed");
	if (s->users_only)
		appendStringInfoString(&base, " AND a.model_version_id IS NULL");
	if (s->has_after)
		appendStringInfoString(&base, " AND a.seq > $8");
	if (s->has_task)
		appendStringInfoString(&base, " AND a.task_id = $7");
	if (s->inputs_any)
		appendStringInfoString(&base, " AND a.input_id = ANY ($3)");
	if (s->worker_any)
		appendStringInfoString(&base, " AND (a.user_id = ANY ($4) OR a.model_version_id = ANY ($5))");
	if (s->statuses_any)
		appendStringInfoString(&base,
							   " AND a.status OPERATOR(annotations.=) ANY ($6::annotations.status[])");

	initStringInfo(&q);
	appendStringInfoString(&q, s->for_count ? "SELECT pg_catalog.count(*)"
						   : "SELECT " ANNOTATION_COLUMNS_NO_REGION);
	if (nbranches == 0)
		appendStringInfo(&q, " FROM annotations.annotations a%s", base.data);
	else
	{
		/*
		 * Each branch is ordered and limited on its own: the planner then
		 * plans it as an ordered index scan that stops early, and merges the
		 * branches (quals of plain UNION ALL leaves make no equivalence
		 * classes, so without this it would sort everything instead).
		 */
		appendStringInfoString(&q, " FROM (");
		for (int i = 1; i <= nbranches; i++)
		{
			appendStringInfo(&q, "%s(SELECT a.app_id, a.id, a.input_id, a.seq, a.user_id, "
							 "a.model_version_id, a.embed_model_version_id, a.task_id, a.status, "
							 "a.input_level, a.concepts, a.frame_index, a.frame_time, "
							 "a.annotation_info, a.created_at, a.modified_at, a.trusted, "
							 "a.consensus_info FROM annotations.annotations a%s AND ",
							 i > 1 ? " UNION ALL " : "", base.data);
			if (i <= s->input_branches)
				appendStringInfo(&q, "a.input_id = $3[%d]", i);
			else if (i <= s->input_branches + s->user_branches)
				appendStringInfo(&q, "a.user_id = $4[%d]", i - s->input_branches);
			else if (i <= s->input_branches + s->user_branches + s->model_branches)
				appendStringInfo(&q, "a.model_version_id = $5[%d]",
								 i - s->input_branches - s->user_branches);
			else
				appendStringInfo(&q, "a.status OPERATOR(annotations.=) ($6[%d])::annotations.status",
								 i - s->input_branches - s->user_branches - s->model_branches);
			if (!s->for_count)
				appendStringInfoString(&q, " ORDER BY a.seq LIMIT $9 + $10");
			appendStringInfoChar(&q, ')');
		}
		appendStringInfoString(&q, ") a");
	}
	if (!s->for_count)
		appendStringInfoString(&q, " ORDER BY a.seq LIMIT $9 OFFSET $10");
	pfree(base.data);
	return q.data;
}

static const Oid list_argtypes[LIST_NARGS] = {
	TEXTOID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID,
	TEXTOID, INT8OID, INT4OID, INT8OID
};

/*
 * The kept plan of a shape (SPI connected), prepared on first use. It is a
 * generic plan: every partial-index predicate is in the query text, so no
 * value changes which indexes serve it, and a page should cost no planning.
 */
static SPIPlanPtr
shape_plan(const ListShape *s)
{
	SPIPlanPtr	plan = kept_table_find(&kept_shapes, s);

	if (plan != NULL)
		return plan;
	return kept_table_keep(&kept_shapes, s,
						   SPI_prepare_cursor(s->shard_group != 0 ? route_sql(list_sql(s)) : list_sql(s),
											  LIST_NARGS, (Oid *) list_argtypes,
											  kept_cursor_options()));
}

/* Runs a shape's query; the SPI result is in SPI_tuptable. */
static void
run_list(const char *app_id, const ListFilters *f, bool for_count,
		 Datum after, int32 per_page, int64 offset)
{
	ListShape	shape;
	Datum		values[LIST_NARGS];
	char		nulls[LIST_NARGS];
	int			rc;

	list_shape(f, for_count, &shape);
	memset(nulls, ' ', sizeof(nulls));
#define ARRAY_PARAM(n, a) \
	do { if ((a) != NULL) values[n] = PointerGetDatum(a); else { values[n] = (Datum) 0; nulls[n] = 'n'; } } while (0)
	values[0] = CStringGetTextDatum(app_id);
	ARRAY_PARAM(1, f->ids);
	ARRAY_PARAM(2, f->input_ids);
	ARRAY_PARAM(3, f->user_ids);
	ARRAY_PARAM(4, f->model_version_ids);
	ARRAY_PARAM(5, f->statuses);
#undef ARRAY_PARAM
	if (f->task_id != NULL)
		values[6] = CStringGetTextDatum(f->task_id);
	else
	{
		values[6] = (Datum) 0;
		nulls[6] = 'n';
	}
	values[7] = after;
	if (!f->has_after)
		nulls[7] = 'n';
	values[8] = Int32GetDatum(per_page);
	values[9] = Int64GetDatum(offset);
	if (for_count)
		nulls[8] = nulls[9] = 'n';
	if (for_count)
		rc = kept_run(shape_plan(&shape), values, nulls, true, 0);
	else
	{
		/*
		 * A generic plan guesses a page to be a tenth of the filtered set,
		 * so its cost can pass jit_above_cost and a page that reads twenty
		 * rows would spend tens of milliseconds compiling. The plan is made
		 * (and remade, after an invalidation) at execution: no JIT here.
		 */
		int			nest = NewGUCNestLevel();

		(void) set_config_option("jit", "off", PGC_USERSET, PGC_S_SESSION,
								 GUC_ACTION_SAVE, true, 0, false);
		rc = kept_run(shape_plan(&shape), values, nulls, true, 0);
		AtEOXact_GUC(true, nest);
	}
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "a list query failed: %s", SPI_result_code_string(rc));
}

/* ---- the API ---- */

PG_FUNCTION_INFO_V1(annotations_list_annotations);

/*
 * list_annotations(app_id, ids, input_ids, user_ids, model_version_ids,
 * statuses, task_id, list_all_annotations, per_page, page, after): one page,
 * oldest first. Any member of the app sees all of its annotations.
 */
Datum
annotations_list_annotations(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	char	   *app_id = api_text_arg(fcinfo, 0);
	ApiPaging	paging;
	AnnotationShape shape;
	ListFilters filters;
	Acting		acting;
	AppAccess	access;
	AnnotationValues **rows;
	int			n;

	api_paging_args(fcinfo, 8, 9, 10, "the seq of the last row seen", &paging);
	InitMaterializedSRF(fcinfo, 0);
	annotation_shape(rsinfo->setDesc, &shape);

	acting_enter(&acting, app_id, &access);
	check_filters(fcinfo, &filters);
	filters.has_after = paging.has_after;
	run_list(app_id, &filters, false, PG_ARGISNULL(10) ? (Datum) 0 : PG_GETARG_DATUM(10),
			 paging.per_page, paging.offset);
	n = (int) SPI_processed;
	rows = palloc(sizeof(AnnotationValues *) * Max(n, 1));
	for (int i = 0; i < n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		rows[i] = palloc(sizeof(AnnotationValues));
		annotation_from_spi(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, rows[i]);
	}
	annotation_regions_read(CStringGetTextDatum(app_id), rows, n, false);
	for (int i = 0; i < n; i++)
		annotation_put(rsinfo, &shape, rows[i]);
	acting_leave(&acting);
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(annotations_count_annotations);

/* count_annotations: how many rows list_annotations would return over all pages. */
Datum
annotations_count_annotations(PG_FUNCTION_ARGS)
{
	char	   *app_id = api_text_arg(fcinfo, 0);
	ListFilters filters;
	Acting		acting;
	AppAccess	access;
	bool		isnull;
	int64		n;

	acting_enter(&acting, app_id, &access);
	check_filters(fcinfo, &filters);
	run_list(app_id, &filters, true, (Datum) 0, 0, 0);
	n = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	acting_leave(&acting);
	PG_RETURN_INT64(n);
}

PG_FUNCTION_INFO_V1(annotations_list_sql_for);

/*
 * _list_sql_for(ids, input_ids, user_ids, model_version_ids, statuses,
 * task_id, list_all_annotations, after, for_count): the query the planner
 * keeps for the shape of these filters, for tests to EXPLAIN. Its arguments
 * are shifted by one from the API's (there is no app_id), so the filters
 * are checked on a call frame of the API's layout.
 */
Datum
annotations_list_sql_for(PG_FUNCTION_ARGS)
{
	LOCAL_FCINFO(api, 8);
	ListFilters filters;
	ListShape	shape;

	InitFunctionCallInfoData(*api, NULL, 8, InvalidOid, NULL, NULL);
	api->args[0].value = (Datum) 0;
	api->args[0].isnull = true;
	for (int i = 0; i < 7; i++)
		api->args[i + 1] = fcinfo->args[i];
	check_filters(api, &filters);
	filters.has_after = !PG_ARGISNULL(7);
	list_shape(&filters, !PG_ARGISNULL(8) && PG_GETARG_BOOL(8), &shape);
	PG_RETURN_TEXT_P(cstring_to_text(list_sql(&shape)));
}
