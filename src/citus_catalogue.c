/*
 * citus_catalogue.c — the concepts of a write added to the catalogue where
 * Citus runs.
 *
 * On one server a single statement finds the concepts the catalogue lacks,
 * raises the app's counter and inserts them (catalogue.c). Citus cannot
 * route a statement whose common table expressions insert: it plans each
 * of them apart, sends their results to every other node and commits the
 * call with two-phase commit across the cluster, which made each write
 * with a new concept cost a round of the whole cluster. Here the same work
 * is three statements on one table each, which Citus runs on the app's
 * shard alone: the concepts missing (a read, planned on the local shard
 * with the app id written in), the counter raised by their number (when
 * the vocabulary is open), and their insert with the coco_ids that follow.
 * As on one server, a concurrent writer that added the same concept first
 * keeps its coco_id and the one taken here stays unused.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/lsyscache.h"

#include "citus_catalogue.h"
#include "plans.h"

/* The positions (from 1) of the concepts not in the catalogue, in order. */
static KeptPlan fill_missing = {
	.sql = "SELECT u.n FROM pg_catalog.unnest($2) WITH ORDINALITY u(id, n)"
	" WHERE NOT EXISTS (SELECT 1 FROM annotations.concepts c"
	"                    WHERE c.app_id = $1 AND c.id = u.id OFFSET 0)"
	" ORDER BY u.n",
	.nargs = 2,
	.argtypes = {TEXTOID, TEXTARRAYOID}
};

/*
 * $2 coco_ids taken from an open vocabulary's counter: the last one before
 * them. Planned for its values (fold), so that Citus plans it on the app's
 * shard instead of writing it out and parsing it again at every call.
 */
static KeptPlan fill_counter = {
	.sql = "UPDATE annotations.apps a SET last_coco_id = a.last_coco_id + $2"
	" WHERE a.id = $1 AND NOT a.closed_vocabulary"
	" RETURNING a.last_coco_id - $2",
	.nargs = 2,
	.argtypes = {TEXTOID, INT4OID},
	.fold = true
};

static KeptPlan fill_add = {
	.sql = "INSERT INTO annotations.concepts (app_id, id, name, coco_id)"
	" SELECT $1, u.id, u.name, $4 + u.n::integer"
	"   FROM ROWS FROM (pg_catalog.unnest($2), pg_catalog.unnest($3)) WITH ORDINALITY u(id, name, n)"
	"  ORDER BY u.n"
	" ON CONFLICT DO NOTHING",
	.nargs = 4,
	.argtypes = {TEXTOID, TEXTARRAYOID, TEXTARRAYOID, INT4OID}
};

/* The elements of a one-dimensional array at the positions (from 1) given. */
static Datum
array_pick(Datum array, Oid elemtype, const int *pos, int k)
{
	ArrayType  *arr = DatumGetArrayTypeP(array);
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	int16		typlen;
	bool		typbyval;
	char		typalign;
	Datum	   *picked = palloc(sizeof(Datum) * Max(k, 1));
	bool	   *picked_nulls = palloc(sizeof(bool) * Max(k, 1));
	int			dims[1] = {k};
	int			lbs[1] = {1};

	get_typlenbyvalalign(elemtype, &typlen, &typbyval, &typalign);
	deconstruct_array(arr, elemtype, typlen, typbyval, typalign, &elems, &nulls, &n);
	for (int j = 0; j < k; j++)
	{
		if (pos[j] < 1 || pos[j] > n)
			elog(ERROR, "the catalogue look-up returned position %d of %d", pos[j], n);
		picked[j] = elems[pos[j] - 1];
		picked_nulls[j] = nulls[pos[j] - 1];
	}
	return PointerGetDatum(construct_md_array(picked, picked_nulls, 1, dims, lbs,
											  elemtype, typlen, typbyval, typalign));
}

/*
 * Adds the m concepts (ids, names: text[]) the catalogue of app lacks;
 * returns 0, or when the vocabulary is closed and some are missing the
 * position (from 1) of the first of them, and adds nothing.
 */
int64
citus_catalogue_fill(Datum app, Datum ids, Datum names, int m)
{
	Datum		args[4];
	int		   *pos;
	int			k;
	bool		isnull;

	args[0] = app;
	args[1] = ids;
	/* not read-only: the concepts this call added before count as there */
	kept_execute(&fill_missing, args, NULL, false, 0);
	k = (int) SPI_processed;
	if (k == 0)
		return 0;
	pos = palloc(sizeof(int) * k);
	for (int j = 0; j < k; j++)
	{
		CHECK_FOR_INTERRUPTS();
		pos[j] = (int) DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[j], SPI_tuptable->tupdesc, 1, &isnull));
		if (isnull || pos[j] < 1 || pos[j] > m)
			elog(ERROR, "the catalogue look-up returned position %d of %d", pos[j], m);
	}
	args[1] = Int32GetDatum(k);
	kept_execute(&fill_counter, args, NULL, false, 0);
	if (SPI_processed == 0)
		return pos[0];
	args[3] = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	if (isnull)
		elog(ERROR, "the app's coco_id counter is NULL");
	args[1] = array_pick(ids, TEXTOID, pos, k);
	args[2] = array_pick(names, TEXTOID, pos, k);
	kept_execute(&fill_add, args, NULL, false, 0);
	return 0;
}
