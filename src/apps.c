/*
 * apps.c — apps and their collaborators: create_app, add_collaborator,
 * remove_collaborator.
 *
 * Like every API function these capture the acting user and write with
 * the store owner's rights (acting.c); who may create an app for whom and
 * who manages collaborators is decided here.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"

#include "acting.h"
#include "api.h"
#include "catalogue.h"
#include "json_read.h"
#include "plans.h"
#include "tablerow.h"

/* An app made for another role is not visible to its maker: read it back here. */
static KeptPlan insert_app = {
	.sql = "INSERT INTO annotations.apps AS a (id, owner_id, owner_oid) VALUES ($1, $2, $3)"
	" ON CONFLICT DO NOTHING"
	" RETURNING a.id, a.owner_id, a.created_at, a.owner_oid, a.closed_vocabulary, a.last_coco_id",
	.nargs = 3,
	.argtypes = {TEXTOID, TEXTOID, OIDOID}
};

/* where Citus is installed: the id looked for before the insert */
static KeptPlan taken_app = {
	.sql = "SELECT 1::bigint FROM annotations.apps a WHERE a.id = $1",
	.nargs = 1,
	.argtypes = {TEXTOID}
};

static void
app_taken(const char *app_id)
{
	ereport(ERROR,
			(errcode(ERRCODE_UNIQUE_VIOLATION),
			 errmsg("app \"%s\" already exists", app_id)));
}

static KeptPlan insert_collaborator = {
	.sql = "INSERT INTO annotations.collaborators AS c (app_id, user_id, owner_id, user_oid)"
	" VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
	.nargs = 4,
	.argtypes = {TEXTOID, TEXTOID, TEXTOID, OIDOID}
};

static KeptPlan delete_collaborator = {
	.sql = "DELETE FROM annotations.collaborators c WHERE c.app_id = $1 AND c.user_id = $2",
	.nargs = 2,
	.argtypes = {TEXTOID, TEXTOID}
};

/*
 * The role of that name, or InvalidOid. Ids may be longer than a role name
 * can be; such an id names no role (the catalog would compare only its
 * first NAMEDATALEN - 1 bytes).
 */
static Oid
role_named(const char *name)
{
	if (strlen(name) >= NAMEDATALEN)
		return InvalidOid;
	return get_role_oid(name, true);
}

/*
 * Whether the acting user may create an app owned by owner: themselves, a
 * role they are a member of (as pg_has_role(..., 'MEMBER') decides), or
 * anyone when they are a superuser.
 */
static bool
may_create_for(const Acting *acting, const char *owner)
{
	Oid			role;

	if (strcmp(owner, acting->user_name) == 0 || superuser_arg(acting->user_oid))
		return true;
	role = role_named(owner);
	return OidIsValid(role) && is_member_of_role(acting->user_oid, role);
}

PG_FUNCTION_INFO_V1(annotations_create_app);

/* create_app(id, owner_id): the new annotations.apps row. */
Datum
annotations_create_app(PG_FUNCTION_ARGS)
{
	char	   *app_id = api_text_arg(fcinfo, 0);
	char	   *owner_id = api_text_arg(fcinfo, 1);
	MemoryContext caller = CurrentMemoryContext;
	TupleDesc	desc = tablerow_result_type(fcinfo, "create_app");
	Acting		acting;
	Datum		args[3];
	HeapTuple	tup;
	Oid			owner_oid;

	jr_check_id(app_id, "id");
	jr_check_id(owner_id, "owner_id");
	acting_begin(&acting);
	if (!may_create_for(&acting, owner_id))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to create app \"%s\" for owner \"%s\"", app_id, owner_id),
				 errdetail("Only members of a role (or superusers) may create apps owned by it.")));
	owner_oid = role_named(owner_id);
	if (!OidIsValid(owner_oid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("role \"%s\" does not exist", owner_id)));
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	args[0] = CStringGetTextDatum(app_id);
	args[1] = CStringGetTextDatum(owner_id);
	args[2] = ObjectIdGetDatum(owner_oid);
	if (kept_first_taken(&taken_app, args) >= 0)
		app_taken(app_id);
	kept_execute(&insert_app, args, NULL, false, 0);
	if (SPI_processed != 1)
		app_taken(app_id);
	tup = tablerow_first(desc, "annotations.apps", caller);
	acting_leave(&acting);
	PG_RETURN_DATUM(HeapTupleGetDatum(tup));
}

PG_FUNCTION_INFO_V1(annotations_add_collaborator);

/*
 * add_collaborator(app_id, user_id): owner only. A collaborator is a role:
 * a name that is none would hand the app to whoever creates that role
 * later, so it is refused.
 */
Datum
annotations_add_collaborator(PG_FUNCTION_ARGS)
{
	char	   *app_id = api_text_arg(fcinfo, 0);
	char	   *user_id = api_text_arg(fcinfo, 1);
	Acting		acting;
	AppAccess	access;
	Datum		args[4];
	Oid			user_oid;

	jr_check_id(user_id, "user_id");
	acting_enter_owner(&acting, app_id, &access, "add a collaborator to",
						 "Only the app owner manages collaborators.");
	if (strcmp(access.owner_id, user_id) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("user \"%s\" owns app \"%s\" and cannot also be a collaborator",
						user_id, app_id)));
	user_oid = role_named(user_id);
	if (!OidIsValid(user_oid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("role \"%s\" does not exist", user_id)));
	args[0] = CStringGetTextDatum(app_id);
	args[1] = CStringGetTextDatum(user_id);
	args[2] = CStringGetTextDatum(access.owner_id);
	args[3] = ObjectIdGetDatum(user_oid);
	kept_execute(&insert_collaborator, args, NULL, false, 0);
	if (SPI_processed != 1)
		ereport(ERROR,
				(errcode(ERRCODE_UNIQUE_VIOLATION),
				 errmsg("user \"%s\" is already a collaborator of app \"%s\"", user_id, app_id)));
	acting_leave(&acting);
	PG_RETURN_VOID();
}

