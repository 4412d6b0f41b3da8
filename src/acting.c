/*
 * acting.c — who is calling, what they may do in an app, and the switch to
 * the store's own rights.
 *
 * Every API function starts by capturing the acting user (current_user)
 * and then does its table work with the rights of the role that owns the
 * store's tables, as PostgreSQL's own foreign-key checks do: the tables
 * need no privileges or row-level security for other roles, and what a
 * caller may see and change is decided here, once, by one rule:
 *
 *   the owner of an app may do anything in it (superusers and BYPASSRLS
 *   roles are the owner of every app); a collaborator may read the app and
 *   change the rows they wrote; to anyone else the app does not exist.
 *
 * The switch is undone by acting_end, and by PostgreSQL itself when the
 * call fails (transaction and subtransaction abort restore the user).
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"

#include "acting.h"
#include "json_read.h"
#include "plans.h"

/* The role that owns the store's tables: the table work runs as it. */
static Oid
store_owner(void)
{
	Oid			nsp = get_namespace_oid("annotations", false);
	Oid			rel = get_relname_relid("apps", nsp);
	HeapTuple	tup;
	Oid			owner;

	if (!OidIsValid(rel))
		elog(ERROR, "table annotations.apps does not exist");
	tup = SearchSysCache1(RELOID, ObjectIdGetDatum(rel));
	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for relation %u", rel);
	owner = ((Form_pg_class) GETSTRUCT(tup))->relowner;
	ReleaseSysCache(tup);
	return owner;
}

/* Captures the caller and switches to the store owner's rights. */
void
acting_begin(Acting *acting)
{
	acting->user_oid = GetUserId();
	acting->user_name = GetUserNameFromId(acting->user_oid, false);
	acting->sees_all = superuser_arg(acting->user_oid) || has_bypassrls_privilege(acting->user_oid);
	acting->by_name = kept_on_citus();
	acting->routed = false;
	GetUserIdAndSecContext(&acting->saved_user, &acting->saved_context);
	SetUserIdAndSecContext(store_owner(), acting->saved_context | SECURITY_LOCAL_USERID_CHANGE);
	acting->switched = true;
}

/* Connects to SPI, for the table work of a call. */
void
acting_connect(void)
{
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
}

/*
 * The start of an API call about one app: the caller captured, the store
 * owner's rights, SPI connected, and the caller's standing in the app known
 * (P0002 for a stranger). acting_leave ends it.
 */
void
acting_enter(Acting *acting, const char *app_id, AppAccess *access)
{
	acting_begin(acting);
	acting_connect();
	acting_app(acting, app_id, access);
}

/* The same for a call only the app's owner may make (42501 for others). */
void
acting_enter_owner(Acting *acting, const char *app_id, AppAccess *access,
				   const char *doing, const char *rule)
{
	acting_begin(acting);
	acting_connect();
	acting_require_owner(acting, app_id, access, doing, rule);
}

/* The end of an API call: SPI released, the caller's rights back. */
void
acting_leave(Acting *acting)
{
	SPI_finish();
	acting_end(acting);
}

/* Back to the caller's rights. */
void
acting_end(Acting *acting)
{
	if (acting->switched)
		SetUserIdAndSecContext(acting->saved_user, acting->saved_context);
	acting->switched = false;
	if (acting->routed)
		route_leave(&acting->saved_route);
	acting->routed = false;
}

/*
 * A role is an app's owner or collaborator while both its name and its oid
 * match what was stored when it was given the app: a role dropped and
 * created again under the same name is somebody else, and a dump restored
 * into another cluster, where the oids differ, grants nothing until the
 * apps are handed to their roles there (transfer_app).
 *
 * Where Citus is installed a role has another oid on every node (Citus
 * creates it on each), and an app's rows are read on whichever node holds
 * them now, so there the name alone identifies the role: the caller's oid
 * travels as NULL.
 */
void
acting_identity_arg(const Acting *acting, Datum *value, char *null)
{
	*value = ObjectIdGetDatum(acting->user_oid);
	*null = acting->by_name ? 'n' : ' ';
}

/*
 * The app and whether the caller owns it; whether the caller collaborates
 * is asked only of those who do not own it. Each statement reads one table
 * by its app id, the kind Citus plans on the app's shard directly.
 */
static KeptPlan app_lookup = {
	.sql = "SELECT a.owner_id, a.owner_id = $2 AND ($3 IS NULL OR a.owner_oid = $3), a.created_at"
	"  FROM annotations.apps a WHERE a.id = $1",
	.nargs = 3,
	.argtypes = {TEXTOID, TEXTOID, OIDOID}
};

static KeptPlan collaborator_lookup = {
	.sql = "SELECT 1 FROM annotations.collaborators c"
	" WHERE c.app_id = $1 AND c.user_id = $2 AND ($3 IS NULL OR c.user_oid = $3)",
	.nargs = 3,
	.argtypes = {TEXTOID, TEXTOID, OIDOID}
};

/*
 * The acting user's standing in an app (SPI connected, store rights). An
 * app the user may not see does not exist to them: P0002, as for a missing
 * one. Where Citus holds the app's shards on this node, the call's
 * statements name them from here on (citus_route.c), until acting_end.
 */
void
acting_app(Acting *acting, const char *app_id, AppAccess *access)
{
	Datum		values[3];
	char		nulls[3] = {' ', ' ', ' '};
	bool		isnull;

	jr_check_id(app_id, "app_id");
	if (!acting->routed)
		route_enter(app_id, &acting->saved_route);
	acting->routed = true;
	values[0] = CStringGetTextDatum(app_id);
	values[1] = CStringGetTextDatum(acting->user_name);
	acting_identity_arg(acting, &values[2], &nulls[2]);
	kept_execute(&app_lookup, values, nulls, true, 1);
	if (SPI_processed == 1)
	{
		HeapTuple	tup = SPI_tuptable->vals[0];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		char	   *owner = TextDatumGetCString(SPI_getbinval(tup, desc, 1, &isnull));
		Datum		is_owner = SPI_getbinval(tup, desc, 2, &isnull);
		bool		owner_matches = !isnull && DatumGetBool(is_owner);

		access->app_id = app_id;
		access->owner_id = owner;
		access->created_at = DatumGetTimestampTz(SPI_getbinval(tup, desc, 3, &isnull));
		if (acting->sees_all || owner_matches)
		{
			access->role = APP_ROLE_OWNER;
			return;
		}
		kept_execute(&collaborator_lookup, values, nulls, true, 1);
		if (SPI_processed == 1)
		{
			access->role = APP_ROLE_COLLABORATOR;
			return;
		}
	}
	ereport(ERROR,
			(errcode(ERRCODE_NO_DATA_FOUND),
			 errmsg("app \"%s\" not found", app_id),
			 errhint("An app exists only for its owner and its collaborators.")));
}

/* 42501 unless the acting user owns the app (P0002 when it is not visible). */
void
acting_require_owner(Acting *acting, const char *app_id, AppAccess *access,
					 const char *doing, const char *rule)
{
	acting_app(acting, app_id, access);
	if (access->role != APP_ROLE_OWNER)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to %s app \"%s\"", doing, app_id),
				 errdetail("%s", rule)));
}

/*
 * The one rule for changing a row of an app: the owner may change any, a
 * collaborator only the rows they wrote.
 */
bool
acting_may_change(const Acting *acting, const AppAccess *access, const char *author)
{
	if (access->role == APP_ROLE_OWNER)
		return true;
	return author != NULL && strcmp(author, acting->user_name) == 0;
}
