/*
 * citus_route.c — a call's statements run on the app's shards directly,
 * where Citus keeps them on this node.
 *
 * A call Citus delegates to the worker holding the app runs its statements
 * there, and each went through Citus's planner at every execution: found
 * to be about one shard, written for it and planned again by PostgreSQL
 * (Citus 13.2 keeps no plan for a statement whose app id is a parameter).
 * For the small reads that planning cost more than the reading. The
 * store's statements read one app, and every table is distributed by app
 * in one co-location group, so while the call lasts they can name the
 * app's shard tables themselves: PostgreSQL plans them as on one server,
 * and the plans are kept per shard group like any other.
 *
 * That is only right while the shards stay here. Citus's executor takes a
 * share lock on the group's placement metadata before it writes to a
 * shard, and a shard move takes that lock exclusively before it switches
 * the placements over; the route takes the same lock and only then checks
 * that every table's shard is placed on this node, so a move either waits
 * for the call or has finished before it (and then the call goes through
 * Citus, which sends it on). Anything else (Citus absent, the store not
 * distributed, a shard elsewhere) leaves the statements as they are.
 *
 * What the route needs to know (the app's shard group, whether the group
 * is placed here) is read from Citus's catalog once and remembered by the
 * backend until Citus's metadata changes: every change of a placement or
 * shard row makes Citus invalidate the distributed table's relcache entry,
 * on the node whose catalog changed, before the changing transaction lets
 * go of its locks. So a call takes the placement lock, then reads the
 * invalidations that arrived, and only then trusts what it remembers.
 *
 * The catalog is read as it is at the moment of reading, not as the
 * call's snapshot shows it. That snapshot was taken when the client's
 * statement began, and a call that then waited for the lock while a move
 * switched the placements would read them as they were before the move:
 * "all here" on the worker the move has just left, so its writes would go
 * into the shard tables left behind there (dropped later as orphans, with
 * what was written into them), and the backend would remember "all here"
 * until the next change of Citus's metadata. A change whose invalidation
 * has arrived is committed, so a fresh read sees it.
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_namespace.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "storage/lock.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"

#include "citus_route.h"
#include "plans.h"

/* The store's tables, all distributed by app in one co-location group. */
static const char *const route_tables[] = {
	"apps", "collaborators", "inputs", "annotations", "regions", "concepts"
};
#define ROUTE_NTABLES lengthof(route_tables)

StaticAssertDecl(ROUTE_NTABLES == lengthof(((ShardRoute *) NULL)->shards),
				 "ShardRoute holds one shard per table of the store");

/*
 * Citus's lock tag on the placement metadata of co-located shards (its
 * resource_lock.h): an advisory tag of class 8 holding the shard's index
 * in its table and the co-location group.
 */
#define CITUS_COLOCATED_SHARDS_METADATA_CLASS 8

/* A shard group as this backend knows it (valid for one generation). */
typedef struct ShardGroup
{
	int64		group;			/* hash key: the apps table's shard */
	uint64		generation;
	bool		complete;		/* every table of the store has a shard in it */
	int64		shards[ROUTE_NTABLES];
	int32		shard_index;
	int32		colocation;
	uint64		placed_generation;	/* when placed_here was read (0: never) */
	bool		placed_here;
} ShardGroup;

/* The shard group of an app (valid for one generation; group 0: none). */
#define APP_KEY_SIZE 1024
typedef struct AppGroup
{
	char		app_id[APP_KEY_SIZE];	/* hash key */
	uint64		generation;
	int64		group;
} AppGroup;

/* A backend remembers this many apps' groups, then starts afresh. */
#define ROUTE_MAX_APPS 1024

static HTAB *groups = NULL;
static HTAB *app_groups = NULL;

/*
 * What is remembered holds while the generation stays: it moves on with
 * every invalidation of a table of the store or of Citus's catalog that
 * says where shards are (or of every relation).
 */
static uint64 generation = 1;
static Oid	watched[ROUTE_NTABLES + 5];
static int	nwatched = 0;
static uint64 watched_generation = 0;	/* when watched was looked up (0: never) */
static bool callback_registered = false;

/* The route of the call now running (group 0: none). */
static ShardRoute current;

/* The apps table's shard for an app, where the store is distributed. */
static SPIPlanPtr group_of_app = NULL;
static const char *const group_of_app_sql =
	"SELECT pg_catalog.get_shard_id_for_distribution_column($2::pg_catalog.regclass, $1)"
	"  FROM pg_catalog.pg_dist_partition p WHERE p.logicalrelid = $2::pg_catalog.regclass";

