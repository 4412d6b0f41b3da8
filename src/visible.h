/*
 * visible.h — streaming the rows of a kept statement into a set-returning
 * function's result, each column to the attribute of the same name.
 */
#ifndef ANNOTATIONS_VISIBLE_H
#define ANNOTATIONS_VISIBLE_H

#include "postgres.h"
#include "funcapi.h"

#include "plans.h"

extern void visible_stream_rows(ReturnSetInfo *rsinfo, KeptPlan *kp, Datum *args, const char *nulls);

#endif
