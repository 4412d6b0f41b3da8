/*
 * plans.c — statements prepared once per backend and kept.
 *
 * Each module declares its statements as static KeptPlan structs next to
 * the code that runs them; the first call prepares and keeps the plan, and
 * PostgreSQL's plan cache replans it when a table it reads changes.
 */
#include "postgres.h"

#include "commands/extension.h"
#include "executor/spi.h"
#include "nodes/parsenodes.h"

#include "plans.h"

SPIPlanPtr
kept_plan(KeptPlan *kp)
{
	if (kp->plan == NULL)
	{
		SPIPlanPtr	plan = SPI_prepare(kp->sql, kp->nargs, kp->argtypes);

		if (plan == NULL)
			elog(ERROR, "could not prepare a statement of the store: %s", SPI_result_code_string(SPI_result));
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
	int			rc = SPI_execute_plan(kept_plan(kp), values, nulls, read_only, count);

	if (rc < 0)
		elog(ERROR, "a statement of the store failed: %s", SPI_result_code_string(rc));
	return rc;
}

/*
 * The plan-cache option for statements kept with SPI_prepare_cursor: one
 * generic plan, so a hot call plans nothing, except where Citus is
 * installed. Citus routes a statement that joins its tables only once it
 * sees the app id, so there each call is planned for its values (Citus
 * still keeps a generic plan when it can route without them).
 */
int
kept_cursor_options(void)
{
	return OidIsValid(get_extension_oid("citus", true)) ? 0 : CURSOR_OPT_GENERIC_PLAN;
}
