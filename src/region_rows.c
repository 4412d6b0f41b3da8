/*
 * region_rows.c — the region of each annotation row, read by annotation id.
 *
 * Reading the annotations first and their regions with a second statement
 * keeps each statement on one table, filtered by its app id: on a Citus
 * cluster such a statement is planned on the app's local shard directly,
 * where a join goes through Citus's router planner and costs several
 * times more; on one server the second statement is one index probe per
 * row, as the join was.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "plans.h"
#include "region_info.h"
#include "rows.h"

static KeptPlan regions_of = {
	.sql = "SELECT r.annotation_id, r.id, r.concepts, " SHAPE_COLUMNS("r")
	"  FROM annotations.regions r"
	" WHERE r.app_id = $1 AND r.annotation_id = ANY ($2)",
	.nargs = 2,
	.argtypes = {TEXTOID, TEXTARRAYOID},
	.generic = true
};

typedef struct RowById
{
	const char *id;
	AnnotationValues *row;
} RowById;

static int
by_id(const void *a, const void *b)
{
	return strcmp(((const RowById *) a)->id, ((const RowById *) b)->id);
}

/* Puts one region read by regions_of into its row (SPI memory). */
static void
region_into(HeapTuple tup, TupleDesc desc, AnnotationValues *row)
{
	ShapeDatums geometry;

	row->values[AF_REGION_ID] = SPI_getbinval(tup, desc, 2, &row->nulls[AF_REGION_ID]);
	row->values[AF_REGION_CONCEPTS] = SPI_getbinval(tup, desc, 3, &row->nulls[AF_REGION_CONCEPTS]);
	for (int c = 0; c < SC_NCOLS; c++)
		geometry.values[c] = SPI_getbinval(tup, desc, 4 + c, &geometry.nulls[c]);
	annotation_set_shape(row, &geometry);
}

/*
 * Sets the region fields of rows[0..n-1] (NULL entries skipped) of one app
 * from the store: the row's region, or NULL where it has none. latest
 * reads with a new snapshot (rows locked after the statement that read
 * them had started); otherwise with the caller's. The values stay in SPI
 * memory, like the rows'.
 */
void
annotation_regions_read(Datum app_id, AnnotationValues **rows, int n, bool latest)
{
	RowById    *index = palloc(sizeof(RowById) * Max(n, 1));
	Datum	   *ids = palloc(sizeof(Datum) * Max(n, 1));
	Datum		args[2];
	int			m = 0;

	for (int i = 0; i < n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (rows[i] == NULL)
			continue;
		rows[i]->nulls[AF_REGION_ID] = rows[i]->nulls[AF_BBOX] =
			rows[i]->nulls[AF_REGION_CONCEPTS] = rows[i]->nulls[AF_POLYGON] =
			rows[i]->nulls[AF_POINT] = rows[i]->nulls[AF_MASK] = true;
		if (rows[i]->nulls[AF_ID])
			elog(ERROR, "an annotation read from the store has no id");
		index[m].id = TextDatumGetCString(rows[i]->values[AF_ID]);
		index[m].row = rows[i];
		ids[m] = rows[i]->values[AF_ID];
		m++;
	}
	if (m == 0)
		return;
	qsort(index, m, sizeof(RowById), by_id);
	args[0] = app_id;
	args[1] = PointerGetDatum(construct_array(ids, m, TEXTOID, -1, false, TYPALIGN_INT));
	kept_execute(&regions_of, args, NULL, !latest, 0);
	for (uint64 k = 0; k < SPI_processed; k++)
	{
		HeapTuple	tup = SPI_tuptable->vals[k];
		bool		isnull;
		Datum		id = SPI_getbinval(tup, SPI_tuptable->tupdesc, 1, &isnull);
		RowById		key;
		RowById    *found;

		CHECK_FOR_INTERRUPTS();
		if (isnull)
			continue;
		key.id = TextDatumGetCString(id);
		key.row = NULL;
		found = bsearch(&key, index, m, sizeof(RowById), by_id);
		if (found != NULL)
			region_into(tup, SPI_tuptable->tupdesc, found->row);
	}
}
