/*
 * plans.c — statements prepared once per backend and kept.
 *
 * Each module declares its statements as static KeptPlan structs next to
 * the code that runs them; the first call prepares and keeps the plan, and
 * PostgreSQL's plan cache replans it when a table it reads changes.
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_namespace.h"
#include "executor/spi.h"
#include "nodes/parsenodes.h"
#include "utils/lsyscache.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"
#include "utils/plancache.h"

#include "citus_fold.h"
#include "citus_route.h"
#include "plans.h"

static SPIPlanPtr
prepare(KeptPlan *kp, int cursor_options)
{
	SPIPlanPtr	plan = SPI_prepare_cursor(kp->sql, kp->nargs, kp->argtypes, cursor_options);

	if (plan == NULL)
		elog(ERROR, "could not prepare a statement of the store: %s", SPI_result_code_string(SPI_result));
	return plan;
}

/*
 * Whether a prepared statement only reads (a SELECT that locks nothing and
 * changes nothing): the kind Citus plans on a local shard directly when its
 * app id is a constant (citus_fold.c).
 */
static bool
plan_only_reads(SPIPlanPtr plan)
{
	ListCell   *lc;

	foreach(lc, SPI_plan_get_plan_sources(plan))
	{
		CachedPlanSource *source = lfirst(lc);
		ListCell   *q;

		foreach(q, source->query_list)
		{
			Query	   *query = lfirst_node(Query, q);

			if (query->commandType != CMD_SELECT || query->hasModifyingCTE || query->rowMarks != NIL)
				return false;
		}
	}
	return true;
}

/*
 * A kept statement written for a shard group (citus_route.c): its plan,
 * prepared on first use and kept like the statement's own. A worker holds
 * a share of the groups and a backend serves a few apps, but nothing
 * bounds either, so the least recently used plan goes past a limit.
 */
#define ROUTED_MAX_KEPT 1024

typedef struct RoutedKey
{
	const KeptPlan *kp;
	int64		group;
} RoutedKey;

static KeptTable routed = {
	.name = "annotations routed plans",
	.keysize = sizeof(RoutedKey),
	.max = ROUTED_MAX_KEPT
};

/* An entry of a KeptTable: its key, then the plan and when it was last used. */
typedef struct KeptEntry
{
	SPIPlanPtr	plan;
	uint64		last_used;
} KeptEntry;

#define KEPT_ENTRY(t, e) ((KeptEntry *) ((char *) (e) + MAXALIGN((t)->keysize)))

