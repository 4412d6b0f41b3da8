/*
 * api.c — argument helpers shared by the API's entry points.
 */
#include "postgres.h"

#include "fmgr.h"
#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/lsyscache.h"

#include "api.h"

ArrayType *
api_filter_array_arg(FunctionCallInfo fcinfo, int n, const char *name)
{
	ArrayType  *arr;

	if (PG_ARGISNULL(n))
		return NULL;
	arr = PG_GETARG_ARRAYTYPE_P(n);
	if (ArrayGetNItems(ARR_NDIM(arr), ARR_DIMS(arr)) == 0)
		return NULL;
	if (array_contains_nulls(arr))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not contain NULL", name)));
	return arr;
}

void
api_paging_args(FunctionCallInfo fcinfo, int per_page_arg, int page_arg, int after_arg,
				const char *after_is, ApiPaging *paging)
{
	int32		page;

	if (PG_ARGISNULL(per_page_arg) || PG_GETARG_INT32(per_page_arg) < 0 ||
		PG_GETARG_INT32(per_page_arg) > API_MAX_PER_PAGE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("per_page must be between 1 and %d, got %s", API_MAX_PER_PAGE,
						PG_ARGISNULL(per_page_arg) ? "NULL"
						: psprintf("%d", PG_GETARG_INT32(per_page_arg)))));
	/* 0 is proto3's "not set" */
	paging->per_page = PG_GETARG_INT32(per_page_arg) == 0 ? API_DEFAULT_PER_PAGE
		: PG_GETARG_INT32(per_page_arg);
	page = PG_ARGISNULL(page_arg) ? 0 : PG_GETARG_INT32(page_arg);
	if (page < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("page must be 1 or more, got %d", page)));
	if (page > 0 && !PG_ARGISNULL(after_arg))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("page and after cannot be used together"),
				 errhint("Use after (%s) for paging; page exists for Clarifai compatibility.", after_is)));
	paging->offset = page > 1 ? (int64) (page - 1) * paging->per_page : 0;
	paging->has_after = !PG_ARGISNULL(after_arg);
}

/* A one-dimensional array with NULL where has[i] is false. */
Datum
api_nullable_array(Datum *elems, const bool *has, int n, Oid elemtype)
{
	bool	   *nulls = palloc(sizeof(bool) * n);
	int			dims[1] = {n};
	int			lbs[1] = {1};
	int16		typlen;
	bool		typbyval;
	char		typalign;

	for (int i = 0; i < n; i++)
		nulls[i] = !has[i];
	get_typlenbyvalalign(elemtype, &typlen, &typbyval, &typalign);
	return PointerGetDatum(construct_md_array(elems, nulls, 1, dims, lbs, elemtype,
											  typlen, typbyval, typalign));
}

/* A timestamptz[] of n values, NULL where has[i] is false. */
Datum
api_timestamptz_array(const TimestampTz *vals, const bool *has, int n)
{
	Datum	   *elems = palloc(sizeof(Datum) * n);

	for (int i = 0; i < n; i++)
		elems[i] = TimestampTzGetDatum(vals[i]);
	return api_nullable_array(elems, has, n, TIMESTAMPTZOID);
}