/*
 * The shards co-located with one of the apps table's: same hash range, same
 * co-location group, with each table's name, the group, and the shard's
 * index among its table's shards (ordered by range, as Citus numbers them).
 */
static SPIPlanPtr group_members = NULL;
static const char *const group_members_sql =
	"SELECT c.relname::pg_catalog.text, o.shardid, p.colocationid,"
	"       (SELECT pg_catalog.count(*) FROM pg_catalog.pg_dist_shard x"
	"         WHERE x.logicalrelid = a.logicalrelid"
	"           AND x.shardminvalue::pg_catalog.int4 < a.shardminvalue::pg_catalog.int4)"
	"  FROM pg_catalog.pg_dist_shard a"
	"  JOIN pg_catalog.pg_dist_partition p ON p.logicalrelid = a.logicalrelid"
	"  JOIN pg_catalog.pg_dist_partition q ON q.colocationid = p.colocationid"
	"  JOIN pg_catalog.pg_dist_shard o ON o.logicalrelid = q.logicalrelid"
	"   AND o.shardminvalue = a.shardminvalue AND o.shardmaxvalue = a.shardmaxvalue"
	"  JOIN pg_catalog.pg_class c ON c.oid = o.logicalrelid"
	" WHERE a.shardid = $1 AND c.relnamespace = $2";

/* How many of the shards are placed on this node. */
static SPIPlanPtr placed_here = NULL;
static const char *const placed_here_sql =
	"SELECT pg_catalog.count(*) FROM pg_catalog.pg_dist_placement p"
	" WHERE p.shardid = ANY ($1) AND p.shardstate = 1"
	"   AND p.groupid = (SELECT l.groupid FROM pg_catalog.pg_dist_local_group l)";

static SPIPlanPtr
catalog_plan(SPIPlanPtr *plan, const char *sql, int nargs, Oid *argtypes)
{
	if (*plan == NULL)
	{
		SPIPlanPtr	p = SPI_prepare_cursor(sql, nargs, argtypes, CURSOR_OPT_GENERIC_PLAN);

		if (p == NULL || SPI_keepplan(p) != 0)
			elog(ERROR, "could not prepare a look-up of Citus's shards: %s",
				 SPI_result_code_string(SPI_result));
		*plan = p;
	}
	return *plan;
}

/*
 * Runs a look-up of Citus's catalog (read-only) with a snapshot taken now:
 * see the head of this file for why not the call's own.
 */
static void
catalog_read(SPIPlanPtr plan, Datum *args, long count, const char *what)
{
	if (SPI_execute_snapshot(plan, args, NULL, GetLatestSnapshot(), InvalidSnapshot,
							 true, false, count) != SPI_OK_SELECT)
		elog(ERROR, "could not read Citus's %s", what);
}

/* One int8 from a look-up's only row; false when there is none (or NULL). */
static bool
single_int8(int64 *out)
{
	Datum		d;
	bool		isnull;

	if (SPI_processed != 1)
		return false;
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	if (isnull)
		return false;
	*out = DatumGetInt64(d);
	return true;
}

static int
table_position(const char *relname)
{
	for (int t = 0; t < (int) ROUTE_NTABLES; t++)
		if (strcmp(route_tables[t], relname) == 0)
			return t;
	return -1;
}

/*
 * The group of the apps table's shard, learnt from Citus's catalog on
 * first use; NULL when some table of the store has no shard in it.
 */
