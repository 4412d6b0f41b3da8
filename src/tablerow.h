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
#include "fmgr.h"

/* Where each attribute of a result row type comes from. */
typedef struct TableRowShape
{
	TupleDesc	desc;			/* the result row type */
	int		   *column;			/* per attribute: 1-based column of the statement's result, 0 when dropped */
} TableRowShape;

extern void tablerow_shape(TupleDesc result, TupleDesc returned, const char *what, TableRowShape *shape);
extern void tablerow_values(const TableRowShape *shape, HeapTuple tup, TupleDesc returned,
							Datum *values, bool *nulls);

/*
 * The row a table-row function returns: its declared row type (blessed),
 * and the first row of the last SPI result formed as one, in cxt.
 */
extern TupleDesc tablerow_result_type(FunctionCallInfo fcinfo, const char *function);
extern HeapTuple tablerow_first(TupleDesc desc, const char *what, MemoryContext cxt);

#endif
