/*
 * visible.c — the rows a role may read, for reporting tools and direct SQL.
 *
 * Reading goes through set-returning functions rather than row-level
 * security on the tables: a function is opaque to the planner, so none of
 * the caller's conditions (leakproof or not) ever runs on another app's
 * rows, and neither EXPLAIN (ANALYZE) nor the planner's statistics can tell
 * a stranger anything about them. No membership test has to live in a
 * policy either, which a sharded cluster could not evaluate (a policy there
 * may not read another table).
 *
 *   member_apps()            the apps the acting user belongs to
 *   app_inputs(app_id)       one app's rows of each table, for a member
 *   app_annotations(app_id)  (P0002 for anyone else); a collaborator sees
 *   app_regions(app_id)      only their own membership among the
 *   app_collaborators(app_id) collaborators
 *   app_concept_labels(app_id) one row per concept label
 *   app_concepts(app_id)     the app's concept catalogue
 *
 * The visible_* views put them together over every app of the caller
 * (member_apps() LATERAL app_x(id)); a condition on the view's app_id
 * reaches member_apps() first, so only that app is read.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/tuplestore.h"

#include "acting.h"
#include "api.h"
#include "plans.h"
#include "rows.h"
#include "visible.h"

/* Rows fetched from a cursor at a time. */
#define VISIBLE_FETCH 1000

/*
 * Runs a kept statement as a cursor and copies every row into the result,
 * each column to the result attribute of the same name.
 */
void
visible_stream_rows(ReturnSetInfo *rsinfo, KeptPlan *kp, Datum *args, const char *nulls)
{
	Portal		portal = SPI_cursor_open(NULL, kept_plan(kp), args, nulls, true);
	TupleDesc	out = rsinfo->setDesc;
	int		   *from = NULL;
	Datum	   *values = palloc(sizeof(Datum) * out->natts);
	bool	   *isnull = palloc(sizeof(bool) * out->natts);

	for (;;)
	{
		SPI_cursor_fetch(portal, true, VISIBLE_FETCH);
		if (SPI_processed == 0)
			break;
		if (from == NULL)
			from = row_columns_by_name(out, SPI_tuptable->tupdesc);
		for (uint64 r = 0; r < SPI_processed; r++)
		{
			HeapTuple	tup = SPI_tuptable->vals[r];

			for (int i = 0; i < out->natts; i++)
			{
				if (from[i] == 0)
				{
					values[i] = (Datum) 0;
					isnull[i] = true;
				}
				else
					values[i] = SPI_getbinval(tup, SPI_tuptable->tupdesc, from[i], &isnull[i]);
			}
			tuplestore_putvalues(rsinfo->setResult, out, values, isnull);
		}
		SPI_freetuptable(SPI_tuptable);
		CHECK_FOR_INTERRUPTS();
	}
	SPI_cursor_close(portal);
}

static KeptPlan member_apps_plan = {
	.sql = "SELECT a.* FROM annotations.apps a"
	" WHERE $2 OR (a.owner_id = $1 AND ($3 IS NULL OR a.owner_oid = $3))"
	"    OR EXISTS (SELECT 1 FROM annotations.collaborators c"
	"                WHERE c.app_id = a.id AND c.user_id = $1 AND ($3 IS NULL OR c.user_oid = $3))"
	" ORDER BY a.id",
	.nargs = 3,
	.argtypes = {TEXTOID, BOOLOID, OIDOID}
};

PG_FUNCTION_INFO_V1(annotations_member_apps);

/* member_apps(): the apps the acting user owns or collaborates in. */
Datum
annotations_member_apps(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Acting		acting;
	Datum		args[3];
	char		nulls[3] = {' ', ' ', ' '};

	InitMaterializedSRF(fcinfo, 0);
	acting_begin(&acting);
	acting_connect();
	args[0] = CStringGetTextDatum(acting.user_name);
	args[1] = BoolGetDatum(acting.sees_all);
	acting_identity_arg(&acting, &args[2], &nulls[2]);
	visible_stream_rows(rsinfo, &member_apps_plan, args, nulls);
	acting_leave(&acting);
	return (Datum) 0;
}

/*
 * One app's rows of one kind for a member of it: $1 the app, $2 whether
 * the caller owns it, $3 the caller's name (for rows only owners see all of).
 */
static Datum
app_rows(FunctionCallInfo fcinfo, KeptPlan *kp)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	char	   *app_id = api_text_arg(fcinfo, 0);
	Acting		acting;
	AppAccess	access;
	Datum		args[3];

	InitMaterializedSRF(fcinfo, 0);
	acting_enter(&acting, app_id, &access);
	args[0] = CStringGetTextDatum(app_id);
	args[1] = BoolGetDatum(access.role == APP_ROLE_OWNER);
	args[2] = CStringGetTextDatum(acting.user_name);
	visible_stream_rows(rsinfo, kp, args, NULL);
	acting_leave(&acting);
	return (Datum) 0;
}

