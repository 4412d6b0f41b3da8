/*
 * lifecycle.c — what happens to the data when the extension goes away.
 *
 * The tables belong to the extension, so DROP EXTENSION annotations (or
 * DROP SCHEMA annotations CASCADE) would take every app, input and
 * annotation with it in one keystroke. An event trigger fires before either
 * command runs and refuses it while the store holds data, unless the session
 * has confirmed with SET annotations.confirm_drop = on. An empty store drops
 * without ceremony.
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_extension.h"
#include "commands/event_trigger.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "nodes/parsenodes.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/guc.h"

#include "lifecycle.h"

/* SET annotations.confirm_drop = on lets the next drop of a non-empty store through */
static bool confirm_drop = false;

void
lifecycle_define_settings(void)
{
	DefineCustomBoolVariable("annotations.confirm_drop",
							 "Allows DROP EXTENSION annotations while the store still holds data.",
							 "Dropping the extension deletes every app, input and annotation; "
							 "export first, then set this in the session that drops it.",
							 &confirm_drop,
							 false,
							 PGC_USERSET,
							 0,
							 NULL, NULL, NULL);
}

/* Does a DROP of this kind and these names reach the extension's data? */
static bool
drop_reaches_store(DropStmt *stmt)
{
	ListCell   *lc;

	if (stmt->removeType != OBJECT_EXTENSION && stmt->removeType != OBJECT_SCHEMA)
		return false;
	foreach(lc, stmt->objects)
	{
		Node	   *name = (Node *) lfirst(lc);

		if (IsA(name, String) && strcmp(strVal(name), "annotations") == 0)
			return true;
	}
	return false;
}

/* How many rows a table of the store holds (read as the extension's owner). */
static int64
count_rows(const char *table)
{
	char		sql[128];
	bool		isnull;
	Datum		n;

	snprintf(sql, sizeof(sql), "SELECT pg_catalog.count(*) FROM annotations.%s", table);
	if (SPI_execute(sql, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "could not count the rows of annotations.%s", table);
	n = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	return isnull ? 0 : DatumGetInt64(n);
}

/*
 * On a Citus coordinator, the shards of the distributed tables, which live
 * on the workers and are not members of the extension there, are dropped
 * before the extension: Citus sends DROP EXTENSION on to the workers, where
 * the shards' columns of the extension's types would refuse it and leave
 * every shard behind. Called only once the drop is allowed.
 */
static void
drop_shards_first(void)
{
	bool		isnull;

	if (!OidIsValid(get_extension_oid("citus", true)))
		return;
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	/* the workers run the same trigger for the DROP Citus sends them */
	if (SPI_execute("SELECT pg_catalog.citus_is_coordinator()", true, 1) != SPI_OK_SELECT ||
		SPI_processed != 1)
		elog(ERROR, "could not ask Citus whether this node is its coordinator");
	if (DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull)))
	{
		/*
		 * What shard moves left on their source workers for a deferred
		 * drop; Citus does that only outside a transaction block (inside
		 * one, run citus_cleanup_orphaned_resources() first).
		 */
		if (!IsTransactionBlock() &&
			SPI_execute("CALL pg_catalog.citus_cleanup_orphaned_resources()", false, 0) < 0)
			elog(ERROR, "could not drop the shards that moves left behind");
		if (SPI_execute("SELECT pg_catalog.citus_drop_all_shards(p.logicalrelid, 'annotations', c.relname)"
						"  FROM pg_catalog.pg_dist_partition p"
						"  JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) p.logicalrelid"
						" WHERE c.relnamespace OPERATOR(pg_catalog.=) 'annotations'::pg_catalog.regnamespace",
						false, 0) != SPI_OK_SELECT)
			elog(ERROR, "could not drop the shards of the store");
	}
	SPI_finish();
}

PG_FUNCTION_INFO_V1(annotations_guard_drop);

/*
 * Event trigger on ddl_command_start for DROP EXTENSION and DROP SCHEMA:
 * refuses to drop a store that still holds data unless confirmed.
 */
Datum
annotations_guard_drop(PG_FUNCTION_ARGS)
{
	EventTriggerData *trigdata;
	Oid			extension;
	int64		apps,
				inputs,
				annotations;

	if (!CALLED_AS_EVENT_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("annotations._guard_drop() must be fired as an event trigger")));
	trigdata = (EventTriggerData *) fcinfo->context;
	if (trigdata->parsetree == NULL || !IsA(trigdata->parsetree, DropStmt) ||
		!drop_reaches_store((DropStmt *) trigdata->parsetree))
		PG_RETURN_VOID();

	/*
	 * Only the extension's owner may drop it; anyone else gets PostgreSQL's
	 * own refusal a moment later, so count nothing on their behalf.
	 */
	extension = get_extension_oid("annotations", true);
	if (!OidIsValid(extension) || !pg_extension_ownercheck(extension, GetUserId()))
		PG_RETURN_VOID();
	if (confirm_drop)
	{
		drop_shards_first();
		PG_RETURN_VOID();
	}

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	apps = count_rows("apps");
	inputs = count_rows("inputs");
	annotations = count_rows("annotations");
	SPI_finish();

	if (apps + inputs + annotations > 0)
		ereport(ERROR,
				(errcode(ERRCODE_DEPENDENT_OBJECTS_STILL_EXIST),
				 errmsg("extension \"annotations\" still holds data"),
				 errdetail("The store holds apps: " INT64_FORMAT ", inputs: " INT64_FORMAT
						   ", annotations: " INT64_FORMAT "; dropping the extension deletes them all.",
						   apps, inputs, annotations),
				 errhint("Export what you want to keep first (pg_dump --data-only --schema=annotations, "
						 "or annotations.export_coco(app_id) per app), then SET annotations.confirm_drop = on "
						 "and drop again.")));
	drop_shards_first();
	PG_RETURN_VOID();
}
