/*
 * api.h — small helpers every API entry point shares: reading its text
 * arguments and setting up its result.
 */
#ifndef ANNOTATIONS_API_H
#define ANNOTATIONS_API_H

#include "postgres.h"
#include "fmgr.h"
#include "utils/builtins.h"

/* A text argument as a C string, or NULL. */
static inline char *
api_text_arg(FunctionCallInfo fcinfo, int n)
{
	return PG_ARGISNULL(n) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(n));
}

#endif
