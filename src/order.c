/*
 * order.c — seq values for new annotations.
 *
 * seq is the keyset of every listing, so within one app it must grow in
 * creation order and never repeat. The values come from a sequence of the
 * node that runs the call: on one server that is the only node; on a Citus
 * cluster an app's calls are delegated to the worker that holds the app,
 * so its values come from that worker's sequence. No row is shared by
 * concurrent posters (a per-app counter would make every post into an app
 * wait for the one before it).
 *
 * A node's sequence knows nothing of rows that arrived from elsewhere: a
 * shard moved in from another worker, a restored dump, a call that ran on
 * the coordinator. So every batch compares its first value with the app's
 * highest seq (one probe of the (app_id, seq) unique index); when it is not
 * above, the sequence is moved past that highest value and the batch takes
 * its values again. That happens once per app after a move or a restore,
 * and on a cluster whenever another node wrote the app's latest rows
 * (move_forward says how the sequence is moved without handing a number
 * out twice).
 *
 * On a Citus cluster two nodes can write one app at once: while a shard
 * move switches over, a call that began on the worker the shard is leaving,
 * or one Citus did not delegate, runs on its own node while the app's new
 * worker hands out values too, each moved past the same highest seq. So
 * there a node's values are its own: the sequence's number times
 * NODE_CLASSES plus the node's group id (pg_dist_local_group), and no two
 * nodes ever hand out the same value. On one server the sequence's numbers
 * are the values.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "order.h"
#include "plans.h"

/*
 * How many nodes' values never meet: group ids are taken modulo this. A
 * node's sequence then lasts 2^63 / 2^16 = 1.4e14 annotations.
 */
#define NODE_CLASSES "65536"

/* This node's class among the cluster's nodes (the coordinator's is 0). */
#define NODE_CLASS \
	"(SELECT l.groupid::pg_catalog.int8 OPERATOR(pg_catalog.%) " NODE_CLASSES \
	"   FROM pg_catalog.pg_dist_local_group l)"

/* The advisory lock that lets one call of a node set its sequence at a time. */
#define MOVE_LOCK_KEY "6967350916049102195"

static KeptPlan take_values = {
	.sql = "SELECT pg_catalog.nextval('annotations.annotation_seq')"
	"  FROM pg_catalog.generate_series(1, $1)",
	.nargs = 1,
	.argtypes = {INT4OID}
};

static KeptPlan take_node_values = {
	.sql = "SELECT pg_catalog.nextval('annotations.annotation_seq') OPERATOR(pg_catalog.*) " NODE_CLASSES
	"       OPERATOR(pg_catalog.+) " NODE_CLASS
	"  FROM pg_catalog.generate_series(1, $1)",
	.nargs = 1,
	.argtypes = {INT4OID}
};

static KeptPlan highest_seq = {
	.sql = "SELECT a.seq FROM annotations.annotations a WHERE a.app_id = $1"
	" ORDER BY a.seq DESC LIMIT 1",
	.nargs = 1,
	.argtypes = {TEXTOID}
};

/*
 * The sequence's number a call must get past (its next number then gives
 * a value above the app's highest seq $1), and the number the sequence is
 * at. For a node's values that is the quotient of the highest less the
 * node's class (the highest is at least one of this node's values above
 * it, so the quotient is positive).
 */
static KeptPlan behind_by = {
	.sql = "SELECT $1, s.last_value FROM annotations.annotation_seq s",
	.nargs = 1,
	.argtypes = {INT8OID}
};

static KeptPlan node_behind_by = {
	.sql = "SELECT ($1 OPERATOR(pg_catalog.-) " NODE_CLASS ") OPERATOR(pg_catalog./) " NODE_CLASSES ","
	"       s.last_value FROM annotations.annotation_seq s",
	.nargs = 1,
	.argtypes = {INT8OID}
};

/*
 * Moving the sequence forward must never move it back past numbers other
 * calls took meanwhile, which setval would do to a number read a moment
 * before. Numbers drawn with nextval cannot be taken twice, so a short way
 * is drawn and thrown away (after a shard move, or calls that ran on
 * another node, the way is a few numbers). A long way (a restore) is set
 * with setval, one call of this node at a time (the advisory lock, held to
 * the end of the transaction), and only when the sequence is still behind:
 * for a number to be taken twice then, other calls would have to draw more
 * than MAX_DRAWN numbers between the read and the setval.
 */
