/*
 * plans.h — statements prepared once per backend and kept (SPI_keepplan),
 * so a hot API call does not parse and plan its SQL again.
 */
#ifndef ANNOTATIONS_PLANS_H
#define ANNOTATIONS_PLANS_H

#include "postgres.h"
#include "executor/spi.h"
#include "utils/hsearch.h"

/*
 * A statement of the store: its SQL (every name schema-qualified, only
 * built-in parameter types, so a kept plan survives the extension being
 * dropped and created again) and, once prepared, its plan.
 */
typedef struct KeptPlan
{
	const char *sql;
	int			nargs;
	Oid			argtypes[20];
	/*
	 * Where Citus runs, planned for its values although it writes or locks:
	 * a one-table statement Citus then plans on the app's local shard.
	 */
	bool		fold;
	/*
	 * One generic plan from the first call, where the plan cache's choice
	 * would keep planning: a look-up by a list of keys (= ANY) seems
	 * cheaper planned for each list, but its plan is the same index probe.
	 */
	bool		generic;
	SPIPlanPtr	plan;
} KeptPlan;

/*
 * A backend's table of kept plans, keyed by what each plan is for (a
 * statement and a shard group, a list shape): at most max of them, the
 * least recently used dropped to make room.
 */
typedef struct KeptTable
{
	const char *name;
	Size		keysize;
	long		max;
	HTAB	   *hash;
	uint64		clock;
} KeptTable;

extern SPIPlanPtr kept_table_find(KeptTable *t, const void *key);
extern SPIPlanPtr kept_table_keep(KeptTable *t, const void *key, SPIPlanPtr plan);
extern SPIPlanPtr kept_plan(KeptPlan *kp);
extern int	kept_cursor_options(void);
extern bool kept_on_citus(void);
extern bool kept_via_citus(void);
extern int	kept_first_taken(KeptPlan *kp, Datum *values);
extern int	kept_execute(KeptPlan *kp, Datum *values, const char *nulls, bool read_only, long count);
extern int	kept_run(SPIPlanPtr plan, Datum *values, const char *nulls, bool read_only, long count);

#endif
