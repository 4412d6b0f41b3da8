/*
 * annotations.c — module entry point.
 *
 * The extension's C code is split by concern (see DEVELOPING.md, "How it is
 * built"); this file only declares the module to the server and, when the
 * library is loaded, defines its settings, installs its planner hook and the reset of a
 * call's shard route at the end of a transaction.
 */
#include "postgres.h"
#include "fmgr.h"

#include "citus_guard.h"
#include "citus_route.h"
#include "lifecycle.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

void
_PG_init(void)
{
	lifecycle_define_settings();
	citus_guard_install();
	route_install();
}