static KeptPlan app_inputs_plan = {
	.sql = "SELECT i.* FROM annotations.inputs i WHERE i.app_id = $1"
	" ORDER BY i.created_at, i.id",
	.nargs = 3,
	.argtypes = {TEXTOID, BOOLOID, TEXTOID}
};

static KeptPlan app_annotations_plan = {
	.sql = "SELECT a.* FROM annotations.annotations a WHERE a.app_id = $1"
	" ORDER BY a.seq",
	.nargs = 3,
	.argtypes = {TEXTOID, BOOLOID, TEXTOID}
};

static KeptPlan app_regions_plan = {
	.sql = "SELECT r.* FROM annotations.regions r WHERE r.app_id = $1"
	" ORDER BY r.annotation_id",
	.nargs = 3,
	.argtypes = {TEXTOID, BOOLOID, TEXTOID}
};

static KeptPlan app_collaborators_plan = {
	.sql = "SELECT c.* FROM annotations.collaborators c WHERE c.app_id = $1 AND ($2 OR c.user_id = $3)"
	" ORDER BY c.user_id",
	.nargs = 3,
	.argtypes = {TEXTOID, BOOLOID, TEXTOID}
};

/*
 * Concept labels: whole-input concepts and region concepts, one row each.
 * Elements that are not concept objects (never written by the API) are left
 * out rather than failing the whole report.
 */
static KeptPlan app_concept_labels_plan = {
	.sql = "SELECT a.app_id, a.id AS annotation_id, a.input_id, NULL::text AS region_id,"
	"       c.value ->> 'id' AS concept_id, c.value ->> 'name' AS concept_name,"
	"       CASE WHEN jsonb_typeof(c.value -> 'value') = 'number' THEN (c.value ->> 'value')::float8"
	"            WHEN c.value -> 'value' IS NULL THEN 1 END AS value,"
	"       a.user_id, a.model_version_id, a.status, NULL::annotations.bbox AS bbox, a.created_at,"
	"       NULL::text AS shape_kind"
	"  FROM annotations.annotations a"
	" CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(a.concepts) = 'array' THEN a.concepts ELSE '[]' END) c"
	" WHERE a.app_id = $1 AND jsonb_typeof(c.value) = 'object'"
	" UNION ALL "
	"SELECT g.app_id, g.annotation_id, a.input_id, g.id,"
	"       c.value ->> 'id', c.value ->> 'name',"
	"       CASE WHEN jsonb_typeof(c.value -> 'value') = 'number' THEN (c.value ->> 'value')::float8"
	"            WHEN c.value -> 'value' IS NULL THEN 1 END,"
	"       a.user_id, a.model_version_id, a.status, g.bbox, a.created_at,"
	"       CASE WHEN g.polygon IS NOT NULL THEN 'polygon' WHEN g.point IS NOT NULL THEN 'point'"
	"            WHEN g.mask IS NOT NULL THEN 'mask' ELSE 'bounding_box' END"
	"  FROM annotations.regions g"
	"  JOIN annotations.annotations a ON a.app_id = $1 AND a.id = g.annotation_id"
	" CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(g.concepts) = 'array' THEN g.concepts ELSE '[]' END) c"
	" WHERE g.app_id = $1 AND jsonb_typeof(c.value) = 'object'",
	.nargs = 3,
	.argtypes = {TEXTOID, BOOLOID, TEXTOID}
};

static KeptPlan app_concepts_plan = {
	.sql = "SELECT c.* FROM annotations.concepts c WHERE c.app_id = $1"
	" ORDER BY c.coco_id",
	.nargs = 3,
	.argtypes = {TEXTOID, BOOLOID, TEXTOID}
};

PG_FUNCTION_INFO_V1(annotations_app_inputs);
PG_FUNCTION_INFO_V1(annotations_app_annotations);
PG_FUNCTION_INFO_V1(annotations_app_regions);
PG_FUNCTION_INFO_V1(annotations_app_collaborators);
PG_FUNCTION_INFO_V1(annotations_app_concept_labels);
PG_FUNCTION_INFO_V1(annotations_app_concepts);

Datum
annotations_app_inputs(PG_FUNCTION_ARGS)
{
	return app_rows(fcinfo, &app_inputs_plan);
}

Datum
annotations_app_annotations(PG_FUNCTION_ARGS)
{
	return app_rows(fcinfo, &app_annotations_plan);
}

Datum
annotations_app_regions(PG_FUNCTION_ARGS)
{
	return app_rows(fcinfo, &app_regions_plan);
}

Datum
annotations_app_collaborators(PG_FUNCTION_ARGS)
{
	return app_rows(fcinfo, &app_collaborators_plan);
}

Datum
annotations_app_concept_labels(PG_FUNCTION_ARGS)
{
	return app_rows(fcinfo, &app_concept_labels_plan);
}

Datum
annotations_app_concepts(PG_FUNCTION_ARGS)
{
	return app_rows(fcinfo, &app_concepts_plan);
}