#define MAX_DRAWN 65536

static KeptPlan draw = {
	.sql = "SELECT pg_catalog.count(pg_catalog.nextval('annotations.annotation_seq'))"
	"  FROM pg_catalog.generate_series(1, $1)",
	.nargs = 1,
	.argtypes = {INT8OID}
};

static KeptPlan move_lock = {
	.sql = "SELECT pg_catalog.pg_advisory_xact_lock(" MOVE_LOCK_KEY ")",
	.nargs = 0
};

static KeptPlan set_forward = {
	.sql = "SELECT pg_catalog.setval('annotations.annotation_seq', $1)"
	"  FROM annotations.annotation_seq s"
	" WHERE s.last_value OPERATOR(pg_catalog.<) $1",
	.nargs = 1,
	.argtypes = {INT8OID}
};

static int
cmp_int64(const void *a, const void *b)
{
	int64		x = *(const int64 *) a;
	int64		y = *(const int64 *) b;

	return (x > y) - (x < y);
}

/* n values of this node's sequence, smallest first. */
static void
take(int n, int64 *out, bool per_node)
{
	Datum		arg = Int32GetDatum(n);
	bool		isnull;

	kept_execute(per_node ? &take_node_values : &take_values, &arg, NULL, false, 0);
	if (SPI_processed != (uint64) n)
		elog(ERROR, "the annotation sequence gave %llu values for %d",
			 (unsigned long long) SPI_processed, n);
	for (int i = 0; i < n; i++)
		out[i] = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull));
	qsort(out, n, sizeof(int64), cmp_int64);
}

/* The app's highest stored seq, or 0 when it has no annotation. */
static int64
app_highest(const char *app_id)
{
	Datum		arg = CStringGetTextDatum(app_id);
	bool		isnull;

	/*
	 * Not read-only: a fresh snapshot sees the rows this call wrote before,
	 * so a call that stores many batches finds the highest at once instead
	 * of walking back over its own rows, invisible to the call's snapshot.
	 */
	kept_execute(&highest_seq, &arg, NULL, false, 1);
	if (SPI_processed == 0)
		return 0;
	return DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
}

/* Moves this node's sequence past the app's highest seq. */
static void
move_forward(Datum highest, bool per_node)
{
	bool		isnull;
	int64		target;
	int64		at;

	kept_execute(per_node ? &node_behind_by : &behind_by, &highest, NULL, false, 0);
	target = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	at = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
	if (at >= target)
		return;					/* another call moved it meanwhile */
	if (target - at <= MAX_DRAWN)
	{
		/* one more than the way: a fresh sequence's first number is its last_value */
		Datum		way = Int64GetDatum(target - at + 1);

		kept_execute(&draw, &way, NULL, false, 0);
	}
	else
	{
		Datum		to = Int64GetDatum(target);

		kept_execute(&move_lock, NULL, NULL, false, 0);
		kept_execute(&set_forward, &to, NULL, false, 0);
	}
}

Datum
order_take(const char *app_id, int n)
{
	int64	   *values = palloc(sizeof(int64) * n);
	Datum	   *elems = palloc(sizeof(Datum) * n);
	int64		highest;
	bool		per_node = kept_on_citus();

	Assert(n > 0);
	take(n, values, per_node);
	highest = app_highest(app_id);
	/* twice at most: after the move every value is above highest */
	for (int attempt = 0; values[0] <= highest; attempt++)
	{
		Datum		arg = Int64GetDatum(highest);

		if (attempt == 2)
			elog(ERROR, "the annotation sequence stays below seq %lld of app \"%s\"",
				 (long long) highest, app_id);
		move_forward(arg, per_node);
		take(n, values, per_node);
	}
	for (int i = 0; i < n; i++)
		elems[i] = Int64GetDatum(values[i]);
	return PointerGetDatum(construct_array(elems, n, INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}