static ShardGroup *
shard_group(int64 apps_shard, Oid nsp)
{
	ShardGroup *g;
	ShardGroup	found;
	bool		seen[ROUTE_NTABLES] = {false};
	Oid			types[2] = {INT8OID, OIDOID};
	Datum		args[2] = {Int64GetDatum(apps_shard), ObjectIdGetDatum(nsp)};
	bool		isnull;

	if (groups == NULL)
	{
		HASHCTL		ctl;

		ctl.keysize = sizeof(int64);
		ctl.entrysize = sizeof(ShardGroup);
		ctl.hcxt = TopMemoryContext;
		groups = hash_create("annotations shard groups", 64, &ctl,
							 HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	}
	g = hash_search(groups, &apps_shard, HASH_FIND, NULL);
	if (g != NULL && g->generation == generation)
		return g->complete ? g : NULL;

	catalog_read(catalog_plan(&group_members, group_members_sql, 2, types), args, 0, "shards");
	memset(&found, 0, sizeof(found));
	found.group = apps_shard;
	found.generation = generation;
	for (uint64 k = 0; k < SPI_processed; k++)
	{
		HeapTuple	tup = SPI_tuptable->vals[k];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		char	   *relname = TextDatumGetCString(SPI_getbinval(tup, desc, 1, &isnull));
		int			t = table_position(relname);

		if (t < 0)
			continue;
		if (seen[t])
			break;				/* two shards of a table in one range: a split under way */
		seen[t] = true;
		found.shards[t] = DatumGetInt64(SPI_getbinval(tup, desc, 2, &isnull));
		found.colocation = DatumGetInt32(SPI_getbinval(tup, desc, 3, &isnull));
		found.shard_index = (int32) DatumGetInt64(SPI_getbinval(tup, desc, 4, &isnull));
	}
	found.complete = SPI_processed == ROUTE_NTABLES;
	for (int t = 0; t < (int) ROUTE_NTABLES; t++)
		found.complete &= seen[t];
	g = hash_search(groups, &apps_shard, HASH_ENTER, NULL);
	*g = found;
	return g->complete ? g : NULL;
}

/* Waits for a shard move of the group to finish, or holds it off. */
static void
lock_placements(const ShardGroup *g)
{
	LOCKTAG		tag;

	SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, (uint32) g->shard_index, (uint32) g->colocation,
						 CITUS_COLOCATED_SHARDS_METADATA_CLASS);
	(void) LockAcquire(&tag, ShareLock, false, false);
}

