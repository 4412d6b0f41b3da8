/*
 * citus_route.h — a call's statements run on the app's shards directly,
 * where Citus keeps them on this node.
 */
#ifndef ANNOTATIONS_CITUS_ROUTE_H
#define ANNOTATIONS_CITUS_ROUTE_H

#include "postgres.h"

/* The shard group an API call's statements are written for (none: 0). */
typedef struct ShardRoute
{
	int64		group;			/* the apps table's shard: names the group */
	int64		shards[6];		/* each table's shard, in route_tables order */
} ShardRoute;

extern void route_enter(const char *app_id, ShardRoute *saved);
extern void route_leave(const ShardRoute *saved);
extern int64 route_group(void);
extern char *route_sql(const char *sql);
extern const char *route_relname(const char *table);
extern void route_install(void);

#endif
