/*
 * api.h — small helpers every API entry point shares: reading its text
 * arguments and setting up its result.
 */
#ifndef ANNOTATIONS_API_H
#define ANNOTATIONS_API_H

#include "postgres.h"
#include "fmgr.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

/* A text argument as a C string, or NULL. */
static inline char *
api_text_arg(FunctionCallInfo fcinfo, int n)
{
	return PG_ARGISNULL(n) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(n));
}

/*
 * A text[] or enum[] filter argument: NULL for NULL or an empty array (no
 * filter), 22023 "<name> must not contain NULL" for NULL elements.
 */
extern ArrayType *api_filter_array_arg(FunctionCallInfo fcinfo, int n, const char *name);

/* A page of a listing: per_page 1..API_MAX_PER_PAGE, 0 and NULL page meaning the defaults. */
#define API_MAX_PER_PAGE 1000
#define API_DEFAULT_PER_PAGE 20

typedef struct ApiPaging
{
	int32		per_page;
	int64		offset;			/* from page (1-based) */
	bool		has_after;
} ApiPaging;

/*
 * Checks per_page, page and after (argument numbers) as every listing takes
 * them: 22023 for out of range values and for page with after.
 */
extern void api_paging_args(FunctionCallInfo fcinfo, int per_page_arg, int page_arg, int after_arg,
							const char *after_is, ApiPaging *paging);

/* A one-dimensional array of elemtype with NULL where has[i] is false. */
extern Datum api_nullable_array(Datum *elems, const bool *has, int n, Oid elemtype);
extern Datum api_timestamptz_array(const TimestampTz *vals, const bool *has, int n);

#endif
