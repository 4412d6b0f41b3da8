/*
 * inputs.c — posting and deleting inputs: post_inputs, delete_inputs.
 *
 * A batch is one INSERT into inputs and one into annotations (each input
 * comes with its input-level annotation, written by the poster), both with
 * the store owner's rights (acting.c): members of an app post inputs, only
 * its owner deletes them.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

#include "acting.h"
#include "catalogue.h"
#include "api.h"
#include "concepts.h"
#include "json_read.h"
#include "order.h"
#include "plans.h"
#include "request.h"
#include "store.h"
#include "tablerow.h"

/*
 * New inputs, dated by the call unless the owner gave their dates; a taken
 * id is skipped here and fails the call below (the error rolls back
 * everything the call wrote).
 */
static KeptPlan insert_inputs = {
	.sql = "INSERT INTO annotations.inputs AS i (app_id, id, data, created_at, modified_at)"
	" SELECT $1, u.id, u.data, COALESCE(u.created_at, pg_catalog.now()),"
	"        COALESCE(u.modified_at, u.created_at, pg_catalog.now())"
	"   FROM ROWS FROM (pg_catalog.unnest($2), pg_catalog.unnest($3), pg_catalog.unnest($4),"
	"                   pg_catalog.unnest($5)) AS u(id, data, created_at, modified_at)"
	" ON CONFLICT DO NOTHING"
	" RETURNING i.app_id, i.id, i.data, i.created_at, i.modified_at",
	.nargs = 5,
	.argtypes = {TEXTOID, TEXTARRAYOID, JSONBARRAYOID, TIMESTAMPTZARRAYOID, TIMESTAMPTZARRAYOID}
};

/*
 * Their input-level annotations, in request order (so seq follows it),
 * with the dates of their inputs.
 */
static KeptPlan insert_input_level = {
	.sql = "INSERT INTO annotations.annotations AS a"
	"   (app_id, id, input_id, seq, user_id, input_level, concepts, created_at, modified_at)"
	" SELECT $1, u.id, u.input_id, u.seq, $2, true, u.concepts, COALESCE(u.created_at, pg_catalog.now()),"
	"        COALESCE(u.modified_at, u.created_at, pg_catalog.now())"
	"   FROM ROWS FROM (pg_catalog.unnest($3), pg_catalog.unnest($4), pg_catalog.unnest($5),"
	"                   pg_catalog.unnest($6), pg_catalog.unnest($7), pg_catalog.unnest($8))"
	"        WITH ORDINALITY AS u(id, input_id, concepts, seq, created_at, modified_at, n)"
	"  ORDER BY u.n",
	.nargs = 8,
	.argtypes = {TEXTOID, TEXTOID, TEXTARRAYOID, TEXTARRAYOID, JSONBARRAYOID, INT8ARRAYOID,
	TIMESTAMPTZARRAYOID, TIMESTAMPTZARRAYOID}
};

/* where Citus is installed: taken ids, looked for before the insert */
static KeptPlan taken_inputs = {
	.sql = "SELECT u.n FROM pg_catalog.unnest($2) WITH ORDINALITY AS u(id, n)"
	" WHERE EXISTS (SELECT 1 FROM annotations.inputs i WHERE i.app_id = $1 AND i.id = u.id)"
	" ORDER BY u.n LIMIT 1",
	.nargs = 2,
	.argtypes = {TEXTOID, TEXTARRAYOID}
};

static void
input_taken(const InputRequest *req, const char *app_id)
{
	ereport(ERROR,
			(errcode(ERRCODE_UNIQUE_VIOLATION),
			 errmsg("%s.id: input \"%s\" already exists in app \"%s\"",
					req->path, req->id, app_id)));
}

static KeptPlan first_missing_input = {
	.sql = "SELECT u.id FROM pg_catalog.unnest($2) WITH ORDINALITY AS u(id, n)"
	" WHERE NOT EXISTS (SELECT 1 FROM annotations.inputs i WHERE i.app_id = $1 AND i.id = u.id)"
	" ORDER BY u.n LIMIT 1",
	.nargs = 2,
	.argtypes = {TEXTOID, TEXTARRAYOID}
};

static KeptPlan delete_inputs = {
	.sql = "DELETE FROM annotations.inputs i WHERE i.app_id = $1 AND i.id = ANY ($2)",
	.nargs = 2,
	.argtypes = {TEXTOID, TEXTARRAYOID}
};

