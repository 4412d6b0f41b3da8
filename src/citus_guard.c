/*
 * citus_guard.c — calls with a NULL app id are planned without Citus.
 *
 * On a Citus cluster the API functions are registered for delegation by
 * their app id, and Citus 13.2 reads that argument as a value without
 * checking it for NULL: `SELECT annotations.post_inputs(NULL, ...)` kills
 * the backend (and with it every session of the node) before the function
 * can refuse the NULL itself. When this library is preloaded after citus
 * (shared_preload_libraries = 'citus,annotations', as distribute()
 * requires), this hook runs before Citus's planner and sends such a call
 * straight to PostgreSQL's own planner: it reads no table, so there is
 * nothing to distribute, and the function answers with its usual error.
 * Every other statement goes on to Citus untouched.
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "nodes/nodeFuncs.h"
#include "nodes/parsenodes.h"
#include "optimizer/optimizer.h"
#include "optimizer/planner.h"
#include "parser/parsetree.h"
#include "utils/lsyscache.h"

#include "citus_guard.h"

static planner_hook_type next_planner = NULL;

/* The call Citus would delegate: the one target or the one FROM function. */
static FuncExpr *
delegation_candidate(Query *query)
{
	Node	   *expr = NULL;

	if (query->commandType != CMD_SELECT || query->jointree == NULL)
		return NULL;
	if (list_length(query->jointree->fromlist) == 1)
	{
		Node	   *ref = linitial(query->jointree->fromlist);
		RangeTblEntry *rte;

		if (!IsA(ref, RangeTblRef))
			return NULL;
		rte = rt_fetch(((RangeTblRef *) ref)->rtindex, query->rtable);
		if (rte->rtekind != RTE_FUNCTION || list_length(rte->functions) != 1)
			return NULL;
		expr = ((RangeTblFunction *) linitial(rte->functions))->funcexpr;
	}
	else if (query->jointree->fromlist == NIL && list_length(query->targetList) == 1)
		expr = (Node *) ((TargetEntry *) linitial(query->targetList))->expr;
	return expr != NULL && IsA(expr, FuncExpr) ? (FuncExpr *) expr : NULL;
}

/* Whether the statement calls a function of the store with a NULL first argument. */
static bool
calls_store_with_null_app(Query *query)
{
	FuncExpr   *call = delegation_candidate(query);
	Node	   *first;
	Oid			nsp;

	if (call == NULL || call->args == NIL)
		return false;
	nsp = get_namespace_oid("annotations", true);
	if (!OidIsValid(nsp) || get_func_namespace(call->funcid) != nsp)
		return false;
	first = eval_const_expressions(NULL, copyObject(linitial(call->args)));
	return IsA(first, Const) && ((Const *) first)->constisnull;
}

static PlannedStmt *
guard_planner(Query *parse, const char *query_string, int cursor_options, ParamListInfo params)
{
	if (calls_store_with_null_app(parse))
		return standard_planner(parse, query_string, cursor_options, params);
	if (next_planner != NULL)
		return next_planner(parse, query_string, cursor_options, params);
	return standard_planner(parse, query_string, cursor_options, params);
}

/* Installs the hook in front of whatever planner hook is there (Citus's). */
void
citus_guard_install(void)
{
	next_planner = planner_hook;
	planner_hook = guard_planner;
}
