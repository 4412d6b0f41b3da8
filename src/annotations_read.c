/*
 * annotations_read.c — reading annotations one at a time: get_annotation.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"

#include "acting.h"
#include "api.h"
#include "json_read.h"
#include "plans.h"
#include "rows.h"

/* the annotation; its region is read after it (region_rows.c says why) */
static KeptPlan get_one = {
	.sql = "SELECT " ANNOTATION_COLUMNS_NO_REGION
	"  FROM annotations.annotations a"
	" WHERE a.app_id = $1 AND a.id = $2 AND a.input_id = $3",
	.nargs = 3,
	.argtypes = {TEXTOID, TEXTOID, TEXTOID}
};

PG_FUNCTION_INFO_V1(annotations_get_annotation);

/* get_annotation(app_id, input_id, annotation_id): one, or P0002. */
Datum
annotations_get_annotation(PG_FUNCTION_ARGS)
{
	char	   *app_id = api_text_arg(fcinfo, 0);
	char	   *input_id = api_text_arg(fcinfo, 1);
	char	   *annotation_id = api_text_arg(fcinfo, 2);
	MemoryContext caller = CurrentMemoryContext;
	TupleDesc	desc;
	AnnotationShape shape;
	AnnotationValues row;
	AnnotationValues *rowp = &row;
	Acting		acting;
	AppAccess	access;
	Datum		args[3];
	HeapTuple	tup;

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "get_annotation must return a row type");
	desc = BlessTupleDesc(desc);
	annotation_shape(desc, &shape);

	acting_enter(&acting, app_id, &access);
	jr_check_id(input_id, "input_id");
	jr_check_id(annotation_id, "annotation_id");
	args[0] = CStringGetTextDatum(app_id);
	args[1] = CStringGetTextDatum(annotation_id);
	args[2] = CStringGetTextDatum(input_id);
	kept_execute(&get_one, args, NULL, true, 1);
	if (SPI_processed != 1)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("annotation \"%s\" not found on input \"%s\" in app \"%s\"",
						annotation_id, input_id, app_id)));
	annotation_from_spi(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, &row);
	annotation_regions_read(args[0], &rowp, 1, false);
	MemoryContextSwitchTo(caller);
	tup = annotation_tuple(&shape, &row);
	acting_leave(&acting);
	PG_RETURN_DATUM(HeapTupleGetDatum(tup));
}