static bool
all_placed_here(const ShardGroup *g)
{
	Datum		elems[ROUTE_NTABLES];
	Oid			type = INT8ARRAYOID;
	Datum		arg;
	int64		n;

	for (int t = 0; t < (int) ROUTE_NTABLES; t++)
		elems[t] = Int64GetDatum(g->shards[t]);
	arg = PointerGetDatum(construct_array(elems, ROUTE_NTABLES, INT8OID, sizeof(int64),
										  FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	catalog_read(catalog_plan(&placed_here, placed_here_sql, 1, &type), &arg, 1, "placements");
	return single_int8(&n) && n == (int64) ROUTE_NTABLES;
}

static void
route_invalidate(Datum arg, Oid relid)
{
	if (!OidIsValid(relid))
	{
		generation++;
		return;
	}
	for (int k = 0; k < nwatched; k++)
		if (watched[k] == relid)
		{
			generation++;
			return;
		}
}

/*
 * The relations whose invalidation ends what is remembered: the store's
 * tables (Citus invalidates a distributed table when its shards or their
 * placements change) and the catalogs themselves. Looked up again in
 * each new generation: a table dropped and created again has a new oid,
 * and the drop's invalidation of the old one starts a new generation.
 */
static void
watch(Oid nsp)
{
	static const char *const catalogs[] = {
		"pg_dist_placement", "pg_dist_shard", "pg_dist_partition", "pg_dist_local_group", "pg_dist_node"
	};

	if (!callback_registered)
	{
		CacheRegisterRelcacheCallback(route_invalidate, (Datum) 0);
		callback_registered = true;
	}
	nwatched = 0;
	for (int t = 0; t < (int) ROUTE_NTABLES; t++)
		watched[nwatched++] = get_relname_relid(route_tables[t], nsp);
	for (int c = 0; c < (int) lengthof(catalogs); c++)
		watched[nwatched++] = get_relname_relid(catalogs[c], PG_CATALOG_NAMESPACE);
}

/*
 * The apps table's shard for app_id, or 0 where the store is not
 * distributed; remembered for the generation.
 */
static int64
app_group(const char *app_id, Oid nsp)
{
	char		key[APP_KEY_SIZE];
	AppGroup   *a;
	Oid			types[2] = {TEXTOID, OIDOID};
	Datum		args[2];
	Oid			apps = get_relname_relid("apps", nsp);
	int64		group = 0;

	if (strlen(app_id) >= APP_KEY_SIZE || !OidIsValid(apps))
		return 0;
	if (app_groups == NULL || hash_get_num_entries(app_groups) >= ROUTE_MAX_APPS)
	{
		HASHCTL		ctl;

		if (app_groups != NULL)
			hash_destroy(app_groups);
		ctl.keysize = APP_KEY_SIZE;
		ctl.entrysize = sizeof(AppGroup);
		ctl.hcxt = TopMemoryContext;
		app_groups = hash_create("annotations app shard groups", 64, &ctl,
								 HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);
	}
	memset(key, 0, sizeof(key));
	strlcpy(key, app_id, sizeof(key));
	a = hash_search(app_groups, key, HASH_FIND, NULL);
	if (a != NULL && a->generation == generation)
		return a->group;

	args[0] = CStringGetTextDatum(app_id);
	args[1] = ObjectIdGetDatum(apps);
	catalog_read(catalog_plan(&group_of_app, group_of_app_sql, 2, types), args, 1, "shards");
	if (!single_int8(&group))
		group = 0;
	a = hash_search(app_groups, key, HASH_ENTER, NULL);
	a->generation = generation;
	a->group = group;
	return group;
}

/*
 * Whether Citus runs a statement on a shard of this node in this session,
 * as the route does: with citus.enable_local_execution off it connects to
 * this node instead, and such a statement of the call (one the store does
 * not keep, as export's) would not see what the route wrote before it.
 */
static bool
citus_executes_locally(void)
{
	const char *setting = GetConfigOption("citus.enable_local_execution", true, false);

	return setting != NULL && strcmp(setting, "on") == 0;
}

/*
 * The route of a call about app_id (SPI connected): the app's shards when
 * Citus holds all of them on this node, else none. The route in force
 * before is kept in saved, for route_leave.
 */
void
route_enter(const char *app_id, ShardRoute *saved)
{
	Oid			nsp;

	*saved = current;
	memset(&current, 0, sizeof(current));
	if (!kept_on_citus() || !citus_executes_locally())
		return;
	nsp = get_namespace_oid("annotations", false);

	/*
	 * What is remembered may have gone stale before the lock was taken:
	 * then once more under the lock (a split may have made another group).
	 */
	for (int attempt = 0; attempt < 3; attempt++)
	{
		uint64		seen = generation;
		int64		group;
		ShardGroup *g;

		if (watched_generation != generation)
		{
			watch(nsp);
			watched_generation = generation;
		}
		group = app_group(app_id, nsp);
		if (group == 0)
			return;
		g = shard_group(group, nsp);
		if (g == NULL)
			return;
		lock_placements(g);
		AcceptInvalidationMessages();
		if (generation != seen)
			continue;
		if (g->placed_generation != generation)
		{
			g->placed_here = all_placed_here(g);
			g->placed_generation = generation;
		}
		if (!g->placed_here)
			return;
		current.group = g->group;
		memcpy(current.shards, g->shards, sizeof(current.shards));
		elog(DEBUG2, "annotations: statements of app \"%s\" run on its local shard group " INT64_FORMAT,
			 app_id, g->group);
		return;
	}
}

/* The end of a call: the route before it is back in force. */
void
route_leave(const ShardRoute *saved)
{
	current = *saved;
}

/* The shard group statements are written for now, or 0. */
int64
route_group(void)
{
	return current.group;
}

/* A table's name as the current route has it (no route: the table's). */
const char *
route_relname(const char *table)
{
	int			t = table_position(table);

	if (current.group == 0 || t < 0)
		return table;
	return psprintf("%s_" INT64_FORMAT, table, current.shards[t]);
}

static bool
ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		c == '_' || c == '$' || (unsigned char) c >= 0x80;
}

/*
 * A statement of the store written for the current route: each of the
 * store's tables, which every statement names as annotations.<table>,
 * becomes its shard (outside string literals).
 */
char *
route_sql(const char *sql)
{
	static const char schema[] = "annotations.";
	StringInfoData out;
	const char *p = sql;
	bool		quoted = false;

	initStringInfo(&out);
	while (*p)
	{
		if (*p == '\'')
			quoted = !quoted;
		if (!quoted && strncmp(p, schema, sizeof(schema) - 1) == 0 &&
			(p == sql || !ident_char(p[-1])))
		{
			const char *name = p + sizeof(schema) - 1;
			const char *end = name;
			int			t;

			while (ident_char(*end))
				end++;
			for (t = 0; t < (int) ROUTE_NTABLES; t++)
				if (strlen(route_tables[t]) == (size_t) (end - name) &&
					strncmp(route_tables[t], name, end - name) == 0)
					break;
			appendBinaryStringInfo(&out, p, end - p);
			if (t < (int) ROUTE_NTABLES)
				appendStringInfo(&out, "_" INT64_FORMAT, current.shards[t]);
			p = end;
			continue;
		}
		appendStringInfoChar(&out, *p++);
	}
	return out.data;
}

/* An error ends every call under way: no route outlives it. */
static void
route_xact_end(XactEvent event, void *arg)
{
	memset(&current, 0, sizeof(current));
}

static void
route_subxact_end(SubXactEvent event, SubTransactionId mySubid,
				  SubTransactionId parentSubid, void *arg)
{
	if (event == SUBXACT_EVENT_ABORT_SUB)
		memset(&current, 0, sizeof(current));
}

void
route_install(void)
{
	RegisterXactCallback(route_xact_end, NULL);
	RegisterSubXactCallback(route_subxact_end, NULL);
}