static Datum
array_of(Datum *elems, int n, Oid elemtype)
{
	int16		typlen;
	bool		typbyval;
	char		typalign;

	get_typlenbyvalalign(elemtype, &typlen, &typbyval, &typalign);
	return PointerGetDatum(construct_array(elems, n, elemtype, typlen, typbyval, typalign));
}

/* The inserted row of an input id (rows usually come back in request order). */
static int
inserted_row(SPITupleTable *rows, int nrows, const char *id, int guess)
{
	for (int k = 0; k < nrows; k++)
	{
		int			r = (guess + k) % nrows;
		bool		isnull;
		Datum		d = SPI_getbinval(rows->vals[r], rows->tupdesc, 2, &isnull);
		text	   *t = DatumGetTextPP(d);

		if (!isnull && VARSIZE_ANY_EXHDR(t) == strlen(id) &&
			memcmp(VARDATA_ANY(t), id, VARSIZE_ANY_EXHDR(t)) == 0)
			return r;
	}
	return -1;
}

/*
 * A full batch takes a few megabytes in its parsed form, in many small
 * pieces. Allocated afresh by every call, malloc gives those pages back to
 * the kernel when the call ends and faults them in again in the next one,
 * which costs more than the call's SQL; a context kept by the backend and
 * reset by each call keeps them. A call made while another one uses it (a
 * trigger posting inputs) works in a context of its own.
 */
#define POST_WORK_KEPT (4 * 1024 * 1024)
static MemoryContext post_work = NULL;
static bool post_work_busy = false;

/*
 * Stores parsed inputs: one INSERT per table, the result rows (when asked
 * for) in request order. Arguments are built in the current memory context.
 */
