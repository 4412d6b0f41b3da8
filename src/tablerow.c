/*
 * tablerow.c — rows of the store's tables as results, by attribute name.
 *
 * A function that returns a table's row type (create_app, post_inputs)
 * reads the row back with an explicit column list and writes each value at
 * the result attribute of the same name, so a column added to or moved in
 * the table never shifts a value into the wrong place: a column the
 * statement does not return is a bug, reported as one.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "executor/spi.h"
#include "funcapi.h"

#include "tablerow.h"

/* Maps every attribute of result to the column of the same name in returned. */
void
tablerow_shape(TupleDesc result, TupleDesc returned, const char *what, TableRowShape *shape)
{
	shape->desc = result;
	shape->column = palloc0(sizeof(int) * Max(result->natts, 1));
	for (int i = 0; i < result->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(result, i);
		int			col;

		if (att->attisdropped)
			continue;
		col = SPI_fnumber(returned, NameStr(att->attname));
		if (col <= 0)
			elog(ERROR, "the store returned no column \"%s\" for a row of %s",
				 NameStr(att->attname), what);
		if (SPI_gettypeid(returned, col) != att->atttypid)
			elog(ERROR, "the store returned column \"%s\" of a row of %s with another type",
				 NameStr(att->attname), what);
		shape->column[i] = col;
	}
}

/* One result row's values, read from a returned tuple (values stay in its memory). */
void
tablerow_values(const TableRowShape *shape, HeapTuple tup, TupleDesc returned,
				Datum *values, bool *nulls)
{
	for (int i = 0; i < shape->desc->natts; i++)
	{
		if (shape->column[i] == 0)
		{
			values[i] = (Datum) 0;
			nulls[i] = true;
			continue;
		}
		values[i] = SPI_getbinval(tup, returned, shape->column[i], &nulls[i]);
	}
}

/* The declared row type of a function that returns one table row. */
TupleDesc
tablerow_result_type(FunctionCallInfo fcinfo, const char *function)
{
	TupleDesc	desc;

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "%s must return a row type", function);
	return BlessTupleDesc(desc);
}

/*
 * The first row of the last SPI result as a row of desc, formed in cxt so
 * it outlives SPI_finish.
 */
HeapTuple
tablerow_first(TupleDesc desc, const char *what, MemoryContext cxt)
{
	MemoryContext old = MemoryContextSwitchTo(cxt);
	TableRowShape shape;
	Datum	   *values = palloc(sizeof(Datum) * Max(desc->natts, 1));
	bool	   *nulls = palloc(sizeof(bool) * Max(desc->natts, 1));
	HeapTuple	tup;

	tablerow_shape(desc, SPI_tuptable->tupdesc, what, &shape);
	tablerow_values(&shape, SPI_tuptable->vals[0], SPI_tuptable->tupdesc, values, nulls);
	tup = heap_form_tuple(desc, values, nulls);
	MemoryContextSwitchTo(old);
	return tup;
}
