/*
 * tablerow.h — a row of one of the store's own tables (apps, inputs) as a
 * function result: the columns a statement returned, written into the
 * declared result row type by attribute name.
 */
#ifndef ANNOTATIONS_TABLEROW_H
#define ANNOTATIONS_TABLEROW_H

#include "postgres.h"
#include "access/htup.h"
#include "access/tupdesc.h"

/* Where each attribute of a result row type comes from. */
typedef struct TableRowShape
{
	TupleDesc	desc;			/* the result row type */
	int		   *column;			/* per attribute: 1-based column of the statement's result, 0 when dropped */
} TableRowShape;

extern void tablerow_shape(TupleDesc result, TupleDesc returned, const char *what, TableRowShape *shape);
extern void tablerow_values(const TableRowShape *shape, HeapTuple tup, TupleDesc returned,
							Datum *values, bool *nulls);

#endif