void
store_inputs(const Acting *acting, const char *app_id, const InputRequest *reqs, int n,
			 ReturnSetInfo *rsinfo)
{
	Datum	   *ids;
	Datum	   *datas;
	Datum	   *concepts;
	Datum	   *annotation_ids;
	TimestampTz *created;
	bool	   *has_created;
	TimestampTz *modified;
	bool	   *has_modified;
	Datum		created_arg;
	Datum		modified_arg;
	Datum		args[8];
	SPITupleTable *rows;
	int			nrows;
	int		   *row_of;
	int			taken;
	TableRowShape shape;
	Datum	   *values;
	bool	   *nulls;

	ids = palloc(sizeof(Datum) * n);
	datas = palloc(sizeof(Datum) * n);
	concepts = palloc(sizeof(Datum) * n);
	annotation_ids = palloc(sizeof(Datum) * n);
	created = palloc(sizeof(TimestampTz) * n);
	has_created = palloc(sizeof(bool) * n);
	modified = palloc(sizeof(TimestampTz) * n);
	has_modified = palloc(sizeof(bool) * n);
	for (int i = 0; i < n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		ids[i] = CStringGetTextDatum(reqs[i].id);
		datas[i] = JsonbPGetDatum(reqs[i].data);
		concepts[i] = JsonbPGetDatum(concepts_to_jsonb(&reqs[i].concepts));
		annotation_ids[i] = CStringGetTextDatum(jr_new_id());
		created[i] = reqs[i].created_at;
		has_created[i] = reqs[i].has_created_at;
		modified[i] = reqs[i].modified_at;
		has_modified[i] = reqs[i].has_modified_at;
	}
	created_arg = api_timestamptz_array(created, has_created, n);
	modified_arg = api_timestamptz_array(modified, has_modified, n);

	catalogue_fill_inputs(app_id, reqs, n);
	args[0] = CStringGetTextDatum(app_id);
	args[1] = array_of(ids, n, TEXTOID);
	args[2] = array_of(datas, n, JSONBOID);
	taken = kept_first_taken(&taken_inputs, args);
	if (taken >= 0)
		input_taken(&reqs[taken], app_id);
	args[3] = created_arg;
	args[4] = modified_arg;
	kept_execute(&insert_inputs, args, NULL, false, 0);
	rows = SPI_tuptable;
	nrows = (int) SPI_processed;

	/* a taken id: the first in request order is the one reported */
	row_of = palloc(sizeof(int) * n);
	for (int i = 0; i < n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		row_of[i] = nrows > 0 ? inserted_row(rows, nrows, reqs[i].id, i) : -1;
		if (row_of[i] < 0)
			input_taken(&reqs[i], app_id);
	}

	args[1] = CStringGetTextDatum(acting->user_name);
	args[2] = array_of(annotation_ids, n, TEXTOID);
	args[3] = array_of(ids, n, TEXTOID);
	args[4] = array_of(concepts, n, JSONBOID);
	args[5] = order_take(app_id, n);
	args[6] = created_arg;
	args[7] = modified_arg;
	kept_execute(&insert_input_level, args, NULL, false, 0);

	if (rsinfo == NULL)
		return;
	tablerow_shape(rsinfo->setDesc, rows->tupdesc, "annotations.inputs", &shape);
	values = palloc(sizeof(Datum) * Max(rsinfo->setDesc->natts, 1));
	nulls = palloc(sizeof(bool) * Max(rsinfo->setDesc->natts, 1));
	for (int i = 0; i < n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		tablerow_values(&shape, rows->vals[row_of[i]], rows->tupdesc, values, nulls);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
}

/*
 * The work of post_inputs: the request and the statements' arguments live
 * in work; the result rows go to the caller's tuplestore.
 */
static void
post_inputs_run(ReturnSetInfo *rsinfo, const char *app_id, Jsonb *batch, MemoryContext work)
{
	Acting		acting;
	AppAccess	access;
	InputRequest *reqs;
	int			n;

	acting_enter(&acting, app_id, &access);
	MemoryContextSwitchTo(work);
	reqs = parse_input_batch(batch, &n);
	for (int i = 0; i < n; i++)
		check_dates(&access, reqs[i].path, reqs[i].has_created_at, reqs[i].has_modified_at, "inputs");
	store_inputs(&acting, app_id, reqs, n, rsinfo);
	acting_leave(&acting);
}

PG_FUNCTION_INFO_V1(annotations_post_inputs);

/* post_inputs(app_id, inputs): the new annotations.inputs rows, in request order. */
Datum
annotations_post_inputs(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	char	   *app_id = api_text_arg(fcinfo, 0);
	Jsonb	   *batch = PG_ARGISNULL(1) ? NULL : PG_GETARG_JSONB_P(1);

	InitMaterializedSRF(fcinfo, 0);
	if (post_work_busy)
	{
		MemoryContext own = AllocSetContextCreate(CurrentMemoryContext, "post_inputs",
												  ALLOCSET_DEFAULT_SIZES);

		post_inputs_run(rsinfo, app_id, batch, own);
		MemoryContextDelete(own);
		return (Datum) 0;
	}
	if (post_work == NULL)
		post_work = AllocSetContextCreate(TopMemoryContext, "post_inputs",
										  POST_WORK_KEPT, 8 * 1024, ALLOCSET_DEFAULT_MAXSIZE);
	MemoryContextReset(post_work);
	post_work_busy = true;
	PG_TRY();
	{
		post_inputs_run(rsinfo, app_id, batch, post_work);
	}
	PG_FINALLY();
	{
		post_work_busy = false;
	}
	PG_END_TRY();
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(annotations_delete_inputs);

/* delete_inputs(app_id, ids): owner only; how many inputs were deleted. */
Datum
annotations_delete_inputs(PG_FUNCTION_ARGS)
{
	char	   *app_id = api_text_arg(fcinfo, 0);
	ArrayType  *ids = PG_ARGISNULL(1) ? NULL : PG_GETARG_ARRAYTYPE_P(1);
	Acting		acting;
	AppAccess	access;
	Datum		args[2];
	uint64		count;

	acting_enter_owner(&acting, app_id, &access, "delete inputs of",
						 "Only the app owner deletes inputs.");
	if (ids != NULL && ARR_NDIM(ids) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("searching for elements in multidimensional arrays is not supported")));
	if (ids == NULL || ArrayGetNItems(ARR_NDIM(ids), ARR_DIMS(ids)) == 0 || array_contains_nulls(ids))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("ids must be a non-empty array of input ids without NULLs")));
	args[0] = CStringGetTextDatum(app_id);
	args[1] = PointerGetDatum(ids);
	kept_execute(&first_missing_input, args, NULL, true, 1);
	if (SPI_processed > 0)
	{
		char	   *missing = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);

		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("input \"%s\" not found in app \"%s\"", missing, app_id)));
	}
	kept_execute(&delete_inputs, args, NULL, false, 0);
	count = SPI_processed;
	acting_leave(&acting);
	PG_RETURN_INT64((int64) count);
}
