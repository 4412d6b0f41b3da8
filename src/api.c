/*
 * api.c — argument helpers shared by the API's entry points.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/array.h"

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