static void
kept_table_init(KeptTable *t)
{
	HASHCTL		ctl;

	if (t->hash != NULL)
		return;
	ctl.keysize = t->keysize;
	ctl.entrysize = MAXALIGN(t->keysize) + sizeof(KeptEntry);
	ctl.hcxt = TopMemoryContext;
	t->hash = hash_create(t->name, t->max, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
}

/* The plan kept for key, or NULL (the key zero-filled past its fields). */
SPIPlanPtr
kept_table_find(KeptTable *t, const void *key)
{
	void	   *e;

	kept_table_init(t);
	e = hash_search(t->hash, key, HASH_FIND, NULL);
	if (e == NULL)
		return NULL;
	KEPT_ENTRY(t, e)->last_used = ++t->clock;
	return KEPT_ENTRY(t, e)->plan;
}

/* Drops the least recently used plan of a full table. */
static void
kept_table_forget_oldest(KeptTable *t)
{
	HASH_SEQ_STATUS scan;
	void	   *e;
	void	   *oldest = NULL;

	hash_seq_init(&scan, t->hash);
	while ((e = hash_seq_search(&scan)) != NULL)
		if (oldest == NULL || KEPT_ENTRY(t, e)->last_used < KEPT_ENTRY(t, oldest)->last_used)
			oldest = e;
	if (oldest != NULL)
	{
		SPIPlanPtr	plan = KEPT_ENTRY(t, oldest)->plan;

		/* an entry begins with its key */
		hash_search(t->hash, oldest, HASH_REMOVE, NULL);
		SPI_freeplan(plan);
	}
}

/*
 * Keeps a plan just prepared for key (not yet in the table) and returns
 * it; kept before it is entered, so an error leaves no entry.
 */
SPIPlanPtr
kept_table_keep(KeptTable *t, const void *key, SPIPlanPtr plan)
{
	void	   *e;

	kept_table_init(t);
	if (plan == NULL)
		elog(ERROR, "could not prepare a statement of the store: %s",
			 SPI_result_code_string(SPI_result));
	if (SPI_keepplan(plan) != 0)
		elog(ERROR, "could not keep a statement of the store");
	if (hash_get_num_entries(t->hash) >= t->max)
		kept_table_forget_oldest(t);
	e = hash_search(t->hash, key, HASH_ENTER, NULL);
	KEPT_ENTRY(t, e)->plan = plan;
	KEPT_ENTRY(t, e)->last_used = ++t->clock;
	return plan;
}

static SPIPlanPtr
routed_plan(KeptPlan *kp, int64 group)
{
	RoutedKey	key;
	SPIPlanPtr	plan;

	memset(&key, 0, sizeof(key));
	key.kp = kp;
	key.group = group;
	plan = kept_table_find(&routed, &key);
	if (plan != NULL)
		return plan;
	return kept_table_keep(&routed, &key,
						   SPI_prepare_cursor(route_sql(kp->sql), kp->nargs, kp->argtypes,
											  kp->generic ? CURSOR_OPT_GENERIC_PLAN : 0));
}

/*
 * A kept statement's plan, prepared on first use. Where Citus runs, a
 * statement that only reads, or one marked fold, is planned at every call
 * for its values (and written with them, see kept_run); the others are
 * left to the plan cache as on one server. During a call whose app's
 * shards are all on this node, the statement written for them instead,
 * kept as on one server.
 */
SPIPlanPtr
kept_plan(KeptPlan *kp)
{
	int64		group = route_group();

	if (group != 0)
		return routed_plan(kp, group);
	if (kp->plan == NULL)
	{
		SPIPlanPtr	plan = prepare(kp, kp->generic ? CURSOR_OPT_GENERIC_PLAN : 0);

		if (kept_on_citus() && (kp->fold || plan_only_reads(plan)))
		{
			SPI_freeplan(plan);
			plan = prepare(kp, CURSOR_OPT_CUSTOM_PLAN);
		}
		if (SPI_keepplan(plan) != 0)
			elog(ERROR, "could not keep a statement of the store");
		kp->plan = plan;
	}
	return kp->plan;
}

/* Runs a kept statement; returns the SPI result code (errors raise). */
int
kept_execute(KeptPlan *kp, Datum *values, const char *nulls, bool read_only, long count)
{
	SPIPlanPtr	plan = kept_plan(kp);
	int			rc;

	if (kp->fold && kept_via_citus())
		citus_fold_next_plan();
	rc = kept_run(plan, values, nulls, read_only, count);

	if (rc < 0)
		elog(ERROR, "a statement of the store failed: %s", SPI_result_code_string(rc));
	return rc;
}

/*
 * Runs a plan kept by the store (SPI_execute_plan's result). Where Citus
 * runs, a statement that only reads is planned for these values, which are
 * written into it first (citus_fold.c says why): such a plan is always
 * made anew, so the request is taken by this statement's planning.
 */
int
kept_run(SPIPlanPtr plan, Datum *values, const char *nulls, bool read_only, long count)
{
	if (kept_via_citus() && plan_only_reads(plan))
		citus_fold_next_plan();
	return SPI_execute_plan(plan, values, nulls, read_only, count);
}

/*
 * The plan-cache option for statements kept with SPI_prepare_cursor: one
 * generic plan, so a hot call plans nothing, except where Citus is
 * installed and the statements go through it. Citus routes a statement
 * that joins its tables only once it sees the app id, and plans a
 * one-table statement on the local shard directly only when the app id is
 * a constant, so there each call is planned for its values.
 */
int
kept_cursor_options(void)
{
	return kept_via_citus() ? CURSOR_OPT_CUSTOM_PLAN : CURSOR_OPT_GENERIC_PLAN;
}

/*
 * Whether Citus is installed in this database. Every statement a call runs
 * asks, so the answer must cost next to nothing: CREATE EXTENSION citus
 * makes its catalog pg_dist_partition, and a look-up of that name in the
 * catalog cache is a hash probe, kept current by invalidation messages
 * (pg_extension, which names the extension, has no such cache and is read
 * from its index each time).
 */
bool
kept_on_citus(void)
{
	return OidIsValid(get_relname_relid("pg_dist_partition", PG_CATALOG_NAMESPACE));
}

/*
 * Whether the store's statements go through Citus's planner: where Citus
 * is installed, except during a call whose app's shards the statements
 * name themselves (citus_route.c), which PostgreSQL plans as on one server.
 */
bool
kept_via_citus(void)
{
	return route_group() == 0 && kept_on_citus();
}

/*
 * Where statements go through Citus: the position (from 0) of the first id of a
 * batch that is already taken, found by kp (its first column is the
 * 1-based position of each taken id), or -1; elsewhere always -1, without
 * a query. Citus miscounts the rows of an INSERT ... ON CONFLICT DO
 * NOTHING RETURNING that skipped some ("consistency check on SPI tuple
 * count failed"), so on a cluster a taken id is looked for before the
 * insert (which lets a post of annotations insert there without ON
 * CONFLICT at all); on one server the insert itself finds it, for free.
 */
int
kept_first_taken(KeptPlan *kp, Datum *values)
{
	bool		isnull;

	if (!kept_via_citus())
		return -1;
	kept_execute(kp, values, NULL, true, 1);
	if (SPI_processed == 0)
		return -1;
	return (int) DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull)) - 1;
}
