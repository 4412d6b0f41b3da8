/*
 * citus_guard.c — calls Citus must not delegate are planned without it.
 *
 * On a Citus cluster the API functions are registered for delegation by
 * their app id. Two kinds of call must not be delegated:
 *   - a NULL app id: Citus 13.2 reads that argument as a value without
 *     checking it for NULL, and `SELECT annotations.post_inputs(NULL, ...)`
 *     kills the backend (and with it every session of the node) before the
 *     function can refuse the NULL itself;
 *   - arguments that call the store again (`import_coco('b',
 *     export_coco('a'))`): a delegated call may read only its own app.
 * When this library is preloaded after citus (shared_preload_libraries =
 * 'citus,annotations', as distribute() requires), this hook runs before
 * Citus's planner and sends such a call straight to PostgreSQL's own
 * planner: the statement names no table, so there is nothing for Citus to
 * plan, and the function runs on the node the client is connected to,
 * reaching its app's shards through Citus like any query. Every other
 * statement goes on to Citus untouched.
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "catalog/pg_proc.h"
#include "nodes/nodeFuncs.h"
#include "nodes/parsenodes.h"
#include "optimizer/optimizer.h"
#include "optimizer/planner.h"
#include "parser/parsetree.h"
#include "utils/lsyscache.h"

#include "citus_fold.h"
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

/* A function of the store's schema (nsp) that reads tables (not immutable). */
static bool
reads_store(Node *node, Oid *nsp)
{
	if (node == NULL)
		return false;
	if (IsA(node, FuncExpr))
	{
		Oid			fn = ((FuncExpr *) node)->funcid;

		if (get_func_namespace(fn) == *nsp && func_volatile(fn) != PROVOLATILE_IMMUTABLE)
			return true;
	}
	return expression_tree_walker(node, reads_store, nsp);
}

/*
 * Whether Citus must not delegate the statement: a call of a function of
 * the store whose app id is NULL, or whose other arguments call the store
 * again (they could read another app, and a delegated call may touch only
 * its own app's rows).
 */
static bool
keep_from_delegation(Query *query)
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
	if (IsA(first, Const) && ((Const *) first)->constisnull)
		return true;
	return reads_store((Node *) list_delete_first(list_copy(call->args)), &nsp);
}

static PlannedStmt *
guard_planner(Query *parse, const char *query_string, int cursor_options, ParamListInfo params)
{
	parse = citus_fold_take(parse, params);
	if (keep_from_delegation(parse))
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
