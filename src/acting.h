/*
 * acting.h — who is calling, what they may do in an app, and the switch to
 * the store's own rights for the table work of one API call.
 */
#ifndef ANNOTATIONS_ACTING_H
#define ANNOTATIONS_ACTING_H

#include "postgres.h"

#include "citus_route.h"

#include "datatype/timestamp.h"

/* The acting user's standing in one app. */
typedef enum AppRole
{
	APP_ROLE_OWNER,
	APP_ROLE_COLLABORATOR
} AppRole;

/*
 * One API call's caller, captured before the call switches to the store
 * owner's rights. Authors and owners are stored by role name.
 */
typedef struct Acting
{
	Oid			user_oid;		/* the role running the call (current_user) */
	char	   *user_name;
	bool		sees_all;		/* superuser or BYPASSRLS: owner of every app */
	bool		by_name;		/* roles known by name alone (Citus: oids differ per node) */
	Oid			saved_user;		/* restored by acting_end */
	int			saved_context;
	bool		switched;
	bool		routed;			/* route_enter ran; saved_route is restored by acting_end */
	ShardRoute	saved_route;
} Acting;

/* What one app is to the acting user. */
typedef struct AppAccess
{
	const char *app_id;
	AppRole		role;
	char	   *owner_id;
	TimestampTz created_at;		/* tells this app from an earlier one of the same id */
} AppAccess;

extern void acting_begin(Acting *acting);
extern void acting_end(Acting *acting);
extern void acting_enter(Acting *acting, const char *app_id, AppAccess *access);
extern void acting_enter_owner(Acting *acting, const char *app_id, AppAccess *access,
							   const char *doing, const char *rule);
extern void acting_connect(void);
extern void acting_identity_arg(const Acting *acting, Datum *value, char *null);
extern void acting_leave(Acting *acting);
extern void acting_app(Acting *acting, const char *app_id, AppAccess *access);
extern void acting_require_owner(Acting *acting, const char *app_id, AppAccess *access,
								 const char *doing, const char *rule);
extern bool acting_may_change(const Acting *acting, const AppAccess *access, const char *author);

#endif
