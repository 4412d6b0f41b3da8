/*
 * coco.h — what COCO export and import share: id limits, string- and
 * integer-keyed hash tables, numbers in messages.
 */
#ifndef ANNOTATIONS_COCO_H
#define ANNOTATIONS_COCO_H

#include "postgres.h"
#include "utils/hsearch.h"

/* COCO ids are JSON integers; beyond 2^53 - 1 JavaScript readers lose them. */
#define MAX_COCO_ID INT64CONST(9007199254740991)

extern HTAB *strptr_table(const char *name, Size entrysize, MemoryContext cxt);
extern HTAB *int64_table(const char *name, Size entrysize, MemoryContext cxt);
extern char *double_text(double d);

#endif
