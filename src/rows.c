/*
 * rows.c — the annotations.annotation row, by field name.
 *
 * The store is read with ANNOTATION_COLUMNS, whose order is the
 * AnnotationField enum; results are written into the row type the caller
 * declared, each field at the attribute of the same name, so reordering
 * the type's columns or adding new ones never shifts a value into the
 * wrong column.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "utils/fmgrprotos.h"
#include "utils/tuplestore.h"

#include "rows.h"

static const char *const field_names[AF_NFIELDS] = {
	"app_id", "id", "input_id", "seq", "user_id", "model_version_id",
	"embed_model_version_id", "task_id", "status", "input_level", "concepts",
	"region_id", "bbox", "region_concepts", "frame_index", "frame_time",
	"annotation_info", "created_at", "modified_at", "polygon", "point", "mask",
	"trusted", "consensus_info"
};

/*
 * Finds every field's attribute in a row type; a missing one is a bug,
 * unless it is a field 1.0's row type did not have.
 */
void
annotation_shape(TupleDesc desc, AnnotationShape *shape)
{
	shape->desc = desc;
	for (int f = 0; f < AF_NFIELDS; f++)
	{
		shape->attno[f] = -1;
		for (int i = 0; i < desc->natts; i++)
		{
			Form_pg_attribute att = TupleDescAttr(desc, i);

			if (!att->attisdropped && strcmp(NameStr(att->attname), field_names[f]) == 0)
			{
				shape->attno[f] = i;
				break;
			}
		}
		if (f < AF_FIRST_OPTIONAL && shape->attno[f] < 0)
			elog(ERROR, "row type of annotations has no column \"%s\"", field_names[f]);
	}
}

/* The value a field holds in a row that does not give it: the column default. */
void
annotation_field_default(AnnotationField f, AnnotationValues *row)
{
	row->nulls[f] = false;
	if (f == AF_POLYGON || f == AF_POINT || f == AF_MASK)
		row->nulls[f] = true;	/* a box (or no region): no other shape */
	else if (f == AF_TRUSTED)
		row->values[f] = BoolGetDatum(false);
	else if (f == AF_CONSENSUS_INFO)
		row->values[f] = DirectFunctionCall1(jsonb_in, CStringGetDatum("{}"));
	else
		elog(ERROR, "annotation field %d has no default", (int) f);
}

/*
 * Reads one row selected with ANNOTATION_COLUMNS, and the nextra columns
 * the statement selects after them into extra (values stay in SPI memory;
 * a NULL extra column is an error: the store's statements select none).
 * The row is taken apart in one pass: fetching its fields one by one walks
 * the tuple from its start again for each field past the first NULL or
 * variable-length one.
 */
void
annotation_from_spi_with(HeapTuple tup, TupleDesc desc, AnnotationValues *out,
						 Datum *extra, int nextra)
{
	Datum	   *values;
	bool	   *nulls;

	if (desc->natts < AF_NFIELDS + nextra)
		elog(ERROR, "an annotation read from the store has %d columns, expected %d",
			 desc->natts, AF_NFIELDS + nextra);
	values = palloc(sizeof(Datum) * desc->natts);
	nulls = palloc(sizeof(bool) * desc->natts);
	heap_deform_tuple(tup, desc, values, nulls);
	memcpy(out->values, values, sizeof(Datum) * AF_NFIELDS);
	memcpy(out->nulls, nulls, sizeof(bool) * AF_NFIELDS);
	for (int k = 0; k < nextra; k++)
	{
		if (nulls[AF_NFIELDS + k])
			elog(ERROR, "column %d of an annotation read from the store is NULL", AF_NFIELDS + k + 1);
		extra[k] = values[AF_NFIELDS + k];
	}
	pfree(values);
	pfree(nulls);
}

/* Reads one row selected with ANNOTATION_COLUMNS (values stay in SPI memory). */
void
annotation_from_spi(HeapTuple tup, TupleDesc desc, AnnotationValues *out)
{
	annotation_from_spi_with(tup, desc, out, NULL, 0);
}

/*
 * The values of the result row in the row type's attribute order (newly
 * allocated); fields the row type has beyond these are NULL.
 */
static void
annotation_attributes(const AnnotationShape *shape, const AnnotationValues *row,
					  Datum **values, bool **nulls)
{
	int			natts = shape->desc->natts;

	*values = palloc0(sizeof(Datum) * natts);
	*nulls = palloc(sizeof(bool) * natts);
	memset(*nulls, true, sizeof(bool) * natts);
	for (int f = 0; f < AF_NFIELDS; f++)
	{
		if (shape->attno[f] < 0)
			continue;
		(*values)[shape->attno[f]] = row->values[f];
		(*nulls)[shape->attno[f]] = row->nulls[f];
	}
}

/* The result row. */
HeapTuple
annotation_tuple(const AnnotationShape *shape, const AnnotationValues *row)
{
	Datum	   *values;
	bool	   *nulls;
	HeapTuple	tup;

	annotation_attributes(shape, row, &values, &nulls);
	tup = heap_form_tuple(shape->desc, values, nulls);
	pfree(values);
	pfree(nulls);
	return tup;
}

/*
 * Appends a result row to a materialized set-returning function's output,
 * formed once, straight into the tuplestore's own format.
 */
void
annotation_put(ReturnSetInfo *rsinfo, const AnnotationShape *shape, const AnnotationValues *row)
{
	Datum	   *values;
	bool	   *nulls;

	annotation_attributes(shape, row, &values, &nulls);
	tuplestore_putvalues(rsinfo->setResult, shape->desc, values, nulls);
	pfree(values);
	pfree(nulls);
}

/*
 * For each attribute of out, the 1-based number of the column of in with
 * the same name, or 0 (no such column, or a dropped attribute): rows read
 * from a table are copied into a declared row type by name, never by
 * position.
 */
int *
row_columns_by_name(TupleDesc out, TupleDesc in)
{
	int		   *from = palloc0(sizeof(int) * out->natts);

	for (int i = 0; i < out->natts; i++)
	{
		Form_pg_attribute o = TupleDescAttr(out, i);

		if (o->attisdropped)
			continue;
		for (int j = 0; j < in->natts; j++)
		{
			Form_pg_attribute a = TupleDescAttr(in, j);

			if (!a->attisdropped && strcmp(NameStr(a->attname), NameStr(o->attname)) == 0)
			{
				if (a->atttypid != o->atttypid)
					elog(ERROR, "column \"%s\" is of type %u, the row type expects %u",
						 NameStr(o->attname), a->atttypid, o->atttypid);
				from[i] = j + 1;
				break;
			}
		}
	}
	return from;
}
