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

#endif
