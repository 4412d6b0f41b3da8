/*
 * inputs_api.c — reading inputs back: get_input, list_inputs.
 *
 * Inputs are listed oldest first by (created_at, id): inputs posted in one
 * call share their time and follow in id order. Paging with after (the id
 * of the last input seen) continues from that input's place in that order,
 * one index range scan on (app_id, created_at, id), so a page costs the
 * same at any depth and in an app of any size. No sequence is involved, so
 * the order needs nothing shared between apps.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/tuplestore.h"

#include "acting.h"
#include "api.h"
#include "json_read.h"
#include "plans.h"
#include "tablerow.h"

#define INPUT_COLUMNS "i.app_id, i.id, i.data, i.created_at, i.modified_at"

static KeptPlan get_one = {
	.sql = "SELECT " INPUT_COLUMNS " FROM annotations.inputs i WHERE i.app_id = $1 AND i.id = $2",
	.nargs = 2,
	.argtypes = {TEXTOID, TEXTOID}
};

/* where the input named by after sits in the order */
static KeptPlan after_place = {
	.sql = "SELECT i.created_at FROM annotations.inputs i WHERE i.app_id = $1 AND i.id = $2",
	.nargs = 2,
	.argtypes = {TEXTOID, TEXTOID}
};

/*
 * A page: $1 app_id, $2 per_page, $3 offset; $4 the inputs named (ids);
 * after: $5 and $6, the place after which the page starts. Four
 * statements, so each kept plan is one index range scan (or one look-up
 * per id) without a condition that only some calls need.
 */
#define PAGE_SELECT "SELECT " INPUT_COLUMNS " FROM annotations.inputs i WHERE i.app_id = $1"
#define PAGE_ORDER " ORDER BY i.created_at, i.id LIMIT $2 OFFSET $3"
#define PAGE_IDS " AND i.id = ANY ($4)"
#define PAGE_AFTER " AND (i.created_at, i.id) > ($5, $6)"

static KeptPlan page_plans[2][2] = {
	{
		{.sql = PAGE_SELECT PAGE_ORDER, .nargs = 3,
		.argtypes = {TEXTOID, INT4OID, INT8OID}},
		{.sql = PAGE_SELECT PAGE_AFTER PAGE_ORDER, .nargs = 6,
		.argtypes = {TEXTOID, INT4OID, INT8OID, TEXTARRAYOID, TIMESTAMPTZOID, TEXTOID}},
	},
	{
		{.sql = PAGE_SELECT PAGE_IDS PAGE_ORDER, .nargs = 4,
		.argtypes = {TEXTOID, INT4OID, INT8OID, TEXTARRAYOID}},
		{.sql = PAGE_SELECT PAGE_IDS PAGE_AFTER PAGE_ORDER, .nargs = 6,
		.argtypes = {TEXTOID, INT4OID, INT8OID, TEXTARRAYOID, TIMESTAMPTZOID, TEXTOID}},
	},
};

PG_FUNCTION_INFO_V1(annotations_get_input);

/* get_input(app_id, input_id): one input, or P0002. */
Datum
annotations_get_input(PG_FUNCTION_ARGS)
{
	char	   *app_id = api_text_arg(fcinfo, 0);
	char	   *input_id = api_text_arg(fcinfo, 1);
	MemoryContext caller = CurrentMemoryContext;
	TupleDesc	desc;
	TableRowShape shape;
	Datum	   *values;
	bool	   *nulls;
	Acting		acting;
	AppAccess	access;
	Datum		args[2];
	HeapTuple	tup;

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "get_input must return a row type");
	desc = BlessTupleDesc(desc);

	acting_enter(&acting, app_id, &access);
	jr_check_id(input_id, "input_id");
	args[0] = CStringGetTextDatum(app_id);
	args[1] = CStringGetTextDatum(input_id);
	kept_execute(&get_one, args, NULL, true, 1);
	if (SPI_processed != 1)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("input \"%s\" not found in app \"%s\"", input_id, app_id)));
	MemoryContextSwitchTo(caller);
	tablerow_shape(desc, SPI_tuptable->tupdesc, "annotations.inputs", &shape);
	values = palloc(sizeof(Datum) * Max(desc->natts, 1));
	nulls = palloc(sizeof(bool) * Max(desc->natts, 1));
	tablerow_values(&shape, SPI_tuptable->vals[0], SPI_tuptable->tupdesc, values, nulls);
	tup = heap_form_tuple(desc, values, nulls);
	acting_leave(&acting);
	PG_RETURN_DATUM(HeapTupleGetDatum(tup));
}

/* The place of the input named by after: P0002 when it is not there. */
static Datum
after_created_at(const char *app_id, const char *after)
{
	Datum		args[2];
	bool		isnull;
	Datum		at;

	jr_check_id(after, "after");
	args[0] = CStringGetTextDatum(app_id);
	args[1] = CStringGetTextDatum(after);
	kept_execute(&after_place, args, NULL, true, 1);
	if (SPI_processed != 1)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("input \"%s\" given as after not found in app \"%s\"", after, app_id),
				 errhint("after is the id of the last input of the previous page.")));
	at = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("annotations.inputs row (%s, %s) has no created_at", app_id, after)));
	return at;
}

PG_FUNCTION_INFO_V1(annotations_list_inputs);

/* list_inputs(app_id, ids, per_page, page, after): one page, oldest first. */
Datum
annotations_list_inputs(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	char	   *app_id = api_text_arg(fcinfo, 0);
	ArrayType  *ids;
	ApiPaging	paging;
	Acting		acting;
	AppAccess	access;
	Datum		args[6];
	char		nulls[6] = "      ";
	TableRowShape shape;
	Datum	   *values;
	bool	   *isnull;

	api_paging_args(fcinfo, 2, 3, 4, "the id of the last input seen", &paging);
	InitMaterializedSRF(fcinfo, 0);
	acting_enter(&acting, app_id, &access);
	ids = api_filter_array_arg(fcinfo, 1, "ids");
	args[0] = CStringGetTextDatum(app_id);
	args[1] = Int32GetDatum(paging.per_page);
	args[2] = Int64GetDatum(paging.offset);
	args[3] = PointerGetDatum(ids);
	nulls[3] = ids ? ' ' : 'n';
	if (paging.has_after)
	{
		char	   *after = api_text_arg(fcinfo, 4);

		args[4] = after_created_at(app_id, after);
		args[5] = CStringGetTextDatum(after);
	}
	kept_execute(&page_plans[ids != NULL][paging.has_after], args, nulls, true, 0);

	tablerow_shape(rsinfo->setDesc, SPI_tuptable->tupdesc, "annotations.inputs", &shape);
	values = palloc(sizeof(Datum) * Max(rsinfo->setDesc->natts, 1));
	isnull = palloc(sizeof(bool) * Max(rsinfo->setDesc->natts, 1));
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		CHECK_FOR_INTERRUPTS();
		tablerow_values(&shape, SPI_tuptable->vals[i], SPI_tuptable->tupdesc, values, isnull);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, isnull);
	}
	acting_leave(&acting);
	return (Datum) 0;
}
