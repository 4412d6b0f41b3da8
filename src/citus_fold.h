/*
 * citus_fold.h — the values of a statement of the store written into it
 * before Citus plans it, so Citus plans it on the local shard directly.
 */
#ifndef ANNOTATIONS_CITUS_FOLD_H
#define ANNOTATIONS_CITUS_FOLD_H

#include "nodes/params.h"
#include "nodes/parsenodes.h"

extern void citus_fold_next_plan(void);
extern Query *citus_fold_take(Query *parse, ParamListInfo params);

#endif