PG_FUNCTION_INFO_V1(annotations_remove_collaborator);

/*
 * remove_collaborator(app_id, user_id): owner only. Any name is removed,
 * also one whose role has been dropped since.
 */
Datum
annotations_remove_collaborator(PG_FUNCTION_ARGS)
{
	char	   *app_id = api_text_arg(fcinfo, 0);
	char	   *user_id = api_text_arg(fcinfo, 1);
	Acting		acting;
	AppAccess	access;
	Datum		args[2];

	jr_check_id(user_id, "user_id");
	acting_enter_owner(&acting, app_id, &access, "remove a collaborator from",
						 "Only the app owner manages collaborators.");
	args[0] = CStringGetTextDatum(app_id);
	args[1] = CStringGetTextDatum(user_id);
	kept_execute(&delete_collaborator, args, NULL, false, 0);
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("user \"%s\" is not a collaborator of app \"%s\"", user_id, app_id)));
	acting_leave(&acting);
	PG_RETURN_VOID();
}

static KeptPlan give_app = {
	.sql = "UPDATE annotations.apps a SET owner_id = $2, owner_oid = $3 WHERE a.id = $1"
	" RETURNING a.id, a.owner_id, a.created_at, a.owner_oid, a.closed_vocabulary, a.last_coco_id",
	.nargs = 3,
	.argtypes = {TEXTOID, TEXTOID, OIDOID}
};

/* the owner copied into each collaborator row follows the app */
static KeptPlan give_collaborators = {
	.sql = "UPDATE annotations.collaborators c SET owner_id = $2 WHERE c.app_id = $1",
	.nargs = 2,
	.argtypes = {TEXTOID, TEXTOID}
};

static KeptPlan drop_new_owner_membership = {
	.sql = "DELETE FROM annotations.collaborators c WHERE c.app_id = $1 AND c.user_id = $2",
	.nargs = 2,
	.argtypes = {TEXTOID, TEXTOID}
};

PG_FUNCTION_INFO_V1(annotations_transfer_app);

/*
 * transfer_app(app_id, owner_id): the owner (or a superuser) gives the app
 * to another role, which must exist; it stops being a collaborator if it
 * was one. A superuser also uses it to hand an app whose owning role was
 * dropped, or which was restored into another cluster, to its role there.
 */
Datum
annotations_transfer_app(PG_FUNCTION_ARGS)
{
	char	   *app_id = api_text_arg(fcinfo, 0);
	char	   *owner_id = api_text_arg(fcinfo, 1);
	MemoryContext caller = CurrentMemoryContext;
	TupleDesc	desc = tablerow_result_type(fcinfo, "transfer_app");
	Acting		acting;
	AppAccess	access;
	Datum		args[3];
	HeapTuple	tup;
	Oid			owner_oid;

	jr_check_id(owner_id, "owner_id");
	acting_enter_owner(&acting, app_id, &access, "transfer",
						 "Only the app owner (or a superuser) gives an app to another role.");
	owner_oid = role_named(owner_id);
	if (!OidIsValid(owner_oid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("role \"%s\" does not exist", owner_id)));
	args[0] = CStringGetTextDatum(app_id);
	args[1] = CStringGetTextDatum(owner_id);
	args[2] = ObjectIdGetDatum(owner_oid);
	kept_execute(&drop_new_owner_membership, args, NULL, false, 0);
	kept_execute(&give_app, args, NULL, false, 0);
	if (SPI_processed != 1)
		elog(ERROR, "app \"%s\" vanished while it was being transferred", app_id);
	tup = tablerow_first(desc, "annotations.apps", caller);
	kept_execute(&give_collaborators, args, NULL, false, 0);
	acting_leave(&acting);
	PG_RETURN_DATUM(HeapTupleGetDatum(tup));
}

static KeptPlan delete_app_plan = {
	.sql = "DELETE FROM annotations.apps a WHERE a.id = $1",
	.nargs = 1,
	.argtypes = {TEXTOID}
};

PG_FUNCTION_INFO_V1(annotations_delete_app);

/*
 * delete_app(app_id): owner only; the app goes with its collaborators,
 * inputs, annotations and regions (the foreign keys cascade).
 */
Datum
annotations_delete_app(PG_FUNCTION_ARGS)
{
	char	   *app_id = api_text_arg(fcinfo, 0);
	Acting		acting;
	AppAccess	access;
	Datum		args[1];

	acting_enter_owner(&acting, app_id, &access, "delete",
						 "Only the app owner deletes an app.");
	args[0] = CStringGetTextDatum(app_id);
	kept_execute(&delete_app_plan, args, NULL, false, 0);
	catalogue_forget();
	acting_leave(&acting);
	PG_RETURN_VOID();
}
